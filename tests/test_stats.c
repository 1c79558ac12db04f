/* Tests of the summary statistics: mean, sample deviation, Student-t interval, type-7
 * percentiles (the values R's quantile() and NumPy's percentile() give by default). */
#include <criterion/criterion.h>
#include <math.h>

#include "stats.h"

static void near(double got, double want, const char *what)
{
	cr_assert(fabs(got - want) < 1e-9 * fmax(1, fabs(want)), "%s: %.12g, expected %.12g", what, got, want);
}

Test(stats, one_to_ten)
{
	double v[] = {7, 1, 10, 3, 5, 2, 9, 4, 8, 6}; /* unsorted on purpose */
	struct stats s;
	cr_assert(stats_compute(v, 10, &s));
	near(s.mean, 5.5, "mean");
	near(s.stddev, sqrt(55.0 / 6), "stddev"); /* sum of squares 82.5 over 9 */
	near(s.p10, 1.9, "p10");                   /* numpy.percentile(range(1, 11), 10) */
	near(s.p50, 5.5, "p50");
	near(s.p90, 9.1, "p90");
	near(s.p99, 9.91, "p99");
	near(s.min, 1, "min");
	near(s.max, 10, "max");
	double half = 2.262 * s.stddev / sqrt(10); /* t(0.975, 9) */
	near(s.ci95_low, 5.5 - half, "ci95_low");
	near(s.ci95_high, 5.5 + half, "ci95_high");
	cr_assert_eq(v[0], 7, "the input is not reordered");
}

Test(stats, one_value_has_no_spread)
{
	double v[] = {42};
	struct stats s;
	cr_assert(stats_compute(v, 1, &s));
	near(s.mean, 42, "mean");
	near(s.stddev, 0, "stddev");
	near(s.ci95_low, 42, "ci95_low");
	near(s.p99, 42, "p99");
}

Test(stats, no_values_are_nan)
{
	struct stats s;
	cr_assert(stats_compute(NULL, 0, &s));
	cr_assert(isnan(s.mean) && isnan(s.p50));
	cr_assert_eq(s.n, 0);
}

Test(stats, large_samples_use_the_normal_limit)
{
	double v[1000];
	for (int i = 0; i < 1000; i++)
		v[i] = i % 2;
	struct stats s;
	cr_assert(stats_compute(v, 1000, &s));
	double half = (s.ci95_high - s.ci95_low) / 2;
	double t = half / (s.stddev / sqrt(1000));
	cr_assert(t > 1.960 && t < 1.963, "t(0.975, 999) = %g", t);
}
