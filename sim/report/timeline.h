/* timeline: events.csv as a Chrome trace event document (timeline.json) for Perfetto
 * (ui.perfetto.dev): one process per replica, tracks for the job's states, failures,
 * repairs, power and links. */
#ifndef TRAINSIM_TIMELINE_H
#define TRAINSIM_TIMELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

/* Read events CSV from `in` (named `name` in errors: header, then replica,time_s,event,
 * component,index,cause,detail rows, each replica's rows in time order) and write the trace
 * to `out`, replicas below `max_replicas` only. The job's short saves (under a minute) are
 * folded into its training slices; long ones keep their own. false (err: name:line) on a
 * malformed row. */
/* Where the trace came from, written as the document's "otherData" (shown by Perfetto's
 * trace info); NULL members are left out. */
struct timeline_origin {
	const char *trainsim_version;
	const char *platform, *platform_sha256;
	const char *workload, *workload_sha256;
	const char *const *overrides;
	size_t override_count;
};

bool timeline_write(FILE *in, const char *name, FILE *out, long max_replicas, const struct timeline_origin *origin,
		    struct ts_error *err);

#endif
