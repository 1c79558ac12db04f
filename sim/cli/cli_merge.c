/* cli_merge: `trainsim merge --out DIR SHARD_DIR...`: the slices of one run, written by
 * `trainsim run --shard K/N` (a batch-array job) or received from MPI ranks, put back
 * together into exactly the files one process writes for the same inputs and seed. The
 * inputs are read again from the paths the shards name and must hash as they did. */
#include "cli_merge.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_files.h"
#include "cli_sweep_slices.h"
#include "outdir.h"
#include "report.h"
#include "summary_write.h"
#include "trainsim_config.h"

/* ---- checking the shards ---- */

static int by_first(const void *a, const void *b)
{
	const struct shard *x = a, *y = b;
	return (x->info.first > y->info.first) - (x->info.first < y->info.first);
}

/* One run, every slice once, in order, covering all its replicas. */
static bool check_shards(struct shard *shards, size_t n, const char *const *names, struct ts_error *err)
{
	const struct shard_info *a = &shards[0].info;
	for (size_t i = 0; i < n; i++) {
		const struct shard_info *b = &shards[i].info;
		if (strcmp(b->trainsim_version, TRAINSIM_VERSION))
			return error_set(err, names[i], 0, 0, "written by trainsim %s; merge it with that version (this is %s)",
					 b->trainsim_version, TRAINSIM_VERSION);
		if (strcmp(a->run_id, b->run_id) || a->shards != b->shards || a->replicas != b->replicas)
			return error_set(err, names[i], 0, 0, "is a shard of run %s (%ld shards of %ld replicas), not of run %s "
					 "(%ld of %ld) like %s", b->run_id, b->shards, b->replicas, a->run_id, a->shards,
					 a->replicas, names[0]);
	}
	if ((long)n != a->shards)
		return error_set(err, "", 0, 0, "%zu shard directories for a run in %ld shards; expected all of them",
				 n, a->shards);
	qsort(shards, n, sizeof *shards, by_first);
	long next = 0;
	for (size_t i = 0; i < n; i++) {
		if (shards[i].info.first != next)
			return error_set(err, "", 0, 0, "replicas %ld and on are missing or given twice (shard %ld/%ld "
					 "starts at %ld); expected each shard once", next, shards[i].info.shard,
					 shards[i].info.shards, shards[i].info.first);
		next += shards[i].info.count;
	}
	return next == a->replicas ||
	       error_set(err, "", 0, 0, "the shards hold %ld of the run's %ld replicas; expected all of them", next,
			 a->replicas);
}

/* ---- the run, as one ---- */

/* The shards' outcomes as one result (moved out of the shards). */
static bool join_results(struct shard *shards, size_t n, struct mc_result *all, struct ts_error *err)
{
	long replicas = shards[0].info.replicas;
	*all = (struct mc_result){.count = replicas};
	all->replicas = calloc((size_t)(replicas ? replicas : 1), sizeof *all->replicas);
	if (!all->replicas)
		return error_set(err, "", 0, 0, "out of memory for %ld replicas", replicas);
	for (size_t i = 0; i < n; i++) {
		struct mc_result *r = &shards[i].result;
		memcpy(all->replicas + r->first, r->replicas, (size_t)r->count * sizeof *r->replicas);
		memset(r->replicas, 0, (size_t)r->count * sizeof *r->replicas);
		all->done += r->done;
	}
	all->interrupted = all->done < all->count;
	return true;
}

/* The inputs read again from where the shards say, and checked against their hashes. */
static bool reload(const struct shard_info *info, struct scenario **s, struct ts_error *err)
{
	struct scenario_spec spec = {.platform = {.path = info->platform_path}, .workload = {.path = info->workload_path},
				     .overrides = {(const char *const *)info->overrides, (size_t)info->override_count},
				     .failure_log = info->failure_log_path, .for_run = true};
	if (!scenario_load(&spec, s, err))
		return false;
	const char *changed = strcmp((*s)->platform_sha256, info->platform_sha256) ? (*s)->platform->source
			      : strcmp((*s)->workload_sha256, info->workload_sha256) ? (*s)->workload->source
			      : info->failure_log_path && strcmp((*s)->failure_log_sha256, info->failure_log_sha256)
				      ? info->failure_log_path
				      : NULL;
	if (changed)
		return error_set(err, changed, 0, 0, "has changed since the shards ran (its SHA-256 differs); expected "
				 "the inputs they ran");
	return true;
}

struct shard_source {
	const struct shard *shards;
	size_t n;
};

static bool read_from_shards(void *data, long replica, struct event **events, size_t *count, struct ts_error *err)
{
	const struct shard_source *src = data;
	for (size_t i = 0; i < src->n; i++) {
		const struct shard_events *e = shard_events_of(&src->shards[i], replica);
		if (!e)
			continue;
		*events = malloc((e->count ? e->count : 1) * sizeof **events);
		if (!*events)
			return error_set(err, "", 0, 0, "out of memory");
		memcpy(*events, e->events, e->count * sizeof **events);
		*count = e->count;
		return true;
	}
	return error_set(err, "", 0, 0, "the events of replica %ld are in no shard", replica);
}

