/* rng: xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64. */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_init(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (0xd1b54a32d192ed03ULL * (stream + 1));
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_uniform(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	return (uint64_t)(rng_uniform(r) * (double)n) % n;
}

double rng_exponential(struct rng *r, double rate)
{
	return -log(rng_uniform(r)) / rate;
}

double rng_weibull(struct rng *r, double shape, double scale)
{
	return scale * pow(-log(rng_uniform(r)), 1 / shape);
}

/* Box-Muller; one draw of the pair is enough here. */
static double normal(struct rng *r)
{
	return sqrt(-2 * log(rng_uniform(r))) * cos(2 * M_PI * rng_uniform(r));
}

double rng_lognormal(struct rng *r, double mean, double sigma)
{
	if (mean <= 0)
		return 0;
	double mu = log(mean) - sigma * sigma / 2;
	return exp(mu + sigma * normal(r));
}
