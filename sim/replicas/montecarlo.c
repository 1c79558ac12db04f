/* montecarlo: replicas in forked workers; results come back through a pipe each. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "montecarlo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "components.h"

/* What a worker writes to its pipe: a status, then the result and its per-class counts, or
 * an error message. */
struct wire_head {
	int ok;
	struct run_result result; /* interruptions_by_class follows as an array */
	char message[512];
};

/* Replicas a worker runs one after the other: fewer forks of a large process (copying its
 * page tables was a quarter of a replica's time). Batches are fixed by replica index, so
 * what a replica inherits from the ones before it in its process (the step cache, the
 * engine clock) does not depend on how many workers run. */
#define BATCH 8

struct worker {
	pid_t pid;
	int fd;
	long replica, count; /* replicas [replica, replica + count) */
};

bool montecarlo_events_path(const char *dir, long replica, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/events-%06ld.bin", dir, replica);
	return n >= 0 && (size_t)n < size;
}

static bool write_all(int fd, const void *data, size_t size)
{
	const char *p = data;
	while (size > 0) {
		ssize_t n = write(fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		size -= (size_t)n;
	}
	return true;
}

static bool read_all(int fd, void *data, size_t size)
{
	char *p = data;
	while (size > 0) {
		ssize_t n = read(fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		size -= (size_t)n;
	}
	return true;
}

/* In the worker: replica i's events, sorted, into its file under the events directory. */
static bool keep_events(const char *dir, long i, struct event_record *rec, struct ts_error *err)
{
	char path[4096];
	if (!montecarlo_events_path(dir, i, path, sizeof path))
		return error_set(err, dir, 0, 0, "the path of the events files is too long");
	if (rec->out_of_memory)
		return error_set(err, path, 0, 0, "out of memory keeping the events");
	events_record_sort(rec);
	FILE *f = fopen(path, "wb");
	if (!f)
		return error_set(err, path, 0, 0, "cannot write: %s", strerror(errno));
	bool ok = fwrite(&rec->count, sizeof rec->count, 1, f) == 1 &&
		  fwrite(rec->events, sizeof *rec->events, rec->count, f) == rec->count;
	ok = (fclose(f) == 0) && ok;
	return ok || error_set(err, path, 0, 0, "cannot write: %s", strerror(errno ? errno : EIO));
}

/* In the worker: run replica i and report through fd. */
static bool run_one(const struct scenario *sc, struct engine *e, const struct mc_options *o, long i, int fd)
{
	struct run_options ro = o->run;
	ro.seed = o->seed + (uint64_t)i;
	struct event_record rec = {0};
	struct event_sink sink = events_record_sink(&rec);
	bool keep = o->events_dir && i < o->events_replicas;
	ro.events = keep ? &sink : NULL;
	struct wire_head head = {0};
	struct ts_error err = {0};
	head.ok = runsim_run(sc, e, &ro, &head.result, &err) && (!keep || keep_events(o->events_dir, i, &rec, &err));
	events_record_finish(&rec);
	if (!head.ok)
		error_format(&err, head.message, sizeof head.message);
	long *by_class = head.result.interruptions_by_class;
	head.result.interruptions_by_class = NULL;
	size_t classes = sc->platform->failure_count;
	bool sent = write_all(fd, &head, sizeof head) && (!head.ok || write_all(fd, by_class, classes * sizeof *by_class));
	free(by_class);
	return sent && head.ok;
}

/* In the worker: its batch of replicas, each reported through fd. Never returns. */
static void worker_main(const struct scenario *sc, struct engine *e, const struct mc_options *o, long first,
			long count, int fd)
{
	if (o->worker_start)
		o->worker_start();
	bool ok = true;
	for (long i = first; ok && i < first + count; i++)
		ok = run_one(sc, e, o, i, fd);
	_exit(ok ? 0 : 3);
}

static bool collect_one(const struct platform *p, int fd, long replica, struct replica_outcome *out,
			struct ts_error *err)
{
	struct wire_head head;
	bool ok = read_all(fd, &head, sizeof head);
	if (ok && !head.ok)
		return error_set(err, "", 0, 0, "replica %ld: %s", replica, head.message);
	long *by_class = ok ? calloc(p->failure_count ? p->failure_count : 1, sizeof *by_class) : NULL;
	ok = by_class && read_all(fd, by_class, p->failure_count * sizeof *by_class);
	if (!ok) {
		free(by_class);
		return error_set(err, "", 0, 0, "replica %ld: its worker died without a result", replica);
	}
	out->result = head.result;
	out->result.interruptions_by_class = by_class;
	out->done = true;
	return true;
}

/* The results of a worker's batch; *done counts them. */
static bool collect(const struct platform *p, struct worker *wk, struct mc_result *out, struct ts_error *err)
{
	bool ok = true;
	for (long i = wk->replica; ok && i < wk->replica + wk->count; i++) {
		ok = collect_one(p, wk->fd, i, &out->replicas[i], err);
		out->done += ok;
	}
	close(wk->fd);
	return ok;
}

static bool spawn(const struct scenario *sc, struct engine *e, const struct mc_options *o, long i, long count,
		  struct worker *wk, struct ts_error *err)
{
	int fds[2];
	if (pipe(fds) != 0)
		return error_set(err, "", 0, 0, "cannot create a pipe: %s", strerror(errno));
	/* the worker writes its batch's results before the parent reads them: room for all */
	fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return error_set(err, "", 0, 0, "cannot start a worker: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		worker_main(sc, e, o, i, count, fds[1]);
	}
	close(fds[1]);
	*wk = (struct worker){pid, fds[0], i, count};
	return true;
}

static void stop_workers(struct worker *workers, long jobs)
{
	for (long k = 0; k < jobs; k++)
		if (workers[k].pid > 0) {
			kill(workers[k].pid, SIGKILL);
			waitpid(workers[k].pid, NULL, 0);
			close(workers[k].fd);
			workers[k].pid = 0;
		}
}

/* Wait for one worker to end and collect its replica. */
static bool reap_one(const struct platform *p, struct worker *workers, long jobs, struct mc_result *out,
		     pid_t *reaped, struct ts_error *err)
{
	int status;
	pid_t pid = waitpid(-1, &status, 0);
	*reaped = 0;
	if (pid < 0)
		return errno == EINTR || error_set(err, "", 0, 0, "waiting for a worker: %s", strerror(errno));
	for (long k = 0; k < jobs; k++) {
		if (workers[k].pid != pid)
			continue;
		*reaped = pid;
		workers[k].pid = 0;
		return collect(p, &workers[k], out, err);
	}
	return true; /* not one of ours */
}

/* Simulate, before forking, the steps every replica is likely to need beyond the healthy
 * one: one link of each degradation class degraded on each rail (and one leaf uplink). The
 * step cache keys a degradation by kind, rail and share left, so each replica's first
 * degradations are then cache hits instead of a re-simulation in every replica. */
static bool prewarm(const struct platform *p, struct engine *e, struct ts_error *err)
{
	struct step_result step;
	long node = e->placement.nodes[0];
	bool ok = true;
	for (size_t k = 0; ok && k < p->failure_count; k++) {
		const struct failure_class *fc = &p->failures[k];
		if (fc->effect != EFFECT_DEGRADE)
			continue;
		for (long rail = 0; ok && rail <= p->node.nics; rail++) {
			long component = components_nic_fiber(p, node, rail); /* the last: the node's leaf uplink */
			if (rail == p->node.nics) {
				if (fc->per != COMPONENT_LINK || p->fabric.leaf_uplinks <= 0)
					break;
				component = components_leaf_fiber(p, platform_node_leaf(p, node), 0);
			}
			struct link_degradation d = flowsim_degradation(components_place(p, fc->per, component),
									fc->degraded_fraction);
			struct cluster_state state = {&d, 1};
			ok = steptime_compute(e->steptime, &e->placement, &state, &step, err);
		}
	}
	return ok;
}

bool montecarlo_run(const struct scenario *sc, struct engine *e, const struct mc_options *o, struct mc_result *out,
		    struct ts_error *err)
{
	memset(out, 0, sizeof *out);
	out->count = o->replicas;
	out->replicas = calloc((size_t)o->replicas, sizeof *out->replicas);
	long jobs = o->jobs < 1 ? 1 : o->jobs;
	struct worker *workers = calloc((size_t)jobs, sizeof *workers);
	if (!out->replicas || !workers) {
		free(workers);
		return error_set(err, "", 0, 0, "out of memory for %ld replicas", o->replicas);
	}
	bool ok = prewarm(sc->platform, e, err); /* once, before forking */
	for (long i = 0; i < o->replicas; i++)
		out->replicas[i].seed = o->seed + (uint64_t)i;
	long next = 0, running = 0;
	while (ok && (next < o->replicas || running > 0)) {
		bool stopping = o->stop && *o->stop;
		for (long k = 0; k < jobs && next < o->replicas && !stopping; k++)
			if (workers[k].pid == 0) {
				long count = o->replicas - next < BATCH ? o->replicas - next : BATCH;
				ok = spawn(sc, e, o, next, count, &workers[k], err);
				next += count;
				running += ok;
				if (!ok)
					break;
			}
		if (stopping || !ok)
			break;
		long before = out->done;
		pid_t reaped = 0;
		ok = reap_one(sc->platform, workers, jobs, out, &reaped, err);
		running -= reaped != 0;
		if (o->progress && out->done != before)
			o->progress(o->progress_data, out->done, o->replicas);
	}
	out->interrupted = out->done < o->replicas && ok;
	stop_workers(workers, jobs);
	free(workers);
	return ok;
}

void montecarlo_result_finish(struct mc_result *r)
{
	for (long i = 0; r->replicas && i < r->count; i++)
		runsim_result_finish(&r->replicas[i].result);
	free(r->replicas);
	memset(r, 0, sizeof *r);
}

bool montecarlo_read_events(const char *dir, long replica, struct event **events, size_t *count,
			    struct ts_error *err)
{
	char path[4096];
	*events = NULL;
	*count = 0;
	if (!montecarlo_events_path(dir, replica, path, sizeof path))
		return error_set(err, dir, 0, 0, "the path of the events files is too long");
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_set(err, path, 0, 0, "cannot read: %s", strerror(errno));
	size_t n = 0;
	bool ok = fread(&n, sizeof n, 1, f) == 1 && n <= SIZE_MAX / sizeof **events;
	*events = ok ? malloc((n ? n : 1) * sizeof **events) : NULL;
	ok = *events && fread(*events, sizeof **events, n, f) == n;
	fclose(f);
	if (!ok) {
		free(*events);
		*events = NULL;
		return error_set(err, path, 0, 0, "cannot read the events its worker kept");
	}
	*count = n;
	return true;
}
