/* cli_run: `trainsim run` and what `sweep` reuses of it: its options and one scenario run
 * end to end (load, replicas, summary, files). */
#ifndef TRAINSIM_CLI_RUN_H
#define TRAINSIM_CLI_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "overrides.h"
#include "runsim.h"
#include "stats.h"

#define MAX_OVERRIDES 256
#define MAX_VARIES 8

struct run_args {
	const char *files[2];
	uint64_t seed;
	double horizon_s;
	double failure_scale;
	const char *failure_log;
	const char *out_dir;
	bool json;
	bool quiet;
	long replicas;
	long jobs;             /* 0: one per core */
	long events_replicas;  /* events.csv covers replicas below this */
	const char *sets[MAX_OVERRIDES];
	size_t set_count;
	const char *varies[MAX_VARIES]; /* sweep: KEY=V1,V2,... */
	size_t vary_count;
	struct cli_engine_args engine_args; /* --log=..., --cfg=... for SimGrid */
};

/* What a scenario run sends back to a sweep (its summary, flat). */
struct point_record {
	bool ok, interrupted;
	long replicas, done;
	struct stats wallclock, ettr;
	double time_s[TIME_CATEGORY_COUNT];
	double interruptions;
	long gave_up;          /* replicas that gave up (see run_result.gave_up) */
};

int parse_run_args(int argc, char **argv, struct run_args *a);
/* Load, simulate and report one scenario (a sweep point fills `rec` instead of printing). */
int run_scenario(const struct run_args *a, const struct overrides *o, struct point_record *rec);

#endif
