/* Tests of rng: streams are reproducible and independent; distributions have their means. */
#include <criterion/criterion.h>
#include <math.h>

#include "rng.h"

Test(rng, the_same_seed_and_stream_give_the_same_numbers)
{
	struct rng a, b;
	rng_init(&a, 42, 3);
	rng_init(&b, 42, 3);
	for (int i = 0; i < 1000; i++)
		cr_assert_eq(rng_next(&a), rng_next(&b));
}

Test(rng, streams_and_seeds_differ)
{
	struct rng a, b, c;
	rng_init(&a, 42, 3);
	rng_init(&b, 42, 4);
	rng_init(&c, 43, 3);
	uint64_t x = rng_next(&a);
	cr_assert_neq(x, rng_next(&b));
	cr_assert_neq(x, rng_next(&c));
}

static double mean_of(double (*draw)(struct rng *, double, double), double a, double b, int n)
{
	struct rng r;
	rng_init(&r, 7, 0);
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += draw(&r, a, b);
	return sum / n;
}

static double exponential(struct rng *r, double rate, double unused)
{
	(void)unused;
	return rng_exponential(r, rate);
}

Test(rng, distributions_have_their_means)
{
	int n = 200000;
	cr_assert(fabs(mean_of(exponential, 0.5, 0, n) - 2) < 0.02);
	/* Weibull mean = scale x Gamma(1 + 1/k) */
	cr_assert(fabs(mean_of(rng_weibull, 0.7, 3, n) - 3 * tgamma(1 + 1 / 0.7)) < 0.05);
	cr_assert(fabs(mean_of(rng_lognormal, 3, 0.8, n) - 3) < 0.05);
	struct rng r;
	rng_init(&r, 1, 1);
	for (int i = 0; i < 10000; i++) {
		double u = rng_uniform(&r);
		cr_assert(u > 0 && u < 1);
		cr_assert_lt(rng_below(&r, 7), 7);
	}
}
