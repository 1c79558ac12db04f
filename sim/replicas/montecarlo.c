/* montecarlo: replicas in forked workers (see montecarlo.h). Each worker runs a batch of
 * replicas and writes each one's record to its pipe as soon as it is done; the parent polls
 * every pipe, so a replica finished is kept even if its worker is stopped or dies later. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "montecarlo.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>


/* What a worker writes for each replica: which one, a status, the result (its per-class
 * counts, then its per-part counts, follow as arrays) or an error message. */
struct wire_head {
	long replica;
	int ok;
	struct run_result result;
	char message[512];
};

struct worker {
	pid_t pid;
	int fd;
	long first, count;   /* replicas [first, first + count) */
	long received;       /* records read so far */
	char *buf;           /* a record being read */
	size_t have;
};

/* Replicas a worker runs one after the other: fewer forks of a large process (copying its
 * page tables was a quarter of a replica's time when each replica had its own). What a
 * replica inherits from the ones before it in its process (the step cache, the engine
 * clock) can change its rounding, so batches depend on the replica count alone, never on
 * the number of workers: up to 128 replicas each has a process of its own (they spread over
 * every worker), beyond that batches grow to 8. */
long montecarlo_batch(long replicas)
{
	long batch = (replicas + 127) / 128;
	return batch < 1 ? 1 : batch > 8 ? 8 : batch;
}

void montecarlo_slice(long replicas, long shard, long shards, long *first, long *count)
{
	long batch = montecarlo_batch(replicas), batches = (replicas + batch - 1) / batch;
	long from = batches * shard / shards, to = batches * (shard + 1) / shards;
	long end = to * batch < replicas ? to * batch : replicas;
	*first = from * batch < replicas ? from * batch : replicas;
	*count = end - *first;
}

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

/* ---- in a worker ---- */

/* Replica i's events, sorted, into its file under the events directory. */
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

/* The longs that follow a record's head: per failure class, then per spare part. */
static size_t record_counts(const struct platform *p)
{
	return p->failure_count + p->operations.part_count;
}

static size_t record_size(const struct platform *p)
{
	return sizeof(struct wire_head) + record_counts(p) * sizeof(long);
}

/* The record of replica i: its head, then its per-class and per-part counts (zeros when it
 * failed), in one write. Takes the result's arrays (freed here). */
static bool send_record(int fd, const struct platform *p, struct wire_head *head)
{
	long *by_class = head->result.interruptions_by_class, *parts = head->result.parts_used;
	head->result.interruptions_by_class = head->result.parts_used = NULL;
	size_t classes = p->failure_count * sizeof(long), size = record_size(p);
	char *record = calloc(1, size);
	bool sent = false;
	if (record) {
		memcpy(record, head, sizeof *head);
		if (head->ok) {
			memcpy(record + sizeof *head, by_class, classes);
			memcpy(record + sizeof *head + classes, parts, p->operations.part_count * sizeof(long));
		}
		sent = write_all(fd, record, size);
	}
	free(record);
	free(by_class);
	free(parts);
	return sent;
}

/* Run replica i and report it through fd. */
static bool run_one(const struct scenario *sc, struct engine *e, const struct mc_options *o, long i, int fd)
{
	struct run_options ro = o->run;
	ro.seed = o->seed + (uint64_t)i;
	struct event_record rec = {0};
	struct event_sink sink = events_record_sink(&rec);
	bool keep = o->events_dir && i < o->events_replicas;
	ro.events = keep ? &sink : NULL;
	struct wire_head head = {.replica = i};
	struct ts_error err = {0};
	head.ok = runsim_run(sc, e, &ro, &head.result, &err) && (!keep || keep_events(o->events_dir, i, &rec, &err));
	events_record_finish(&rec);
	if (!head.ok)
		error_format(&err, head.message, sizeof head.message);
	bool sent = send_record(fd, sc->platform, &head);
	return sent && head.ok;
}

/* A worker dies with its parent (a killed trainsim leaves nothing computing). */
static void die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent) /* the parent died before the line above */
		_exit(3);
}

