/* cli_sweep: `trainsim sweep`: the run for every combination of --vary values, each point
 * in its own process (SimGrid loads one platform per process), as a table and sweep.csv. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_run.h"
#include "outdir.h"

#define MAX_VALUES 64
#define MAX_POINTS 10000

struct vary {
	char *text;                 /* owned copy of KEY=V1,V2,...; the pieces point into it */
	const char *key;
	const char *values[MAX_VALUES];
	long count;
};

static int parse_vary(const char *arg, struct vary *v)
{
	v->text = strdup(arg);
	char *eq = v->text ? strchr(v->text, '=') : NULL;
	if (!eq || eq == v->text || !eq[1])
		return cli_command_error(&cli_sweep_command, stderr, "--vary '%s': expected KEY=V1,V2,... such as "
					 "operations.technicians.per_site=4,8,12", arg);
	*eq = '\0';
	v->key = v->text;
	for (char *value = eq + 1, *next; value; value = next) {
		next = strchr(value, ',');
		if (next)
			*next++ = '\0';
		if (!*value)
			return cli_command_error(&cli_sweep_command, stderr, "--vary '%s' has an empty value", arg);
		if (v->count == MAX_VALUES)
			return cli_command_error(&cli_sweep_command, stderr, "--vary '%s' has more than %d values", arg,
						 MAX_VALUES);
		v->values[v->count++] = value;
	}
	return CLI_OK;
}

/* The sweep's grid: point k's value index for vary i (the first vary changes slowest). */
static long value_index(const struct vary *v, size_t nv, long point, size_t i)
{
	long stride = 1;
	for (size_t j = i + 1; j < nv; j++)
		stride *= v[j].count;
	return (point / stride) % v[i].count;
}

/* Point k's overrides: the base --set items, then KEY=VALUE for each vary (owned strings). */
struct point {
	char *items[CLI_MAX_OVERRIDES + MAX_VARIES];
	const char *view[CLI_MAX_OVERRIDES + MAX_VARIES];
	size_t count;
	char label[1024];
};

static void point_free(struct point *pt)
{
	for (size_t i = 0; i < pt->count; i++)
		free(pt->items[i]);
	pt->count = 0;
}

static bool point_build(const struct run_args *a, const struct vary *v, long point, struct point *pt)
{
	memset(pt, 0, sizeof *pt);
	for (size_t i = 0; i < a->common.set_count; i++)
		pt->items[pt->count++] = strdup(a->common.sets[i]);
	size_t used = 0;
	for (size_t i = 0; i < a->vary_count; i++) {
		const char *value = v[i].values[value_index(v, a->vary_count, point, i)];
		size_t n = strlen(v[i].key) + strlen(value) + 2;
		char *item = malloc(n);
		if (item)
			snprintf(item, n, "%s=%s", v[i].key, value);
		pt->items[pt->count++] = item;
		used += (size_t)snprintf(pt->label + used, used < sizeof pt->label ? sizeof pt->label - used : 0, "%s%s",
					 i ? ";" : "", item ? item : "");
	}
	for (size_t i = 0; i < pt->count; i++) {
		if (!pt->items[i])
			return false;
		pt->view[i] = pt->items[i];
	}
	return true;
}

/* Every point must load before any runs: a bad value is reported with its key and value. */
static int sweep_validate(const struct run_args *a, const struct vary *v, long points)
{
	for (long k = 0; k < points; k++) {
		struct point pt;
		struct ts_error err = {0};
		struct scenario *s = NULL;
		bool built = point_build(a, v, k, &pt);
		struct scenario_spec spec = {.platform = {.path = a->files[0]}, .workload = {.path = a->files[1]},
					     .overrides = {pt.view, pt.count}, .for_run = true};
		bool ok = built && scenario_load(&spec, &s, &err);
		char message[2048];
		if (!ok)
			fprintf(stderr, "trainsim: sweep point %ld (%s): %s\n", k + 1, pt.label,
				built ? error_format(&err, message, sizeof message) : "out of memory");
		scenario_destroy(s);
		point_free(&pt);
		if (!ok)
			return CLI_BAD_INPUT;
	}
	return CLI_OK;
}

