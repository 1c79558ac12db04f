/* calibrate: fitting efficiency keys to measured runs. Each case is a workload on a platform
 * with its collectives already simulated (SimGrid times them once; efficiency does not change
 * them), so a candidate set costs only steptime_compose per case. The fit minimises the worst
 * relative error (minimax) or the mean squared one (lsq) over a grid, then refines the best
 * points by pattern search: deterministic, and independent of the values the files hold. */
#ifndef TRAINSIM_CALIBRATE_H
#define TRAINSIM_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "calibration_csv.h"
#include "efficiency.h"
#include "steptime.h"

struct calibration_case {
	const struct platform *p;
	const struct workload *w;
	struct collective_times collectives; /* one healthy step, as simulated */
	enum measured_kind kind;
	double measured;                     /* seconds, or model FLOP/s per GPU */
};

enum calibration_objective { OBJECTIVE_MINIMAX, OBJECTIVE_LSQ };

struct calibration_fit {
	bool fitted[EFF_KEYS];          /* keys fitted: asked for, and some case depends on them */
	struct efficiency_spec values;  /* the fitted keys, rounded to 0.1%; the others < 0 */
	double worst_before, worst_after; /* largest relative error, each case's own set / fitted */
};

/* The case's prediction (a step time, or model FLOP/s per GPU, as it was measured) with its
 * workload's efficiency set, the keys `over` gives (>= 0) in place of its own. */
double calibration_predict(const struct calibration_case *c, const struct efficiency_spec *over);

/* Relative error of the prediction against the measurement (+0.05: 5% above). */
double calibration_error(const struct calibration_case *c, const struct efficiency_spec *over);

/* Fit the keys marked in `keys` to the n cases (one GPU's, as the values apply to a GPU) by
 * `objective`. Keys no case depends on (FP8 efficiency for BF16 runs, tp_overlap without
 * TP) are left out. Always succeeds for n >= 1. */
void calibration_fit(const struct calibration_case *cases, size_t n, const bool keys[EFF_KEYS],
		     enum calibration_objective objective, struct calibration_fit *out);

#endif
