/* Tests of `trainsim plan`: the pure search (replicas/plan.c) on made-up candidates, then the
 * command on the golden scenario, checked against `trainsim run` of each candidate. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>

#include "helpers.h"
#include "plan.h"

#define DAY 86400.0

/* A candidate that ran `n` replicas, all finished, with these figures (days, dollars). */
static struct plan_figures made(long n, double p50_d, double p90_d, double sd_d, double cost)
{
	struct plan_figures f = {.replicas = n, .finished = n, .stddev_s = sd_d * DAY, .p10_s = p50_d * DAY * 0.9,
				 .p50_s = p50_d * DAY, .p90_s = p90_d * DAY, .p99_s = p90_d * DAY * 1.1,
				 .has_cost = cost > 0, .cost_mean = cost, .failure_free_s = 20 * DAY};
	f.time_s[TIME_PRODUCTIVE] = 20 * DAY;
	f.time_s[TIME_DETECTION] = (p50_d - 20) * DAY / 2;
	f.time_s[TIME_WAIT_TECH] = (p50_d - 20) * DAY / 2;
	return f;
}

static struct plan_rule rule(int percentile, double limit_d)
{
	return (struct plan_rule){.deadline = {percentile, limit_d * DAY}, .objective = {0}};
}

/* ---- the pure search ---- */

Test(plan, chooses_the_cheapest_candidate_that_meets_the_deadline)
{
	struct plan_figures c[] = {made(10, 60, 90, 1, 100), made(10, 60, 70, 1, 120), made(10, 60, 79, 1, 110),
				   made(10, 40, 50, 1, 200)};
	struct plan_rule r = rule(90, 80);
	cr_assert_eq(plan_best(c, 4, &r), 2);
	long order[4];
	plan_order(c, 4, &r, order);
	cr_assert(order[0] == 2 && order[1] == 1 && order[2] == 3 && order[3] == 0);
	r.objective.percentile = 90; /* least P90 instead of least cost */
	cr_assert_eq(plan_best(c, 4, &r), 3);
}

Test(plan, reports_no_plan_and_the_bottleneck_when_none_meets_it)
{
	struct plan_figures c[] = {made(10, 60, 90, 1, 100), made(10, 50, 85, 1, 300), made(10, 70, 120, 1, 50)};
	c[1].time_s[TIME_WAIT_TECH] *= 3;
	struct plan_rule r = rule(90, 80);
	cr_assert_eq(plan_best(c, 3, &r), -1);
	long order[3];
	plan_order(c, 3, &r, order);
	cr_assert(order[0] == 1 && order[1] == 0 && order[2] == 2, "closest to the deadline first");
	cr_assert_eq(plan_bottleneck(&c[1]), TIME_WAIT_TECH);
	cr_assert_str_eq(jobstate_name(plan_bottleneck(&c[1])), "waiting_technician");
	cr_assert_not(plan_below_failure_free(&c[1], &r.deadline));
	r.deadline.limit_s = 10 * DAY;
	cr_assert(plan_below_failure_free(&c[1], &r.deadline));
}

Test(plan, a_replica_that_did_not_finish_makes_a_candidate_infeasible)
{
	struct plan_figures c[] = {made(10, 30, 40, 1, 100)};
	struct plan_rule r = rule(90, 80);
	cr_assert_eq(plan_best(c, 1, &r), 0);
	c[0].finished = 9;
	cr_assert_eq(plan_best(c, 1, &r), -1);
}

Test(plan, gives_more_replicas_only_to_candidates_close_to_the_deadline_or_the_best)
{
	/* SE of P90 with stddev 1 d over 10 replicas: 1.709 / sqrt(10) = 0.54 d; 2 SE = 1.08 d */
	struct plan_figures c[] = {
		made(10, 60, 95, 1, 50),    /* far above the deadline: out */
		made(10, 60, 80.5, 1, 60),  /* 0.5 d above it: undecided */
		made(10, 60, 70, 1, 100),   /* the best */
		made(10, 60, 70, 1, 104),   /* within 5% of the best's cost */
		made(10, 60, 70, 1, 110),   /* 10% dearer, well within the deadline: out */
		made(40, 60, 79.8, 1, 105), /* close, but at the cap */
	};
	struct plan_rule r = rule(90, 80);
	bool more[6];
	cr_assert_eq(plan_more_replicas(c, 6, &r, 40, more), 3);
	cr_assert(!more[0] && more[1] && more[2] && more[3] && !more[4] && !more[5]);
	cr_assert_float_eq(plan_percentile_se(&c[0], 90) / DAY, 1.7094 / sqrt(10), 1e-3);
}

