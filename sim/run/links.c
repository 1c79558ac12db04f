/* links: degraded and flapping links (see links.h). */
#include "links.h"

#include <stdlib.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_links, trainsim, "links that degrade or flap");

void links_init(struct link_state *ls, struct run_ctx *ctx, struct hardware *hw, struct crews *crews,
		const struct job_nodes *job)
{
	*ls = (struct link_state){.ctx = ctx, .hw = hw, .crews = crews, .job = job};
}

void links_finish(struct link_state *ls)
{
	free(ls->state.degraded);
	free(ls->mended_by);
}

static void make_room(struct link_state *ls)
{
	if (ls->state.degraded_count < ls->capacity)
		return;
	size_t capacity = ls->capacity ? 2 * ls->capacity : 16;
	struct link_degradation *d = realloc(ls->state.degraded, capacity * sizeof *d);
	if (d)
		ls->state.degraded = d;
	struct ticket **t = realloc(ls->mended_by, capacity * sizeof *t);
	if (t)
		ls->mended_by = t;
	if (!d || !t)
		runctx_abort_out_of_memory(ls->ctx);
	ls->capacity = capacity;
}

void links_degrade(struct link_state *ls, long class_index, long component)
{
	const struct platform *p = ls->ctx->p;
	const struct failure_class *fc = &p->failures[class_index];
	make_room(ls);
	struct node_range r = components_nodes(p, fc->per, component);
	struct ticket *t = crews_open(ls->crews, class_index, component, r, false);
	t->degrades = true;
	ls->state.degraded[ls->state.degraded_count] =
		flowsim_degradation(components_place(p, fc->per, component), fc->degraded_fraction);
	ls->mended_by[ls->state.degraded_count++] = t;
	runctx_event(ls->ctx, events_make(EVENT_DEGRADED, fc->per, component, class_index));
	XBT_DEBUG("%s degrades %s %ld to %.0f%%", fc->name, platform_component_name(fc->per), component,
		  100 * fc->degraded_fraction);
	if (jobnodes_hit(ls->job, r))
		runctx_send(ls->ctx, ls->ctx->job_inbox, MSG_PACE, class_index, NULL);
}

void links_mend(struct link_state *ls, struct ticket *t)
{
	for (size_t i = 0; i < ls->state.degraded_count; i++)
		if (ls->mended_by[i] == t) {
			ls->state.degraded[i] = ls->state.degraded[ls->state.degraded_count - 1];
			ls->mended_by[i] = ls->mended_by[--ls->state.degraded_count];
			break;
		}
	runctx_send(ls->ctx, ls->ctx->job_inbox, MSG_PACE, t->class_index, NULL);
}

struct flapper {
	struct link_state *ls;
	struct failure_event ev;
};

/* Each flap times out the job's collectives; after the class's count of flaps, operators
 * isolate the link and it is repaired like a link that went down. */
static void flapper_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct flapper *f = sg_actor_self_get_data();
	sg_actor_on_exit(runctx_free_on_exit, f);
	struct link_state *ls = f->ls;
	const struct failure_class *fc = &ls->ctx->p->failures[f->ev.class_index];
	struct node_range r = hardware_failure_nodes(ls->ctx->p, fc, f->ev.component);
	for (long i = 1; i < fc->flaps; i++) {
		runctx_event(ls->ctx, events_make(EVENT_FLAP, fc->per, f->ev.component, f->ev.class_index));
		if (jobnodes_hit(ls->job, r))
			runctx_send(ls->ctx, ls->ctx->job_inbox, MSG_FAILURE, f->ev.class_index, NULL);
		runctx_sleep_until(ls->ctx, simgrid_get_clock() + fc->flap_interval_s);
	}
	runctx_event(ls->ctx, events_make(EVENT_ISOLATED, fc->per, f->ev.component, f->ev.class_index));
	XBT_DEBUG("%s %ld isolated after %ld flaps", platform_component_name(fc->per), f->ev.component, fc->flaps);
	hardware_take_down(ls->hw, f->ev.class_index, f->ev.component, 0);
	runctx_yield(ls->ctx);
}

void links_start_flapping(struct link_state *ls, const struct failure_event *ev)
{
	struct flapper *f = malloc(sizeof *f);
	if (!f)
		runctx_abort_out_of_memory(ls->ctx);
	*f = (struct flapper){ls, *ev};
	runctx_start_actor(ls->ctx, "flapper", flapper_actor, f);
}
