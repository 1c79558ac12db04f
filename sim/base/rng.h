/* rng: seeded, per-stream pseudo-random numbers (xoshiro256**), so that each process of the
 * simulation (a failure class, a repair crew, a site's grid) draws from its own stream and
 * the same seed gives the same run, whatever else changes. */
#ifndef TRAINSIM_RNG_H
#define TRAINSIM_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* Stream `stream` of seed `seed`: independent of every other stream. */
void rng_init(struct rng *r, uint64_t seed, uint64_t stream);

uint64_t rng_next(struct rng *r);
/* Uniform in (0, 1): never 0, so logarithms are safe. */
double rng_uniform(struct rng *r);
/* Uniform integer in [0, n), n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
double rng_exponential(struct rng *r, double rate);
/* Weibull with shape k and scale lambda. */
double rng_weibull(struct rng *r, double shape, double scale);
/* Lognormal with the given mean (not median) and sigma of the underlying normal. */
double rng_lognormal(struct rng *r, double mean, double sigma);

#endif