/* In the worker: its batch of replicas, each reported through fd. Never returns. */
static void worker_main(const struct scenario *sc, struct engine *e, const struct mc_options *o, pid_t parent,
			long first, long count, int fd)
{
	die_with_parent(parent);
	if (o->worker_start)
		o->worker_start();
	bool ok = true;
	for (long i = first; ok && i < first + count; i++)
		ok = run_one(sc, e, o, i, fd);
	_exit(ok ? 0 : 3);
}

/* ---- in the parent ---- */

static bool spawn(const struct scenario *sc, struct engine *e, const struct mc_options *o, long first, long count,
		  struct worker *wk, struct ts_error *err)
{
	int fds[2];
	char *buf = malloc(record_size(sc->platform));
	if (!buf)
		return error_set(err, "", 0, 0, "out of memory starting a worker");
	if (pipe(fds) != 0) {
		free(buf);
		return error_set(err, "", 0, 0, "cannot create a pipe: %s", strerror(errno));
	}
	fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		free(buf);
		return error_set(err, "", 0, 0, "cannot start a worker: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		worker_main(sc, e, o, parent, first, count, fds[1]);
	}
	close(fds[1]);
	*wk = (struct worker){.pid = pid, .fd = fds[0], .first = first, .count = count, .buf = buf};
	return true;
}

/* A whole record arrived: keep the replica it reports. */
static bool take_record(const struct platform *p, struct worker *wk, struct mc_result *out, struct ts_error *err)
{
	struct wire_head head;
	memcpy(&head, wk->buf, sizeof head);
	wk->have = 0;
	wk->received++;
	if (head.replica < wk->first || head.replica >= wk->first + wk->count)
		return error_set(err, "", 0, 0, "a worker reported replica %ld, not one of its own", head.replica);
	if (!head.ok)
		return error_set(err, "", 0, 0, "replica %ld: %s", head.replica, head.message);
	long *by_class = calloc(p->failure_count ? p->failure_count : 1, sizeof *by_class);
	long *parts = calloc(p->operations.part_count ? p->operations.part_count : 1, sizeof *parts);
	if (!by_class || !parts) {
		free(by_class);
		free(parts);
		return error_set(err, "", 0, 0, "out of memory collecting replica %ld", head.replica);
	}
	memcpy(by_class, wk->buf + sizeof head, p->failure_count * sizeof *by_class);
	memcpy(parts, wk->buf + sizeof head + p->failure_count * sizeof *by_class, p->operations.part_count * sizeof *parts);
	struct replica_outcome *r = &out->replicas[head.replica - out->first];
	r->result = head.result;
	r->result.interruptions_by_class = by_class;
	r->result.parts_used = parts;
	r->done = true;
	out->done++;
	return true;
}

