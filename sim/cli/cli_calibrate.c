/* cli_calibrate: `trainsim calibrate RUNS.csv`: fits efficiency keys to measured runs and
 * prints them per GPU as YAML to paste (or JSON). Every run is loaded and checked first; then
 * each distinct platform is loaded into SimGrid in a child process of its own (SimGrid loads
 * one platform per process), which simulates the collectives of every run on it once and
 * hands them back; the fit itself only composes steps, in this process. Results follow the
 * CSV's order whatever the grouping, so they are deterministic. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calibrate_report.h"
#include "cli.h"

struct calibrate_args {
	bool json;
	bool asked[EFF_KEYS];
	bool fit_given;
	enum calibration_objective objective;
	const char *gpu;      /* --gpu: only the runs on this GPU model, or NULL for all */
};

static bool take_json(void *args, const char *v, char *why, size_t size)
{
	(void)v, (void)why, (void)size;
	((struct calibrate_args *)args)->json = true;
	return true;
}

static void key_list(char *buf, size_t size)
{
	buf[0] = '\0';
	for (int k = 0; k < EFF_KEYS; k++) {
		size_t used = strlen(buf);
		snprintf(buf + used, size - used, "%s%s", k ? ", " : "", efficiency_key_name((enum efficiency_key)k));
	}
}

static bool take_fit(void *args, const char *v, char *why, size_t size)
{
	struct calibrate_args *a = args;
	char copy[256], keys[128];
	snprintf(copy, sizeof copy, "%s", v);
	memset(a->asked, 0, sizeof a->asked);
	a->fit_given = true;
	for (char *key = strtok(copy, ","); key; key = strtok(NULL, ",")) {
		enum efficiency_key k;
		if (!efficiency_key_find(key, &k)) {
			key_list(keys, sizeof keys);
			snprintf(why, size, "'%s' is not an efficiency key; expected some of %s", key, keys);
			return false;
		}
		a->asked[k] = true;
	}
	for (int k = 0; k < EFF_KEYS; k++)
		if (a->asked[k])
			return true;
	snprintf(why, size, "'%s' names no key; expected KEY,... such as matmul,attention", v);
	return false;
}

static bool take_objective(void *args, const char *v, char *why, size_t size)
{
	struct calibrate_args *a = args;
	if (!strcmp(v, "minimax") || !strcmp(v, "lsq")) {
		a->objective = !strcmp(v, "lsq") ? OBJECTIVE_LSQ : OBJECTIVE_MINIMAX;
		return true;
	}
	snprintf(why, size, "'%s' is neither minimax nor lsq", v);
	return false;
}

static bool take_gpu(void *args, const char *v, char *why, size_t size)
{
	(void)why, (void)size;
	((struct calibrate_args *)args)->gpu = v;
	return true;
}

static const struct cli_option calibrate_options[] = {
	{"fit", 0, "KEY,...", "efficiency keys to fit (default matmul,attention,tp_overlap,dp_overlap; also "
	 "fp8_matmul, ep_overlap)", take_fit},
	{"objective", 0, "minimax|lsq", "minimise the worst relative error (default) or the mean squared one",
	 take_objective},
	{"gpu", 0, "MODEL", "only the runs on platforms whose gpu.model is MODEL (each GPU is fitted apart anyway)",
	 take_gpu},
	{"json", 0, NULL, "one JSON object instead of text", take_json},
	{0},
};

static const struct cli_option *const calibrate_tables[] = {calibrate_options, NULL};

const struct cli_command cli_calibrate_command = {
	"calibrate", "RUNS.csv [--fit KEY,...] [--objective minimax|lsq] [--gpu MODEL] [--json]",
	"fit efficiency keys to measured step times, per GPU, as YAML to paste",
	"Reads RUNS.csv (platform,workload,set,measured,source rows; paths relative to the CSV's folder,\n"
	"set as --set items separated by ';', measured a step time such as 19.98s or model FLOP/s per GPU\n"
	"such as 112TFLOPS), simulates each run's collectives once per platform, fits the chosen\n"
	"efficiency keys per GPU model and prints each run's error before and after, and the fitted set\n"
	"as a gpu.efficiency block. workloads/README.md shows how the shipped sets were made with it.",
	calibrate_tables, 1, 1, "takes one CSV file of measured runs",
};

/* What a platform's child sends back for each run. */
struct sim_record {
	bool ok;
	struct collective_times collectives;
	struct ts_error err;
};

/* Everything the command holds: the runs, their scenarios, their collectives. */
struct session {
	struct calibration_runs runs;
	struct scenario **scenarios;
	struct calibration_case *cases;
	const char *gpu;              /* --gpu, or NULL */
};

