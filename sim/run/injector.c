/* injector: failures as the failure processes draw them (see injector.h). */
#include "injector.h"

#include <math.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_injector, trainsim, "the failure injector");

bool injector_init(struct injector *in, struct run_ctx *ctx, struct hardware *hw, struct power_state *power,
		   struct link_state *links, const struct failure_log *log)
{
	*in = (struct injector){.ctx = ctx, .hw = hw, .power = power, .links = links};
	return faults_init(&in->faults, ctx->p, log, ctx->seed, ctx->failure_scale, ctx->cf->class_off);
}

void injector_finish(struct injector *in)
{
	faults_finish(&in->faults);
}

void injector_renew(struct injector *in, long class_index, long component, double now)
{
	faults_renew(&in->faults, class_index, component, now - in->ctx->origin_s);
}

static void inject(struct injector *in, const struct failure_event *ev)
{
	const struct platform *p = in->ctx->p;
	const struct failure_class *fc = &p->failures[ev->class_index];
	if (ev->class_index == p->power.grid_class) { /* replayed from a log: a median outage */
		runctx_event(in->ctx, events_make(EVENT_GRID_EVENT, COMPONENT_HALL, ev->component, ev->class_index));
		powerstate_grid_event(in->power, ev->component,
				      fmax(p->power.grid_median_s, p->halls[ev->component].ups_ride_through_s + 1));
		return;
	}
	hardware_count_failure(in->hw, ev->class_index, ev->component);
	if (fc->takes_down == COMPONENT_JOB) {
		/* a software fault of the job, or of a component: then only one the job uses */
		bool hits = fc->per == COMPONENT_JOB || jobnodes_hit(in->hw->job, components_nodes(p, fc->per, ev->component));
		XBT_DEBUG("%s %s", fc->name, hits ? "stops the job" : "strikes outside the job");
		if (hits)
			runctx_send(in->ctx, in->ctx->job_inbox, MSG_FAILURE, ev->class_index, NULL);
	} else if (fc->takes_down == COMPONENT_PDU)
		powerstate_pdu_down(in->power, ev->class_index, ev->component);
	else if (fc->effect == EFFECT_DEGRADE)
		links_degrade(in->links, ev->class_index, ev->component);
	else if (fc->effect == EFFECT_FLAP)
		links_start_flapping(in->links, ev);
	else
		hardware_take_down(in->hw, ev->class_index, ev->component);
}

static void injector_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct injector *in = sg_actor_self_get_data();
	struct failure_event ev;
	while (!in->ctx->job_done && faults_next(&in->faults, &ev)) {
		if (ev.time_s > in->ctx->horizon_s)
			break;
		runctx_sleep_until(in->ctx, in->ctx->origin_s + ev.time_s);
		if (!in->ctx->job_done)
			inject(in, &ev);
	}
	runctx_yield(in->ctx);
}

void injector_start(struct injector *in)
{
	runctx_start_actor(in->ctx, "injector", injector_actor, in);
}
