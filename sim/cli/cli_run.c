/* cli_run: `trainsim run`: options, replicas in parallel, the summary and the result files
 * (summary.json, replicas.csv, events.csv, timeline.json), written atomically. */
#include "cli_run.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "cli_files.h"
#include "cli_mpi.h"
#include "cli_slice.h"
#include "montecarlo.h"
#include "outdir.h"
#include "report.h"
#include "summary_write.h"
#include "trainsim_config.h"
#include "units.h"

/* ---- options ---- */

#define A(args) ((struct run_args *)(args))

bool run_take_seed(void *args, const char *v, char *why, size_t size)
{
	char *end;
	errno = 0;
	unsigned long long seed = strtoull(v, &end, 10);
	if (*end || end == v || errno || v[0] == '-') {
		snprintf(why, size, "'%s' is not a whole number from 0 to %llu", v, ULLONG_MAX);
		return false;
	}
	A(args)->seed = seed;
	return true;
}

bool run_take_horizon(void *args, const char *v, char *why, size_t size)
{
	char reason[256];
	double t;
	if (!units_parse(UNIT_TIME, v, &t, reason, sizeof reason)) {
		snprintf(why, size, "%s", reason);
		return false;
	}
	if (!(t > 0)) {
		snprintf(why, size, "'%s' is not a positive time; expected a duration such as 54d", v);
		return false;
	}
	A(args)->horizon_s = t;
	return true;
}

bool run_take_failure_scale(void *args, const char *v, char *why, size_t size)
{
	char reason[256];
	double x;
	if (!units_parse(UNIT_COUNT, v, &x, reason, sizeof reason) || !(x >= 0) || !isfinite(x)) {
		snprintf(why, size, "'%s' is not a number of 0 or more", v);
		return false;
	}
	A(args)->failure_scale = x;
	return true;
}

bool run_take_replicas(void *args, const char *v, char *why, size_t size)
{
	return cli_parse_long(v, 1, 10000000, &A(args)->replicas, why, size);
}

bool run_take_jobs(void *args, const char *v, char *why, size_t size)
{
	return cli_parse_long(v, 1, 4096, &A(args)->jobs, why, size);
}

static bool take_events(void *args, const char *v, char *why, size_t size)
{
	return cli_parse_long(v, 0, 10000000, &A(args)->events_replicas, why, size);
}

bool run_take_max_events(void *args, const char *v, char *why, size_t size)
{
	return cli_parse_long(v, 1000, 2000000000, &A(args)->max_events, why, size);
}

static bool take_shard(void *args, const char *v, char *why, size_t size)
{
	long k, n;
	char slash;
	int used = 0;
	if (sscanf(v, "%ld%c%ld%n", &k, &slash, &n, &used) != 3 || slash != '/' || v[used] || n < 1 || n > 100000 || k < 0 ||
	    k >= n) {
		snprintf(why, size, "'%s' is not K/N with 0 <= K < N, such as 0/8", v);
		return false;
	}
	A(args)->shard = k;
	A(args)->shards = n;
	return true;
}

bool run_take_out(void *args, const char *v, char *why, size_t size)
{
	if (!v[0]) {
		snprintf(why, size, "is empty; expected a directory");
		return false;
	}
	A(args)->out_dir = v;
	return true;
}

bool run_take_failure_log(void *args, const char *v, char *why, size_t size)
{
	(void)why, (void)size;
	A(args)->failure_log = v;
	return true;
}

static bool take_all_events(void *args, const char *v, char *why, size_t size)
{
	(void)v, (void)why, (void)size;
	A(args)->all_events = true;
	return true;
}

bool run_take_json(void *args, const char *v, char *why, size_t size)
{
	(void)v, (void)why, (void)size;
	A(args)->json = true;
	return true;
}

bool run_take_quiet(void *args, const char *v, char *why, size_t size)
{
	(void)v, (void)why, (void)size;
	A(args)->quiet = true;
	return true;
}

bool run_take_progress(void *args, const char *v, char *why, size_t size)
{
	(void)v, (void)why, (void)size;
	A(args)->progress = true;
	return true;
}

