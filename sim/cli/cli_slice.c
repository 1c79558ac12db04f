/* cli_slice: slices of a run as shards (see cli_slice.h). A batch-array task and an MPI rank
 * run the same slice code and produce the same shard; only its way to the merge differs
 * (a file, or bytes to rank 0). */
#include "cli_slice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_merge.h"
#include "cli_mpi.h"
#include "outdir.h"
#include "shard.h"
#include "trainsim_config.h"

/* What identifies the run, as the shard carries it. */
static bool shard_identity(const struct run_args *a, const struct summary_scenario *sc, const struct mc_result *mc,
			   struct shard_info *info)
{
	const struct scenario *s = sc->scenario;
	*info = (struct shard_info){.shard = a->shard, .shards = a->shards, .replicas = a->replicas, .first = mc->first,
				    .count = mc->count, .events_replicas = a->events_replicas, .max_events = a->max_events,
				    .all_events = a->all_events, .seed = a->seed, .horizon_s = a->horizon_s,
				    .failure_scale = a->failure_scale, .step_time_s = sc->step_time_s, .plan = sc->plan,
				    .failure_classes = (long)s->platform->failure_count,
				    .parts = (long)s->platform->operations.part_count};
	snprintf(info->trainsim_version, sizeof info->trainsim_version, "%s", TRAINSIM_VERSION);
	memcpy(info->run_id, sc->run_id, sizeof info->run_id);
	memcpy(info->platform_sha256, s->platform_sha256, 65);
	memcpy(info->workload_sha256, s->workload_sha256, 65);
	memcpy(info->failure_log_sha256, s->failure_log_sha256, 65);
	return shard_info_paths(info, a->files[0], a->files[1], a->failure_log, s->overrides.items, s->overrides.count);
}

/* The kept events of the slice's replicas, read back from the workers' directory. */
static bool shard_events(const struct run_args *a, const char *workdir, struct shard *sh, struct ts_error *err)
{
	const struct mc_result *mc = &sh->result;
	sh->events = calloc((size_t)(mc->count ? mc->count : 1), sizeof *sh->events);
	if (!sh->events)
		return error_set(err, "", 0, 0, "out of memory");
	for (long i = mc->first; workdir[0] && i < mc->first + mc->count && i < a->events_replicas; i++) {
		if (!mc->replicas[i - mc->first].done)
			continue;
		struct shard_events *e = &sh->events[sh->event_sets];
		if (!montecarlo_read_events(workdir, i, &e->events, &e->count, err))
			return false;
		e->replica = i;
		sh->event_sets++;
	}
	return true;
}

/* Load the scenario and run slice a->shard of a->shards into *sh (zeroed by the caller); the
 * kept events pass through a work directory under work_parent (NULL: no events kept). Returns
 * CLI_OK, CLI_INTERRUPTED (sh holds the replicas done) or an error status (reported). */
static int run_slice(const struct run_args *a, const struct overrides *o, const char *work_parent, struct shard *sh)
{
	struct scenario_spec spec = {.platform = {.path = a->files[0]}, .workload = {.path = a->files[1]},
				     .overrides = *o, .failure_log = a->failure_log, .for_run = true};
	struct scenario *s;
	struct engine *e;
	int status;
	if (!cli_open(&spec, &a->common, &s, &e, &status))
		return status;
	struct ts_error err = {0};
	char workdir[4096] = "";
	struct summary_scenario sc;
	bool ok = (!work_parent || run_workdir(work_parent, workdir, sizeof workdir, &err)) &&
		  run_replicas(s, e, a, workdir, &sc, &sh->result, &err);
	ok = ok && (shard_identity(a, &sc, &sh->result, &sh->info) || error_set(&err, "", 0, 0, "out of memory")) &&
	     shard_events(a, workdir, sh, &err);
	if (workdir[0])
		run_remove_workdir(workdir, a->replicas);
	engine_destroy(e);
	scenario_destroy(s);
	if (!ok) {
		shard_finish(sh);
		return cli_report_error(&err);
	}
	return sh->result.interrupted ? CLI_INTERRUPTED : CLI_OK;
}

/* ---- a batch-array task: the shard into --out ---- */

static bool write_shard(const char *dir, const struct shard *sh, struct ts_error *err)
{
	static const char *const members[] = {SHARD_FILE, NULL};
	struct out_set set;
	if (!outset_begin(&set, dir, err))
		return false;
	FILE *f = outset_open(&set, SHARD_FILE, err);
	bool ok = f && (shard_write(f, sh) || error_set(err, dir, 0, 0, "cannot write %s", SHARD_FILE)) &&
		  outset_commit(&set, members, err);
	if (!ok)
		outset_abandon(&set);
	return ok;
}

static void print_shard(const struct run_args *a, const struct mc_result *mc)
{
	if (mc->count == 0)
		printf("shard %ld/%ld: no replicas (the run has fewer batches than shards), in %s\n", a->shard, a->shards,
		       a->out_dir);
	else
		printf("shard %ld/%ld: replicas %ld to %ld, %ld of %ld done, in %s; put the shards together with "
		       "trainsim merge --out DIR SHARD_DIR...\n", a->shard, a->shards, mc->first,
		       mc->first + mc->count - 1, mc->done, mc->count, a->out_dir);
}