/* Run point k in a child process (SimGrid loads one platform per process). */
static bool sweep_point(const struct run_args *a, const struct vary *v, long k, struct point_record *rec, int *status)
{
	struct point pt;
	if (!point_build(a, v, k, &pt))
		return false;
	int fds[2];
	if (pipe(fds) != 0)
		return false;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		struct run_args pa = *a;
		char dir[4096];
		if (a->out_dir) {
			snprintf(dir, sizeof dir, "%s/point-%03ld", a->out_dir, k + 1);
			pa.out_dir = dir;
		}
		pa.quiet = !a->progress; /* progress lines from the point, if asked for */
		pa.json = false;
		struct overrides o = {pt.view, pt.count};
		struct point_record r = {0};
		int code = run_scenario(&pa, &o, &r);
		_exit(write(fds[1], &r, sizeof r) == (ssize_t)sizeof r ? code : 3);
	}
	close(fds[1]);
	point_free(&pt);
	/* an interrupt is passed on to the point, which writes what it has done and reports */
	ssize_t got = -1;
	bool passed_on = false;
	while (pid > 0 && (got = read(fds[0], rec, sizeof *rec)) < 0 && errno == EINTR)
		if (cli_interrupted() && !passed_on)
			passed_on = kill(pid, SIGINT) == 0;
	bool ok = got == (ssize_t)sizeof *rec;
	close(fds[0]);
	int wstatus = 0;
	while (pid > 0 && waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		continue;
	*status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 3;
	return ok && rec->ok;
}

static void sweep_csv(FILE *out, const struct run_args *a, const struct vary *v, const struct point_record *recs,
		      long points)
{
	fprintf(out, "point,label,replicas,mean_s,stddev_s,p10_s,p50_s,p90_s,p99_s,ettr_mean,change_p50_pct\n");
	for (long k = 0; k < points; k++) {
		struct point pt;
		if (!recs[k].ok || !point_build(a, v, k, &pt))
			continue;
		const struct stats *w = &recs[k].wallclock;
		fprintf(out, "%ld,%s,%ld,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.6f,%.3f\n", k + 1, pt.label, recs[k].done, w->mean,
			w->stddev, w->p10, w->p50, w->p90, w->p99, recs[k].ettr.mean,
			100 * (w->p50 / recs[0].wallclock.p50 - 1));
		point_free(&pt);
	}
}

static void sweep_table(const struct run_args *a, const struct vary *v, const struct point_record *recs, long points)
{
	int width = 6;
	struct point pt;
	for (long k = 0; k < points; k++)
		if (point_build(a, v, k, &pt)) {
			int n = (int)strlen(pt.label);
			width = n > width ? n : width;
			point_free(&pt);
		}
	bool gave_up = false;
	printf("%-5s  %-*s %9s %9s %9s %7s %9s\n", "point", width, "values", "P10 d", "P50 d", "P90 d", "ETTR", "P50 vs 1");
	for (long k = 0; k < points; k++) {
		if (!recs[k].ok || !point_build(a, v, k, &pt))
			continue;
		const struct stats *w = &recs[k].wallclock;
		char change[32] = "base";
		if (k > 0)
			snprintf(change, sizeof change, "%+.1f%%", 100 * (w->p50 / recs[0].wallclock.p50 - 1));
		printf("%-5ld  %-*s %9.1f %9.1f %9.1f %6.1f%% %9s%s\n", k + 1, width, pt.label, w->p10 / 86400,
		       w->p50 / 86400, w->p90 / 86400, 100 * recs[k].ettr.mean, change, recs[k].gave_up ? " *" : "");
		gave_up |= recs[k].gave_up > 0;
		point_free(&pt);
	}
	if (gave_up)
		printf("* some replicas gave up: failures stop the job faster than it can save (stopped at ten times the "
		       "failure-free time)\n");
}

static int sweep_write(const struct run_args *a, const struct vary *v, const struct point_record *recs, long points)
{
	struct ts_error err = {0};
	struct out_file f = {0};
	if (!out_open(&f, a->out_dir, "sweep.csv", &err))
		return cli_report_error(&err);
	sweep_csv(f.f, a, v, recs, points);
	return out_commit(&f, &err) ? CLI_OK : cli_report_error(&err);
}

