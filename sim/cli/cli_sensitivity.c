/* cli_sensitivity: `trainsim sensitivity`: the baseline and each key at a low and a high value,
 * one at a time, every point a sweep point (run_point) on the same seeds, as a tornado table
 * and sensitivity.json. The default keys come from the platform document
 * (replicas/sensitivity.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "outdir.h"
#include "sensitivity.h"
#include "sensitivity_report.h"

#define DEFAULT_REPLICAS 10

struct sensitivity_args {
	struct run_args run;      /* first: run's handlers take it (and its first member, --set, --log, --cfg) */
	struct sensitivity_key keys[SENSITIVITY_MAX_KEYS];
	size_t key_count;
};

/* ---- options: run's handlers (run_take_*) where they mean the same ---- */


static bool take_key(void *args, const char *v, char *why, size_t size)
{
	struct sensitivity_args *a = args;
	if (a->key_count == SENSITIVITY_MAX_KEYS) {
		snprintf(why, size, "is given more than %d times", SENSITIVITY_MAX_KEYS);
		return false;
	}
	return sensitivity_key_parse(v, &a->keys[a->key_count++], why, size);
}

static bool refuse_shard(void *args, const char *v, char *why, size_t size)
{
	(void)args, (void)v;
	snprintf(why, size, "sensitivity compares every point on the same replicas in one process; it cannot be sliced");
	return false;
}

static const struct cli_option sensitivity_options[] = {
	{"key", 'k', "KEY=LOW,HIGH", "a key (as --set takes) and its low and high values (repeatable; default: the "
	 "numeric operations and reliability keys of the platform at half and twice their value)", take_key},
	{"seed", 's', "N", "seed of the first replica; replica i uses N + i in every point (default 0)", run_take_seed},
	{"replicas", 'n', "N", "replicas per point (default 10)", run_take_replicas},
	{"json", 0, NULL, "print sensitivity.json's content instead of text", run_take_json},
	{"out", 'o', "DIR", "write sensitivity.json into DIR", run_take_out},
	{"horizon", 0, "DURATION", "stop each replica at this time (default: the end of training)", run_take_horizon},
	{"shard", 0, "K/N", "refused: sensitivity cannot be sliced", refuse_shard},
	{0},
};

static const struct cli_option *const sensitivity_tables[] = {sensitivity_options, cli_replica_options, cli_scenario_options, NULL};

const struct cli_command cli_sensitivity_command = {
	"sensitivity", "[PLATFORM WORKLOAD] [--key KEY=LOW,HIGH ...] [options]",
	"which inputs move the estimate most: each key at a low and a high value, as a tornado",
	"Runs the baseline and, one key at a time, each key at its low and its high value, every point\n"
	"on the same seeds, and prints the P50 days at both ends sorted by the swing (and the change\n"
	"of the mean cost with costs). Without --key: every numeric operations and reliability key of\n"
	"the platform (technicians, spares, parts, burn-in; each class's rate or MTBF, repair and\n"
	"detection) at half and twice its value.",
	sensitivity_tables, 0, 2, "takes a platform and a workload, or neither",
};

/* ---- the points: 0 the baseline, 2i + 1 row i's low, 2i + 2 its high ---- */

struct study {
	struct sensitivity_args *a;
	struct sensitivity_key *keys;   /* a->keys, or the default set */
	size_t count;
	long points;
	struct point_record *records;   /* [points] */
};

/* Point p's --set item for its key ("" for the baseline), into buf. */
static const char *point_item(const struct study *s, long p, char *buf, size_t size)
{
	if (p == 0) {
		buf[0] = '\0';
		return buf;
	}
	const struct sensitivity_key *k = &s->keys[(p - 1) / 2];
	snprintf(buf, size, "%s=%s", k->key, p % 2 ? k->low : k->high);
	return buf;
}

/* Point p's overrides: the --set items, then its key's (view[] borrows them and item). */
static struct overrides point_overrides(const struct study *s, long p, const char **view, char *item, size_t size)
{
	const struct cli_scenario_args *common = &s->a->run.common;
	size_t n = 0;
	for (size_t i = 0; i < common->set_count; i++)
		view[n++] = common->sets[i];
	if (p > 0)
		view[n++] = point_item(s, p, item, size);
	return (struct overrides){view, n};
}

static bool check_point(const struct study *s, long p)
{
	const struct run_args *r = &s->a->run;
	const char *view[CLI_MAX_OVERRIDES + 1];
	char item[YDOC_PATH_MAX + 160], message[ERROR_MESSAGE_MAX + ERROR_FILE_MAX + 32];
	struct scenario_spec spec = {.platform = {.path = r->files[0]}, .workload = {.path = r->files[1]},
				     .overrides = point_overrides(s, p, view, item, sizeof item),
				     .failure_log = r->failure_log, .for_run = true};
	struct scenario *sc = NULL;
	struct ts_error why = {0};
	bool ok = scenario_load(&spec, &sc, &why);
	if (!ok)
		fprintf(stderr, "trainsim: sensitivity point %ld (%s): %s\n", p + 1, p ? item : "baseline",
			error_format(&why, message, sizeof message));
	scenario_destroy(sc);
	return ok;
}

