/* runsim: one replica of a whole training run, simulated in SimGrid actors that talk
 * through mailboxes: the training job (job.c), the failure injector (injector.c), one repair
 * crew per site (crew.c), the power system (powerstate.c) and links that degrade or flap
 * (links.c). This module creates their state, wires them together, runs the engine and
 * collects the result: where the wall-clock went (categories that add up to it exactly)
 * and the counts, which it takes from the replica's typed events. */
#ifndef TRAINSIM_RUNSIM_H
#define TRAINSIM_RUNSIM_H

#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "events.h"
#include "jobstate.h"
#include "runctx.h"
#include "scenario.h"

struct run_options {
	uint64_t seed;
	double horizon_s;          /* stop here (INFINITY: at the end of the run) */
	double failure_scale;      /* multiplies every failure rate (0: failures off) */
	long max_events;           /* the replica's work bound: it stops once it has had this many events
				      (0: RUNSIM_MAX_EVENTS) */
	const struct event_sink *events; /* also receives every event, or NULL */
	const struct counterfactual *counterfactual; /* causes switched off, or NULL */
};

/* The default work bound: some sixty times the events of Llama 3's whole 54-day run, so only
 * a run that cannot end meets it. */
#define RUNSIM_MAX_EVENTS 5000000L

struct run_result {
	bool finished;             /* the token budget was reached before the horizon */
	bool gave_up;              /* no horizon was reached but the run stopped at ten times its
				      failure-free time (or at its work bound): it would never end */
	bool work_bound;           /* it stopped at its work bound (max_events) */
	long events;               /* events it had */
	double wallclock_s;
	double progress;           /* fraction of the token budget trained (kept or not yet saved) */
	double time_s[TIME_CATEGORY_COUNT];
	long interruptions;        /* the job stopped: failures that hit it, planned ones included */
	long *interruptions_by_class; /* per platform failure class (owned; free with runsim_result_finish) */
	long *parts_used;          /* per operations.spares.parts entry: parts repairs took as they started
				      (owned; free with runsim_result_finish) */
	long failures;             /* every failure, in the job or not */
	long checkpoints;
	long tickets;
	long spare_swaps;
	double step_time_s;        /* of the healthy cluster */
};

/* Run one replica of scenario s on engine e (loaded from s; not yet used by a run that
 * failed). false (err filled) on out of memory or a failed simulated transfer. */
bool runsim_run(const struct scenario *s, struct engine *e, const struct run_options *o, struct run_result *out,
		struct ts_error *err);

void runsim_result_finish(struct run_result *r);

#endif
