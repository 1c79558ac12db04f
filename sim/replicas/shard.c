/* shard: a slice of replicas as bytes (see shard.h). The layout is this build's own (raw
 * structs after a header that checks their sizes): shards are merged by the trainsim that
 * wrote them, and the header says so when it is not. */
#include "shard.h"

#include <stdlib.h>
#include <string.h>

#define SHARD_MAGIC "TRAINSIM-SHARD1\n"

struct shard_header {
	char magic[16];
	uint32_t result_size, event_size, info_size;
};

/* ---- writing ---- */

static bool put(FILE *out, const void *data, size_t size)
{
	return size == 0 || fwrite(data, size, 1, out) == 1;
}

static bool put_string(FILE *out, const char *text)
{
	long n = text ? (long)strlen(text) : -1;
	return put(out, &n, sizeof n) && (!text || put(out, text, (size_t)n));
}

/* The fixed part of the info: its pointers are written as strings after it. */
static bool put_info(FILE *out, const struct shard_info *info)
{
	struct shard_info fixed = *info;
	fixed.platform_path = fixed.workload_path = fixed.failure_log_path = NULL;
	fixed.overrides = NULL;
	bool ok = put(out, &fixed, sizeof fixed) && put_string(out, info->platform_path) &&
		  put_string(out, info->workload_path) && put_string(out, info->failure_log_path);
	for (long i = 0; ok && i < info->override_count; i++)
		ok = put_string(out, info->overrides[i]);
	return ok;
}

/* A replica: done flag, seed, its result without pointers, then (if done) its counts per
 * failure class and per spare part. */
static bool put_outcome(FILE *out, const struct replica_outcome *o, const struct shard_info *info)
{
	struct run_result r = o->result;
	r.interruptions_by_class = r.parts_used = NULL;
	uint8_t done = o->done;
	return put(out, &done, 1) && put(out, &o->seed, sizeof o->seed) && put(out, &r, sizeof r) &&
	       (!o->done || (put(out, o->result.interruptions_by_class, (size_t)info->failure_classes * sizeof(long)) &&
			     put(out, o->result.parts_used, (size_t)info->parts * sizeof(long))));
}

bool shard_write(FILE *out, const struct shard *s)
{
	struct shard_header h = {.result_size = sizeof(struct run_result), .event_size = sizeof(struct event),
				 .info_size = sizeof(struct shard_info)};
	memcpy(h.magic, SHARD_MAGIC, sizeof h.magic);
	bool ok = put(out, &h, sizeof h) && put_info(out, &s->info);
	for (long i = 0; ok && i < s->result.count; i++)
		ok = put_outcome(out, &s->result.replicas[i], &s->info);
	ok = ok && put(out, &s->event_sets, sizeof s->event_sets);
	for (size_t k = 0; ok && k < s->event_sets; k++) {
		const struct shard_events *e = &s->events[k];
		ok = put(out, &e->replica, sizeof e->replica) && put(out, &e->count, sizeof e->count) &&
		     put(out, e->events, e->count * sizeof *e->events);
	}
	return ok && fflush(out) == 0 && !ferror(out);
}

/* ---- reading ---- */

struct reader {
	FILE *in;
	const char *name;
	struct ts_error *err;
};

static bool get(struct reader *r, void *data, size_t size)
{
	if (size == 0 || fread(data, size, 1, r->in) == 1)
		return true;
	return error_set(r->err, r->name, 0, 0, "cut short; expected a whole shard written by trainsim run --shard");
}

/* A string of at most 1 MB, or NULL as written. */
static bool get_string(struct reader *r, char **out)
{
	long n;
	*out = NULL;
	if (!get(r, &n, sizeof n))
		return false;
	if (n < -1 || n > (1 << 20))
		return error_set(r->err, r->name, 0, 0, "a string of %ld bytes; not a shard of this trainsim", n);
	if (n < 0)
		return true;
	*out = malloc((size_t)n + 1);
	if (!*out)
		return error_set(r->err, r->name, 0, 0, "out of memory");
	(*out)[n] = '\0';
	return get(r, *out, (size_t)n);
}

static bool check_header(struct reader *r)
{
	struct shard_header h;
	if (!get(r, &h, sizeof h))
		return false;
	if (memcmp(h.magic, SHARD_MAGIC, sizeof h.magic))
		return error_set(r->err, r->name, 0, 0, "not a shard; expected the %s that trainsim run --shard writes",
				 SHARD_FILE);
	if (h.result_size != sizeof(struct run_result) || h.event_size != sizeof(struct event) ||
	    h.info_size != sizeof(struct shard_info))
		return error_set(r->err, r->name, 0, 0, "written by another build of trainsim; merge shards with the "
				 "trainsim that ran them");
	return true;
}

