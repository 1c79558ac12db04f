/* jobstate: the states the training job spends its time in. Where the wall-clock went is
 * accounted by these categories, which add up to the wall-clock exactly. */
#ifndef TRAINSIM_JOBSTATE_H
#define TRAINSIM_JOBSTATE_H

enum time_category {
	TIME_PRODUCTIVE,   /* training whose work was kept */
	TIME_LOST,         /* training lost to a failure and recomputed */
	TIME_DETECTION,    /* from a failure to the job noticing it */
	TIME_RESTART,      /* relaunch, checkpoint load */
	TIME_WAIT_TECH,    /* waiting for repairs: queue, travel, diagnosis, swap, burn-in */
	TIME_WAIT_PARTS,   /* waiting for a spare part to arrive */
	TIME_CHECKPOINT,   /* training blocked by checkpoint saves */
	TIME_DEGRADED,     /* extra time of steps slowed by degraded hardware */
	TIME_POWER,        /* down for power events */
	TIME_BRING_UP,     /* waiting for capacity not yet delivered or accepted */
	TIME_CATEGORY_COUNT
};

/* Name as in reports and files ("productive", "waiting_technician", ...). */
const char *jobstate_name(enum time_category c);

/* Where most of the time went that was not productive training (ties to the earlier
 * category): the bottleneck a run that never ends is stuck on. */
enum time_category jobstate_bottleneck(const double time_s[TIME_CATEGORY_COUNT]);

#endif
