/* timeline: a run's typed events as a Chrome trace event document (timeline.json) for
 * Perfetto (ui.perfetto.dev): one process per replica, one track per kind of activity (the
 * job's states, failures, repairs, power, links), as the event kind table says
 * (run/events.c). Written replica by replica; only open slices are held in memory. */
#ifndef TRAINSIM_TIMELINE_H
#define TRAINSIM_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "events.h"
#include "json.h"

/* Where the trace came from, written as the document's "otherData" (shown by Perfetto's
 * trace info); NULL members are left out. */
struct timeline_origin {
	const char *trainsim_version;
	const char *run_id;
	const char *platform, *platform_sha256;
	const char *workload, *workload_sha256;
	const char *const *overrides;
	size_t override_count;
};

struct timeline {
	struct json_writer json;
	const struct platform *platform;
};

/* Start the document on `out`. */
void timeline_begin(struct timeline *t, FILE *out, const struct platform *p, const struct timeline_origin *origin);

/* One replica's events, in time order. Short saves (under a minute) are folded into the
 * job's training slices; long ones keep their own. false on out of memory. */
bool timeline_replica(struct timeline *t, long replica, const struct event *events, size_t count);

/* End the document. */
void timeline_end(struct timeline *t);

#endif