Test(plan, reads_ranges_lists_and_steps)
{
	struct plan_vary v;
	char why[256];
	cr_assert(plan_vary_parse("operations.technicians.per_site=1..6", &v, why, sizeof why), "%s", why);
	cr_assert(v.count == 6 && !strcmp(v.values[0], "1") && !strcmp(v.values[5], "6"));
	cr_assert_str_eq(v.key, "operations.technicians.per_site");
	plan_vary_finish(&v);
	cr_assert(plan_vary_parse("operations.spares.hot_nodes=0..64/16", &v, why, sizeof why), "%s", why);
	cr_assert(v.count == 5 && !strcmp(v.values[4], "64"));
	struct plan_vary two[2] = {v};
	cr_assert(plan_vary_parse("rack.pdus.redundancy=N+1,2N", &two[1], why, sizeof why), "%s", why);
	cr_assert_eq(plan_grid_size(two, 2, 400), 10);
	cr_assert_str_eq(plan_grid_value(two, 2, 3, 0), "16");
	cr_assert_str_eq(plan_grid_value(two, 2, 3, 1), "2N");
	cr_assert_eq(plan_grid_size(two, 2, 9), -1, "beyond the limit");
	plan_vary_finish(&two[0]);
	plan_vary_finish(&two[1]);
	const char *bad[] = {"k=6..1", "k=1..x", "k=", "=3", "k", "k=1,,2", "k=0..10/0", "k=1..1000"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_not(plan_vary_parse(bad[i], &v, why, sizeof why), "%s accepted", bad[i]);
}

Test(plan, reads_deadlines_and_objectives)
{
	struct plan_deadline d;
	struct plan_objective o;
	char why[256];
	cr_assert(plan_deadline_parse("P90<=80d", &d, why, sizeof why), "%s", why);
	cr_assert(d.percentile == 90 && d.limit_s == 80 * DAY);
	cr_assert(plan_deadline_parse("p50<=12w", &d, why, sizeof why), "%s", why);
	cr_assert(d.percentile == 50 && d.limit_s == 84 * DAY);
	const char *bad[] = {"P95<=80d", "P90<80d", "P90<=soon", "P90<=0d", "80d", "P90<=80"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_not(plan_deadline_parse(bad[i], &d, why, sizeof why), "%s accepted", bad[i]);
	cr_assert(plan_objective_parse("cost", &o, why, sizeof why) && o.percentile == 0);
	cr_assert(plan_objective_parse("P90", &o, why, sizeof why) && o.percentile == 90);
	cr_assert_not(plan_objective_parse("speed", &o, why, sizeof why));
}

/* ---- the command ---- */

static const char *golden = "tests/golden/cluster.yaml tests/golden/job.yaml";
static const char *costs = "--set costs.gpu_hour=2USD/h --set costs.technician_hour=100USD/h";

/* trainsim ARGS, which must produce both streams. */
static struct cli_result trainsim(const char *args)
{
	struct cli_result r = trainsim_cli(args);
	cr_assert(r.out && r.err);
	return r;
}

static json_t *parse(const char *text)
{
	json_error_t error;
	json_t *j = json_loads(text, 0, &error);
	cr_assert_not_null(j, "%s: %s", error.text, text);
	return j;
}

static double number(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	cr_assert(json_is_number(v), "%s is not a number", key);
	return json_number_value(v);
}

/* `trainsim run` of one candidate with its replicas: its P90 and mean cost. */
static void run_candidate(const char *value, long replicas, double *p90, double *cost)
{
	char args[2048];
	snprintf(args, sizeof args, "run %s %s --set operations.technicians.per_site=%s --replicas %ld --seed 0 "
		 "--jobs 2 --quiet --json", golden, costs, value, replicas);
	struct cli_result r = trainsim(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	json_t *j = parse(r.out);
	*p90 = number(json_object_get(json_object_get(j, "distribution"), "wallclock_s"), "p90");
	*cost = number(json_object_get(json_object_get(j, "cost"), "total_usd"), "mean");
	json_decref(j);
	cli_result_free(&r);
}

Test(plan_run, picks_the_cheapest_technician_count_that_run_says_meets_the_deadline)
{
	char args[2048];
	/* 45 days: some technician counts meet it and some do not (the golden job's P90 runs from
	 * about 41 to 53 days over them) */
	snprintf(args, sizeof args, "plan %s %s --vary operations.technicians.per_site=1..6 --deadline 'P90<=45d' "
		 "--jobs 2 --quiet --json", golden, costs);
	struct cli_result r = trainsim(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	json_t *j = parse(r.out);
	json_t *cands = json_object_get(j, "candidates");
	cr_assert_eq(json_array_size(cands), 6);
	double best_cost = INFINITY;
	const char *best = NULL;
	for (size_t i = 0; i < json_array_size(cands); i++) {
		json_t *c = json_array_get(cands, i);
		const char *value = json_string_value(json_object_get(json_object_get(c, "plan"),
								      "operations.technicians.per_site"));
		double p90, cost;
		run_candidate(value, (long)number(c, "replicas"), &p90, &cost);
		cr_assert_float_eq(number(c, "p90_s"), p90, 1e-6 * p90, "candidate %s: plan and run differ", value);
		cr_assert_float_eq(number(c, "cost"), cost, 1e-6 * cost);
		bool feasible = p90 <= 45 * DAY;
		cr_assert_eq(json_is_true(json_object_get(c, "feasible")), feasible, "candidate %s", value);
		if (feasible && cost < best_cost) {
			best_cost = cost;
			best = value;
		}
	}
	cr_assert_not_null(best, "the deadline should be met by some technician count");
	cr_assert(json_is_true(json_object_get(j, "met")));
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "plan"),
							   "operations.technicians.per_site")), best);
	cr_assert(json_is_null(json_object_get(j, "bottleneck")));
	json_decref(j);
	cli_result_free(&r);
}

