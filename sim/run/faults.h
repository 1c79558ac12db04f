/* faults: when each component breaks. One process per failure class of the platform's
 * reliability section: exponential classes as one superposed Poisson process over all their
 * components (which one breaks is uniform); Weibull classes with one clock per component
 * (so infant mortality and wear-out follow each part's age since it was last renewed).
 * Or a failure log replayed instead of drawn. */
#ifndef TRAINSIM_FAULTS_H
#define TRAINSIM_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "platform.h"
#include "rng.h"

struct failure_event {
	double time_s;
	long class_index;  /* into platform.failures */
	long component;    /* index among the components of that class's `per` kind */
};

struct fault_source;

struct faults {
	const struct platform *platform;
	struct fault_source *sources;
	size_t count;
	struct failure_event *log; /* replayed events, in time order; NULL when drawn */
	size_t log_count, log_next;
	double rate_scale;         /* multiplies every rate (1: as the platform says) */
};

/* Components of kind `c` in the whole platform. */
long faults_component_count(const struct platform *p, enum component c);

/* Set up drawn failures from seed `seed` (stream per class). false on out of memory. */
bool faults_init(struct faults *f, const struct platform *p, uint64_t seed, double rate_scale);

/* Replay a CSV log instead ("time,component,cause" rows: time with a unit such as 3.5h,
 * component as kind:index such as node:12, cause a failure class name). Errors located. */
bool faults_load_log(struct faults *f, const char *path, struct ts_error *err);

void faults_finish(struct faults *f);

/* Take the earliest pending failure (false when none will ever come). */
bool faults_next(struct faults *f, struct failure_event *ev);

/* Component `component` of class `class_index` is back in service at `now`: its clock starts
 * again (only Weibull classes keep one clock per component). */
void faults_renew(struct faults *f, long class_index, long component, double now);

#endif
