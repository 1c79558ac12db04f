/* calibrate: the fit of efficiency keys to measured runs (see calibrate.h). */
#include "calibrate.h"

#include <math.h>
#include <string.h>

#define GRID_BUDGET 20000  /* grid points at most, whatever the number of keys */
#define STARTS 4           /* best grid points refined by pattern search */
#define TOLERANCE 1e-5     /* the pattern search stops below this step */
/* A tie-break, not a prior belief: among sets with the same errors (a key that barely moves
 * any case), the one nearest the middle of each range. Small against any error that matters:
 * 0.3 away from the middle costs 1e-6. */
#define TIE_WEIGHT 1e-5

double calibration_predict(const struct calibration_case *c, const struct efficiency_spec *over)
{
	struct efficiency_spec e = c->w->efficiency;
	for (int k = 0; k < EFF_KEYS; k++)
		if (efficiency_get(over, (enum efficiency_key)k) >= 0)
			*efficiency_at(&e, (enum efficiency_key)k) = efficiency_get(over, (enum efficiency_key)k);
	struct step_result r;
	steptime_compose(c->p, c->w, &e, &c->collectives, &r);
	return c->kind == MEASURED_STEP_TIME ? r.step_time_s : r.flops_per_gpu;
}

double calibration_error(const struct calibration_case *c, const struct efficiency_spec *over)
{
	return calibration_predict(c, over) / c->measured - 1;
}

/* The problem: cases, keys being fitted (in order), objective. */
struct problem {
	const struct calibration_case *cases;
	size_t n;
	enum efficiency_key keys[EFF_KEYS];
	int k;
	enum calibration_objective objective;
};

static void to_spec(const struct problem *pr, const double *x, struct efficiency_spec *e)
{
	efficiency_unset(e);
	for (int i = 0; i < pr->k; i++)
		*efficiency_at(e, pr->keys[i]) = x[i];
}

static double middle(enum efficiency_key key)
{
	double lo, hi;
	efficiency_range(key, &lo, &hi);
	return (lo + hi) / 2;
}

static double objective(const struct problem *pr, const double *x)
{
	struct efficiency_spec e;
	to_spec(pr, x, &e);
	double worst = 0, squares = 0, tie = 0;
	for (size_t i = 0; i < pr->n; i++) {
		double r = calibration_error(&pr->cases[i], &e);
		worst = fmax(worst, fabs(r));
		squares += r * r;
	}
	for (int i = 0; i < pr->k; i++)
		tie += (x[i] - middle(pr->keys[i])) * (x[i] - middle(pr->keys[i]));
	return (pr->objective == OBJECTIVE_MINIMAX ? worst : squares / (double)pr->n) + TIE_WEIGHT * tie;
}

/* Whether some case's prediction moves with `key`. */
static bool depends_on(const struct calibration_case *cases, size_t n, enum efficiency_key key)
{
	struct efficiency_spec low, high;
	efficiency_unset(&low);
	efficiency_unset(&high);
	*efficiency_at(&low, key) = 0.4;
	*efficiency_at(&high, key) = 0.6;
	for (size_t i = 0; i < n; i++) {
		double a = calibration_predict(&cases[i], &low), b = calibration_predict(&cases[i], &high);
		if (fabs(a - b) > 1e-9 * fabs(a))
			return true;
	}
	return false;
}

static double clamp_key(enum efficiency_key key, double v)
{
	double lo, hi;
	efficiency_range(key, &lo, &hi);
	return fmin(hi, fmax(lo, v));
}

static double span(enum efficiency_key key)
{
	double lo, hi;
	efficiency_range(key, &lo, &hi);
	return hi - lo;
}

/* A point and its objective. */
struct point {
	double x[EFF_KEYS];
	double f;
};

/* Keeps the `STARTS` best points seen, best first. */
static void keep_best(struct point *best, int *count, const struct point *p)
{
	int at = *count < STARTS ? *count : STARTS;
	while (at > 0 && p->f < best[at - 1].f) {
		if (at < STARTS)
			best[at] = best[at - 1];
		at--;
	}
	if (at < STARTS)
		best[at] = *p;
	if (*count < STARTS)
		(*count)++;
}