static int run_points(struct study *s)
{
	struct run_args r = s->a->run;
	bool show = !r.quiet && (r.progress || isatty(STDERR_FILENO));
	for (long p = 0; p < s->points; p++) {
		const char *view[CLI_MAX_OVERRIDES + 1];
		char item[YDOC_PATH_MAX + 160];
		struct overrides o = point_overrides(s, p, view, item, sizeof item);
		int status = CLI_OK;
		if (show)
			fprintf(stderr, "progress: point %ld of %ld (%s)\n", p + 1, s->points, p ? item : "baseline");
		bool ok = run_point(&r, &o, NULL, &s->records[p], &status);
		if (cli_interrupted() || s->records[p].interrupted || status == CLI_INTERRUPTED) {
			fprintf(stderr, "trainsim sensitivity: interrupted: %ld of %ld points done; no table\n", p, s->points);
			return CLI_INTERRUPTED;
		}
		if (!ok)
			return status ? status : CLI_BAD_INPUT;
	}
	return CLI_OK;
}

/* ---- the answer ---- */

static double p50_of(const struct point_record *rec)
{
	return rec->wallclock.n ? rec->wallclock.p50 : NAN;
}

static double cost_of(const struct point_record *rec)
{
	return rec->has_cost && rec->cost.n ? rec->cost.mean : NAN;
}

static int report(const struct study *s)
{
	struct sensitivity_row *rows = calloc(s->count ? s->count : 1, sizeof *rows);
	if (!rows)
		return cli_report_error(&(struct ts_error){.message = "out of memory"});
	for (size_t i = 0; i < s->count; i++)
		rows[i] = (struct sensitivity_row){p50_of(&s->records[2 * i + 1]), p50_of(&s->records[2 * i + 2]),
						   cost_of(&s->records[2 * i + 1]), cost_of(&s->records[2 * i + 2])};
	const struct run_args *r = &s->a->run;
	struct sensitivity_report rep = {s->keys, rows, s->count, p50_of(&s->records[0]), cost_of(&s->records[0]),
					 r->replicas, r->seed};
	struct ts_error err = {0};
	struct out_file f;
	int status = CLI_OK;
	if (r->out_dir && out_open(&f, r->out_dir, "sensitivity.json", &err)) {
		sensitivity_write_json(f.f, &rep);
		if (!out_commit(&f, &err))
			status = cli_report_error(&err);
	} else if (r->out_dir)
		status = cli_report_error(&err);
	if (status == CLI_OK && r->json)
		sensitivity_write_json(stdout, &rep);
	else if (status == CLI_OK)
		sensitivity_write_text(stdout, &rep);
	free(rows);
	return status == CLI_OK ? cli_finish_output() : status;
}

/* ---- the keys ---- */

/* The rows: the given keys with their baselines, or the default set; from the platform
 * document with --set applied. */
static int choose_keys(struct sensitivity_args *a, struct study *s)
{
	struct overrides o = cli_overrides(&a->run.common);
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	if (!sensitivity_platform_doc(a->run.files[0], &o, &doc, &err))
		return cli_report_error(&err);
	s->keys = a->keys;
	s->count = a->key_count;
	for (size_t i = 0; i < a->key_count; i++)
		sensitivity_fill_base(doc, &a->keys[i]);
	if (a->key_count == 0)
		s->count = sensitivity_default_keys(doc, a->keys, SENSITIVITY_MAX_KEYS);
	ydoc_destroy(doc);
	if (s->count == 0)
		return cli_command_error(&cli_sensitivity_command, stderr, "the platform has no numeric operations or "
					 "reliability key to vary; name some with --key KEY=LOW,HIGH");
	s->points = 1 + 2 * (long)s->count;
	s->records = calloc((size_t)s->points, sizeof *s->records);
	return s->records ? CLI_OK : cli_report_error(&(struct ts_error){.message = "out of memory"});
}

/* Every point is checked before any runs: a bad value is reported with its key and value. */
static int study_run(struct study *s)
{
	struct ts_error err = {0};
	int status = choose_keys(s->a, s);
	for (long p = 0; status == CLI_OK && p < s->points; p++)
		status = check_point(s, p) ? CLI_OK : CLI_BAD_INPUT;
	if (status == CLI_OK && s->a->run.out_dir && !outdir_ensure(s->a->run.out_dir, &err))
		status = cli_report_error(&err);
	cli_catch_interrupts(); /* no SA_RESTART: an interrupt must wake the wait for a point */
	if (status == CLI_OK)
		status = run_points(s);
	return status == CLI_OK ? report(s) : status;
}

int cli_sensitivity(int argc, char **argv)
{
	struct sensitivity_args *a = calloc(1, sizeof *a); /* 64 keys: too large for the stack's comfort */
	if (!a)
		return cli_report_error(&(struct ts_error){.message = "out of memory"});
	run_args_init(&a->run);
	a->run.replicas = DEFAULT_REPLICAS;
	const char *files[2];
	int count;
	struct study s = {.a = a};
	int status = cli_parse(&cli_sensitivity_command, argc, argv, a, files, &count, stdout, stderr);
	if (status == CLI_PARSE_HELP)
		status = cli_finish_output();
	else if (status == CLI_OK && (status = run_args_files(&cli_sensitivity_command, &a->run, files, count)) == CLI_OK)
		status = study_run(&s);
	free(s.records);
	free(a);
	return status;
}