int run_shard(const struct run_args *a, const struct overrides *o)
{
	struct ts_error err = {0};
	if (!outdir_ensure(a->out_dir, &err))
		return cli_report_error(&err);
	struct shard sh = {0};
	int status = run_slice(a, o, a->out_dir, &sh);
	if (status != CLI_OK && status != CLI_INTERRUPTED)
		return status;
	if (!write_shard(a->out_dir, &sh, &err))
		status = cli_report_error(&err);
	else {
		print_shard(a, &sh.result);
		int printed = cli_finish_output();
		if (sh.result.interrupted)
			fprintf(stderr, "trainsim: interrupted: %ld of the shard's %ld replicas done and kept in %s\n",
				sh.result.done, sh.result.count, a->out_dir);
		status = printed != CLI_OK ? printed : status;
	}
	shard_finish(&sh);
	return status;
}

/* ---- an MPI rank: the shard to rank 0 ---- */

/* The shard as bytes (malloc'd), or NULL. */
static char *serialize(const struct shard *sh, size_t *length)
{
	char *bytes = NULL;
	FILE *f = open_memstream(&bytes, length);
	if (!f)
		return NULL;
	bool ok = shard_write(f, sh);
	ok = (fclose(f) == 0) && ok;
	if (!ok) {
		free(bytes);
		return NULL;
	}
	return bytes;
}

/* Rank 0: every rank's shard read back from the gathered bytes; false (err) if one is bad. */
static bool deserialize(const char *all, const size_t *lengths, int ranks, struct shard *shards, char (*names)[32],
			struct ts_error *err)
{
	size_t at = 0;
	for (int r = 0; r < ranks; r++) {
		snprintf(names[r], sizeof names[r], "MPI rank %d", r);
		FILE *f = fmemopen((void *)(all + at), lengths[r] ? lengths[r] : 1, "rb");
		if (!f)
			return error_set(err, "", 0, 0, "out of memory reading %s's replicas", names[r]);
		bool ok = shard_read(f, names[r], &shards[r], err);
		fclose(f);
		if (!ok)
			return false;
		at += lengths[r];
	}
	return true;
}

/* Rank 0: the shards merged into the run's summary and files. */
static int merge_ranks(const struct run_args *a, const char *all, const size_t *lengths)
{
	int ranks = cli_mpi_size();
	struct shard *shards = calloc((size_t)ranks, sizeof *shards);
	char (*names)[32] = calloc((size_t)ranks, sizeof *names);
	const char **name_of = calloc((size_t)ranks, sizeof *name_of);
	struct ts_error err = {0};
	int status;
	if (!shards || !names || !name_of)
		status = cli_report_error(&(struct ts_error){.message = "out of memory merging the ranks' replicas"});
	else if (!deserialize(all, lengths, ranks, shards, names, &err))
		status = cli_report_error(&err);
	else {
		for (int r = 0; r < ranks; r++)
			name_of[r] = names[r];
		status = cli_merge_shards(shards, (size_t)ranks, name_of, &(struct merge_output){a->out_dir, a->json});
	}
	for (int r = 0; shards && r < ranks; r++)
		shard_finish(&shards[r]);
	free(shards);
	free(names);
	free(name_of);
	return status;
}

int run_over_ranks(const struct run_args *a, const struct overrides *o)
{
	struct run_args slice = *a;
	slice.shard = cli_mpi_rank();
	slice.shards = cli_mpi_size();
	slice.jobs = a->jobs ? a->jobs : 1;     /* a rank per core is the MPI way; --jobs adds workers */
	slice.quiet = a->quiet || !a->progress; /* a rank's progress is not the run's */
	const char *tmp = getenv("TMPDIR");
	struct shard sh = {0};
	int status = run_slice(&slice, o, a->out_dir ? (tmp && tmp[0] ? tmp : "/tmp") : NULL, &sh);
	bool mine = status == CLI_OK || status == CLI_INTERRUPTED;
	size_t length = 0;
	char *bytes = mine ? serialize(&sh, &length) : NULL;
	if (mine && !bytes)
		status = cli_report_error(&(struct ts_error){.message = "out of memory sending the slice to rank 0"});
	char *all;
	size_t *lengths;
	bool gathered = cli_mpi_gather_bytes(bytes, bytes ? length : 0, &all, &lengths);
	if (!gathered && bytes) { /* counted as this rank's failure */
		status = cli_report_error(&(struct ts_error){.message = "MPI could not gather the ranks' replicas"});
		free(bytes);
		bytes = NULL;
	}
	bool failed = cli_mpi_any_failed(bytes ? NULL : cli_last_error());
	if (cli_mpi_rank() == 0 && !failed)
		status = merge_ranks(a, all, lengths);
	/* else a failing rank's status becomes everyone's exit status (cli_mpi_finish) */
	shard_finish(&sh);
	free(bytes);
	free(all);
	free(lengths);
	return status;
}
