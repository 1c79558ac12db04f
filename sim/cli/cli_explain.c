/* cli_explain: `trainsim explain`: which cause cost how many days. Loads the scenario once,
 * runs every configuration of the cause groups on the same replicas (replicas/explain.c),
 * prints the waterfall (or JSON) and writes explain.json atomically. Takes run's options
 * where they mean the same; a slice of it (--shard) would not hold every configuration. */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_run.h"
#include "explain.h"
#include "explain_report.h"
#include "outdir.h"

#define DEFAULT_REPLICAS 10
#define DEFAULT_MAX_GROUPS 10

struct explain_args {
	struct run_args run;      /* first: run's handlers take it (and its first member, --set, --log, --cfg) */
	long max_groups;
};

/* ---- options: run's handlers (run_take_*) where they mean the same ---- */

static bool take_max_groups(void *args, const char *v, char *why, size_t size)
{
	return cli_parse_long(v, 1, 1000, &((struct explain_args *)args)->max_groups, why, size);
}

static bool refuse_shard(void *args, const char *v, char *why, size_t size)
{
	(void)args, (void)v;
	snprintf(why, size, "explain compares every configuration on the same replicas in one process; it cannot be "
		 "sliced (run it whole; --jobs spreads it over the cores)");
	return false;
}

static const struct cli_option explain_options[] = {
	{"seed", 's', "N", "seed of the first replica; replica i uses N + i in every configuration (default 0)",
	 run_take_seed},
	{"replicas", 'n', "N", "replicas per configuration (default 10)", run_take_replicas},
	{"max-groups", 0, "K", "at most K cause groups; the smallest failure groups are merged into 'other failures' "
	 "(default 10)", take_max_groups},
	{"json", 0, NULL, "print explain.json's content instead of text", run_take_json},
	{"out", 'o', "DIR", "write explain.json into DIR", run_take_out},
	{"horizon", 0, "DURATION", "stop each replica at this time; replicas that do not finish are left out and "
	 "counted (default: the give-up point)", run_take_horizon},
	{"shard", 0, "K/N", "refused: explain cannot be sliced", refuse_shard},
	{0},
};

static const struct cli_option *const explain_tables[] = {explain_options, cli_replica_options, cli_scenario_options, NULL};

const struct cli_command cli_explain_command = {
	"explain", "[PLATFORM WORKLOAD] [options]",
	"which cause cost how many days: the slip split among causes, with intervals",
	"Splits the slip of the estimate over the failure-free time among cause groups (each failure\n"
	"class, power, degraded links, technicians, parts, checkpoints, bring-up) from counterfactual\n"
	"replicas: the same seeds with a cause removed, and with it alone. Prints a waterfall from the\n"
	"failure-free time to the estimate with 95% intervals; the parts add up to the slip. Runs\n"
	"2K + 2 configurations of the replicas for K groups (no files: Llama 3 405B on its cluster).",
	explain_tables, 0, 2, "takes a platform and a workload, or neither",
};

/* ---- progress: "[3/28 without gpu] 12/20 replicas" ---- */

