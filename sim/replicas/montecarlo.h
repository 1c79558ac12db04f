/* montecarlo: many independent replicas of a run, in parallel worker processes. Replica i
 * uses seed + i. Each replica is forked from one template process that has loaded the
 * platform and simulated the healthy step, so every replica starts from the same state and
 * the results do not depend on how many run at once. */
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
	long replicas;
	long jobs;                  /* worker processes at once */
	uint64_t seed;              /* replica i: seed + i */
	struct run_options run;     /* seed and events are set per replica */
	const char *events_dir;     /* per-replica events files go here, or NULL for none */
	long events_replicas;       /* events are written for replicas below this */
	bool progress;              /* a progress bar with an ETA on stderr */
	volatile sig_atomic_t *stop;/* set (by a signal handler) to stop early, or NULL */
};

struct mc_result {
	struct replica_outcome *replicas; /* [replicas] */
	long count, done;
	bool interrupted;
};

/* Run the replicas. The healthy step is simulated first, in this process. false (err
 * filled) when a replica failed; outcomes of the replicas done are kept either way. */
bool montecarlo_run(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
		    struct steptime *st, const struct mc_options *o, struct mc_result *out, struct ts_error *err);

void montecarlo_result_finish(struct mc_result *r);

/* Path of replica i's events file under dir. */
void montecarlo_events_path(const char *dir, long replica, char *buf, size_t size);

#endif
