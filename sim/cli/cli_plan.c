/* cli_plan: `trainsim plan`: the cheapest combination of --vary values whose wall-clock
 * percentile meets a deadline. Every candidate is checked first, then run as a sweep point
 * (run_point) on the same seeds; close candidates get more replicas (replicas/plan.c's
 * rule); the answer goes to stdout and plan.json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_run.h"
#include "outdir.h"
#include "plan.h"
#include "platform.h"
#include "plan_report.h"

#define DEFAULT_REPLICAS 10
#define REPLICA_CAP_FACTOR 4   /* a candidate gets at most 4x --replicas */

struct plan_args {
	struct run_args run;      /* first: run's handlers take it (and its first member, --set, --log, --cfg) */
	const char *deadline;
	const char *objective;
	const char *varies[PLAN_MAX_VARIES];
	size_t vary_count;
};

/* ---- options: run's handlers (run_take_*) where they mean the same ---- */


static bool take_deadline(void *args, const char *v, char *why, size_t size)
{
	struct plan_deadline d;
	((struct plan_args *)args)->deadline = v;
	return plan_deadline_parse(v, &d, why, size);
}

static bool take_objective(void *args, const char *v, char *why, size_t size)
{
	struct plan_objective o;
	((struct plan_args *)args)->objective = v;
	return plan_objective_parse(v, &o, why, size);
}

static bool take_vary(void *args, const char *v, char *why, size_t size)
{
	struct plan_args *a = args;
	if (a->vary_count == PLAN_MAX_VARIES) {
		snprintf(why, size, "is given more than %d times", PLAN_MAX_VARIES);
		return false;
	}
	a->varies[a->vary_count++] = v;
	return true;
}

static bool refuse_shard(void *args, const char *v, char *why, size_t size)
{
	(void)args, (void)v;
	snprintf(why, size, "plan compares every candidate on the same replicas in one process; it cannot be sliced");
	return false;
}

static const struct cli_option plan_options[] = {
	{"deadline", 'd', "PXX<=DURATION", "the wall-clock percentile that must meet the deadline, e.g. P90<=80d "
	 "(P50, P90, P99)", take_deadline},
	{"vary", 0, "KEY=RANGE", "a key (as --set takes) and its values: a,b,c or LO..HI[/STEP] (repeatable: the "
	 "grid of every combination, at most 400)", take_vary},
	{"objective", 0, "WHAT", "what the plan minimises among those that meet the deadline: cost (the mean, needs a "
	 "costs section), p50, p90 or p99 (default: cost with costs, else the deadline's percentile)", take_objective},
	{"seed", 's', "N", "seed of the first replica; replica i uses N + i for every candidate (default 0)", run_take_seed},
	{"replicas", 'n', "N", "replicas per candidate at first; close ones get up to 4x (default 10)", run_take_replicas},
	{"json", 0, NULL, "print plan.json's content instead of text", run_take_json},
	{"out", 'o', "DIR", "write plan.json into DIR", run_take_out},
	{"horizon", 0, "DURATION", "stop each replica at this time; a candidate with a replica that does not finish "
	 "misses the deadline", run_take_horizon},
	{"shard", 0, "K/N", "refused: plan cannot be sliced", refuse_shard},
	{0},
};

static const struct cli_option *const plan_tables[] = {plan_options, cli_replica_options, cli_scenario_options, NULL};

const struct cli_command cli_plan_command = {
	"plan", "[PLATFORM WORKLOAD] --deadline P90<=DURATION --vary KEY=RANGE [--vary ...] [options]",
	"the cheapest combination of values that meets a deadline (P50 or P90 of the wall-clock)",
	"Searches the grid of the --vary values for the candidate of least mean cost (or least\n"
	"percentile, --objective) whose wall-clock percentile meets --deadline. Every candidate runs on\n"
	"the same seeds; those near the deadline or near the best get twice the replicas, up to 4x.\n"
	"Exit status 0 when a candidate meets the deadline, 1 when none does.",
	plan_tables, 0, 2, "takes a platform and a workload, or neither",
};

/* ---- the candidates ---- */

/* What plan runs: the parsed rule, the grid and each candidate's figures. */
struct search {
	struct plan_args *a;
	struct plan_vary v[PLAN_MAX_VARIES];
	struct plan_rule rule;
	bool no_costs;
	long count;
	struct plan_figures *figures;
};

/* Candidate k's overrides: the --set items, then KEY=VALUE for each vary (owned strings). */
struct candidate {
	char *items[CLI_MAX_OVERRIDES + PLAN_MAX_VARIES];
	const char *view[CLI_MAX_OVERRIDES + PLAN_MAX_VARIES];
	size_t count;
};

static void candidate_free(struct candidate *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i]);
	c->count = 0;
}