int cli_merge_shards(struct shard *shards, size_t n, const char *const *names, const struct merge_output *o)
{
	struct ts_error err = {0};
	struct scenario *s = NULL;
	struct mc_result all = {0};
	struct summary sum;
	bool summed = false;
	bool ok = n > 0 && check_shards(shards, n, names, &err) && join_results(shards, n, &all, &err) &&
		  reload(&shards[0].info, &s, &err);
	const struct shard_info *info = &shards[0].info;
	struct summary_scenario sc = {.scenario = s, .seed = info->seed, .horizon_s = info->horizon_s,
				      .failure_scale = info->failure_scale, .plan = info->plan, .step_time_s = info->step_time_s};
	if (ok) {
		summary_run_id(&sc, info->replicas, info->max_events, info->events_replicas);
		ok = (!strcmp(sc.run_id, info->run_id) ||
		      error_set(&err, "", 0, 0, "the inputs give run %s, not %s", sc.run_id, info->run_id)) &&
		     (all.done == 0 || (summed = summary_compute(&sc, &all, &sum)));
	}
	struct shard_source from = {shards, n};
	struct events_source src = {read_from_shards, &from};
	ok = ok && (!summed || !o->out_dir ||
		    cli_write_outputs(o->out_dir, &sc, &sum, &all, info->events_replicas, info->all_events, &src, &err));
	if (summed && ok)
		cli_print_results(o->json, &sc, &sum, &all);
	int status = ok ? cli_finish_output() : cli_report_error(&err);
	if (ok && all.interrupted)
		cli_say_interrupted(&all, summed ? o->out_dir : NULL);
	if (ok && (all.interrupted || !summed))
		status = CLI_INTERRUPTED;
	if (summed)
		summary_finish(&sum);
	montecarlo_result_finish(&all);
	scenario_destroy(s);
	return status;
}

/* ---- the command ---- */

static bool take_out(void *args, const char *v, char *why, size_t size)
{
	if (!v[0]) {
		snprintf(why, size, "is empty; expected a directory");
		return false;
	}
	((struct merge_output *)args)->out_dir = v;
	return true;
}

static bool take_json(void *args, const char *v, char *why, size_t size)
{
	(void)v, (void)why, (void)size;
	((struct merge_output *)args)->json = true;
	return true;
}

static const struct cli_option merge_options[] = {
	{"out", 'o', "DIR", "where the run's files go (required)", take_out},
	{"json", 0, NULL, "print the summary as JSON instead of text", take_json},
	{0},
};

static const struct cli_option *const merge_tables[] = {merge_options, NULL};

const struct cli_command cli_merge_command = {
	"merge", "--out DIR SHARD_DIR... [options]",
	"put the shards of a run or sweep (--shard K/N --out SHARD_DIR) together",
	"Reads the shard that trainsim run --shard K/N wrote into each SHARD_DIR, checks that they are\n"
	"every slice of one run, reads its inputs again (they must not have changed), and writes into\n"
	"DIR exactly the files one trainsim run writes for the same inputs, seed and replicas. Shards\n"
	"of trainsim sweep --shard K/N are put together the same way: their point directories copied\n"
	"into DIR, then sweep.csv and the table.",
	merge_tables, 1, -1, "needs the shard directories",
};

static bool read_shard_dir(const char *dir, struct shard *s, struct ts_error *err)
{
	char *path = path_join(dir, SHARD_FILE);
	FILE *f = path ? fopen(path, "rb") : NULL;
	bool ok = f && shard_read(f, path, s, err);
	if (!f)
		error_set(err, path ? path : dir, 0, 0, "cannot read: %s", path ? strerror(errno) : "out of memory");
	if (f)
		fclose(f);
	free(path);
	return ok;
}

/* A sweep's shard directory holds sweep-shard.bin; a run's, shard.bin. */
static bool is_sweep_shard(const char *dir)
{
	char *path = path_join(dir, SWEEP_SHARD_FILE);
	bool yes = path && access(path, F_OK) == 0;
	free(path);
	return yes;
}

int cli_merge(int argc, char **argv)
{
	struct merge_output o = {0};
	const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
	struct shard *shards = calloc((size_t)argc + 1, sizeof *shards);
	int count = 0, status = dirs && shards ? cli_parse(&cli_merge_command, argc, argv, &o, dirs, &count, stdout, stderr)
					       : cli_report_error(&(struct ts_error){.message = "out of memory"});
	if (status == CLI_OK && !o.out_dir)
		status = cli_command_error(&cli_merge_command, stderr, "needs --out DIR");
	int read = 0;
	struct ts_error err = {0};
	bool sweep = status == CLI_OK && is_sweep_shard(dirs[0]);
	if (sweep)
		status = cli_merge_sweep(dirs, (size_t)count, o.out_dir);
	for (; !sweep && status == CLI_OK && read < count; read++)
		if (!read_shard_dir(dirs[read], &shards[read], &err))
			status = cli_report_error(&err);
	if (!sweep && status == CLI_OK)
		status = cli_merge_shards(shards, (size_t)count, dirs, &o);
	for (int i = 0; i < read; i++)
		shard_finish(&shards[i]);
	free(shards);
	free(dirs);
	return status == CLI_PARSE_HELP ? cli_finish_output() : status;
}