struct progress {
	const struct explain_groups *groups;
	bool terminal;
	double started_s;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* On a terminal, redrawn in place; else one line per configuration done. */
static void show_progress(void *data, size_t config, size_t configs, long done, long total)
{
	struct progress *pg = data;
	char label[128], of[32] = "";
	if (!pg->terminal && done < total)
		return;
	if (configs)
		snprintf(of, sizeof of, "/%zu", configs);
	explain_config_label(pg->groups, config, label, sizeof label);
	double elapsed = now_s() - pg->started_s;
	fprintf(stderr, "%sconfiguration %zu%s (%s): %ld/%ld replicas, %ld:%02ld elapsed%s",
		pg->terminal ? "\r" : "progress: ", config + 1, of, label, done, total, (long)elapsed / 60,
		(long)elapsed % 60, pg->terminal ? "   " : "\n");
	fflush(stderr);
}

/* In each worker: the parent decides what an interrupt stops. */
static void worker_ignores_interrupts(void)
{
	signal(SIGINT, SIG_IGN);
}

static long default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

static struct explain_options options_of(const struct explain_args *a, struct progress *pg)
{
	const struct run_args *r = &a->run;
	pg->terminal = isatty(STDERR_FILENO);
	bool progress = !r->quiet && (pg->terminal || r->progress);
	return (struct explain_options){
		.mc = {.replicas = r->replicas, .first = 0, .count = r->replicas, .jobs = r->jobs ? r->jobs : default_jobs(),
		       .seed = r->seed,
		       .run = {.seed = r->seed, .horizon_s = r->horizon_s, .failure_scale = r->failure_scale,
			       .max_events = r->max_events},
		       .worker_start = worker_ignores_interrupts, .stop = cli_interrupt_flag()},
		.max_groups = a->max_groups, .progress = progress ? show_progress : NULL, .progress_data = pg};
}

/* ---- the answer ---- */

static bool write_file(const char *dir, const struct explain_report *rep, struct ts_error *err)
{
	struct out_file f;
	if (!outdir_ensure(dir, err) || !out_open(&f, dir, "explain.json", err))
		return false;
	explain_write_json(f.f, rep);
	return out_commit(&f, err);
}

static int report(const struct scenario *s, const struct engine *e, const struct explain_args *a,
		  const struct explain_groups *g, const struct explain_result *res)
{
	const struct run_args *r = &a->run;
	struct summary_scenario sc = {.scenario = s, .seed = r->seed, .horizon_s = r->horizon_s,
				      .failure_scale = r->failure_scale, .plan = e->plan, .step_time_s = e->run_step_s};
	summary_run_id(&sc, r->replicas, r->max_events, 0);
	explain_run_id(sc.run_id, a->max_groups, sc.run_id);
	struct explain_report rep = {&sc, g, res, a->max_groups};
	struct ts_error err = {0};
	if (r->out_dir && !write_file(r->out_dir, &rep, &err))
		return cli_report_error(&err);
	if (r->json)
		explain_write_json(stdout, &rep);
	else
		explain_write_text(stdout, &rep);
	return cli_finish_output();
}

/* An error of no file (a replica, the group limit) names the command, as option errors do. */
static int report_failure(const struct ts_error *err)
{
	if (err->file[0])
		return cli_report_error(err);
	fprintf(stderr, "trainsim explain: %s\n", err->message);
	return CLI_BAD_INPUT;
}

static int explain_scenario(const struct scenario *s, struct engine *e, const struct explain_args *a)
{
	struct progress pg = {.started_s = now_s()};
	struct explain_options o = options_of(a, &pg);
	struct explain_groups g;
	struct explain_result res;
	struct ts_error err = {0};
	pg.groups = &g;
	bool ok = explain_run(s, e, &o, &g, &res, &err);
	if (o.progress && pg.terminal)
		fprintf(stderr, "\r%*s\r", 100, "");
	int status;
	if (!ok)
		status = report_failure(&err);
	else if (res.interrupted) {
		fprintf(stderr, "trainsim explain: interrupted: nothing to report (the attribution needs every "
				"configuration)\n");
		status = CLI_INTERRUPTED;
	} else
		status = report(s, e, a, &g, &res);
	explain_result_finish(&res);
	explain_groups_finish(&g);
	return status;
}

int cli_explain(int argc, char **argv)
{
	struct explain_args a;
	run_args_init(&a.run);
	a.run.replicas = DEFAULT_REPLICAS;
	a.max_groups = DEFAULT_MAX_GROUPS;
	const char *files[2];
	int count;
	int status = cli_parse(&cli_explain_command, argc, argv, &a, files, &count, stdout, stderr);
	if (status == CLI_PARSE_HELP)
		return cli_finish_output();
	if (status == CLI_OK)
		status = run_args_files(&cli_explain_command, &a.run, files, count);
	if (status != CLI_OK)
		return status;
	struct overrides o = cli_overrides(&a.run.common);
	struct scenario_spec spec = {.platform = {.path = a.run.files[0]}, .workload = {.path = a.run.files[1]},
				     .overrides = o, .failure_log = a.run.failure_log, .for_run = true};
	struct scenario *s;
	struct engine *e;
	if (!cli_open(&spec, &a.run.common, &s, NULL, &status))
		return status;
	struct ts_error err = {0};
	if (!explain_check_limit(s, a.run.failure_scale, a.max_groups, &err))
		status = report_failure(&err);
	else if (cli_open_engine(s, &a.run.common, &e, &status)) {
		status = explain_scenario(s, e, &a);
		engine_destroy(e);
	}
	scenario_destroy(s);
	return status;
}