static void session_finish(struct session *s)
{
	for (size_t i = 0; s->scenarios && i < s->runs.count; i++)
		scenario_destroy(s->scenarios[i]);
	free(s->scenarios);
	free(s->cases);
	calibration_runs_finish(&s->runs);
}

/* Every run loaded and checked before anything is simulated. */
static int load_all(struct session *s)
{
	s->scenarios = calloc(s->runs.count, sizeof *s->scenarios);
	s->cases = calloc(s->runs.count, sizeof *s->cases);
	if (!s->scenarios || !s->cases)
		return cli_report_error(&(struct ts_error){.message = "out of memory"});
	for (size_t i = 0; i < s->runs.count; i++) {
		const struct calibration_row *row = &s->runs.rows[i];
		struct scenario_spec spec = {.platform = {.path = row->platform}, .workload = {.path = row->workload},
					     .overrides = {(const char *const *)row->sets, row->set_count}};
		struct ts_error err = {0};
		if (!scenario_load(&spec, &s->scenarios[i], &err)) {
			fprintf(stderr, "trainsim calibrate: %s:%d: this run does not load:\n", s->runs.path, row->line);
			return cli_report_error(&err);
		}
		s->cases[i] = (struct calibration_case){s->scenarios[i]->platform, s->scenarios[i]->workload, {0},
							row->kind, row->measured};
	}
	return CLI_OK;
}

/* Whether run i is on the GPU --gpu names (every run without --gpu). */
static bool wanted(const struct session *s, size_t i)
{
	return !s->gpu || !strcmp(s->scenarios[i]->platform->gpu.model, s->gpu);
}

static bool any_wanted(const struct session *s)
{
	for (size_t i = 0; i < s->runs.count; i++)
		if (wanted(s, i))
			return true;
	return false;
}

/* Two runs share a SimGrid platform when they read the same platform file content with the
 * same overrides of the platform. */
static bool same_platform(const struct session *s, size_t a, size_t b)
{
	const struct scenario *x = s->scenarios[a], *y = s->scenarios[b];
	if (strcmp(x->platform_sha256, y->platform_sha256))
		return false;
	size_t i = 0, j = 0;
	const struct overrides *ox = &x->overrides, *oy = &y->overrides;
	for (;;) {
		const char *rest;
		while (i < ox->count && overrides_target(ox->items[i], &rest) != OVERRIDE_PLATFORM)
			i++;
		while (j < oy->count && overrides_target(oy->items[j], &rest) != OVERRIDE_PLATFORM)
			j++;
		if (i == ox->count || j == oy->count)
			return i == ox->count && j == oy->count;
		if (strcmp(ox->items[i++], oy->items[j++]))
			return false;
	}
}

/* In the child: the platform of the first run loaded once, every run's collectives. */
static int child_simulate(const struct session *s, const size_t *rows, size_t n, int fd)
{
	struct engine *e = NULL;
	struct sim_record rec = {0};
	bool loaded = engine_load(s->scenarios[rows[0]], NULL, &e, &rec.err);
	for (size_t i = 0; i < n; i++) {
		struct step_result r;
		rec.ok = loaded && engine_step_of(e, s->scenarios[rows[i]], &r, &rec.err);
		rec.collectives = rec.ok ? r.collectives : (struct collective_times){0};
		if (write(fd, &rec, sizeof rec) != (ssize_t)sizeof rec)
			return 3;
	}
	engine_destroy(e);
	return 0;
}

