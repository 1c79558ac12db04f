/* stats: mean, deviation, confidence interval and percentiles (see stats.h). */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double stats_quantile(const double *sorted, size_t n, double p)
{
	if (n == 0)
		return NAN;
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* Student's t at 0.975 for `df` degrees of freedom (tables, e.g. NIST/SEMATECH e-Handbook
 * 1.3.6.7.2); beyond 30, the normal-tail approximation t = z + (z^3 + z) / (4 df). */
static double t975(size_t df)
{
	static const double table[] = {NAN,   12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
				       2.201, 2.179,  2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
				       2.080, 2.074,  2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
	if (df < sizeof table / sizeof table[0])
		return table[df];
	double z = 1.959964;
	return z + (z * z * z + z) / (4 * (double)df);
}

bool stats_compute(const double *values, size_t n, struct stats *out)
{
	memset(out, 0, sizeof *out);
	out->n = n;
	if (n == 0) {
		out->mean = out->stddev = out->ci95_low = out->ci95_high = NAN;
		out->min = out->p10 = out->p50 = out->p90 = out->p99 = out->max = NAN;
		return true;
	}
	double *sorted = malloc(n * sizeof *sorted);
	if (!sorted)
		return false;
	memcpy(sorted, values, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, compare_doubles);
	double sum = 0, squares = 0;
	for (size_t i = 0; i < n; i++)
		sum += sorted[i];
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		squares += (sorted[i] - out->mean) * (sorted[i] - out->mean);
	out->stddev = n > 1 ? sqrt(squares / (double)(n - 1)) : 0;
	double half = n > 1 ? t975(n - 1) * out->stddev / sqrt((double)n) : 0;
	out->ci95_low = out->mean - half;
	out->ci95_high = out->mean + half;
	out->min = sorted[0];
	out->max = sorted[n - 1];
	out->p10 = stats_quantile(sorted, n, 0.10);
	out->p50 = stats_quantile(sorted, n, 0.50);
	out->p90 = stats_quantile(sorted, n, 0.90);
	out->p99 = stats_quantile(sorted, n, 0.99);
	free(sorted);
	return true;
}
