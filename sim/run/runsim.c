/* runsim: one replica, wired (see runsim.h). The owners of the run's state are created
 * here in dependency order and handed to each other; only this file knows them all. */
#include "runsim.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/engine.h>
#include <xbt/log.h>

#include "bringup.h"
#include "crew.h"
#include "hardware.h"
#include "injector.h"
#include "job.h"
#include "links.h"
#include "powerstate.h"
#include "spares.h"

XBT_LOG_NEW_CATEGORY(trainsim, "trainsim's own decisions: the job, crews, power, links and failures");
XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_run, trainsim, "one replica: set-up and result");

/* Everything one replica owns. */
struct replica {
	struct run_ctx ctx;
	struct inbox job_inbox;
	struct job job;
	struct crews crews;
	struct hardware hw;
	struct spares spares;
	struct power_state power;
	struct link_state links;
	struct injector injector;
	struct bringup bringup;
	struct run_result *r;
};

/* ---- the counts, from the events ---- */

/* The part a repair takes as it starts: its failure class's, or for a node dead on arrival
 * (a ticket of no class) the bring-up's; -1 for none. */
static long part_of_repair(const struct platform *p, long cause)
{
	if (cause >= 0)
		return p->failures[cause].part_index;
	return p->bring_up.present ? p->bring_up.doa_part_index : -1;
}

static void count_event(void *data, const struct event *e)
{
	struct replica *rep = data;
	struct run_result *r = rep->r;
	long part;
	switch (e->kind) {
	case EVENT_FAILURE: r->failures++; break;
	case EVENT_INTERRUPTION:
		r->interruptions++;
		r->interruptions_by_class[e->cause]++;
		break;
	case EVENT_TICKET: r->tickets++; break;
	case EVENT_SPARE_SWAP: r->spare_swaps++; break;
	case EVENT_REPAIR_START:
		if ((part = part_of_repair(rep->ctx.p, e->cause)) >= 0)
			r->parts_used[part]++;
		break;
	default: break;
	}
}

/* ---- what a closed ticket brings back ---- */

static void repaired(void *data, struct ticket *t, double now)
{
	struct replica *rep = data;
	if (t->kind != TICKET_REPAIR) {
		bringup_ticket_closed(&rep->bringup, t);
		return;
	}
	injector_renew(&rep->injector, t->class_index, t->component, now);
	if (t->pdu >= 0) {
		powerstate_pdu_repaired(&rep->power, t->class_index, t->pdu);
		return;
	}
	if (t->degrades) {
		links_mend(&rep->links, t);
		return;
	}
	if (t->detached) { /* a job waiting for nodes may take the standby node back */
		spares_detached_back(&rep->spares, &rep->ctx, t);
		runctx_send(&rep->ctx, rep->ctx.job_inbox, MSG_RESTORED, t->class_index, NULL);
		return;
	}
	hardware_down(&rep->hw, t->nodes, -1);
	for (long n = t->nodes.first; n < t->nodes.first + t->nodes.count; n++)
		spares_node_back(&rep->spares, &rep->hw, &rep->job.nodes, n);
	runctx_send(&rep->ctx, rep->ctx.job_inbox, MSG_RESTORED, t->class_index, NULL);
}

/* ---- set-up ---- */

static bool replica_init(struct replica *rep, const struct scenario *s, struct engine *e)
{
	struct run_ctx *ctx = &rep->ctx;
	ctx->job_inbox = &rep->job_inbox;
	if (!runctx_inbox_init(&rep->job_inbox) || !job_init(&rep->job, ctx, e->steptime, e->run_step_s) || !crews_init(&rep->crews, ctx, repaired, rep) ||
	    !hardware_init(&rep->hw, ctx, &rep->crews, &rep->job.nodes) ||
	    !spares_init(&rep->spares, ctx->p, ctx->w, &rep->job.pl) ||
	    !powerstate_init(&rep->power, ctx, &rep->hw, &rep->crews, &rep->job.nodes) ||
	    !bringup_init(&rep->bringup, ctx, &rep->hw, &rep->crews, &rep->spares, &rep->job.nodes))
		return false;
	powerstate_job_moved(&rep->power, &rep->job.pl);
	links_init(&rep->links, ctx, &rep->hw, &rep->crews, &rep->job.nodes);
	job_connect(&rep->job, &rep->hw, &rep->spares, &rep->crews, &rep->power, &rep->links, &rep->bringup);
	const struct failure_log *log = s->failure_log_path ? &s->failure_log : NULL;
	return injector_init(&rep->injector, ctx, &rep->hw, &rep->power, &rep->links, log);
}

