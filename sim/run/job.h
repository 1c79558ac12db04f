/* job: the training job's actor and its state machine. It trains in planned stretches
 * between events (a failure, a change of pace, a PDU trip, the end, the horizon), saving at
 * its checkpoint interval; after a failure it loses the work since its last checkpoint,
 * waits for detection, takes spare nodes (or waits for repairs, or shrinks), computes its
 * step again if the cluster changed, relaunches and loads the checkpoint. It owns where the
 * wall-clock went (time categories that add up to it), its placement and which node slots
 * it occupies. */
#ifndef TRAINSIM_JOB_H
#define TRAINSIM_JOB_H

#include <stdbool.h>

#include "bringup.h"
#include "crew.h"
#include "hardware.h"
#include "jobnodes.h"
#include "jobstate.h"
#include "links.h"
#include "placement.h"
#include "powerstate.h"
#include "spares.h"
#include "steptime.h"

/* What the job tells the run when it ends. */
struct job_outcome {
	bool finished;                        /* the whole token budget was trained */
	double progress;                      /* fraction of it trained (kept or not yet saved) */
	double time_s[TIME_CATEGORY_COUNT];   /* where the wall-clock went */
	long checkpoints;                     /* saves completed */
};

/* A checkpoint as saved: engine time, steps it holds, productive time up to it. */
struct saved_checkpoint {
	double at_s, steps, productive_s;
};

struct job {
	struct run_ctx *ctx;
	struct hardware *hw;
	struct spares *spares;
	struct crews *crews;
	struct power_state *power;
	struct link_state *links;
	const struct bringup *bringup;
	struct steptime *st;
	struct placement pl;      /* the platform node holding each of the job's node slots */
	struct job_nodes nodes;   /* the same, per platform node (what the others ask) */
	long *slot_of;            /* per platform node: the job's slot it holds, or -1 */
	long *scratch;            /* room for one entry per slot */
	double healthy_step_s;    /* the step of the healthy cluster, capped power included */
	double step_time_s;       /* the step now */
	struct job_outcome out;
	/* progress */
	double committed_steps;   /* saved in the last checkpoint */
	double since_steps;       /* trained since */
	double uncommitted_s;     /* running time since the last checkpoint, at the healthy pace */
	double uncommitted_slow_s;/* its excess from degraded hardware */
	double last_s;            /* engine clock at the last accounting */
	double total_steps, interval_steps, save_s;
	/* after failures */
	long pending_failures;    /* failures seen since the job last ran */
	double detection_s;       /* longest detection among them */
	bool pace_changed;        /* a link degraded or mended: compute the step again */
	/* failures found late: how far back to go, and the checkpoints it may go back to */
	double rollback_to_s;     /* engine time the earliest such failure struck (INFINITY: none) */
	double borrowed_ready_s;  /* engine time the borrowed nodes it took are preempted (0: none) */
	long last_cause;          /* its class, for the rollback event */
	bool keeps_checkpoints;   /* some class is found late: remember every checkpoint */
	struct saved_checkpoint *saved;
	size_t saved_count, saved_capacity;
	/* on_failure: shrink */
	bool *dropped;            /* job node slot i's DP replica is left out */
	bool *replica_lost;       /* scratch: DP replicas to leave out */
	long dp_active;           /* DP replicas running (parallelism.dp unless shrunk) */
	int state;                /* the category it is spending time in (-1 before the first) */
	/* What the job's view of its nodes last depended on: while none of it changes, the slots
	 * down and whether a spare, a smaller job or nothing can fill them stay as they were
	 * (a job waiting on thousands of undelivered nodes wakes at every event) */
	unsigned long placement_changes; /* slots given other nodes, replicas left out or back */
	struct node_view {
		unsigned long hardware, placement;
		long spares_free, standby, borrowed;
	} slots_seen, stuck_seen; /* when failed_slots was computed; when filling them last failed */
	long slots_found;         /* failed_slots's count then (in scratch) */
	bool stuck;               /* stuck_seen holds a failed attempt */
};

/* Place the job (as the engine did) and set up its state; its collaborators must outlive it.
 * false on out of memory. */
bool job_init(struct job *job, struct run_ctx *ctx, struct steptime *st, double healthy_step_s);
void job_finish(struct job *job);

/* The collaborators, once they exist (they ask the job which nodes it occupies). */
void job_connect(struct job *job, struct hardware *hw, struct spares *spares, struct crews *crews,
		 struct power_state *power, struct link_state *links, const struct bringup *bringup);

/* Start the job's actor; when it ends it stops every other actor of the run. */
void job_start(struct job *job);

#endif