/* Every point of a grid of g values per key, from each key's minimum to its maximum. */
static int grid_search(const struct problem *pr, struct point *best)
{
	int g = (int)floor(pow(GRID_BUDGET, 1.0 / pr->k));
	g = g < 3 ? 3 : g > 41 ? 41 : g;
	long total = 1;
	for (int i = 0; i < pr->k; i++)
		total *= g;
	int count = 0;
	for (long index = 0; index < total; index++) {
		struct point p;
		long rest = index;
		for (int i = 0; i < pr->k; i++, rest /= g) {
			double lo, hi;
			efficiency_range(pr->keys[i], &lo, &hi);
			p.x[i] = lo + (hi - lo) * (double)(rest % g) / (g - 1);
		}
		p.f = objective(pr, p.x);
		keep_best(best, &count, &p);
	}
	return g;
}

/* The best move from p along one key or a pair of keys (signs sa, sb), step s of each
 * key's range; p itself when none improves. */
static struct point best_move(const struct problem *pr, const struct point *p, double s)
{
	struct point best = *p;
	for (int a = 0; a < pr->k; a++)
		for (int b = a; b < pr->k; b++)
			for (int sa = -1; sa <= 1; sa += 2)
				for (int sb = -1; sb <= (a == b ? -1 : 1); sb += 2) {
					struct point q = *p;
					q.x[a] = clamp_key(pr->keys[a], q.x[a] + sa * s * span(pr->keys[a]));
					if (b != a)
						q.x[b] = clamp_key(pr->keys[b], q.x[b] + sb * s * span(pr->keys[b]));
					q.f = objective(pr, q.x);
					if (q.f < best.f - 1e-15)
						best = q;
				}
	return best;
}

/* Pattern search (compass moves along keys and pairs of keys), halving the step when no
 * move improves: it walks along the kinks a minimax objective has. */
static struct point refine(const struct problem *pr, struct point p, double s)
{
	for (int iterations = 0; s >= TOLERANCE && iterations < 100000; iterations++) {
		struct point q = best_move(pr, &p, s);
		if (q.f < p.f)
			p = q;
		else
			s /= 2;
	}
	return p;
}

static double worst_error(const struct calibration_case *cases, size_t n, const struct efficiency_spec *e)
{
	double worst = 0;
	for (size_t i = 0; i < n; i++)
		worst = fmax(worst, fabs(calibration_error(&cases[i], e)));
	return worst;
}

static struct point solve(const struct problem *pr)
{
	struct point starts[STARTS];
	int g = grid_search(pr, starts);
	struct point best = refine(pr, starts[0], 0.5 / (g - 1));
	for (int i = 1; i < STARTS; i++) {
		struct point p = refine(pr, starts[i], 0.5 / (g - 1));
		if (p.f < best.f)
			best = p;
	}
	return best;
}

void calibration_fit(const struct calibration_case *cases, size_t n, const bool keys[EFF_KEYS],
		     enum calibration_objective objective_kind, struct calibration_fit *out)
{
	struct problem pr = {.cases = cases, .n = n, .objective = objective_kind};
	struct efficiency_spec none;
	efficiency_unset(&none);
	memset(out, 0, sizeof *out);
	efficiency_unset(&out->values);
	out->worst_before = worst_error(cases, n, &none);
	for (int k = 0; k < EFF_KEYS; k++)
		if (keys[k] && depends_on(cases, n, (enum efficiency_key)k)) {
			out->fitted[k] = true;
			pr.keys[pr.k++] = (enum efficiency_key)k;
		}
	if (pr.k > 0) {
		struct point best = solve(&pr);
		for (int i = 0; i < pr.k; i++) /* as printed, so what is pasted gives the errors shown */
			*efficiency_at(&out->values, pr.keys[i]) = round(best.x[i] * 1000) / 1000;
	}
	out->worst_after = worst_error(cases, n, &out->values);
}
