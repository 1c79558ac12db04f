/* montecarlo: replicas in forked workers; results come back through a pipe each. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "montecarlo.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "placement.h"

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

void montecarlo_events_path(const char *dir, long replica, char *buf, size_t size)
{
	snprintf(buf, size, "%s/events-%06ld.csv", dir, replica);
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

/* In the worker: run replica i and report through fd. */
static bool run_one(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
		    struct steptime *st, const struct mc_options *o, long i, int fd)
{
	struct run_options ro = o->run;
	ro.seed = o->seed + (uint64_t)i;
	ro.events = NULL;
	char path[4096];
	if (o->events_dir && i < o->events_replicas) {
		montecarlo_events_path(o->events_dir, i, path, sizeof path);
		ro.events = fopen(path, "w");
	}
	struct wire_head head = {0};
	struct ts_error err = {0};
	head.ok = (!o->events_dir || i >= o->events_replicas || ro.events) &&
		  runsim_run(p, w, c, st, &ro, &head.result, &err);
	if (ro.events && fclose(ro.events) != 0)
		head.ok = error_set(&err, path, 0, 0, "cannot write: %s", strerror(errno));
	else if (o->events_dir && i < o->events_replicas && !ro.events)
		error_set(&err, path, 0, 0, "cannot write: %s", strerror(errno));
	if (!head.ok)
		error_format(&err, head.message, sizeof head.message);
	long *by_class = head.result.interruptions_by_class;
	head.result.interruptions_by_class = NULL;
	bool sent = write_all(fd, &head, sizeof head) &&
		    (!head.ok || write_all(fd, by_class, p->failure_count * sizeof *by_class));
	free(by_class);
	return sent && head.ok;
}

/* In the worker: its batch of replicas, each reported through fd. Never returns. */
static void worker_main(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
			struct steptime *st, const struct mc_options *o, long first, long count, int fd)
{
	signal(SIGINT, SIG_IGN); /* the parent decides what an interrupt stops */
	bool ok = true;
	for (long i = first; ok && i < first + count; i++)
		ok = run_one(p, w, c, st, o, i, fd);
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

static bool spawn(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
		  struct steptime *st, const struct mc_options *o, long i, long count, struct worker *wk,
		  struct ts_error *err)
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
		worker_main(p, w, c, st, o, i, count, fds[1]);
	}
	close(fds[1]);
	*wk = (struct worker){pid, fds[0], i, count};
	return true;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* "[=======>     ] 57/200 replicas, ETA 0:42" on one line of stderr. */
static void show_progress(long done, long total, double started)
{
	int width = 30, filled = (int)(width * done / (total ? total : 1));
	double elapsed = now_s() - started;
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

/* Simulate, before forking, the steps every replica is likely to need: the healthy one, and
 * one link of each degradation class degraded on each rail (and one leaf uplink). The step
 * cache keys a degradation by kind, rail and share left, so each replica's first
 * degradations are then cache hits instead of a re-simulation in every replica. */
static bool prewarm(const struct platform *p, const struct workload *w, struct steptime *st, struct ts_error *err)
{
	struct placement pl;
	struct step_result step;
	if (!placement_init(&pl, p, w))
		return error_set(err, "", 0, 0, "out of memory placing the job");
	bool ok = steptime_compute(st, &pl, NULL, &step, err);
	long node = pl.nodes[0], nic_fibers = p->counts.nodes * p->node.nics;
	for (size_t k = 0; ok && k < p->failure_count; k++) {
		const struct failure_class *fc = &p->failures[k];
		if (fc->effect != EFFECT_DEGRADE)
			continue;
		for (long rail = 0; ok && rail <= p->node.nics; rail++) {
			long component = node * p->node.nics + rail; /* the last: the node's leaf uplink */
			if (rail == p->node.nics) {
				if (fc->per != COMPONENT_LINK || p->fabric.leaf_uplinks <= 0)
					break;
				component = nic_fibers + platform_node_leaf(p, node) * p->fabric.leaf_uplinks;
			}
			struct link_degradation d = runsim_link_degradation(p, component, fc->degraded_fraction);
			struct cluster_state state = {&d, 1};
			ok = steptime_compute(st, &pl, &state, &step, err);
		}
	}
	placement_finish(&pl);
	return ok;
}

bool montecarlo_run(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
		    struct steptime *st, const struct mc_options *o, struct mc_result *out, struct ts_error *err)
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
	bool ok = prewarm(p, w, st, err); /* once, before forking */
	for (long i = 0; i < o->replicas; i++)
		out->replicas[i].seed = o->seed + (uint64_t)i;
	double started = now_s();
	long next = 0, running = 0;
	while (ok && (next < o->replicas || running > 0)) {
		bool stopping = o->stop && *o->stop;
		for (long k = 0; k < jobs && next < o->replicas && !stopping; k++)
			if (workers[k].pid == 0) {
				long count = o->replicas - next < BATCH ? o->replicas - next : BATCH;
				ok = spawn(p, w, c, st, o, next, count, &workers[k], err);
				next += count;
				running += ok;
				if (!ok)
					break;
			}
		if (stopping || !ok)
			break;
		long before = out->done;
		pid_t reaped = 0;
		ok = reap_one(p, workers, jobs, out, &reaped, err);
		running -= reaped != 0;
		if (o->progress && out->done != before)
			show_progress(out->done, o->replicas, started);
	}
	out->interrupted = out->done < o->replicas && ok;
	stop_workers(workers, jobs);
	if (o->progress)
		fprintf(stderr, "\r%*s\r", 72, "");
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
