/* cli_run: `trainsim run`: options, replicas in parallel, the summary and the result files
 * (summary.json, replicas.csv, events.csv, timeline.json), written atomically. */
#include "cli_run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "events_csv.h"
#include "montecarlo.h"
#include "outdir.h"
#include "report.h"
#include "summary_write.h"
#include "timeline.h"
#include "trainsim_config.h"
#include "units.h"

/* A whole number in [min, max] for option `opt`, or a usage error. */
static int parse_count(const char *opt, const char *v, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (*end || end == v || errno || n < min || n > max)
		return cli_usage_error("run: %s '%s' is not a whole number from %ld to %ld", opt, v, min, max);
	*out = n;
	return CLI_OK;
}

/* The value after option argv[*i], or NULL (usage error printed by the caller). */
static const char *option_value(int argc, char **argv, int *i)
{
	return *i + 1 < argc ? argv[++*i] : NULL;
}

static int parse_run_option(int argc, char **argv, int *i, struct run_args *a)
{
	const char *opt = argv[*i], *v;
	char why[256];
	if (cli_engine_arg(&a->engine_args, opt))
		return CLI_OK;
	if (!strcmp(opt, "--json"))
		a->json = true;
	else if (!strcmp(opt, "--quiet"))
		a->quiet = true;
	else if (!(v = option_value(argc, argv, i)))
		return cli_usage_error("run: %s needs a value", opt);
	else if (!strcmp(opt, "--seed")) {
		char *end;
		errno = 0;
		unsigned long long seed = strtoull(v, &end, 10);
		if (*end || end == v || errno || v[0] == '-')
			return cli_usage_error("run: --seed '%s' is not a whole number from 0", v);
		a->seed = seed;
	} else if (!strcmp(opt, "--horizon")) {
		if (!units_parse(UNIT_TIME, v, &a->horizon_s, why, sizeof why) || a->horizon_s <= 0)
			return cli_usage_error("run: --horizon '%s': %s", v, why[0] ? why : "expected a positive time such as 54d");
	} else if (!strcmp(opt, "--failure-scale")) {
		if (!units_parse(UNIT_COUNT, v, &a->failure_scale, why, sizeof why) || a->failure_scale < 0)
			return cli_usage_error("run: --failure-scale '%s' is not a number of 0 or more", v);
	} else if (!strcmp(opt, "--set")) {
		if (a->set_count == MAX_OVERRIDES)
			return cli_usage_error("run: more than %d --set options", MAX_OVERRIDES);
		a->sets[a->set_count++] = v;
	} else if (!strcmp(opt, "--replicas"))
		return parse_count(opt, v, 1, 10000000, &a->replicas);
	else if (!strcmp(opt, "--jobs"))
		return parse_count(opt, v, 1, 4096, &a->jobs);
	else if (!strcmp(opt, "--events"))
		return parse_count(opt, v, 0, 10000000, &a->events_replicas);
	else if (!strcmp(opt, "--vary")) {
		if (a->vary_count == MAX_VARIES)
			return cli_usage_error("sweep: more than %d --vary options", MAX_VARIES);
		a->varies[a->vary_count++] = v;
	} else if (!strcmp(opt, "--out"))
		a->out_dir = v;
	else if (!strcmp(opt, "--failure-log"))
		a->failure_log = v;
	else
		return cli_usage_error("run: unknown option '%s'", opt);
	return CLI_OK;
}

int parse_run_args(int argc, char **argv, struct run_args *a)
{
	int files = 0;
	a->horizon_s = INFINITY;
	a->failure_scale = 1;
	a->replicas = 1;
	a->events_replicas = 10;
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			int status = parse_run_option(argc, argv, &i, a);
			if (status != CLI_OK)
				return status;
		} else if (files == 2)
			return cli_usage_error("run takes at most 2 files; '%s' is one too many", argv[i]);
		else
			a->files[files++] = argv[i];
	}
	if (files == 1)
		return cli_usage_error("run takes a platform and a workload, or neither");
	return CLI_OK;
}

static long default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

/* A private directory for the workers' per-replica event files, inside the output directory
 * (same file system). */
static bool events_workdir(const char *out_dir, char *buf, size_t size, struct ts_error *err)
{
	snprintf(buf, size, "%s/.events-XXXXXX", out_dir);
	return mkdtemp(buf) || error_set(err, out_dir, 0, 0, "cannot create a work directory: %s", strerror(errno));
}

static void remove_workdir(const char *dir, long replicas)
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

