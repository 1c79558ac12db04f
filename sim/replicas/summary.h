/* summary: what a set of replicas says about the run: the distribution of wall-clock,
 * finish date and ETTR, the mean breakdown of where the time went and of interruptions by
 * cause, written as text, summary.json (versioned schema) and replicas.csv. */
#ifndef TRAINSIM_SUMMARY_H
#define TRAINSIM_SUMMARY_H

#include <stdio.h>

#include "montecarlo.h"
#include "runplan.h"
#include "stats.h"

/* summary.json's schema; bump on any change a reader could notice (platforms/README.md and
 * README.md document it). */
#define SUMMARY_SCHEMA "trainsim-summary"
#define SUMMARY_SCHEMA_VERSION 1

/* Where the replicas came from: enough to tell two summaries' scenarios apart. */
struct summary_scenario {
	const struct platform *platform;
	const struct workload *workload;
	char platform_sha256[65], workload_sha256[65], failure_log_sha256[65];
	const struct overrides *overrides;
	uint64_t seed;
	double horizon_s;          /* INFINITY: none */
	double failure_scale;
	const char *failure_log;   /* or NULL */
	struct run_plan_figures plan;
	double step_time_s;
};

struct summary {
	long replicas, done, finished, gave_up;
	bool interrupted;
	struct stats wallclock, ettr, slip, finish_epoch;
	double time_s[TIME_CATEGORY_COUNT]; /* means */
	double interruptions, failures, tickets, spare_swaps, checkpoints, energy_mwh;
	double *by_class;                   /* mean interruptions per failure class */
};

bool summary_compute(const struct summary_scenario *sc, const struct mc_result *mc, struct summary *out);
void summary_finish(struct summary *s);

void summary_write_json(FILE *out, const struct summary_scenario *sc, const struct summary *s);
/* One row per replica done. */
void summary_write_replicas_csv(FILE *out, const struct summary_scenario *sc, const struct mc_result *mc);
/* The distribution for people (several replicas; one replica uses report_run_text). */
void summary_write_text(FILE *out, const struct summary_scenario *sc, const struct summary *s);

/* Energy of one replica: the job's nodes busy while training (kept, lost or slowed), idle
 * otherwise. */
double summary_energy_mwh(const struct platform *p, const struct workload *w, const struct run_result *r);

#endif
