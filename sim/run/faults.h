/* faults: when each component breaks. One process per failure class of the platform's
 * reliability section: exponential classes as one superposed Poisson process over all their
 * components (which one breaks is uniform); Weibull classes with one clock per component
 * (so infant mortality and wear-out follow each part's age since it was last renewed).
 * Bad components (bad_fraction, misdiagnosis) fail bad_factor times as often: an extra
 * superposed process over the bad ones. A recurring defect (root_cause) stops once found.
 * Or a failure log replayed instead of drawn. Each class draws from streams of its own, so
 * switching one off (trainsim explain) leaves every other class's failures as they were. */
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
	uint64_t seed;             /* the replica's, for draws keyed by what they are about */
	const double *rack_installed_s; /* per rack, when it is delivered (NULL: every rack from the start) */
};

/* Set up the failure processes from seed `seed` (a stream per class), each rate times
 * `rate_scale`, none for a class switched off in `class_off` (NULL: none); or, with `log`
 * (not owned; it must outlive f), replay it instead of drawing. `rack_installed_s` (per rack,
 * not owned, NULL: all at 0) is when each rack is delivered: a component's age counts from
 * its install (a Weibull class's clock starts there) and nothing fails before it is there.
 * false on out of memory. */
bool faults_init(struct faults *f, const struct platform *p, const struct failure_log *log, uint64_t seed,
		 double rate_scale, const bool *class_off, const double *rack_installed_s);

/* Whether the component of failure `ev` is installed by then (a failure drawn for a rack
 * still to be delivered is dropped: memoryless classes need nothing else). */
bool faults_installed(const struct faults *f, const struct failure_event *ev);

void faults_finish(struct faults *f);

/* The time of the earliest pending failure (INFINITY: none will ever come). */
double faults_peek(const struct faults *f);

/* Take the earliest pending failure (false when none will ever come). The caller then says
 * whether it struck (faults_struck) or not (faults_spare: idle_failure_factor thinned it). */
bool faults_next(struct faults *f, struct failure_event *ev);
/* The failure taken struck: a recurring defect's first strike starts the search for its cause. */
void faults_struck(struct faults *f, const struct failure_event *ev);
/* The failure taken did not strike: a Weibull component's clock runs on from its age (a
 * draw keyed by the event); memoryless classes need nothing. Nothing for a replayed log. */
void faults_spare(struct faults *f, const struct failure_event *ev);

/* Component `component` of class `class_index` is back in service at `now`: its clock starts
 * again (only Weibull classes keep one clock per component), and a repair that did not fix
 * it (misdiagnosis) leaves it bad. */
void faults_renew(struct faults *f, long class_index, long component, double now);

/* The earliest root cause found and not yet taken: its class and time (false: none). The
 * class strikes no more from then on. */
bool faults_next_found(const struct faults *f, long *class_index, double *time_s);
void faults_take_found(struct faults *f, long class_index);

#endif
