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
#include "failure_log.h"
#include "platform.h"
#include "rng.h"

struct fault_source;

struct faults {
	const struct platform *platform;
	struct fault_source *sources;
	size_t count;
	const struct failure_log *log; /* replayed instead of drawn, or NULL */
	size_t log_next;
	double rate_scale;         /* multiplies every rate (1: as the platform says) */
	const bool *class_off;     /* classes switched off, or NULL */
};

/* Set up the failure processes from seed `seed` (a stream per class), each rate times
 * `rate_scale`, none for a class switched off in `class_off` (NULL: none); or, with `log` (not owned; it must outlive f), replay it instead of drawing.
 * false on out of memory. */
bool faults_init(struct faults *f, const struct platform *p, const struct failure_log *log, uint64_t seed,
		 double rate_scale, const bool *class_off);

void faults_finish(struct faults *f);

/* Take the earliest pending failure (false when none will ever come). */
bool faults_next(struct faults *f, struct failure_event *ev);

/* Component `component` of class `class_index` is back in service at `now`: its clock starts
 * again (only Weibull classes keep one clock per component). */
void faults_renew(struct faults *f, long class_index, long component, double now);

#endif