static bool get_info(struct reader *r, struct shard_info *info)
{
	if (!get(r, info, sizeof *info))
		return false;
	info->platform_path = info->workload_path = info->failure_log_path = NULL;
	long n = info->override_count;
	info->overrides = NULL;
	info->override_count = 0;
	if (n < 0 || n > 100000 || info->count < 0 || info->count > 100000000 || info->failure_classes < 0 ||
	    info->failure_classes > 100000 || info->parts < 0 || info->parts > 100000)
		return error_set(r->err, r->name, 0, 0, "its header is not a shard's; expected a file trainsim wrote");
	bool ok = get_string(r, &info->platform_path) && get_string(r, &info->workload_path) &&
		  get_string(r, &info->failure_log_path);
	info->overrides = ok ? calloc((size_t)(n ? n : 1), sizeof *info->overrides) : NULL;
	if (ok && !info->overrides)
		return error_set(r->err, r->name, 0, 0, "out of memory");
	for (; ok && info->override_count < n; info->override_count++)
		ok = get_string(r, &info->overrides[info->override_count]);
	return ok;
}

/* An array of n counts, or NULL (err filled). */
static long *get_counts(struct reader *r, long n)
{
	long *counts = calloc((size_t)(n ? n : 1), sizeof *counts);
	if (!counts)
		error_set(r->err, r->name, 0, 0, "out of memory");
	else if (!get(r, counts, (size_t)n * sizeof *counts)) {
		free(counts);
		counts = NULL;
	}
	return counts;
}

static bool get_outcome(struct reader *r, struct replica_outcome *o, const struct shard_info *info)
{
	uint8_t done;
	if (!get(r, &done, 1) || !get(r, &o->seed, sizeof o->seed) || !get(r, &o->result, sizeof o->result))
		return false;
	o->done = done;
	o->result.interruptions_by_class = o->result.parts_used = NULL;
	if (!done)
		return true;
	return (o->result.interruptions_by_class = get_counts(r, info->failure_classes)) &&
	       (o->result.parts_used = get_counts(r, info->parts));
}

static bool get_events(struct reader *r, struct shard *s)
{
	if (!get(r, &s->event_sets, sizeof s->event_sets))
		return false;
	if (s->event_sets > (size_t)s->info.count)
		return error_set(r->err, r->name, 0, 0, "more event sets than replicas; not a shard of this trainsim");
	s->events = calloc(s->event_sets ? s->event_sets : 1, sizeof *s->events);
	if (!s->events)
		return error_set(r->err, r->name, 0, 0, "out of memory");
	for (size_t k = 0; k < s->event_sets; k++) {
		struct shard_events *e = &s->events[k];
		if (!get(r, &e->replica, sizeof e->replica) || !get(r, &e->count, sizeof e->count))
			return false;
		if (e->count > 1000000000)
			return error_set(r->err, r->name, 0, 0, "an event set of %zu events; not a shard", e->count);
		e->events = malloc((e->count ? e->count : 1) * sizeof *e->events);
		if (!e->events)
			return error_set(r->err, r->name, 0, 0, "out of memory");
		if (!get(r, e->events, e->count * sizeof *e->events))
			return false;
	}
	return true;
}

bool shard_read(FILE *in, const char *name, struct shard *s, struct ts_error *err)
{
	struct reader r = {in, name, err};
	*s = (struct shard){0};
	bool ok = check_header(&r) && get_info(&r, &s->info);
	if (ok) {
		s->result = (struct mc_result){.first = s->info.first, .count = s->info.count};
		s->result.replicas = calloc((size_t)(s->info.count ? s->info.count : 1), sizeof *s->result.replicas);
		ok = s->result.replicas || error_set(err, name, 0, 0, "out of memory");
	}
	for (long i = 0; ok && i < s->info.count; i++) {
		ok = get_outcome(&r, &s->result.replicas[i], &s->info);
		s->result.done += ok && s->result.replicas[i].done;
	}
	ok = ok && get_events(&r, s);
	if (!ok)
		shard_finish(s);
	return ok;
}

void shard_finish(struct shard *s)
{
	free(s->info.platform_path);
	free(s->info.workload_path);
	free(s->info.failure_log_path);
	for (long i = 0; s->info.overrides && i < s->info.override_count; i++)
		free(s->info.overrides[i]);
	free(s->info.overrides);
	for (size_t k = 0; s->events && k < s->event_sets; k++)
		free(s->events[k].events);
	free(s->events);
	montecarlo_result_finish(&s->result);
	*s = (struct shard){0};
}

static char *copy(const char *text, bool *ok)
{
	char *c = text ? strdup(text) : NULL;
	*ok &= !text || c;
	return c;
}

bool shard_info_paths(struct shard_info *info, const char *platform, const char *workload, const char *failure_log,
		      const char *const *overrides, size_t override_count)
{
	bool ok = true;
	info->platform_path = copy(platform, &ok);
	info->workload_path = copy(workload, &ok);
	info->failure_log_path = copy(failure_log, &ok);
	info->overrides = calloc(override_count ? override_count : 1, sizeof *info->overrides);
	ok &= info->overrides != NULL;
	for (size_t i = 0; ok && i < override_count; i++, info->override_count++)
		info->overrides[i] = copy(overrides[i], &ok);
	return ok;
}

const struct shard_events *shard_events_of(const struct shard *s, long replica)
{
	for (size_t k = 0; k < s->event_sets; k++)
		if (s->events[k].replica == replica)
			return &s->events[k];
	return NULL;
}
