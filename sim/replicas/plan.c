/* plan: the search of `trainsim plan` (see plan.h): pure functions of the candidates'
 * figures, so the rules can be tested with made-up results. */
#include "plan.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jobstate.h"
#include "units.h"

/* ---- --vary KEY=RANGE ---- */

void plan_vary_finish(struct plan_vary *v)
{
	free(v->key);
	for (long i = 0; i < v->count; i++)
		free(v->values[i]);
	*v = (struct plan_vary){0};
}

static bool add_value(struct plan_vary *v, const char *text, size_t len, char *why, size_t size)
{
	if (len == 0) {
		snprintf(why, size, "has an empty value");
		return false;
	}
	if (v->count == PLAN_MAX_VALUES) {
		snprintf(why, size, "has more than %d values", PLAN_MAX_VALUES);
		return false;
	}
	v->values[v->count] = strndup(text, len);
	if (!v->values[v->count]) {
		snprintf(why, size, "out of memory");
		return false;
	}
	v->count++;
	return true;
}

/* A strict whole number, as strtol reads it, with nothing after it. */
static bool whole(const char *text, size_t len, long *out)
{
	char buf[32], *end;
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtol(buf, &end, 10);
	return !errno && *end == '\0' && (isdigit((unsigned char)buf[0]) || buf[0] == '-');
}

/* "lo..hi" or "lo..hi/step" after the '=' (range points at ".."). */
static bool parse_span(struct plan_vary *v, const char *text, const char *range, char *why, size_t size)
{
	const char *hi_text = range + 2, *slash = strchr(hi_text, '/');
	size_t hi_len = slash ? (size_t)(slash - hi_text) : strlen(hi_text);
	long lo, hi, step = 1;
	bool ok = whole(text, (size_t)(range - text), &lo) && whole(hi_text, hi_len, &hi) &&
		  (!slash || whole(slash + 1, strlen(slash + 1), &step));
	if (!ok || lo > hi || step < 1) {
		snprintf(why, size, "'%s' is not a range LO..HI or LO..HI/STEP of whole numbers with LO <= HI and STEP "
			 ">= 1, such as 1..6 or 0..64/16", text);
		return false;
	}
	if ((hi - lo) / step >= PLAN_MAX_VALUES) {
		snprintf(why, size, "'%s' has more than %d values", text, PLAN_MAX_VALUES);
		return false;
	}
	for (long x = lo; x <= hi; x += step) {
		char n[32];
		int len = snprintf(n, sizeof n, "%ld", x);
		if (!add_value(v, n, (size_t)len, why, size))
			return false;
	}
	return true;
}

static bool parse_list(struct plan_vary *v, const char *text, char *why, size_t size)
{
	for (const char *at = text;;) {
		const char *comma = strchr(at, ',');
		size_t len = comma ? (size_t)(comma - at) : strlen(at);
		if (!add_value(v, at, len, why, size))
			return false;
		if (!comma)
			return true;
		at = comma + 1;
	}
}

bool plan_vary_parse(const char *arg, struct plan_vary *v, char *why, size_t size)
{
	*v = (struct plan_vary){0};
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1]) {
		snprintf(why, size, "'%s' is not KEY=RANGE; expected KEY=a,b,c or KEY=LO..HI[/STEP], such as "
			 "operations.technicians.per_site=1..6", arg);
		return false;
	}
	v->key = strndup(arg, (size_t)(eq - arg));
	const char *range = strstr(eq + 1, "..");
	bool ok = v->key && (range ? parse_span(v, eq + 1, range, why, size) : parse_list(v, eq + 1, why, size));
	if (!v->key)
		snprintf(why, size, "out of memory");
	if (!ok)
		plan_vary_finish(v);
	return ok;
}

long plan_grid_size(const struct plan_vary *v, size_t n, long max)
{
	long size = 1;
	for (size_t i = 0; i < n; i++) {
		size *= v[i].count;
		if (size > max)
			return -1;
	}
	return size;
}

