/* cli_run: `trainsim run`: options, replicas in parallel, the summary and the result files
 * (summary.json, replicas.csv, events.csv, timeline.json), written atomically. */
#include "cli_run.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defaults.h"
#include "faults.h"
#include "montecarlo.h"
#include "outdir.h"
#include "power.h"
#include "report.h"
#include "runplan.h"
#include "sha256.h"
#include "summary.h"
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

/* Technicians must exist if any failure needs one, or the run would wait forever. */
bool check_repairable(const struct platform *p, struct ts_error *err)
{
	for (size_t i = 0; i < p->failure_count; i++)
		if (p->failures[i].needs_technician && p->operations.technicians_per_site == 0)
			return error_set(err, p->source, 0, 0, "operations.technicians.per_site is 0 but failure class %s "
					 "needs a technician: nothing would ever be repaired", p->failures[i].name);
	return true;
}

/* Set by SIGINT/SIGTERM during `run`: finish what is done, write it, say so. */
volatile sig_atomic_t stop_requested;

void request_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static long default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

/* A private directory for the workers' per-replica event files, inside the output directory
 * (same file system: the merge then renames nothing across devices). */
static bool events_workdir(const char *out_dir, char *buf, size_t size, struct ts_error *err)
{
	snprintf(buf, size, "%s/.events-XXXXXX", out_dir);
	return mkdtemp(buf) || error_set(err, out_dir, 0, 0, "cannot create a work directory: %s", strerror(errno));
}

static void remove_workdir(const char *dir, long replicas)
{
	char path[4096];
	for (long i = 0; i < replicas; i++) {
		montecarlo_events_path(dir, i, path, sizeof path);
		unlink(path);
	}
	rmdir(dir);
}

struct event_row {
	double time_s;
	size_t order;
	char *text;
};

static int compare_rows(const void *a, const void *b)
{
	const struct event_row *x = a, *y = b;
	if (x->time_s != y->time_s)
		return x->time_s < y->time_s ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* One replica's rows, sorted by time (the job logs its checkpoints once it knows they
 * happened, after rows of other actors with later times), each prefixed by the replica. */
static bool merge_replica(FILE *out, FILE *in, long replica)
{
	struct event_row *rows = NULL;
	size_t count = 0, capacity = 0;
	char *line = NULL;
	size_t size = 0;
	bool ok = true;
	for (bool header = true; getline(&line, &size, in) > 0; header = false) {
		if (header)
			continue;
		if (count == capacity) {
			capacity = capacity ? 2 * capacity : 1024;
			struct event_row *more = realloc(rows, capacity * sizeof *rows);
			if (!(ok = more != NULL))
				break;
			rows = more;
		}
		rows[count] = (struct event_row){strtod(line, NULL), count, strdup(line)};
		if (!(ok = rows[count].text != NULL))
			break;
		count++;
	}
	if (ok)
		qsort(rows, count, sizeof *rows, compare_rows);
	for (size_t i = 0; i < count; i++) {
		if (ok)
			fprintf(out, "%ld,%s", replica, rows[i].text);
		free(rows[i].text);
	}
	free(rows);
	free(line);
	return ok;
}

/* events.csv: every replica's events, in replica order, the replica first on each row. */
static bool merge_events(FILE *out, const char *workdir, const struct mc_result *mc, long replicas,
			 struct ts_error *err)
{
	fprintf(out, "replica,time_s,event,component,index,cause,detail\n");
	char path[4096];
	for (long i = 0; i < replicas && i < mc->count; i++) {
		if (!mc->replicas[i].done)
			continue;
		montecarlo_events_path(workdir, i, path, sizeof path);
		FILE *in = fopen(path, "r");
		if (!in)
			return error_set(err, path, 0, 0, "cannot read: %s", strerror(errno));
		bool ok = merge_replica(out, in, i);
		fclose(in);
		if (!ok)
			return error_set(err, path, 0, 0, "out of memory sorting the events");
	}
	return true;
}

