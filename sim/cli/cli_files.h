/* cli_files: a run's result files (summary.json, replicas.csv, events.csv, timeline.json)
 * written as one set from the replicas' outcomes and their typed events, wherever the events
 * come from: the workers of this process, the shards of a batch-array job, or MPI ranks. */
#ifndef TRAINSIM_CLI_FILES_H
#define TRAINSIM_CLI_FILES_H

#include <stdbool.h>

#include "error.h"
#include "events.h"
#include "montecarlo.h"
#include "summary.h"

/* Every file a run's set may hold (NULL-terminated). */
extern const char *const cli_run_set[];

/* Where replica i's events are: *events (malloc'd, the caller frees) and *count. */
struct events_source {
	bool (*read)(void *data, long replica, struct event **events, size_t *count, struct ts_error *err);
	void *data;
};

/* Events that the workers of this process kept under `dir`. */
struct events_source cli_events_in_dir(const char *dir);

/* Write the run's set into out_dir: the whole new set or, after any error, the old one. */
bool cli_write_outputs(const char *out_dir, const struct summary_scenario *sc, const struct summary *sum,
		       const struct mc_result *mc, long events_replicas, bool all_events, const struct events_source *src,
		       struct ts_error *err);

/* The run's summary on stdout: JSON, one replica's full report, or the distribution. */
void cli_print_results(bool json, const struct summary_scenario *sc, const struct summary *sum,
		       const struct mc_result *mc);

/* On stderr: how many replicas an interrupt left done, and whether out_dir (NULL: none) holds them. */
void cli_say_interrupted(const struct mc_result *mc, const char *out_dir);

#endif