static int sweep_run(const struct run_args *a, const struct vary *v, long points)
{
	struct ts_error err = {0};
	if (a->out_dir && !outdir_ensure(a->out_dir, &err))
		return cli_report_error(&err);
	struct point_record *recs = calloc((size_t)points, sizeof *recs);
	if (!recs)
		return cli_report_error(&(struct ts_error){.message = "out of memory"});
	long done = 0;
	int status = CLI_OK;
	for (long k = 0; k < points && !cli_interrupted(); k++) {
		if (!a->quiet && isatty(STDERR_FILENO))
			fprintf(stderr, "point %ld of %ld...\n", k + 1, points);
		if (!sweep_point(a, v, k, &recs[k], &status) || recs[k].interrupted)
			break;
		done++;
	}
	if (done > 0 && a->out_dir && sweep_write(a, v, recs, done) != CLI_OK)
		status = CLI_BAD_INPUT;
	else if (done > 0)
		sweep_table(a, v, recs, done);
	free(recs);
	if (done < points && (cli_interrupted() || status == CLI_INTERRUPTED)) {
		fprintf(stderr, "trainsim: interrupted: %ld of %ld sweep points done\n", done, points);
		return 130;
	}
	if (done < points)
		return status ? status : CLI_BAD_INPUT;
	return status != CLI_OK ? status : cli_finish_output();
}

static bool take_vary(void *args, const char *v, char *why, size_t size)
{
	struct run_args *a = args;
	if (a->vary_count == MAX_VARIES) {
		snprintf(why, size, "is given more than %d times", MAX_VARIES);
		return false;
	}
	a->varies[a->vary_count++] = v;
	return true;
}

static const struct cli_option sweep_options[] = {
	{"vary", 0, "KEY=V1,V2,...", "a key and its values (repeatable: the grid of every combination)", take_vary},
	{0},
};

static const struct cli_option *const sweep_tables[] = {sweep_options, cli_run_options, cli_scenario_options, NULL};

const struct cli_command cli_sweep_command = {
	"sweep", "[PLATFORM WORKLOAD] --vary KEY=V1,V2,... [--vary ...] [options]",
	"the run for every combination of values: the estimate and its change against the first point",
	"Runs the scenario for every combination of the --vary values (any dotted key of the platform\n"
	"or workload, as --set takes), each point in its own process, after checking every point. Prints\n"
	"P10/P50/P90 days, mean ETTR and the P50 change against the first point; --out DIR writes\n"
	"sweep.csv and each point's files in DIR/point-NNN/. The run options apply to every point.",
	sweep_tables, 0, 2, "takes a platform and a workload, or neither",
};

int cli_sweep(int argc, char **argv)
{
	struct run_args a;
	run_args_init(&a);
	const char *files[2];
	int count;
	int status = cli_parse(&cli_sweep_command, argc, argv, &a, files, &count, stdout, stderr);
	if (status == CLI_PARSE_HELP)
		return cli_finish_output();
	if (status == CLI_OK)
		status = run_args_files(&cli_sweep_command, &a, files, count);
	if (status != CLI_OK)
		return status;
	if (a.vary_count == 0)
		return cli_command_error(&cli_sweep_command, stderr, "needs at least one --vary KEY=V1,V2,...");
	struct vary v[MAX_VARIES] = {0};
	long points = 1;
	for (size_t i = 0; i < a.vary_count && status == CLI_OK; i++) {
		status = parse_vary(a.varies[i], &v[i]);
		points *= v[i].count;
		if (status == CLI_OK && points > MAX_POINTS)
			status = cli_command_error(&cli_sweep_command, stderr, "more than %d points", MAX_POINTS);
	}
	if (status == CLI_OK)
		status = sweep_validate(&a, v, points);
	/* no SA_RESTART: an interrupt must wake the wait for a point, which passes it on */
	cli_catch_interrupts();
	if (status == CLI_OK)
		status = sweep_run(&a, v, points);
	for (size_t i = 0; i < a.vary_count; i++)
		free(v[i].text);
	return status;
}

