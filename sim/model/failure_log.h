/* failure_log: a CSV of failures to replay instead of drawing them (`trainsim run
 * --failure-log`): "time,component,cause" rows such as 3.5h,node:12,gpu, the time with a
 * unit, the component as KIND:INDEX of the class's `per` kind, the cause a failure class of
 * the platform. Read and checked once against the platform; every replica replays it. */
#ifndef TRAINSIM_FAILURE_LOG_H
#define TRAINSIM_FAILURE_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "platform.h"

/* One failure: when (seconds from the run's start), which class, which component. */
struct failure_event {
	double time_s;
	long class_index;  /* into platform.failures */
	long component;    /* index among the components of that class's `per` kind */
};

struct failure_log {
	struct failure_event *events; /* in time order */
	size_t count;
};

/* Read the log at `path` against platform p. Errors located by line and column. On success
 * *log owns its events (free with failure_log_finish). */
bool failure_log_load(const char *path, const struct platform *p, struct failure_log *log, struct ts_error *err);

/* Free the events; accepts an empty or zeroed log. */
void failure_log_finish(struct failure_log *log);

#endif