const struct cli_option cli_run_options[] = {
	{"seed", 's', "N", "seed of the first replica; replica i uses N + i (default 0)", run_take_seed},
	{"horizon", 0, "DURATION", "stop each replica at this time, e.g. 54d (default: the end of training)",
	 run_take_horizon},
	{"replicas", 'n', "N", "independent replicas for the distribution (default 1)", run_take_replicas},
	{"jobs", 'j', "J", "worker processes at once (default: one per core); results do not depend on it", run_take_jobs},
	{"out", 'o', "DIR", "write summary.json, replicas.csv, events.csv and timeline.json into DIR", run_take_out},
	{"events", 0, "N", "events.csv and timeline.json cover the first N replicas (default 10)", take_events},
	{"all-events", 0, NULL, "events.csv also lists every checkpoint save (most rows of a long run)", take_all_events},
	{"json", 0, NULL, "print the summary as JSON (summary.json's schema) instead of text", run_take_json},
	{"quiet", 'q', NULL, "no progress on stderr", run_take_quiet},
	{"progress", 0, NULL, "progress lines on stderr even when it is not a terminal", run_take_progress},
	{"failure-scale", 0, "X", "multiply every failure rate by X (0: no failures)", run_take_failure_scale},
	{"failure-log", 0, "CSV", "replay time,component,cause rows instead of drawing failures", run_take_failure_log},
	{"max-events", 0, "N", "a replica stops (and says so) after N events (default 5,000,000)", run_take_max_events},
	{"shard", 0, "K/N", "run only slice K of N of the replicas, into --out for trainsim merge", take_shard},
	{0},
};

/* The options that mean the same for every command that runs replicas on the same seeds and
 * reports one answer (explain, plan, sensitivity). */
const struct cli_option cli_replica_options[] = {
	{"jobs", 'j', "J", "worker processes at once (default: one per core); results do not depend on it", run_take_jobs},
	{"failure-scale", 0, "X", "multiply every failure rate by X", run_take_failure_scale},
	{"failure-log", 0, "CSV", "replay time,component,cause rows instead of drawing failures", run_take_failure_log},
	{"max-events", 0, "N", "a replica stops (and is counted unfinished) after N events (default 5,000,000)",
	 run_take_max_events},
	{"quiet", 'q', NULL, "no progress on stderr", run_take_quiet},
	{"progress", 0, NULL, "progress lines on stderr even when it is not a terminal", run_take_progress},
	{0},
};

void run_args_init(struct run_args *a)
{
	*a = (struct run_args){.horizon_s = INFINITY, .failure_scale = 1, .replicas = 1, .events_replicas = 10};
}

int run_args_files(const struct cli_command *cmd, struct run_args *a, const char **files, int count)
{
	if (count == 1)
		return cli_command_error(cmd, stderr, "takes a platform and a workload, or neither (the built-in "
					 "Llama 3 405B on its 16,384-GPU cluster)");
	if (a->shards && !a->out_dir)
		return cli_command_error(cmd, stderr, "--shard needs --out DIR: the slice is written there for trainsim "
					 "merge");
	a->files[0] = count ? files[0] : NULL;
	a->files[1] = count ? files[1] : NULL;
	return CLI_OK;
}

static long default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

bool run_workdir(const char *parent, char *buf, size_t size, struct ts_error *err)
{
	int n = snprintf(buf, size, "%s/.trainsim-events-XXXXXX", parent);
	if (n < 0 || (size_t)n >= size)
		return error_set(err, parent, 0, 0, "the output directory's path is too long (%d characters)", n);
	return mkdtemp(buf) || error_set(err, parent, 0, 0, "cannot create a work directory: %s", strerror(errno));
}

void run_remove_workdir(const char *dir, long replicas)
{
	char path[4096];
	for (long i = 0; i < replicas; i++)
		if (montecarlo_events_path(dir, i, path, sizeof path))
			unlink(path);
	rmdir(dir);
}