static void replica_finish(struct replica *rep)
{
	injector_finish(&rep->injector);
	bringup_finish(&rep->bringup);
	links_finish(&rep->links);
	powerstate_finish(&rep->power);
	spares_finish(&rep->spares);
	hardware_finish(&rep->hw);
	crews_finish(&rep->crews);
	job_finish(&rep->job);
	runctx_inbox_finish(&rep->job_inbox);
}

/* Every host on but the racks still to come, then the actors in a fixed order: job,
 * injector, grid, crews, bring-up. */
static void start_actors(struct replica *rep, long replica)
{
	hardware_power_on_all(&rep->hw);
	bringup_hold(&rep->bringup);
	job_start(&rep->job);
	injector_start(&rep->injector);
	powerstate_start(&rep->power);
	crews_start(&rep->crews, replica);
	bringup_start(&rep->bringup);
}

/* A cluster that fails faster than the job can save would loop for ever: give up at ten
 * times the failure-free training time (at least a year) and say so. */
static double give_up_s(const struct workload *w, double step_s)
{
	return fmax(10 * workload_steps(w) * step_s, 365 * 86400.0);
}

static void collect(struct replica *rep, double give_up, const struct run_options *o, struct run_result *out)
{
	const struct job_outcome *jo = &rep->job.out;
	out->wallclock_s = simgrid_get_clock() - rep->ctx.origin_s;
	out->finished = jo->finished;
	out->events = rep->ctx.events.published;
	out->work_bound = !jo->finished && out->events >= rep->ctx.max_events;
	out->gave_up = !jo->finished && (o->horizon_s > give_up || out->work_bound);
	out->progress = jo->progress;
	out->checkpoints = jo->checkpoints;
	double sum = 0;
	for (int i = 0; i < TIME_CATEGORY_COUNT; i++)
		sum += out->time_s[i] = jo->time_s[i];
	assert(fabs(sum - out->wallclock_s) <= 1e-6 * fmax(1, out->wallclock_s));
	XBT_DEBUG("replica done: %.0f s, %s, %ld events; step model: %zu simulations, %zu from "
		  "bottlenecks, %zu cache hits so far",
		  out->wallclock_s, out->finished ? "finished" : "stopped", rep->ctx.events.published,
		  steptime_simulations(rep->job.st), steptime_models(rep->job.st), steptime_cache_hits(rep->job.st));
}

bool runsim_run(const struct scenario *s, struct engine *e, const struct run_options *o, struct run_result *out,
		struct ts_error *err)
{
	memset(out, 0, sizeof *out);
	const struct platform *p = s->platform;
	out->interruptions_by_class = calloc(p->failure_count ? p->failure_count : 1, sizeof(long));
	out->parts_used = calloc(p->operations.part_count ? p->operations.part_count : 1, sizeof(long));
	struct replica rep = {.r = out};
	double give_up = give_up_s(s->workload, e->run_step_s);
	static const struct counterfactual none;
	rep.ctx = (struct run_ctx){.p = p, .w = s->workload, .c = e->cluster, .seed = o->seed,
				   .failure_scale = o->failure_scale, .cf = o->counterfactual ? o->counterfactual : &none,
				   .control = sg_platform_control_host(e->cluster),
				   .horizon_s = fmin(o->horizon_s, give_up), .epoch_s = s->workload->schedule.start_epoch_s,
				   .max_events = o->max_events > 0 ? o->max_events : RUNSIM_MAX_EVENTS, .err = err};
	events_subscribe(&rep.ctx.events, (struct event_sink){count_event, &rep});
	if (o->events)
		events_subscribe(&rep.ctx.events, *o->events);
	if (!out->interruptions_by_class || !out->parts_used || !replica_init(&rep, s, e)) {
		replica_finish(&rep);
		runsim_result_finish(out);
		return error_set(err, "", 0, 0, "out of memory setting up the run");
	}
	out->step_time_s = e->run_step_s;
	rep.ctx.origin_s = rep.ctx.events.origin_s = simgrid_get_clock();
	steptime_set_inside_actor(e->steptime, true);
	steptime_forget_placements(e->steptime); /* this replica's job may sit where the last one's did */
	start_actors(&rep, ++e->replicas_run);
	simgrid_run();
	steptime_set_inside_actor(e->steptime, false);
	collect(&rep, give_up, o, out);
	bool failed = rep.ctx.failed;
	replica_finish(&rep);
	return !failed;
}

void runsim_result_finish(struct run_result *r)
{
	if (r) {
		free(r->interruptions_by_class);
		r->interruptions_by_class = NULL;
		free(r->parts_used);
		r->parts_used = NULL;
	}
}