static void show_progress(void *data, long done, long total)
{
	const double *started = data;
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

/* ---- the files ---- */

struct run_outputs {
	struct out_file summary, replicas, events, timeline;
};

static void outputs_abandon(struct run_outputs *f)
{
	out_abandon(&f->summary);
	out_abandon(&f->replicas);
	out_abandon(&f->events);
	out_abandon(&f->timeline);
}

static struct timeline_origin origin_of(const struct scenario *s)
{
	return (struct timeline_origin){TRAINSIM_VERSION, s->platform->name, s->platform_sha256, s->workload->name,
					s->workload_sha256, s->overrides.items, s->overrides.count};
}

/* events.csv and timeline.json: every kept replica's events, in replica order. */
static bool write_events(struct run_outputs *f, const char *workdir, const struct scenario *s,
			 const struct mc_result *mc, long replicas, struct ts_error *err)
{
	struct timeline_origin origin = origin_of(s);
	struct timeline t;
	events_csv_header(f->events.f);
	timeline_begin(&t, f->timeline.f, s->platform, &origin);
	bool ok = true;
	for (long i = 0; ok && i < replicas && i < mc->count; i++) {
		if (!mc->replicas[i].done)
			continue;
		struct event *events;
		size_t count;
		ok = montecarlo_read_events(workdir, i, &events, &count, err);
		if (!ok)
			break;
		events_csv_rows(f->events.f, i, events, count, s->platform);
		ok = timeline_replica(&t, i, events, count) || error_set(err, "", 0, 0, "out of memory writing the timeline");
		free(events);
	}
	timeline_end(&t);
	return ok;
}

static bool write_outputs(const struct run_args *a, const char *workdir, const struct summary_scenario *sc,
			  const struct summary *sum, const struct mc_result *mc, struct ts_error *err)
{
	struct run_outputs f = {0};
	bool ok = out_open(&f.summary, a->out_dir, "summary.json", err) &&
		  out_open(&f.replicas, a->out_dir, "replicas.csv", err) && out_open(&f.events, a->out_dir, "events.csv", err) &&
		  out_open(&f.timeline, a->out_dir, "timeline.json", err);
	if (ok) {
		summary_write_json(f.summary.f, sc, sum);
		summary_write_replicas_csv(f.replicas.f, sc, mc);
		ok = write_events(&f, workdir, sc->scenario, mc, a->events_replicas, err);
	}
	ok = ok && out_commit(&f.summary, err) && out_commit(&f.replicas, err) && out_commit(&f.events, err) &&
	     out_commit(&f.timeline, err);
	outputs_abandon(&f);
	return ok;
}

static void print_results(const struct run_args *a, const struct summary_scenario *sc, const struct summary *sum,
			  const struct mc_result *mc)
{
	if (a->json) {
		summary_write_json(stdout, sc, sum);
		return;
	}
	if (mc->count == 1 && mc->replicas[0].done) {
		const struct scenario *s = sc->scenario;
		struct run_report r = {s->platform, s->workload, &mc->replicas[0].result, sc->plan, a->seed, a->horizon_s};
		report_run_text(stdout, &r);
	} else
		summary_write_text(stdout, sc, sum);
}

static void record_point(const struct mc_result *mc, const struct summary *sum, struct point_record *rec)
{
	*rec = (struct point_record){true, mc->interrupted, mc->count, mc->done, sum->wallclock, sum->ettr};
	memcpy(rec->time_s, sum->time_s, sizeof rec->time_s);
	rec->interruptions = sum->interruptions;
	for (long i = 0; i < mc->count; i++)
		rec->gave_up += mc->replicas[i].done && mc->replicas[i].result.gave_up;
}

static void say_interrupted(const struct run_args *a, const struct mc_result *mc, bool saved)
{
	bool files = a->out_dir && saved;
	fprintf(stderr, "trainsim: interrupted: %ld of %ld replicas done%s%s%s\n", mc->done, mc->count,
		files ? "; the files in " : "", files ? a->out_dir : "", files ? " cover those" : "");
}

static struct mc_options mc_options_of(const struct run_args *a, const char *workdir, double *started)
{
	bool progress = !a->quiet && isatty(STDERR_FILENO);
	return (struct mc_options){.replicas = a->replicas, .jobs = a->jobs ? a->jobs : default_jobs(), .seed = a->seed,
				   .run = {a->seed, a->horizon_s, a->failure_scale, NULL},
				   .events_dir = workdir[0] ? workdir : NULL, .events_replicas = a->events_replicas,
				   .progress = progress ? show_progress : NULL, .progress_data = started,
				   .worker_start = worker_ignores_interrupts, .stop = cli_interrupt_flag()};
}

static int run_and_report(const struct scenario *s, struct engine *e, const struct run_args *a,
			  struct point_record *rec)
{
	struct ts_error err = {0};
	char workdir[4096] = "";
	if (a->out_dir && (!outdir_ensure(a->out_dir, &err) || !events_workdir(a->out_dir, workdir, sizeof workdir, &err)))
		return cli_report_error(&err);
	double started = now_s();
	struct mc_options mo = mc_options_of(a, workdir, &started);
	/* after SimGrid is up: its engine installs a SIGINT handler that exits at once */
	cli_catch_interrupts();
	struct mc_result mc;
	bool ran = montecarlo_run(s, e, &mo, &mc, &err);
	if (mo.progress)
		fprintf(stderr, "\r%*s\r", 72, "");
	struct summary_scenario sc = {.scenario = s, .seed = a->seed, .horizon_s = a->horizon_s,
				      .failure_scale = a->failure_scale, .plan = e->plan, .step_time_s = e->run_step_s};
	struct summary sum;
	bool ok = mc.done > 0 && summary_compute(&sc, &mc, &sum);
	struct ts_error out_err = {0};
	bool saved = !ok || !a->out_dir || write_outputs(a, workdir, &sc, &sum, &mc, &out_err);
	if (workdir[0])
		remove_workdir(workdir, a->replicas);
	if (ok && saved && rec)
		record_point(&mc, &sum, rec);
	else if (ok && saved)
		print_results(a, &sc, &sum, &mc);
	int status = cli_finish_output();
	if (mc.interrupted)
		say_interrupted(a, &mc, ok && saved);
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
	if (!cli_open(&spec, &a->engine_args, &s, &e, &status))
		return status;
	status = run_and_report(s, e, a, rec);
	engine_destroy(e);
	scenario_destroy(s);
	return status;
}

int cli_run(int argc, char **argv)
{
	struct run_args a = {0};
	int status = parse_run_args(argc, argv, &a);
	if (status != CLI_OK)
		return status;
	if (a.vary_count)
		return cli_usage_error("run: --vary belongs to trainsim sweep");
	struct overrides o = {a.sets, a.set_count};
	return run_scenario(&a, &o, NULL);
}
