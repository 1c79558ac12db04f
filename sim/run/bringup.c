/* bringup: deliveries, acceptance and dead-on-arrival nodes during a run (see bringup.h). */
#include "bringup.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_bringup, trainsim, "bring-up: deliveries and acceptance");

/* When delivery d's `i`-th rack arrives, from the replica's start: evenly spread over `over`. */
static double arrival_s(const struct run_ctx *ctx, const struct delivery *d, long i)
{
	double at = d->dated ? d->at_epoch_s - ctx->epoch_s : d->at_s;
	return fmax(0, at) + (d->racks > 1 ? d->over_s * (double)i / (double)d->racks : 0);
}

static int by_time(const void *a, const void *b)
{
	const struct arrival *x = a, *y = b;
	if (x->at_s != y->at_s)
		return (x->at_s > y->at_s) - (x->at_s < y->at_s);
	return (x->rack > y->rack) - (x->rack < y->rack);
}

bool bringup_rack_arrivals(const struct run_ctx *ctx, double **rack_s)
{
	const struct bring_up_spec *spec = &ctx->p->bring_up;
	*rack_s = NULL;
	if (!spec->present || ctx->cf->no_bring_up)
		return true;
	*rack_s = calloc((size_t)(ctx->p->counts.racks ? ctx->p->counts.racks : 1), sizeof **rack_s);
	if (!*rack_s)
		return false;
	for (size_t i = 0; i < spec->delivery_count; i++) {
		const struct delivery *d = &spec->deliveries[i];
		for (long r = 0; r < d->racks; r++)
			(*rack_s)[d->first_rack + r] = arrival_s(ctx, d, r);
	}
	return true;
}

bool bringup_init(struct bringup *b, struct run_ctx *ctx, struct hardware *hw, struct crews *crews,
		  struct spares *spares, const struct job_nodes *job)
{
	const struct platform *p = ctx->p;
	const struct bring_up_spec *spec = &p->bring_up;
	*b = (struct bringup){.ctx = ctx, .hw = hw, .crews = crews, .spares = spares, .job = job};
	if (!spec->present || ctx->cf->no_bring_up)
		return true;
	long racks = 0;
	for (size_t i = 0; i < spec->delivery_count; i++)
		racks += spec->deliveries[i].racks;
	b->arrivals = malloc((size_t)(racks ? racks : 1) * sizeof *b->arrivals);
	b->pending = calloc((size_t)p->counts.nodes, sizeof *b->pending);
	if (!b->arrivals || !b->pending)
		return false;
	for (size_t i = 0; i < spec->delivery_count; i++) {
		const struct delivery *d = &spec->deliveries[i];
		for (long r = 0; r < d->racks; r++)
			b->arrivals[b->arrival_count++] = (struct arrival){arrival_s(ctx, d, r), d->first_rack + r};
	}
	qsort(b->arrivals, (size_t)b->arrival_count, sizeof *b->arrivals, by_time);
	long per_rack = p->rack.nodes;
	for (long k = 0; k < b->arrival_count; k++)
		for (long n = b->arrivals[k].rack * per_rack; n < (b->arrivals[k].rack + 1) * per_rack; n++) {
			b->pending[n] = true;
			b->pending_count++;
		}
	return true;
}

void bringup_finish(struct bringup *b)
{
	free(b->pending);
	free(b->arrivals);
	b->pending = NULL;
	b->arrivals = NULL;
}

void bringup_hold(struct bringup *b)
{
	long per_rack = b->ctx->p->rack.nodes;
	for (long k = 0; k < b->arrival_count; k++)
		hardware_down(b->hw, (struct node_range){b->arrivals[k].rack * per_rack, per_rack}, +1);
}

static void bringup_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct bringup *b = sg_actor_self_get_data();
	long per_rack = b->ctx->p->rack.nodes;
	for (long k = 0; k < b->arrival_count && !b->ctx->job_done; k++) {
		const struct arrival *a = &b->arrivals[k];
		if (a->at_s > b->ctx->horizon_s)
			break;
		runctx_sleep_until(b->ctx, b->ctx->origin_s + a->at_s);
		runctx_event(b->ctx, events_make(EVENT_DELIVERY, COMPONENT_RACK, a->rack, -1));
		XBT_DEBUG("rack %ld delivered", a->rack);
		crews_open_acceptance(b->crews, a->rack, (struct node_range){a->rack * per_rack, per_rack});
	}
	runctx_yield(b->ctx);
}

void bringup_start(struct bringup *b)
{
	if (b->arrival_count > 0)
		runctx_start_actor(b->ctx, "bring-up", bringup_actor, b);
}

/* Node `node` is in service: its bring-up hold goes, and it may serve as a spare. */
static void in_service(struct bringup *b, long node)
{
	b->pending[node] = false;
	b->pending_count--;
	hardware_down(b->hw, (struct node_range){node, 1}, -1);
	spares_node_back(b->spares, b->hw, b->job, node);
}

/* Whether node `node` of the accepted rack is dead on arrival: a draw of its own (common
 * random numbers: the same whatever else the run does). */
static bool dead_on_arrival(const struct bringup *b, long node)
{
	double chance = b->ctx->p->bring_up.dead_on_arrival;
	if (chance <= 0)
		return false;
	struct rng rng;
	rng_init(&rng, b->ctx->seed, 0x444f41000000ULL + (uint64_t)node); /* "DOA" */
	return rng_uniform(&rng) < chance;
}

void bringup_ticket_closed(struct bringup *b, const struct ticket *t)
{
	if (t->kind == TICKET_DEAD_ON_ARRIVAL)
		in_service(b, t->nodes.first);
	else {
		runctx_event(b->ctx, events_make(EVENT_ACCEPTED, COMPONENT_RACK, t->component, -1));
		for (long n = t->nodes.first; n < t->nodes.first + t->nodes.count; n++) {
			if (!dead_on_arrival(b, n)) {
				in_service(b, n);
				continue;
			}
			runctx_event(b->ctx, events_make(EVENT_DEAD_ON_ARRIVAL, COMPONENT_NODE, n, -1));
			crews_open_dead_on_arrival(b->crews, n);
		}
	}
	runctx_send(b->ctx, b->ctx->job_inbox, MSG_RESTORED, -1, NULL);
}
