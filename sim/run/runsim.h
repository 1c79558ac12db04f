/* runsim: one replica of a whole training run, simulated in SimGrid actors that talk through
 * mailboxes: the training job (segments between checkpoints, interrupted by failure
 * messages), the failure injector, and one repair crew per site (technicians on shifts,
 * tickets, spare parts with lead times, burn-in). Where the wall-clock time went is
 * accounted by category; the categories add up to the wall-clock exactly. */
#ifndef TRAINSIM_RUNSIM_H
#define TRAINSIM_RUNSIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "platform.h"
#include "sg_platform.h"
#include "steptime.h"
#include "workload.h"

enum time_category {
	TIME_PRODUCTIVE,   /* training whose work was kept */
	TIME_LOST,         /* training lost to a failure and recomputed */
	TIME_DETECTION,    /* from a failure to the job noticing it */
	TIME_RESTART,      /* relaunch, checkpoint load, step re-simulation */
	TIME_WAIT_TECH,    /* waiting for repairs: queue, travel, diagnosis, swap, burn-in */
	TIME_WAIT_PARTS,   /* waiting for a spare part to arrive */
	TIME_CHECKPOINT,   /* training blocked by checkpoint saves */
	TIME_DEGRADED,     /* extra time of steps slowed by degraded hardware */
	TIME_POWER,        /* down for power events */
	TIME_CATEGORY_COUNT
};

const char *runsim_category_name(enum time_category c);

struct run_options {
	uint64_t seed;
	double horizon_s;          /* stop here (INFINITY: at the end of the run) */
	double failure_scale;      /* multiplies every failure rate (0: failures off) */
	const char *failure_log;   /* replay this CSV instead of drawing failures, or NULL */
	FILE *events;              /* CSV of every event, or NULL */
};

struct run_result {
	bool finished;             /* the token budget was reached before the horizon */
	bool gave_up;              /* no horizon was reached but the run stopped at ten times its
				      failure-free time (failures faster than it can save) */
	double wallclock_s;
	double progress;           /* fraction of the token budget trained (kept or not yet saved) */
	double time_s[TIME_CATEGORY_COUNT];
	long interruptions;        /* the job stopped: failures that hit it, planned ones included */
	long *interruptions_by_class; /* per platform failure class (owned; free with runsim_result_finish) */
	long failures;             /* every failure, in the job or not */
	long checkpoints;
	long tickets;
	long spare_swaps;
	double step_time_s;        /* of the healthy cluster */
};

/* Run one replica. The SimGrid platform must be loaded and not yet used by another run.
 * false (err filled) on out of memory or a failed simulated transfer. */
bool runsim_run(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
		struct steptime *st, const struct run_options *o, struct run_result *out, struct ts_error *err);

void runsim_result_finish(struct run_result *r);

/* The SimGrid link a failure of NIC or fiber `component` (numbered as faults numbers links:
 * NIC fibers node by node, then leaf uplink fibers) degrades, and the share of it left. */
struct link_degradation runsim_link_degradation(const struct platform *p, long component, double fraction);

#endif