static bool candidate_build(const struct search *s, long k, struct candidate *c)
{
	const struct cli_scenario_args *common = &s->a->run.common;
	bool ok = true;
	*c = (struct candidate){0};
	for (size_t i = 0; i < common->set_count; i++)
		ok &= (c->items[c->count++] = strdup(common->sets[i])) != NULL;
	for (size_t i = 0; i < s->a->vary_count; i++) {
		const char *value = plan_grid_value(s->v, s->a->vary_count, k, i);
		size_t n = strlen(s->v[i].key) + strlen(value) + 2;
		char *item = malloc(n);
		if (item)
			snprintf(item, n, "%s=%s", s->v[i].key, value);
		ok &= (c->items[c->count++] = item) != NULL;
	}
	for (size_t i = 0; i < c->count; i++)
		c->view[i] = c->items[i];
	return ok;
}

/* "key=value;key=value" of candidate k, for messages. */
static const char *candidate_label(const struct search *s, long k, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < s->a->vary_count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s=%s", i ? ";" : "", s->v[i].key,
					 plan_grid_value(s->v, s->a->vary_count, k, i));
	return buf;
}

/* Candidate k loads (a bad value is reported with its key and value); *costs: its platform
 * has a costs section. */
static bool check_candidate(const struct search *s, long k, bool *costs)
{
	const struct run_args *r = &s->a->run;
	struct candidate c;
	struct ts_error why = {0};
	struct scenario *sc = NULL;
	bool built = candidate_build(s, k, &c);
	struct scenario_spec spec = {.platform = {.path = r->files[0]}, .workload = {.path = r->files[1]},
				     .overrides = {c.view, c.count}, .failure_log = r->failure_log, .for_run = true};
	bool ok = built && scenario_load(&spec, &sc, &why);
	char message[ERROR_MESSAGE_MAX + ERROR_FILE_MAX + 32], label[1024];
	if (!ok)
		fprintf(stderr, "trainsim: plan candidate %ld (%s): %s\n", k + 1, candidate_label(s, k, label, sizeof label),
			built ? error_format(&why, message, sizeof message) : "out of memory");
	if (ok)
		*costs = sc->platform->costs.present;
	scenario_destroy(sc);
	candidate_free(&c);
	return ok;
}

static int check_all(struct search *s)
{
	bool costs = false;
	for (long k = 0; k < s->count; k++)
		if (!check_candidate(s, k, &costs))
			return CLI_BAD_INPUT;
	s->no_costs = !costs;
	if (s->a->objective && !s->rule.objective.percentile && !costs)
		return cli_command_error(&cli_plan_command, stderr, "--objective cost needs a costs section in the platform "
					 "(or --set costs.gpu_hour=2USD/h and the like); --objective p90 minimises the "
					 "percentile instead");
	if (!s->a->objective && !costs)
		s->rule.objective.percentile = s->rule.deadline.percentile;
	return CLI_OK;
}

/* ---- running them ---- */

static void figures_of(const struct point_record *rec, struct plan_figures *f)
{
	const struct stats *w = &rec->wallclock;
	*f = (struct plan_figures){.replicas = rec->done, .finished = (long)w->n, .stddev_s = w->stddev,
				   .p10_s = w->p10, .p50_s = w->p50, .p90_s = w->p90, .p99_s = w->p99,
				   .has_cost = rec->has_cost && rec->cost.n > 0, .cost_mean = rec->cost.mean,
				   .failure_free_s = rec->failure_free_s};
	memcpy(f->time_s, rec->time_s, sizeof f->time_s);
}

static void show_progress(const struct search *s, int round, long k, long replicas)
{
	const struct run_args *r = &s->a->run;
	char label[1024];
	if (r->quiet || !(r->progress || isatty(STDERR_FILENO)))
		return;
	fprintf(stderr, "progress: round %d, candidate %ld of %ld (%s), %ld replicas\n", round, k + 1, s->count,
		candidate_label(s, k, label, sizeof label), replicas);
}

/* Candidate k with `replicas` replicas (seeds seed .. seed + replicas - 1). */
static int run_candidate(struct search *s, long k, long replicas)
{
	struct candidate c;
	struct run_args r = s->a->run;
	struct point_record rec = {0};
	int status = CLI_OK;
	r.replicas = replicas;
	if (!candidate_build(s, k, &c)) {
		candidate_free(&c);
		return cli_report_error(&(struct ts_error){.message = "out of memory"});
	}
	struct overrides o = {c.view, c.count};
	bool ok = run_point(&r, &o, NULL, &rec, &status);
	candidate_free(&c);
	if (cli_interrupted() || rec.interrupted || status == CLI_INTERRUPTED)
		return CLI_INTERRUPTED;
	if (!ok)
		return status ? status : CLI_BAD_INPUT;
	figures_of(&rec, &s->figures[k]);
	return CLI_OK;
}