const char *plan_grid_value(const struct plan_vary *v, size_t n, long k, size_t i)
{
	long stride = 1;
	for (size_t j = i + 1; j < n; j++)
		stride *= v[j].count;
	return v[i].values[(k / stride) % v[i].count];
}

/* ---- deadline and objective ---- */

/* "P50" and the like: 10, 50, 90 or 99 (the percentiles a run summarises); 0 otherwise. */
static int percentile_of(const char *text, size_t len)
{
	static const char *const names[] = {"p10", "p50", "p90", "p99"};
	static const int values[] = {10, 50, 90, 99};
	for (int i = 0; i < 4; i++)
		if (len == 3 && !strncasecmp(text, names[i], 3))
			return values[i];
	return 0;
}

bool plan_deadline_parse(const char *text, struct plan_deadline *d, char *why, size_t size)
{
	const char *le = strstr(text, "<=");
	char reason[256];
	d->percentile = le ? percentile_of(text, (size_t)(le - text)) : 0;
	if (!le || !d->percentile) {
		snprintf(why, size, "'%s' is not PERCENTILE<=DURATION; expected P50, P90 or P99 (or P10), then <=, then a "
			 "duration, such as P90<=80d", text);
		return false;
	}
	if (!units_parse(UNIT_TIME, le + 2, &d->limit_s, reason, sizeof reason)) {
		snprintf(why, size, "'%s': %s", text, reason);
		return false;
	}
	if (!(d->limit_s > 0) || !isfinite(d->limit_s)) {
		snprintf(why, size, "'%s': the deadline must be a positive duration, such as 80d", text);
		return false;
	}
	return true;
}

bool plan_objective_parse(const char *text, struct plan_objective *o, char *why, size_t size)
{
	o->percentile = strcasecmp(text, "cost") ? percentile_of(text, strlen(text)) : 0;
	if (o->percentile || !strcasecmp(text, "cost"))
		return true;
	snprintf(why, size, "'%s' is not an objective; expected cost, p50, p90 or p99", text);
	return false;
}

const char *plan_objective_name(const struct plan_objective *o, char *buf, size_t size)
{
	if (o->percentile)
		snprintf(buf, size, "p%d", o->percentile);
	else
		snprintf(buf, size, "cost");
	return buf;
}

/* ---- one candidate ---- */

double plan_percentile(const struct plan_figures *f, int p)
{
	switch (p) {
	case 10: return f->p10_s;
	case 50: return f->p50_s;
	case 99: return f->p99_s;
	default: return f->p90_s;
	}
}

/* z_p for the percentiles a run summarises (z_0.99 = 2.326, z_0.9 = 1.2816, z_0.5 = 0). */
static double normal_z(int p)
{
	return p == 50 ? 0 : p == 90 || p == 10 ? 1.2815516 : 2.3263479;
}

double plan_percentile_se(const struct plan_figures *f, int p)
{
	if (f->finished < 2)
		return INFINITY;
	double q = p / 100.0, z = normal_z(p);
	double density = exp(-z * z / 2) / sqrt(2 * M_PI);
	return f->stddev_s * sqrt(q * (1 - q) / (double)f->finished) / density;
}

bool plan_feasible(const struct plan_figures *f, const struct plan_deadline *d)
{
	return f->replicas > 0 && f->finished == f->replicas &&
	       plan_percentile(f, d->percentile) <= d->limit_s;
}

/* The figure minimised: the mean cost, or a percentile (NaN-free: a missing cost is +inf). */
static double objective_value(const struct plan_figures *f, const struct plan_objective *o)
{
	if (o->percentile)
		return plan_percentile(f, o->percentile);
	return f->has_cost && isfinite(f->cost_mean) ? f->cost_mean : INFINITY;
}

