/* stats: summary statistics of a sample (replicas' wall-clock, ETTR, ...): mean, standard
 * deviation, a 95% confidence interval for the mean, and percentiles. */
#ifndef TRAINSIM_STATS_H
#define TRAINSIM_STATS_H

#include <stdbool.h>
#include <stddef.h>

struct stats {
	size_t n;
	double mean, stddev;         /* stddev: sample (n - 1); 0 for one value */
	double ci95_low, ci95_high;  /* mean +- t(0.975, n - 1) x stddev / sqrt(n) */
	double min, p10, p50, p90, p99, max;
};

/* Statistics of values[0..n); false on out of memory. n == 0 gives all NaN. Percentiles
 * interpolate linearly between order statistics (Hyndman and Fan type 7, as R and NumPy). */
bool stats_compute(const double *values, size_t n, struct stats *out);

/* The p-quantile (0..1) of sorted[0..n), type 7. */
double stats_quantile(const double *sorted, size_t n, double p);

#endif
