/* plan_report: `trainsim plan`'s answer (see plan_report.h). Every list follows plan_order:
 * the feasible candidates best first, then the infeasible ones closest to the deadline. */
#include "plan_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"
#include "json.h"

#define RUNNERS_UP 3
#define CLOSEST_MISSES 3
#define DAY_S 86400.0

/* The candidates in order (malloc'd [r->count]) and how many meet the deadline. */
static long *ordered(const struct plan_report *r, long *feasible)
{
	long *order = malloc((size_t)(r->count ? r->count : 1) * sizeof *order);
	*feasible = 0;
	if (!order)
		return NULL;
	plan_order(r->figures, r->count, &r->rule, order);
	for (long i = 0; i < r->count; i++)
		*feasible += plan_feasible(&r->figures[i], &r->rule.deadline);
	return order;
}

bool plan_report_met(const struct plan_report *r)
{
	return plan_best(r->figures, r->count, &r->rule) >= 0;
}

static double deadline_pct(const struct plan_report *r, long k)
{
	return plan_percentile(&r->figures[k], r->rule.deadline.percentile);
}

/* "key=value key=value" of candidate k. */
static void label(FILE *out, const struct plan_report *r, long k, const char *sep)
{
	for (size_t i = 0; i < r->vary_count; i++)
		fprintf(out, "%s%s=%s", i ? sep : "", r->varies[i].key, plan_grid_value(r->varies, r->vary_count, k, i));
}

static const char *money(const struct plan_figures *f, char *buf, size_t size)
{
	if (!f->has_cost || !isfinite(f->cost_mean))
		return "-";
	return humanize(UNIT_MONEY, f->cost_mean, buf, size);
}

/* ---- text ---- */

static void text_header(FILE *out, const struct plan_report *r)
{
	const struct plan_deadline *d = &r->rule.deadline;
	long most = 0;
	for (long k = 0; k < r->count; k++)
		most = r->figures[k].replicas > most ? r->figures[k].replicas : most;
	fprintf(out, "plan: deadline P%d <= %.1f d; ", d->percentile, d->limit_s / DAY_S);
	if (r->rule.objective.percentile)
		fprintf(out, "minimising P%d%s", r->rule.objective.percentile,
			r->no_costs ? " (the platform has no costs section)" : "");
	else
		fprintf(out, "minimising the mean cost");
	fprintf(out, "; %ld candidates, up to %ld replicas each (seeds %llu on, the same for every candidate)\n\n",
		r->count, most, (unsigned long long)r->seed);
}

static void text_chosen(FILE *out, const struct plan_report *r, long k)
{
	const struct plan_figures *f = &r->figures[k];
	const struct plan_deadline *d = &r->rule.deadline;
	char buf[48];
	fprintf(out, "Met: the best plan with P%d <= %.1f d is\n", d->percentile, d->limit_s / DAY_S);
	for (size_t i = 0; i < r->vary_count; i++)
		fprintf(out, "  %s=%s\n", r->varies[i].key, plan_grid_value(r->varies, r->vary_count, k, i));
	if (f->has_cost)
		fprintf(out, "  cost       %s (mean)\n", money(f, buf, sizeof buf));
	fprintf(out, "  P50        %.1f d\n  P90        %.1f d\n", f->p50_s / DAY_S, f->p90_s / DAY_S);
	fprintf(out, "  deadline   P%d <= %.1f d, margin %.1f d\n", d->percentile, d->limit_s / DAY_S,
		(d->limit_s - deadline_pct(r, k)) / DAY_S);
	fprintf(out, "  replicas   %ld (seeds %llu to %llu)\n", f->replicas, (unsigned long long)r->seed,
		(unsigned long long)(r->seed + (uint64_t)f->replicas - 1));
}

static void row_header(FILE *out, const char *title)
{
	fprintf(out, "\n%s\n  %11s %8s %8s %9s %8s  %s\n", title, "cost mean", "P50 d", "P90 d", "margin d", "replicas",
		"plan");
}

static void row(FILE *out, const struct plan_report *r, long k)
{
	const struct plan_figures *f = &r->figures[k];
	char buf[48];
	if (f->finished == 0)
		fprintf(out, "  %11s %8s %8s %9s %8ld  ", money(f, buf, sizeof buf), "-", "-", "-", f->replicas);
	else
		fprintf(out, "  %11s %8.1f %8.1f %+9.1f %8ld  ", money(f, buf, sizeof buf), f->p50_s / DAY_S,
			f->p90_s / DAY_S, (r->rule.deadline.limit_s - deadline_pct(r, k)) / DAY_S, f->replicas);
	label(out, r, k, " ");
	fprintf(out, "%s\n", f->finished < f->replicas ? "  (some replicas did not finish)" : "");
}