Test(plan_run, says_when_no_candidate_meets_the_deadline_and_why)
{
	char args[2048];
	snprintf(args, sizeof args, "plan %s %s --vary operations.technicians.per_site=2,4 --deadline 'P50<=10d' "
		 "--replicas 4 --jobs 2 --quiet", golden, costs);
	struct cli_result r = trainsim(args);
	cr_assert_eq(r.status, 1, "not met is exit status 1: %s", r.err);
	cr_assert(strstr(r.out, "Not met: no candidate has P50 <= 10.0 d"), "%s", r.out);
	cr_assert(strstr(r.out, "Bottleneck: "), "%s", r.out);
	cr_assert(strstr(r.out, "the failure-free time"), "%s", r.out);
	cli_result_free(&r);
}

Test(plan_run, refuses_bad_input_before_running_anything)
{
	struct {
		const char *args, *message;
	} cases[] = {
		{"--vary operations.technicians.per_site=1..3 --deadline P90=40d", "is not PERCENTILE<=DURATION"},
		{"--vary operations.technicians.per_site=3..1 --deadline 'P90<=40d'", "is not a range"},
		{"--deadline 'P90<=40d'", "needs at least one --vary"},
		{"--vary operations.technicians.per_site=1..3", "needs --deadline"},
		{"--vary a=1..50 --vary b=1..50 --deadline 'P90<=40d'", "more than 400 candidates"},
		{"--vary operations.technicians.per_site=1,0 --deadline 'P90<=40d'", "plan candidate 2"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char args[2048];
		snprintf(args, sizeof args, "plan %s %s --quiet", golden, cases[i].args);
		struct cli_result r = trainsim(args);
		cr_assert_eq(r.status, 2, "%s: %s", cases[i].args, r.err);
		cr_assert(strstr(r.err, cases[i].message), "%s: %s", cases[i].args, r.err);
		cr_assert_str_eq(r.out, "");
		cli_result_free(&r);
	}
	char args[2048];
	snprintf(args, sizeof args, "plan %s --vary operations.technicians.per_site=1..2 --deadline 'P90<=40d' "
		 "--objective cost --quiet", golden);
	struct cli_result r = trainsim(args);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "needs a costs section"), "%s", r.err);
	cli_result_free(&r);
}