/* Read what the worker has written; false on an error. *ended when its pipe closed. */
static bool drain(const struct platform *p, struct worker *wk, struct mc_result *out, bool *ended, struct ts_error *err)
{
	size_t size = record_size(p);
	*ended = false;
	for (;;) {
		ssize_t n = read(wk->fd, wk->buf + wk->have, size - wk->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return true;
		if (n <= 0) {
			*ended = true;
			return n == 0 || error_set(err, "", 0, 0, "reading a worker's results: %s", strerror(errno));
		}
		wk->have += (size_t)n;
		if (wk->have == size && !take_record(p, wk, out, err))
			return false;
	}
}

/* A worker whose pipe closed: wait for it and say if it ended before its batch did. */
static bool reap(struct worker *wk, bool stopping, struct ts_error *err)
{
	int status = 0;
	while (waitpid(wk->pid, &status, 0) < 0 && errno == EINTR)
		continue;
	close(wk->fd);
	free(wk->buf);
	long missing = wk->first + wk->received;
	bool whole = wk->received == wk->count;
	*wk = (struct worker){0};
	if (whole || stopping)
		return true;
	if (WIFSIGNALED(status))
		return error_set(err, "", 0, 0, "replica %ld: its worker was killed by signal %d before it finished",
				 missing, WTERMSIG(status));
	return error_set(err, "", 0, 0, "replica %ld: its worker ended without a result", missing);
}

static void stop_workers(const struct platform *p, struct worker *workers, long jobs, struct mc_result *out)
{
	struct ts_error ignored = {0};
	for (long k = 0; k < jobs; k++) {
		if (workers[k].pid <= 0)
			continue;
		kill(workers[k].pid, SIGKILL);
		fcntl(workers[k].fd, F_SETFL, 0); /* blocking: read what it wrote before it died */
		bool ended = false;
		while (!ended && drain(p, &workers[k], out, &ended, &ignored))
			continue;
		reap(&workers[k], true, &ignored);
	}
}

/* Start batches on the free workers; false on an error. */
static bool fill(const struct scenario *sc, struct engine *e, const struct mc_options *o, struct worker *workers,
		 long jobs, long *next, long end, struct ts_error *err)
{
	long batch = montecarlo_batch(o->replicas);
	for (long k = 0; k < jobs && *next < end; k++) {
		if (workers[k].pid != 0)
			continue;
		long stop = (*next / batch + 1) * batch; /* batches start at multiples of the batch size */
		long count = (stop < end ? stop : end) - *next;
		if (!spawn(sc, e, o, *next, count, &workers[k], err))
			return false;
		fcntl(workers[k].fd, F_SETFL, O_NONBLOCK);
		*next += count;
	}
	return true;
}

/* Wait for any worker's pipe; read what came and reap the workers that ended. */
static bool collect(const struct platform *p, const struct mc_options *o, struct worker *workers, long jobs,
		    struct pollfd *fds, long *which, struct mc_result *out, struct ts_error *err)
{
	long n = 0;
	for (long k = 0; k < jobs; k++)
		if (workers[k].pid > 0) {
			fds[n] = (struct pollfd){workers[k].fd, POLLIN, 0};
			which[n++] = k;
		}
	if (poll(fds, (nfds_t)n, -1) < 0)
		return errno == EINTR || error_set(err, "", 0, 0, "waiting for the workers: %s", strerror(errno));
	long before = out->done;
	bool ok = true;
	for (long i = 0; ok && i < n; i++) {
		if (!fds[i].revents)
			continue;
		bool ended = false;
		ok = drain(p, &workers[which[i]], out, &ended, err);
		if (ok && ended)
			ok = reap(&workers[which[i]], false, err);
	}
	if (o->progress && out->done != before)
		o->progress(o->progress_data, out->done, out->count);
	return ok;
}

static long running(const struct worker *workers, long jobs)
{
	long n = 0;
	for (long k = 0; k < jobs; k++)
		n += workers[k].pid > 0;
	return n;
}

bool montecarlo_run(const struct scenario *sc, struct engine *e, const struct mc_options *o, struct mc_result *out,
		    struct ts_error *err)
{
	long first = o->first, end = o->first + o->count;
	*out = (struct mc_result){.count = end - first, .first = first};
	out->replicas = calloc((size_t)(out->count ? out->count : 1), sizeof *out->replicas);
	long jobs = o->jobs < 1 ? 1 : o->jobs;
	struct worker *workers = calloc((size_t)jobs, sizeof *workers);
	struct pollfd *fds = calloc((size_t)jobs, sizeof *fds);
	long *which = calloc((size_t)jobs, sizeof *which);
	if (!out->replicas || !workers || !fds || !which) {
		free(workers);
		free(fds);
		free(which);
		return error_set(err, "", 0, 0, "out of memory for %ld replicas", out->count);
	}
	for (long i = 0; i < out->count; i++)
		out->replicas[i].seed = o->seed + (uint64_t)(first + i);
	bool ok = true;
	long next = first;
	while (ok && !(o->stop && *o->stop) && (next < end || running(workers, jobs) > 0))
		ok = fill(sc, e, o, workers, jobs, &next, end, err) &&
		     collect(sc->platform, o, workers, jobs, fds, which, out, err);
	stop_workers(sc->platform, workers, jobs, out);
	out->interrupted = out->done < out->count;
	free(workers);
	free(fds);
	free(which);
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