/* timeline.json from the events file just written. */
static bool write_timeline(const char *dir, const char *events_path, const struct summary_scenario *sc,
			   struct ts_error *err)
{
	struct timeline_origin origin = {TRAINSIM_VERSION, sc->platform->name, sc->platform_sha256, sc->workload->name,
					 sc->workload_sha256, sc->overrides ? sc->overrides->items : NULL,
					 sc->overrides ? sc->overrides->count : 0};
	FILE *in = fopen(events_path, "r");
	if (!in)
		return error_set(err, events_path, 0, 0, "cannot read: %s", strerror(errno));
	struct out_file t = {0};
	bool ok = out_open(&t, dir, "timeline.json", err) && timeline_write(in, events_path, t.f, LONG_MAX, &origin, err) &&
		  out_commit(&t, err);
	out_abandon(&t);
	fclose(in);
	return ok;
}

struct run_outputs {
	struct out_file summary, replicas, events;
};

static void outputs_abandon(struct run_outputs *f)
{
	out_abandon(&f->summary);
	out_abandon(&f->replicas);
	out_abandon(&f->events);
}

static bool write_outputs(const struct run_args *a, const char *workdir, const struct summary_scenario *sc,
			  const struct summary *sum, const struct mc_result *mc, struct ts_error *err)
{
	struct run_outputs f = {0};
	bool ok = out_open(&f.summary, a->out_dir, "summary.json", err) &&
		  out_open(&f.replicas, a->out_dir, "replicas.csv", err) && out_open(&f.events, a->out_dir, "events.csv", err);
	if (ok) {
		summary_write_json(f.summary.f, sc, sum);
		summary_write_replicas_csv(f.replicas.f, sc, mc);
		ok = merge_events(f.events.f, workdir, mc, a->events_replicas, err);
	}
	ok = ok && out_commit(&f.summary, err) && out_commit(&f.replicas, err) && out_commit(&f.events, err) &&
	     write_timeline(a->out_dir, f.events.path, sc, err);
	outputs_abandon(&f);
	return ok;
}

static void print_results(const struct run_args *a, const struct summary_scenario *sc, const struct summary *sum,
			  const struct mc_result *mc, const struct overrides *o)
{
	if (a->json) {
		summary_write_json(stdout, sc, sum);
		return;
	}
	if (mc->count == 1 && mc->replicas[0].done) {
		struct run_report r = {sc->platform, sc->workload, &mc->replicas[0].result, sc->plan, a->seed, a->horizon_s, o};
		report_run_text(stdout, &r);
	} else
		summary_write_text(stdout, sc, sum);
}