static void text_rows(FILE *out, const struct plan_report *r, const long *order, long from, long to, long most,
		      const char *title)
{
	if (from >= to || most <= 0)
		return;
	row_header(out, title);
	for (long i = from; i < to && i < from + most; i++)
		row(out, r, order[i]);
}

static void text_not_met(FILE *out, const struct plan_report *r, long k)
{
	const struct plan_figures *f = &r->figures[k];
	const struct plan_deadline *d = &r->rule.deadline;
	char buf[48];
	fprintf(out, "Not met: no candidate has P%d <= %.1f d.\nClosest: ", d->percentile, d->limit_s / DAY_S);
	label(out, r, k, " ");
	if (f->finished == 0) {
		fprintf(out, ": no replica finished\n");
		return;
	}
	fprintf(out, ": P50 %.1f d, P90 %.1f d, P%d %.1f d over the deadline", f->p50_s / DAY_S, f->p90_s / DAY_S,
		d->percentile, (deadline_pct(r, k) - d->limit_s) / DAY_S);
	if (f->has_cost)
		fprintf(out, ", cost %s", money(f, buf, sizeof buf));
	fprintf(out, ", %ld replicas%s\n", f->replicas, f->finished < f->replicas ? ", some did not finish" : "");
	enum time_category c = plan_bottleneck(f);
	fprintf(out, "Bottleneck: %s, %.1f d of its mean wall-clock", jobstate_name(c), f->time_s[c] / DAY_S);
	if (plan_below_failure_free(f, d))
		fprintf(out, "; and the failure-free time, %.1f d, is itself beyond the deadline", f->failure_free_s / DAY_S);
	fprintf(out, "\n");
}

void plan_write_text(FILE *out, const struct plan_report *r)
{
	long feasible;
	long *order = ordered(r, &feasible);
	if (!order)
		return;
	text_header(out, r);
	if (feasible) {
		text_chosen(out, r, order[0]);
		text_rows(out, r, order, 1, feasible, RUNNERS_UP, "Runners-up (meet the deadline):");
		text_rows(out, r, order, feasible, r->count, CLOSEST_MISSES, "Closest that miss the deadline:");
	} else {
		text_not_met(out, r, order[0]);
		text_rows(out, r, order, 1, r->count, CLOSEST_MISSES, "Next closest:");
	}
	free(order);
}

/* ---- JSON ---- */

static void json_plan(struct json_writer *w, const struct plan_report *r, long k)
{
	json_begin_object(w, "plan");
	for (size_t i = 0; i < r->vary_count; i++)
		json_string(w, r->varies[i].key, plan_grid_value(r->varies, r->vary_count, k, i));
	json_end_object(w);
}

static void json_figures(struct json_writer *w, const struct plan_report *r, long k)
{
	const struct plan_figures *f = &r->figures[k];
	json_plan(w, r, k);
	json_number(w, "cost", f->has_cost ? f->cost_mean : NAN);
	json_number(w, "p50_s", f->finished ? f->p50_s : NAN);
	json_number(w, "p90_s", f->finished ? f->p90_s : NAN);
	json_integer(w, "replicas", f->replicas);
	json_integer(w, "finished", f->finished);
}

static void json_candidates(struct json_writer *w, const struct plan_report *r, const long *order)
{
	json_begin_array(w, "candidates");
	for (long i = 0; i < r->count; i++) {
		json_begin_object(w, NULL);
		json_figures(w, r, order[i]);
		json_bool(w, "feasible", plan_feasible(&r->figures[order[i]], &r->rule.deadline));
		json_end_object(w);
	}
	json_end_array(w);
}

void plan_write_json(FILE *out, const struct plan_report *r)
{
	long feasible;
	long *order = ordered(r, &feasible);
	if (!order)
		return;
	const struct plan_deadline *d = &r->rule.deadline;
	const struct plan_figures *f = &r->figures[order[0]];
	struct json_writer w;
	char name[16];
	json_init(&w, out);
	json_begin_object(&w, NULL);
	json_string(&w, "schema", "trainsim-plan");
	json_integer(&w, "schema_version", 1);
	json_bool(&w, "met", feasible > 0);
	json_begin_object(&w, "deadline");
	snprintf(name, sizeof name, "P%d", d->percentile);
	json_string(&w, "percentile", name);
	json_number(&w, "s", d->limit_s);
	json_end_object(&w);
	json_string(&w, "objective", plan_objective_name(&r->rule.objective, name, sizeof name));
	json_figures(&w, r, order[0]);
	json_number(&w, "margin_s", f->finished ? d->limit_s - deadline_pct(r, order[0]) : NAN);
	json_number(&w, "failure_free_s", f->failure_free_s);
	json_candidates(&w, r, order);
	if (feasible)
		json_number(&w, "bottleneck", NAN);
	else
		json_string(&w, "bottleneck", jobstate_name(plan_bottleneck(f)));
	json_end_object(&w);
	json_finish(&w);
	free(order);
}
