/* montecarlo: many independent replicas of a run, in parallel worker processes. Replica i
 * uses seed + i. Each replica is forked from one template process that has loaded the
 * platform and simulated the healthy step, so every replica starts from the same state and
 * the results do not depend on how many run at once. The library neither prints nor
 * touches signals: progress goes to a callback, and the caller says what a worker does
 * with signals (worker_start) and when to stop (stop). */
#ifndef TRAINSIM_MONTECARLO_H
#define TRAINSIM_MONTECARLO_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "runsim.h"

/* What is kept of one replica (run_result, flattened, plus its seed). */
struct replica_outcome {
	bool done;                  /* it ran to its end (false: interrupted before it finished) */
	uint64_t seed;
	struct run_result result;   /* result.interruptions_by_class owned here */
};

struct mc_options {
	long replicas;              /* in the whole run (the batches depend on it alone) */
	long first, count;          /* run replicas [first, first + count) of them (count 0: none) */
	long jobs;                  /* worker processes at once */
	uint64_t seed;              /* replica i: seed + i */
	struct run_options run;     /* seed and events are set per replica */
	const char *events_dir;     /* replicas' events are kept here (events_path), or NULL for none */
	long events_replicas;       /* events are kept for replicas below this */
	void (*progress)(void *data, long done, long total); /* after each replica collected, or NULL */
	void *progress_data;
	void (*worker_start)(void); /* run first in each worker process, or NULL */
	volatile sig_atomic_t *stop;/* set (by a signal handler) to stop early, or NULL */
};

struct mc_result {
	struct replica_outcome *replicas; /* [count]: replica first + i at i */
	long first, count, done;
	bool interrupted;           /* fewer than count done (stopped, or a worker failed) */
};

/* Run the replicas of scenario s on engine e (loaded from s). false (err filled) when a
 * replica failed or its worker died; the outcomes of the replicas done are kept either way,
 * also when stopped. Workers die with the calling process. */
bool montecarlo_run(const struct scenario *s, struct engine *e, const struct mc_options *o, struct mc_result *out,
		    struct ts_error *err);

void montecarlo_result_finish(struct mc_result *r);

/* Replicas one worker process runs one after the other, for a run of `replicas` (batches
 * start at multiples of it, whatever the number of workers or the slice run). */
long montecarlo_batch(long replicas);

/* Slice `shard` of `shards` of a run of `replicas`, in whole batches: replicas
 * [*first, *first + *count), possibly none. Together the slices cover the run once. */
void montecarlo_slice(long replicas, long shard, long shards, long *first, long *count);

/* Path of replica i's events under dir (false when it does not fit in size). */
bool montecarlo_events_path(const char *dir, long replica, char *buf, size_t size);

/* Replica i's events, as its worker kept them (sorted by time). On success *events (free)
 * and *count. */
bool montecarlo_read_events(const char *dir, long replica, struct event **events, size_t *count,
			    struct ts_error *err);

#endif