/* ---- the progress bar: "[=======>     ] 57/200 replicas, ETA 0:42" on one line of stderr ---- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

struct progress {
	double started, last;
	bool terminal;       /* a bar redrawn in place; else a line now and then */
};

/* "12/200 replicas, ETA 0:42" as a line: at the first replica, then at most once a second. */
static void progress_line(struct progress *pg, long done, long total)
{
	double now = now_s();
	if (done > 1 && done < total && now - pg->last < 1)
		return;
	pg->last = now;
	double eta = (now - pg->started) * (double)(total - done) / (double)done;
	fprintf(stderr, "progress: %ld/%ld replicas, ETA %ld:%02ld\n", done, total, (long)eta / 60, (long)eta % 60);
}

static void show_progress(void *data, long done, long total)
{
	struct progress *pg = data;
	if (!pg->terminal) {
		progress_line(pg, done, total);
		return;
	}
	const double *started = &pg->started;
	int width = 30, filled = (int)(width * done / (total ? total : 1));
	double elapsed = now_s() - *started;
	double eta = done ? elapsed * (double)(total - done) / (double)done : NAN;
	char bar[64];
	for (int i = 0; i < width; i++)
		bar[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
	bar[width] = '\0';
	if (isnan(eta))
		fprintf(stderr, "\r[%s] %ld/%ld replicas", bar, done, total);
	else
		fprintf(stderr, "\r[%s] %ld/%ld replicas, ETA %ld:%02ld ", bar, done, total, (long)eta / 60, (long)eta % 60);
	fflush(stderr);
}

/* In each worker: the parent decides what an interrupt stops. */
static void worker_ignores_interrupts(void)
{
	signal(SIGINT, SIG_IGN);
}

static void record_point(const struct summary_scenario *sc, const struct mc_result *mc, const struct summary *sum,
			 struct point_record *rec)
{
	*rec = (struct point_record){true, mc->interrupted, mc->count, mc->done, sum->wallclock, sum->ettr};
	memcpy(rec->time_s, sum->time_s, sizeof rec->time_s);
	rec->interruptions = sum->interruptions;
	for (long i = 0; i < mc->count; i++)
		rec->gave_up += mc->replicas[i].done && mc->replicas[i].result.gave_up;
	rec->has_cost = sum->cost.present;
	rec->cost = sum->cost.total;
	rec->cost_slip = sum->cost.slip;
	rec->failure_free_s = sc->plan.failure_free_s;
}

static struct mc_options mc_options_of(const struct run_args *a, const char *workdir, struct progress *pg)
{
	pg->terminal = isatty(STDERR_FILENO);
	bool progress = !a->quiet && (pg->terminal || a->progress);
	long first = 0, count = a->replicas;
	if (a->shards)
		montecarlo_slice(a->replicas, a->shard, a->shards, &first, &count);
	return (struct mc_options){.replicas = a->replicas, .first = first, .count = count, .jobs = a->jobs ? a->jobs : default_jobs(), .seed = a->seed,
				   .run = {.seed = a->seed, .horizon_s = a->horizon_s, .failure_scale = a->failure_scale,
					   .max_events = a->max_events},
				   .events_dir = workdir[0] ? workdir : NULL, .events_replicas = a->events_replicas,
				   .progress = progress ? show_progress : NULL, .progress_data = pg,
				   .worker_start = worker_ignores_interrupts, .stop = cli_interrupt_flag()};
}

bool run_replicas(const struct scenario *s, struct engine *e, const struct run_args *a, const char *workdir,
		  struct summary_scenario *sc, struct mc_result *mc, struct ts_error *err)
{
	struct progress pg = {.started = now_s()};
	struct mc_options mo = mc_options_of(a, workdir, &pg);
	bool ran = montecarlo_run(s, e, &mo, mc, err);
	if (mo.progress && pg.terminal)
		fprintf(stderr, "\r%*s\r", 72, "");
	*sc = (struct summary_scenario){.scenario = s, .seed = a->seed, .horizon_s = a->horizon_s,
					.failure_scale = a->failure_scale, .plan = e->plan, .step_time_s = e->run_step_s};
	summary_run_id(sc, a->replicas, a->max_events, a->events_replicas);
	return ran;
}

static int run_and_report(const struct scenario *s, struct engine *e, const struct run_args *a,
			  struct point_record *rec)
{
	struct ts_error err = {0};
	char workdir[4096] = "";
	if (a->out_dir && (!outdir_ensure(a->out_dir, &err) || !run_workdir(a->out_dir, workdir, sizeof workdir, &err)))
		return cli_report_error(&err);
	struct mc_result mc;
	struct summary_scenario sc;
	bool ran = run_replicas(s, e, a, workdir, &sc, &mc, &err);
	struct summary sum;
	bool ok = mc.done > 0 && summary_compute(&sc, &mc, &sum);
	struct ts_error out_err = {0};
	struct events_source src = cli_events_in_dir(workdir);
	bool saved = !ok || !a->out_dir ||
		     cli_write_outputs(a->out_dir, &sc, &sum, &mc, a->events_replicas, a->all_events, &src, &out_err);
	if (workdir[0])
		run_remove_workdir(workdir, a->replicas);
	if (ok && saved && rec)
		record_point(&sc, &mc, &sum, rec);
	else if (ok && saved)
		cli_print_results(a->json, &sc, &sum, &mc);
	int status = cli_finish_output();
	if (mc.interrupted)
		cli_say_interrupted(&mc, ok && saved ? a->out_dir : NULL);
	if (ok)
		summary_finish(&sum);
	bool interrupted = mc.interrupted;
	montecarlo_result_finish(&mc);
	if (!ran)
		return cli_report_error(&err);
	if (!saved)
		return cli_report_error(&out_err);
	if (!ok && interrupted)
		return CLI_INTERRUPTED;
	if (!ok)
		return cli_report_error(&err);
	return interrupted ? CLI_INTERRUPTED : status;
}

/* Load, simulate and report one scenario (a sweep point fills `rec` instead of printing). */
int run_scenario(const struct run_args *a, const struct overrides *o, struct point_record *rec)
{
	struct scenario_spec spec = {.platform = {.path = a->files[0]}, .workload = {.path = a->files[1]},
				     .overrides = *o, .failure_log = a->failure_log, .for_run = true};
	struct scenario *s;
	struct engine *e;
	int status;
	if (!rec && a->shards)
		return run_shard(a, o);
	if (!rec && cli_mpi_size() > 1)
		return run_over_ranks(a, o);
	if (!cli_open(&spec, &a->common, &s, &e, &status))
		return status;
	status = run_and_report(s, e, a, rec);
	engine_destroy(e);
	scenario_destroy(s);
	return status;
}

static const struct cli_option *const run_tables[] = {cli_run_options, cli_scenario_options, NULL};

const struct cli_command cli_run_command = {
	"run", "[PLATFORM WORKLOAD] [options]",
	"simulate the whole run with failures, repairs and power: wall-clock, slip, where the time went",
	"Replays the whole training run of WORKLOAD on PLATFORM (no files: Llama 3 405B on its\n"
	"16,384-GPU cluster) in SimGrid, with failures, repair crews, spare parts, restarts and power\n"
	"events, and reports the estimated wall-clock, finish date, slip, ETTR and where the time went.\n"
	"With --replicas N it reports the distribution over N replicas run in parallel processes.",
	run_tables, 0, 2, "takes a platform and a workload, or neither",
};

int cli_run(int argc, char **argv)
{
	struct run_args a;
	run_args_init(&a);
	const char *files[2];
	int count;
	int status = cli_parse(&cli_run_command, argc, argv, &a, files, &count, stdout, stderr);
	if (status == CLI_PARSE_HELP)
		return cli_finish_output();
	if (status == CLI_OK)
		status = run_args_files(&cli_run_command, &a, files, count);
	if (status != CLI_OK)
		return status;
	struct overrides o = cli_overrides(&a.common);
	return run_scenario(&a, &o, NULL);
}
