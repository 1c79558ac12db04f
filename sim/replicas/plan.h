/* plan: the search of `trainsim plan`, without SimGrid: the candidate grid of --vary ranges,
 * the deadline and objective, which candidates get more replicas, the cheapest that meets
 * the deadline, and what keeps the others from meeting it. The command line runs the
 * candidates (each as a sweep point) and feeds their figures in. */
#ifndef TRAINSIM_PLAN_H
#define TRAINSIM_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "jobstate.h"

#define PLAN_MAX_VARIES 8
#define PLAN_MAX_VALUES 64
#define PLAN_MAX_CANDIDATES 400
#define PLAN_CLOSE_COST 0.05   /* within 5% of the best feasible cost is "close" */
#define PLAN_CLOSE_SE 2.0      /* within 2 standard errors of the deadline is "undecided" */

/* One --vary KEY=RANGE: the key and its values as --set takes them (owned strings). */
struct plan_vary {
	char *key;
	char *values[PLAN_MAX_VALUES];
	long count;
};

/* Parse "KEY=a,b,c" or "KEY=lo..hi" or "KEY=lo..hi/step" (whole numbers, lo <= hi, step >= 1)
 * into *v. false with the reason in why[size]; *v is then finished. */
bool plan_vary_parse(const char *arg, struct plan_vary *v, char *why, size_t size);
void plan_vary_finish(struct plan_vary *v);

/* Candidates in the grid of v[0 .. n) (their counts multiplied), or -1 beyond `max`. */
long plan_grid_size(const struct plan_vary *v, size_t n, long max);
/* Candidate k's value of vary i (the first vary changes slowest, as in sweep). */
const char *plan_grid_value(const struct plan_vary *v, size_t n, long k, size_t i);

/* "P90<=80d": the percentile of the wall-clock (10, 50, 90 or 99) that must be at most limit_s. */
struct plan_deadline {
	int percentile;
	double limit_s;
};

bool plan_deadline_parse(const char *text, struct plan_deadline *d, char *why, size_t size);

/* What is minimised among the candidates that meet the deadline: the mean cost, or a
 * percentile of the wall-clock (percentile 0: cost). */
struct plan_objective {
	int percentile;
};

/* "cost", "p50", "p90" or "p99" (case does not matter). */
bool plan_objective_parse(const char *text, struct plan_objective *o, char *why, size_t size);
/* "cost" or "p90" (buf[size]). */
const char *plan_objective_name(const struct plan_objective *o, char *buf, size_t size);

/* One candidate's replicas as a run summarises them (replicas 0: not run yet). */
struct plan_figures {
	long replicas, finished;            /* replicas run; those that finished (the wall-clock is over them) */
	double stddev_s, p10_s, p50_s, p90_s, p99_s;
	bool has_cost;
	double cost_mean;                   /* US dollars, over the replicas that finished */
	double time_s[TIME_CATEGORY_COUNT]; /* mean seconds per category */
	double failure_free_s;
};

/* The wall-clock's percentile p (10, 50, 90, 99) of f. */
double plan_percentile(const struct plan_figures *f, int p);
/* Its standard error, from the normal approximation: stddev x sqrt(p(1-p)/n) / phi(z_p). */
double plan_percentile_se(const struct plan_figures *f, int p);
/* Every replica finished and the deadline's percentile is at most its limit. */
bool plan_feasible(const struct plan_figures *f, const struct plan_deadline *d);

/* What the candidates are compared by: the deadline and the objective. */
struct plan_rule {
	struct plan_deadline deadline;
	struct plan_objective objective;
};

/* Index of the best feasible candidate of c[0 .. n) (least objective, then least deadline
 * percentile, then first), or -1 when none is feasible. */
long plan_best(const struct plan_figures *c, long n, const struct plan_rule *r);

/* The adaptive rule, after a round: more[k] is set for each candidate that has fewer than
 * `cap` replicas and is undecided (its deadline percentile within PLAN_CLOSE_SE standard
 * errors of the deadline) or close to the best (feasible, and its cost within
 * PLAN_CLOSE_COST of the best feasible cost; or, minimising a percentile, within
 * PLAN_CLOSE_SE standard errors of the best's). Returns how many are set. */
long plan_more_replicas(const struct plan_figures *c, long n, const struct plan_rule *r, long cap, bool *more);

/* order[0 .. n): the feasible candidates best first, then the infeasible ones closest to the
 * deadline first (those with replicas that did not finish last). */
void plan_order(const struct plan_figures *c, long n, const struct plan_rule *r, long *order);

/* What keeps f from the deadline: the largest time category that was not productive
 * training (jobstate_bottleneck). */
enum time_category plan_bottleneck(const struct plan_figures *f);
/* The deadline is below f's failure-free time: no repair or spare can meet it. */
bool plan_below_failure_free(const struct plan_figures *f, const struct plan_deadline *d);

#endif