static bool read_record(int fd, struct sim_record *rec)
{
	size_t got = 0;
	while (got < sizeof *rec) {
		ssize_t n = read(fd, (char *)rec + got, sizeof *rec - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/* The runs `rows` (sharing one platform) simulated in a child process. */
static int simulate_platform(struct session *s, const size_t *rows, size_t n)
{
	int fds[2];
	if (pipe(fds) != 0)
		return cli_report_error(&(struct ts_error){.message = "cannot create a pipe for the simulation"});
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		_exit(child_simulate(s, rows, n, fds[1]));
	}
	close(fds[1]);
	int status = pid < 0 ? cli_report_error(&(struct ts_error){.message = "cannot fork a simulation"}) : CLI_OK;
	for (size_t i = 0; status == CLI_OK && i < n; i++) {
		struct sim_record rec;
		if (!read_record(fds[0], &rec))
			status = cli_report_error(&(struct ts_error){.message = "a platform's simulation died"});
		else if (!rec.ok) {
			fprintf(stderr, "trainsim calibrate: %s:%d: ", s->runs.path, s->runs.rows[rows[i]].line);
			status = cli_report_error(&rec.err);
		} else
			s->cases[rows[i]].collectives = rec.collectives;
	}
	close(fds[0]);
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		continue;
	return status;
}

/* One child per distinct platform, in the order each first appears. */
static int simulate_all(struct session *s)
{
	size_t n = s->runs.count, *rows = malloc(n * sizeof *rows);
	bool *done = calloc(n, sizeof *done);
	int status = rows && done ? CLI_OK : cli_report_error(&(struct ts_error){.message = "out of memory"});
	for (size_t i = 0; status == CLI_OK && i < n; i++)
		done[i] = !wanted(s, i);
	for (size_t i = 0; status == CLI_OK && i < n; i++) {
		if (done[i])
			continue;
		size_t count = 0;
		for (size_t j = i; j < n; j++)
			if (!done[j] && same_platform(s, i, j)) {
				rows[count++] = j;
				done[j] = true;
			}
		status = simulate_platform(s, rows, count);
		if (status == CLI_OK && cli_interrupted())
			status = CLI_INTERRUPTED;
	}
	free(rows);
	free(done);
	return status;
}

/* The runs of one GPU model fitted together; rows filled for the report. */
static bool fit_group(const struct session *s, const struct calibrate_args *a, const char *gpu,
		      struct calibration_group_result *g)
{
	size_t n = s->runs.count;
	struct calibration_case *cases = malloc(n * sizeof *cases);
	g->rows = calloc(n, sizeof *g->rows);
	if (!cases || !g->rows) {
		free(cases);
		return false;
	}
	g->gpu = gpu;
	for (size_t i = 0; i < n; i++)
		if (wanted(s, i) && !strcmp(s->scenarios[i]->platform->gpu.model, gpu)) {
			const struct calibration_row *row = &s->runs.rows[i];
			g->rows[g->count] = (struct calibration_row_result){row->line, s->scenarios[i]->platform->name,
				s->scenarios[i]->workload->name, row->platform, row->kind, row->measured, 0, 0};
			cases[g->count++] = s->cases[i];
		}
	calibration_fit(cases, g->count, a->asked, a->objective, &g->fit);
	struct efficiency_spec none;
	efficiency_unset(&none);
	for (size_t k = 0; k < g->count; k++) {
		g->rows[k].before = calibration_predict(&cases[k], &none);
		g->rows[k].after = calibration_predict(&cases[k], &g->fit.values);
	}
	free(cases);
	return true;
}

/* GPU models in the order they first appear, each fitted and reported. */
static int fit_and_report(const struct session *s, const struct calibrate_args *a)
{
	struct calibration_report r = {s->runs.path, a->objective == OBJECTIVE_LSQ ? "lsq" : "minimax", {0}, NULL, 0};
	memcpy(r.asked, a->asked, sizeof r.asked);
	r.groups = calloc(s->runs.count, sizeof *r.groups);
	bool ok = r.groups != NULL;
	for (size_t i = 0; ok && i < s->runs.count; i++) {
		const char *gpu = s->scenarios[i]->platform->gpu.model;
		bool seen = !wanted(s, i);
		for (size_t g = 0; g < r.count; g++)
			seen |= !strcmp(r.groups[g].gpu, gpu);
		if (!seen)
			ok = fit_group(s, a, gpu, &r.groups[r.count++]);
	}
	if (ok && a->json)
		report_calibration_json(stdout, &r);
	else if (ok)
		report_calibration_text(stdout, &r);
	for (size_t g = 0; r.groups && g < r.count; g++)
		free(r.groups[g].rows);
	free(r.groups);
	return ok ? cli_finish_output() : cli_report_error(&(struct ts_error){.message = "out of memory"});
}

int cli_calibrate(int argc, char **argv)
{
	struct calibrate_args a = {.asked = {[EFF_MATMUL] = true, [EFF_ATTENTION] = true, [EFF_TP_OVERLAP] = true,
					     [EFF_DP_OVERLAP] = true}};
	const char *files[1];
	int count, status = cli_parse(&cli_calibrate_command, argc, argv, &a, files, &count, stdout, stderr);
	if (status == CLI_PARSE_HELP)
		return cli_finish_output();
	if (status != CLI_OK)
		return status;
	struct session s = {0};
	struct ts_error err = {0};
	cli_catch_interrupts();
	if (!calibration_runs_load(files[0], &s.runs, &err))
		status = cli_report_error(&err);
	if (status == CLI_OK)
		status = load_all(&s);
	s.gpu = a.gpu;
	if (status == CLI_OK && !any_wanted(&s))
		status = cli_command_error(&cli_calibrate_command, stderr, "--gpu %s: no run in %s is on that GPU", a.gpu,
					   files[0]);
	if (status == CLI_OK)
		status = simulate_all(&s);
	if (status == CLI_OK)
		status = fit_and_report(&s, &a);
	session_finish(&s);
	return status;
}
