/* shard: one slice of a run's replicas as bytes, so that slices run apart (batch-array jobs
 * with --shard K/N, or MPI ranks) can be put back together into exactly the files one
 * process writes. A shard holds what identifies its run (the trainsim version, the run id,
 * the inputs' paths, overrides and content hashes, the options, the healthy step and the
 * failure-free plan, every double bit for bit), each replica's outcome and the events of
 * the replicas whose events are kept. Written and read by the same trainsim version only. */
#ifndef TRAINSIM_SHARD_H
#define TRAINSIM_SHARD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "events.h"
#include "montecarlo.h"
#include "runplan.h"

#define SHARD_FILE "shard.bin"

struct shard_info {
	char trainsim_version[32];
	char run_id[17];
	long shard, shards;            /* this is slice `shard` of `shards` */
	long replicas;                 /* of the whole run */
	long first, count;             /* its replicas */
	long events_replicas, max_events;
	bool all_events;
	uint64_t seed;
	double horizon_s, failure_scale;
	double step_time_s;
	struct run_plan_figures plan;
	long failure_classes;
	long parts;                    /* operations.spares.parts entries */
	char *platform_path, *workload_path, *failure_log_path; /* NULL: the built-in one, or none */
	char **overrides;
	long override_count;
	char platform_sha256[65], workload_sha256[65], failure_log_sha256[65];
};

/* The events of one replica, kept in a shard. */
struct shard_events {
	long replica;
	struct event *events;
	size_t count;
};

struct shard {
	struct shard_info info;
	struct mc_result result;       /* replicas [info.first, info.first + info.count) */
	struct shard_events *events;
	size_t event_sets;
};

/* Write shard s to `out`; false on a write error. */
bool shard_write(FILE *out, const struct shard *s);

/* Read a shard from `in` (named `name` in errors): false (err) when it is not a shard of
 * this trainsim version or is cut short. On success *s owns everything (shard_finish). */
bool shard_read(FILE *in, const char *name, struct shard *s, struct ts_error *err);

void shard_finish(struct shard *s);

/* Copy the strings of `info` from the given ones (owned copies); false on out of memory. */
bool shard_info_paths(struct shard_info *info, const char *platform, const char *workload, const char *failure_log,
		      const char *const *overrides, size_t override_count);

/* The events of replica i in s, or NULL. */
const struct shard_events *shard_events_of(const struct shard *s, long replica);

#endif
