/* cli_sweep: `trainsim sweep`: the run for every combination of --vary values, each point
 * in its own process (SimGrid loads one platform per process), as a table and sweep.csv. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_mpi.h"
#include "cli_run.h"
#include "cli_sweep_slices.h"
#include "outdir.h"
#include "sha256.h"
#include "trainsim_config.h"

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

/* The points of this slice must load before any runs: a bad value is reported with its key
 * and value (and kept in *err, for MPI's rank 0). */
static int sweep_validate(const struct run_args *a, const struct vary *v, long first, long count,
			  struct ts_error *err)
{
	for (long k = first; k < first + count; k++) {
		struct point pt;
		struct ts_error why = {0};
		struct scenario *s = NULL;
		bool built = point_build(a, v, k, &pt);
		struct scenario_spec spec = {.platform = {.path = a->files[0]}, .workload = {.path = a->files[1]},
					     .overrides = {pt.view, pt.count}, .for_run = true};
		bool ok = built && scenario_load(&spec, &s, &why);
		char message[ERROR_MESSAGE_MAX + ERROR_FILE_MAX + 32];
		if (!ok) {
			error_set(err, "", 0, 0, "sweep point %ld (%s): %.1200s", k + 1, pt.label,
				  built ? error_format(&why, message, sizeof message) : "out of memory");
			fprintf(stderr, "trainsim: %s\n", err->message);
		}
		scenario_destroy(s);
		point_free(&pt);
		if (!ok)
			return CLI_BAD_INPUT;
	}
	return CLI_OK;
}

/* Run point k in a child process, its files in DIR/point-NNN. */
static bool sweep_point(const struct run_args *a, const struct vary *v, long k, struct point_record *rec, int *status)
{
	struct point pt;
	if (!point_build(a, v, k, &pt))
		return false;
	char dir[4096];
	if (a->out_dir)
		snprintf(dir, sizeof dir, "%s/point-%03ld", a->out_dir, k + 1);
	struct overrides o = {pt.view, pt.count};
	bool ok = run_point(a, &o, a->out_dir ? dir : NULL, rec, status);
	point_free(&pt);
	return ok;
}

bool run_point(const struct run_args *a, const struct overrides *o, const char *point_dir, struct point_record *rec,
	       int *status)
{
	int fds[2];
	*status = 3;
	if (pipe(fds) != 0)
		return false;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		struct run_args pa = *a;
		pa.out_dir = point_dir;
		pa.quiet = !a->progress; /* progress lines from the point, if asked for */
		pa.shards = 0;           /* a shard of a sweep is a slice of its points, each run whole */
		pa.json = false;
		struct point_record r = {0};
		int code = run_scenario(&pa, o, &r);
		_exit(write(fds[1], &r, sizeof r) == (ssize_t)sizeof r ? code : 3);
	}
	close(fds[1]);
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

/* ---- the points run: in one process, as a batch-array shard, or over MPI ranks ---- */

/* What makes slices parts of one sweep: this trainsim, the inputs' content, the options,
 * the --set items and the --vary grid. */