static int run_and_report(struct cli_session *s, const struct run_args *a, struct summary_scenario *sc,
			  const struct overrides *o, struct point_record *rec, struct ts_error *err)
{
	char workdir[4096] = "";
	if (a->out_dir && (!outdir_ensure(a->out_dir, err) || !events_workdir(a->out_dir, workdir, sizeof workdir, err)))
		return cli_report_error(err);
	struct mc_options mo = {.replicas = a->replicas, .jobs = a->jobs ? a->jobs : default_jobs(), .seed = a->seed,
				.run = {a->seed, a->horizon_s, a->failure_scale, a->failure_log, NULL},
				.events_dir = workdir[0] ? workdir : NULL, .events_replicas = a->events_replicas,
				.progress = !a->quiet && isatty(STDERR_FILENO), .stop = &stop_requested};
	/* after SimGrid is up: its engine installs a SIGINT handler that exits at once */
	signal(SIGINT, request_stop);
	signal(SIGTERM, request_stop);
	struct mc_result mc;
	bool ran = montecarlo_run(s->platform, s->workload, s->cluster, s->steptime, &mo, &mc, err);
	struct step_result step;
	bool ok = steptime_compute(s->steptime, &s->placement, NULL, &step, err); /* cached: no simulation */
	sc->step_time_s = step.step_time_s * power_cap_slowdown(s->platform);
	step.step_time_s = sc->step_time_s;
	sc->plan = runplan_compute(s->platform, s->workload, &step);
	struct summary sum;
	ok = ok && mc.done > 0 && summary_compute(sc, &mc, &sum);
	struct ts_error out_err = {0};
	bool saved = !ok || !a->out_dir || write_outputs(a, workdir, sc, &sum, &mc, &out_err);
	if (workdir[0])
		remove_workdir(workdir, a->replicas);
	if (ok && saved && rec) {
		*rec = (struct point_record){true, mc.interrupted, mc.count, mc.done, sum.wallclock, sum.ettr};
		memcpy(rec->time_s, sum.time_s, sizeof rec->time_s);
		rec->interruptions = sum.interruptions;
		for (long i = 0; i < mc.count; i++)
			rec->gave_up += mc.replicas[i].done && mc.replicas[i].result.gave_up;
	} else if (ok && saved)
		print_results(a, sc, &sum, &mc, o);
	int status = cli_finish_output();
	if (mc.interrupted)
		fprintf(stderr, "trainsim: interrupted: %ld of %ld replicas done%s%s%s\n", mc.done, mc.count,
			a->out_dir && ok && saved ? "; the files in " : "", a->out_dir && ok && saved ? a->out_dir : "",
			a->out_dir && ok && saved ? " cover those" : "");
	if (ok)
		summary_finish(&sum);
	bool interrupted = mc.interrupted;
	montecarlo_result_finish(&mc);
	if (!ran)
		return cli_report_error(err);
	if (!saved)
		return cli_report_error(&out_err);
	if (!ok && interrupted)
		return CLI_INTERRUPTED;
	if (!ok)
		return cli_report_error(err);
	return interrupted ? CLI_INTERRUPTED : status;
}

/* Content hashes of what was read: the files given, or the built-in defaults. */
static bool hash_inputs(const struct run_args *a, struct summary_scenario *sc, struct ts_error *err)
{
	if (a->files[0]) {
		if (!sha256_file_hex(a->files[0], sc->platform_sha256, err) ||
		    !sha256_file_hex(a->files[1], sc->workload_sha256, err))
			return false;
	} else {
		sha256_hex(default_platform_yaml, strlen(default_platform_yaml), sc->platform_sha256);
		sha256_hex(default_workload_yaml, strlen(default_workload_yaml), sc->workload_sha256);
	}
	return !a->failure_log || sha256_file_hex(a->failure_log, sc->failure_log_sha256, err);
}

/* A failure log is read by every replica: check it once, before any starts. */
static bool check_failure_log(const struct platform *p, const char *path, struct ts_error *err)
{
	if (!path)
		return true;
	struct faults f;
	bool ok = faults_init(&f, p, 0, 1) || error_set(err, "", 0, 0, "out of memory");
	ok = ok && faults_load_log(&f, path, err);
	faults_finish(&f);
	return ok;
}

/* Load, simulate and report one scenario (a sweep point fills `rec` instead of printing). */
int run_scenario(const struct run_args *a, const struct overrides *o, struct point_record *rec)
{
	struct ts_error err = {0};
	struct cli_session s = {0};
	bool ok = overrides_check(o, &err) && platform_load(a->files[0], o, &s.platform, &err) &&
		  check_repairable(s.platform, &err) && workload_load(a->files[1], o, s.platform, &s.workload, &err) &&
		  sg_platform_load(s.platform, &s.cluster, &err);
	if (ok && !placement_init(&s.placement, s.platform, s.workload))
		ok = error_set(&err, "", 0, 0, "out of memory placing the job");
	ok = ok && steptime_create(s.platform, s.workload, s.cluster, &s.steptime, &err);
	struct summary_scenario sc = {.platform = s.platform, .workload = s.workload, .overrides = o, .seed = a->seed,
				      .horizon_s = a->horizon_s, .failure_scale = a->failure_scale,
				      .failure_log = a->failure_log};
	ok = ok && hash_inputs(a, &sc, &err) && check_failure_log(s.platform, a->failure_log, &err);
	int status = ok ? run_and_report(&s, a, &sc, o, rec, &err) : cli_report_error(&err);
	cli_session_finish(&s);
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