/* Rounds: every candidate at --replicas, then twice the replicas for those plan_more_replicas
 * picks, until none is picked or all picked are at the cap. */
static int search_run(struct search *s)
{
	long cap = s->a->run.replicas * REPLICA_CAP_FACTOR;
	bool *more = malloc((size_t)s->count * sizeof *more);
	if (!more)
		return cli_report_error(&(struct ts_error){.message = "out of memory"});
	int status = CLI_OK;
	for (long k = 0; k < s->count; k++)
		more[k] = true;
	for (int round = 1; status == CLI_OK; round++) {
		for (long k = 0; k < s->count && status == CLI_OK; k++) {
			if (!more[k])
				continue;
			long n = s->figures[k].replicas ? 2 * s->figures[k].replicas : s->a->run.replicas;
			n = n < cap ? n : cap;
			show_progress(s, round, k, n);
			status = run_candidate(s, k, n);
		}
		if (status == CLI_OK && plan_more_replicas(s->figures, s->count, &s->rule, cap, more) == 0)
			break;
	}
	free(more);
	if (status == CLI_INTERRUPTED)
		fprintf(stderr, "trainsim plan: interrupted: no plan (every candidate must run)\n");
	return status;
}

/* ---- the answer ---- */

static bool write_file(const char *dir, const struct plan_report *rep, struct ts_error *err)
{
	struct out_file f;
	if (!out_open(&f, dir, "plan.json", err))
		return false;
	plan_write_json(f.f, rep);
	return out_commit(&f, err);
}

static int report(const struct search *s)
{
	const struct run_args *r = &s->a->run;
	struct plan_report rep = {s->v, s->a->vary_count, s->figures, s->count, s->rule, s->no_costs, r->seed};
	struct ts_error err = {0};
	if (r->out_dir && !write_file(r->out_dir, &rep, &err))
		return cli_report_error(&err);
	if (r->json)
		plan_write_json(stdout, &rep);
	else
		plan_write_text(stdout, &rep);
	int status = cli_finish_output();
	return status != CLI_OK ? status : plan_report_met(&rep) ? CLI_OK : CLI_CHECK_FAILED;
}

/* ---- parsing what the options hold ---- */

static int parse_search(struct plan_args *a, struct search *s)
{
	char why[512];
	*s = (struct search){.a = a};
	if (!a->deadline)
		return cli_command_error(&cli_plan_command, stderr, "needs --deadline PXX<=DURATION, such as P90<=80d");
	if (a->vary_count == 0)
		return cli_command_error(&cli_plan_command, stderr, "needs at least one --vary KEY=RANGE, such as "
					 "operations.technicians.per_site=1..6");
	plan_deadline_parse(a->deadline, &s->rule.deadline, why, sizeof why);
	if (a->objective)
		plan_objective_parse(a->objective, &s->rule.objective, why, sizeof why);
	for (size_t i = 0; i < a->vary_count; i++)
		if (!plan_vary_parse(a->varies[i], &s->v[i], why, sizeof why))
			return cli_command_error(&cli_plan_command, stderr, "--vary: %s", why);
	s->count = plan_grid_size(s->v, a->vary_count, PLAN_MAX_CANDIDATES);
	if (s->count < 0)
		return cli_command_error(&cli_plan_command, stderr, "the grid of --vary values has more than %d candidates; "
					 "narrow the ranges (or use trainsim sweep for a wide look)", PLAN_MAX_CANDIDATES);
	s->figures = calloc((size_t)s->count, sizeof *s->figures);
	return s->figures ? CLI_OK : cli_report_error(&(struct ts_error){.message = "out of memory"});
}

static void search_finish(struct search *s)
{
	for (size_t i = 0; i < PLAN_MAX_VARIES; i++)
		plan_vary_finish(&s->v[i]);
	free(s->figures);
}

int cli_plan(int argc, char **argv)
{
	struct plan_args a = {0};
	run_args_init(&a.run);
	a.run.replicas = DEFAULT_REPLICAS;
	const char *files[2];
	int count;
	int status = cli_parse(&cli_plan_command, argc, argv, &a, files, &count, stdout, stderr);
	if (status == CLI_PARSE_HELP)
		return cli_finish_output();
	if (status == CLI_OK)
		status = run_args_files(&cli_plan_command, &a.run, files, count);
	if (status != CLI_OK)
		return status;
	struct search s;
	struct ts_error err = {0};
	status = parse_search(&a, &s);
	if (status == CLI_OK)
		status = check_all(&s);
	if (status == CLI_OK && a.run.out_dir && !outdir_ensure(a.run.out_dir, &err))
		status = cli_report_error(&err);
	cli_catch_interrupts(); /* no SA_RESTART: an interrupt must wake the wait for a candidate */
	if (status == CLI_OK)
		status = search_run(&s);
	if (status == CLI_OK)
		status = report(&s);
	search_finish(&s);
	return status;
}
