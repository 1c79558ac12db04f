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
#include "summary.h"
#include "montecarlo.h"

#define MAX_VARIES 8

struct run_args {
	struct cli_scenario_args common;  /* first: --set, --log, --cfg */
	const char *files[2];
	uint64_t seed;
	double horizon_s;
	double failure_scale;
	const char *failure_log;
	const char *out_dir;
	bool json;
	bool quiet;
	bool progress;         /* progress lines on stderr even when it is not a terminal */
	bool all_events;       /* events.csv with every checkpoint save */
	long replicas;
	long jobs;             /* 0: one per core */
	long events_replicas;  /* events.csv covers replicas below this */
	long max_events;       /* each replica's work bound (0: the default) */
	long shard, shards;    /* --shard K/N: run slice K of N and write it for trainsim merge (N 0: no) */
	const char *varies[MAX_VARIES]; /* sweep: KEY=V1,V2,... */
	size_t vary_count;
};

/* What a scenario run sends back to a sweep (its summary, flat: sweep shards and MPI write it
 * raw, so it holds no pointers). */
struct point_record {
	bool ok, interrupted;
	long replicas, done;
	struct stats wallclock, ettr;
	double time_s[TIME_CATEGORY_COUNT];
	double interruptions;
	long gave_up;          /* replicas that gave up (see run_result.gave_up) */
	bool has_cost;         /* the platform has a costs section: the figures below are set */
	struct stats cost, cost_slip; /* US dollars, over the replicas that finished */
	double failure_free_s; /* the plan's failure-free wall-clock (plan names it when a deadline is below it) */
};

/* The options of `run` (and of every command that runs replicas: sweep, ...). */
extern const struct cli_option cli_run_options[];
/* The options explain, plan and sensitivity share with one meaning (jobs, failure-scale,
 * failure-log, max-events, quiet, progress): a second table of theirs. */
extern const struct cli_option cli_replica_options[];

/* run's option handlers, for the commands that take the same options (explain, plan,
 * sensitivity): args is a struct run_args, or a struct that starts with one. */
bool run_take_seed(void *args, const char *v, char *why, size_t size);
bool run_take_horizon(void *args, const char *v, char *why, size_t size);
bool run_take_failure_scale(void *args, const char *v, char *why, size_t size);
bool run_take_replicas(void *args, const char *v, char *why, size_t size);
bool run_take_jobs(void *args, const char *v, char *why, size_t size);
bool run_take_max_events(void *args, const char *v, char *why, size_t size);
bool run_take_out(void *args, const char *v, char *why, size_t size);
bool run_take_failure_log(void *args, const char *v, char *why, size_t size);
bool run_take_json(void *args, const char *v, char *why, size_t size);
bool run_take_quiet(void *args, const char *v, char *why, size_t size);
bool run_take_progress(void *args, const char *v, char *why, size_t size);

/* Defaults before parsing; after it, the positional files (none or two). */
void run_args_init(struct run_args *a);
int run_args_files(const struct cli_command *cmd, struct run_args *a, const char **files, int count);
/* A private directory for the workers' per-replica event files under `parent` (buf[size]). */
bool run_workdir(const char *parent, char *buf, size_t size, struct ts_error *err);
void run_remove_workdir(const char *dir, long replicas);

/* The replicas of a's slice (all of them when a->shards is 0) simulated into *mc, with progress
 * on stderr as asked; *sc says what was run; kept events go into workdir ("": none). */
bool run_replicas(const struct scenario *s, struct engine *e, const struct run_args *a, const char *workdir,
		  struct summary_scenario *sc, struct mc_result *mc, struct ts_error *err);

/* Load, simulate and report one scenario (a sweep point fills `rec` instead of printing). */
int run_scenario(const struct run_args *a, const struct overrides *o, struct point_record *rec);

/* One point (of a sweep, plan or sensitivity) run by run_scenario in a child process (SimGrid
 * loads one platform per process), quietly unless a->progress, its files in point_dir (NULL:
 * none). An interrupt is passed on to the child, which stops and says so in rec->interrupted.
 * false when it failed (*status: the child's exit status). */
bool run_point(const struct run_args *a, const struct overrides *o, const char *point_dir, struct point_record *rec,
	       int *status);

#endif