/* Whether a is better than b, both feasible: objective, then deadline percentile. */
static bool better(const struct plan_figures *a, const struct plan_figures *b, const struct plan_rule *r)
{
	double x = objective_value(a, &r->objective), y = objective_value(b, &r->objective);
	if (x != y)
		return x < y;
	return plan_percentile(a, r->deadline.percentile) < plan_percentile(b, r->deadline.percentile);
}

long plan_best(const struct plan_figures *c, long n, const struct plan_rule *r)
{
	long best = -1;
	for (long k = 0; k < n; k++)
		if (plan_feasible(&c[k], &r->deadline) && (best < 0 || better(&c[k], &c[best], r)))
			best = k;
	return best;
}

/* ---- the adaptive rule ---- */

static bool undecided(const struct plan_figures *f, const struct plan_deadline *d)
{
	if (f->finished != f->replicas || f->finished == 0)
		return false;   /* a replica that did not finish makes it infeasible, whatever more replicas say */
	double gap = fabs(plan_percentile(f, d->percentile) - d->limit_s);
	return gap <= PLAN_CLOSE_SE * plan_percentile_se(f, d->percentile);
}

static bool close_to_best(const struct plan_figures *f, const struct plan_figures *best, const struct plan_rule *r)
{
	if (!plan_feasible(f, &r->deadline))
		return false;
	double x = objective_value(f, &r->objective), y = objective_value(best, &r->objective);
	if (!r->objective.percentile)
		return isfinite(x) && x <= y * (1 + PLAN_CLOSE_COST);
	int p = r->objective.percentile;
	double se = fmax(plan_percentile_se(f, p), plan_percentile_se(best, p));
	return x - y <= PLAN_CLOSE_SE * se;
}

long plan_more_replicas(const struct plan_figures *c, long n, const struct plan_rule *r, long cap, bool *more)
{
	long best = plan_best(c, n, r), count = 0;
	for (long k = 0; k < n; k++) {
		more[k] = c[k].replicas > 0 && c[k].replicas < cap &&
			  (undecided(&c[k], &r->deadline) || (best >= 0 && close_to_best(&c[k], &c[best], r)));
		count += more[k];
	}
	return count;
}

/* ---- order and bottleneck ---- */

struct ordering {
	const struct plan_figures *c;
	const struct plan_rule *r;
};

/* Sort key of an infeasible candidate: those whose replicas all finished first, then the
 * deadline percentile (NaN when none finished: last). */
static double distance(const struct plan_figures *f, const struct plan_deadline *d)
{
	double p = plan_percentile(f, d->percentile);
	return f->finished == f->replicas && !isnan(p) ? p : INFINITY;
}

static int compare(const struct ordering *o, long a, long b)
{
	const struct plan_figures *x = &o->c[a], *y = &o->c[b];
	bool fx = plan_feasible(x, &o->r->deadline), fy = plan_feasible(y, &o->r->deadline);
	if (fx != fy)
		return fx ? -1 : 1;
	if (fx && (better(x, y, o->r) || better(y, x, o->r)))
		return better(x, y, o->r) ? -1 : 1;
	double dx = distance(x, &o->r->deadline), dy = distance(y, &o->r->deadline);
	if (!fx && dx != dy)
		return dx < dy ? -1 : 1;
	return (a > b) - (a < b);
}

/* An insertion sort: at most PLAN_MAX_CANDIDATES, and qsort has no context pointer in C17. */
void plan_order(const struct plan_figures *c, long n, const struct plan_rule *r, long *order)
{
	struct ordering o = {c, r};
	for (long i = 0; i < n; i++) {
		long j = i;
		for (; j > 0 && compare(&o, i, order[j - 1]) < 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

enum time_category plan_bottleneck(const struct plan_figures *f)
{
	return jobstate_bottleneck(f->time_s);
}

bool plan_below_failure_free(const struct plan_figures *f, const struct plan_deadline *d)
{
	return f->failure_free_s > d->limit_s;
}
