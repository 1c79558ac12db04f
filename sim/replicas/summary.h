/* summary: what a set of replicas says about the run: the distribution of wall-clock,
 * finish date and ETTR, the mean breakdown of where the time went and of interruptions by
 * cause (report/summary_write.c writes it as text, summary.json and replicas.csv). */
#ifndef TRAINSIM_SUMMARY_H
#define TRAINSIM_SUMMARY_H

#include "cost.h"
#include "montecarlo.h"
#include "scenario.h"
#include "runplan.h"
#include "stats.h"

/* Where the replicas came from: enough to tell two summaries' scenarios apart. */
struct summary_scenario {
	const struct scenario *scenario;  /* inputs, overrides, failure log and their hashes */
	uint64_t seed;
	double horizon_s;          /* INFINITY: none */
	double failure_scale;
	struct run_plan_figures plan;
	double step_time_s;
	char run_id[17];           /* summary_run_id: the same in every file of the set */
};

struct summary {
	long replicas, done, finished, gave_up, work_bound;
	bool interrupted;
	double stopped_s;                   /* the latest a replica that did not finish stopped at */
	struct stats wallclock, slip, finish_epoch; /* over the replicas that finished */
	struct stats ettr;                  /* over every replica done */
	double time_s[TIME_CATEGORY_COUNT]; /* means */
	double interruptions, failures, tickets, spare_swaps, checkpoints, energy_mwh;
	double *by_class;                   /* mean interruptions per failure class */
	struct cost_summary cost;           /* over the replicas that finished; present: the platform has costs */
};

bool summary_compute(const struct summary_scenario *sc, const struct mc_result *mc, struct summary *out);
void summary_finish(struct summary *s);

/* The run's identity, written into every file of its set: 16 hex digits of the SHA-256 of
 * the trainsim version, the inputs' hashes, the overrides, the seed, replica count, horizon,
 * failure scale, work bound and events kept. Same inputs, same id (outputs stay
 * byte-identical); files of different runs never share one. */
void summary_run_id(struct summary_scenario *sc, long replicas, long max_events, long events_replicas);


/* The planned duration (the workload's, else the failure-free time) and a replica's
 * effective training time ratio (productive over wall-clock). */
double summary_planned_s(const struct summary_scenario *sc);
double summary_ettr(const struct run_result *r);

#endif