static bool sweep_identity(const struct run_args *a, char id[17], struct ts_error *err)
{
	char hashes[3][65] = {"-", "-", "-"};
	const char *paths[3] = {a->files[0], a->files[1], a->failure_log};
	for (int i = 0; i < 3; i++)
		if (paths[i] && !sha256_file_hex(paths[i], hashes[i], err))
			return false;
	char text[512];
	int n = snprintf(text, sizeof text, "%s|%s|%s|%s|%llu|%ld|%.17g|%.17g|%ld|%ld|%d", TRAINSIM_VERSION, hashes[0],
			 hashes[1], hashes[2], (unsigned long long)a->seed, a->replicas, a->horizon_s, a->failure_scale,
			 a->max_events, a->events_replicas, a->all_events);
	struct sha256 h;
	sha256_init(&h);
	sha256_update(&h, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
	for (size_t i = 0; i < a->common.set_count; i++) {
		sha256_update(&h, "|set:", 5);
		sha256_update(&h, a->common.sets[i], strlen(a->common.sets[i]));
	}
	for (size_t i = 0; i < a->vary_count; i++) {
		sha256_update(&h, "|vary:", 6);
		sha256_update(&h, a->varies[i], strlen(a->varies[i]));
	}
	unsigned char digest[32];
	sha256_final(&h, digest);
	for (int i = 0; i < 8; i++)
		snprintf(id + 2 * i, 3, "%02x", digest[i]);
	return true;
}

/* This process's slice of the points (--shard K/N, or its MPI rank), with their labels. */
static bool slice_begin(const struct run_args *a, const struct vary *v, long points, struct sweep_slice *sl)
{
	long shard = a->shards ? a->shard : cli_mpi_rank(), shards = a->shards ? a->shards : cli_mpi_size();
	long first = points * shard / shards, end = points * (shard + 1) / shards;
	*sl = (struct sweep_slice){.points = points, .shard = shard, .shards = shards, .first = first, .count = end - first};
	snprintf(sl->trainsim_version, sizeof sl->trainsim_version, "%s", TRAINSIM_VERSION);
	sl->labels = calloc((size_t)(sl->count ? sl->count : 1), sizeof *sl->labels);
	sl->records = calloc((size_t)(sl->count ? sl->count : 1), sizeof *sl->records);
	bool ok = sl->labels && sl->records;
	for (long i = 0; ok && i < sl->count; i++) {
		struct point pt;
		ok = point_build(a, v, first + i, &pt) && (sl->labels[i] = strdup(pt.label));
		point_free(&pt);
	}
	return ok;
}

/* The slice's points in order, until one fails or an interrupt; returns the last status. */
static int run_points(const struct run_args *a, const struct vary *v, struct sweep_slice *sl)
{
	int status = CLI_OK;
	for (long i = 0; i < sl->count && !cli_interrupted(); i++) {
		long k = sl->first + i;
		if (!a->quiet && isatty(STDERR_FILENO))
			fprintf(stderr, "point %ld of %ld...\n", k + 1, sl->points);
		if (!sweep_point(a, v, k, &sl->records[i], &status) || sl->records[i].interrupted)
			break;
		sl->done++;
	}
	return status;
}

/* The exit status of a slice that ran (`reported`: that of its report). */
static int slice_outcome(const struct sweep_slice *sl, int status, int reported)
{
	if (reported != CLI_OK)
		return reported;
	if (sl->done < sl->count && (cli_interrupted() || status == CLI_INTERRUPTED)) {
		fprintf(stderr, "trainsim: interrupted: %ld of %ld sweep points done\n", sl->done, sl->count);
		return CLI_INTERRUPTED;
	}
	if (sl->done < sl->count)
		return status ? status : CLI_BAD_INPUT;
	return status;
}

/* One process: the points done (all, or those before an interrupt) as the table and sweep.csv. */
static int finish_alone(const struct run_args *a, const struct sweep_slice *sl, int status)
{
	struct sweep_points w = {sl->done, (const char **)sl->labels, sl->records};
	return slice_outcome(sl, status, sl->done > 0 ? sweep_report(a->out_dir, &w) : CLI_OK);
}

/* A batch-array task: the slice's records into --out, beside its point directories. */
static int finish_shard(const struct run_args *a, const struct sweep_slice *sl, int status)
{
	struct ts_error err = {0};
	struct out_file f = {0};
	if (!out_open(&f, a->out_dir, SWEEP_SHARD_FILE, &err))
		return cli_report_error(&err);
	if (!sweep_slice_write(f.f, sl)) {
		out_abandon(&f);
		error_set(&err, a->out_dir, 0, 0, "cannot write %s", SWEEP_SHARD_FILE);
		return cli_report_error(&err);
	}
	if (!out_commit(&f, &err))
		return cli_report_error(&err);
	if (sl->count == 0)
		printf("sweep shard %ld/%ld: no points (the sweep has fewer points than shards), in %s\n", sl->shard,
		       sl->shards, a->out_dir);
	else
		printf("sweep shard %ld/%ld: points %ld to %ld of %ld, %ld done, in %s; put the shards together with "
		       "trainsim merge --out DIR SHARD_DIR...\n", sl->shard, sl->shards, sl->first + 1,
		       sl->first + sl->count, sl->points, sl->done, a->out_dir);
	int printed = cli_finish_output();
	int outcome = slice_outcome(sl, status, CLI_OK);
	return outcome != CLI_OK ? outcome : printed;
}

/* Rank 0: every rank's slice read back and the whole sweep reported. */
static int report_ranks(const struct run_args *a, const char *all, const size_t *lengths)
{
	int ranks = cli_mpi_size();
	struct sweep_slice *slices = calloc((size_t)ranks, sizeof *slices);
	char (*names)[32] = calloc((size_t)ranks, sizeof *names);
	const char **name_of = calloc((size_t)ranks, sizeof *name_of);
	struct ts_error err = {0};
	struct sweep_points w = {0};
	bool ok = slices && names && name_of;
	size_t at = 0;
	for (int r = 0; ok && r < ranks; at += lengths[r], r++) {
		snprintf(names[r], sizeof names[r], "MPI rank %d", r);
		name_of[r] = names[r];
		FILE *f = fmemopen((void *)(all + at), lengths[r] ? lengths[r] : 1, "rb");
		ok = f && sweep_slice_read(f, names[r], &slices[r], &err);
		if (f)
			fclose(f);
	}
	int status;
	if (!slices || !names || !name_of)
		status = cli_report_error(&(struct ts_error){.message = "out of memory gathering the sweep points"});
	else if (!ok || !sweep_join(slices, (size_t)ranks, name_of, &w, &err))
		status = cli_interrupted() ? CLI_INTERRUPTED : cli_report_error(&err);
	else
		status = sweep_report(a->out_dir, &w);
	if (status == CLI_INTERRUPTED)
		fprintf(stderr, "trainsim: interrupted: the sweep's finished points are in their directories\n");
	sweep_points_finish(&w);
	for (int r = 0; slices && r < ranks; r++)
		sweep_slice_finish(&slices[r]);
	free(slices);
	free(names);
	free(name_of);
	return status;
}

/* An MPI rank: the slice's records to rank 0, which reports the whole sweep. The point
 * directories are written by the ranks that ran them, into --out (a shared file system). */
static int finish_ranks(const struct run_args *a, struct sweep_slice *sl, int status, bool ran)
{
	char *bytes = NULL;
	size_t length = 0;
	FILE *f = ran ? open_memstream(&bytes, &length) : NULL;
	bool packed = f && sweep_slice_write(f, sl);
	packed = f && fclose(f) == 0 && packed;
	if (ran && !packed) {
		free(bytes);
		bytes = NULL;
		status = cli_report_error(&(struct ts_error){.message = "out of memory sending the sweep points to rank 0"});
	}
	char *all;
	size_t *lengths;
	bool gathered = cli_mpi_gather_bytes(bytes, bytes ? length : 0, &all, &lengths);
	bool failed = cli_mpi_any_failed(bytes ? NULL : cli_last_error()) || !gathered;
	if (!gathered && cli_mpi_rank() == 0 && status == CLI_OK)
		status = cli_report_error(&(struct ts_error){.message = "MPI could not gather the sweep points"});
	if (cli_mpi_rank() == 0 && !failed)
		status = report_ranks(a, all, lengths);
	free(bytes);
	free(all);
	free(lengths);
	return status;
}

static int sweep_run(const struct run_args *a, const struct vary *v, long points)
{
	struct ts_error err = {0};
	struct sweep_slice sl;
	bool over_ranks = cli_mpi_size() > 1 && !a->shards;
	int status = slice_begin(a, v, points, &sl) ? CLI_OK
						    : cli_report_error(&(struct ts_error){.message = "out of memory"});
	if (status == CLI_OK)
		status = sweep_validate(a, v, sl.first, sl.count, &err);
	if (over_ranks && cli_mpi_any_failed(status == CLI_OK ? NULL : err.message[0] ? &err : cli_last_error())) {
		sweep_slice_finish(&sl);
		return status;
	}
	if (status == CLI_OK && (a->shards || over_ranks) && !sweep_identity(a, sl.sweep_id, &err))
		status = cli_report_error(&err);
	if (status == CLI_OK && a->out_dir && !outdir_ensure(a->out_dir, &err))
		status = cli_report_error(&err);
	/* no SA_RESTART: an interrupt must wake the wait for a point, which passes it on */
	cli_catch_interrupts();
	bool ran = status == CLI_OK;
	if (ran)
		status = run_points(a, v, &sl);
	if (over_ranks)
		status = finish_ranks(a, &sl, status, ran);
	else if (ran)
		status = a->shards ? finish_shard(a, &sl, status) : finish_alone(a, &sl, status);
	sweep_slice_finish(&sl);
	return status;
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
		status = sweep_run(&a, v, points);
	for (size_t i = 0; i < a.vary_count; i++)
		free(v[i].text);
	return status;
}

