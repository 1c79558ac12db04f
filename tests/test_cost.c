/* Tests of cost: a hand-computed replica, technicians that grow, items that add up to the
 * total (per replica and in the means), and the parts a real replica's repairs took, counted
 * from its events. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cost.h"
#include "engine.h"
#include "helpers.h"
#include "runsim.h"

#define HOUR 3600.0
#define YEAR (365 * 86400.0)

static struct spare_part parts[2] = {{"gpu", 4, 0}, {"optic", 10, 0}};
static double part_usd[2] = {20e3, 1e3};

/* 1,000 GPUs of 8 per node, 2 standby nodes, a GPU at 2 USD/h, energy at 0.1 USD/kWh with a
 * PUE of 1.5, technicians at 50 USD/h, parts at 20 kUSD and 1 kUSD held at 10%/yr. */
static struct platform hand_platform(void)
{
	struct platform p = {0};
	p.counts.gpus = 1000;
	p.node.gpus = 8;
	p.gpu.busy_w = 700;
	p.gpu.idle_w = 100;
	p.operations = (struct operations){.technicians_per_site = 2, .hot_spare_nodes = 2, .parts = parts,
					   .part_count = 2};
	p.costs = (struct cost_spec){.present = true, .gpu_usd_per_s = 2 / HOUR, .energy_usd_per_j = 0.1 / 3.6e6,
				     .pue = 1.5, .technician_usd_per_s = 50 / HOUR, .part_usd = part_usd,
				     .holding_per_s = 0.1 / YEAR};
	return p;
}

Test(cost, a_replica_costs_what_a_hand_computes)
{
	struct platform p = hand_platform();
	long used[2] = {3, 2};
	struct cost_basis b = {.wallclock_s = 100 * HOUR, .failure_free_s = 80 * HOUR, .cluster_gpus = 1000,
			       .standby_gpus = 16, .it_energy_j = 50 * 3.6e9, .failure_free_it_energy_j = 45 * 3.6e9,
			       .technician_s = 300 * HOUR, .parts_used = used};
	struct cost_breakdown c;
	cost_compute(&p, &b, &c);
	cr_assert_float_eq(c.usd[COST_GPU_TIME], 200e3, 1e-6);    /* 1,000 GPUs x 100 h x 2 USD */
	cr_assert_float_eq(c.usd[COST_ENERGY], 7500, 1e-6);       /* 50 MWh x 1.5 x 100 USD/MWh */
	cr_assert_float_eq(c.usd[COST_TECHNICIANS], 15e3, 1e-6);  /* 300 h x 50 USD */
	cr_assert_float_eq(c.usd[COST_PARTS], 62e3, 1e-6);        /* 3 x 20k + 2 x 1k */
	cr_assert_float_eq(c.usd[COST_HOLDING], 90e3 * 0.1 * 100 / 8760, 1e-6); /* 90k of stock, 100 h at 10%/yr */
	cr_assert_float_eq(c.usd[COST_STANDBY], 3200, 1e-6);      /* 16 GPUs x 100 h x 2 USD */
	cr_assert_float_eq(c.total_usd, 287700 + 90e3 * 0.1 * 100 / 8760, 1e-6);
	cr_assert_float_eq(c.slip_usd, 40750, 1e-6);              /* 20 h of the cluster, 5 MWh x 1.5 */
}

Test(cost, technicians_are_paid_per_site_as_the_crews_grow)
{
	struct crew_change grow[2] = {{10 * HOUR, 5}, {30 * HOUR, 1}};
	struct operations ops = {.technicians_per_site = 2, .crew_changes = grow, .crew_change_count = 2};
	/* 3 sites x (2 x 10 h + 5 x 10 h), the second change not reached */
	cr_assert_float_eq(cost_technician_s(&ops, 3, 20 * HOUR), 3 * 70 * HOUR, 1e-6);
	cr_assert_float_eq(cost_technician_s(&ops, 3, 40 * HOUR), 3 * (20 + 100 + 10) * HOUR, 1e-6);
	ops.crew_change_count = 0;
	cr_assert_float_eq(cost_technician_s(&ops, 2, 7 * HOUR), 28 * HOUR, 1e-6);
}

/* A finished replica of wall-clock `hours`, having used `gpus` GPU parts. */
static struct replica_outcome finished(double hours, long *used)
{
	struct replica_outcome o = {.done = true};
	o.result.finished = true;
	o.result.wallclock_s = hours * HOUR;
	o.result.time_s[TIME_PRODUCTIVE] = 0.8 * hours * HOUR;
	o.result.time_s[TIME_WAIT_TECH] = 0.2 * hours * HOUR;
	o.result.parts_used = used;
	return o;
}

Test(cost, the_items_add_up_to_the_total_per_replica_and_in_the_means)
{
	struct platform p = hand_platform();
	struct crew_change grow = {50 * HOUR, 7};
	p.operations.crew_changes = &grow;
	p.operations.crew_change_count = 1;
	p.site_count = 2;
	struct workload w = {0};
	w.job.gpus = 960;
	struct run_plan_figures plan = {.ideal_train_s = 70 * HOUR, .checkpoint_overhead_s = 2 * HOUR,
					.failure_free_s = 72 * HOUR};
	long used[3][2] = {{1, 0}, {4, 9}, {0, 2}};
	struct replica_outcome r[4] = {finished(80, used[0]), finished(120.5, used[1]), finished(97.25, used[2]),
				       {.done = true}}; /* the last stopped at its horizon: left out */
	struct mc_result mc = {.replicas = r, .count = 4, .done = 4};
	double means = 0;
	for (int i = 0; i < 3; i++) {
		struct cost_breakdown c;
		double sum = 0;
		cost_of_replica(&p, &w, &plan, &r[i].result, &c);
		for (int k = 0; k < COST_ITEM_COUNT; k++)
			sum += c.usd[k];
		cr_assert_float_eq(sum, c.total_usd, 1e-9 * c.total_usd);
		cr_assert(c.slip_usd > 0 && c.slip_usd < c.total_usd);
	}
	struct cost_summary s;
	cr_assert(cost_summarize(&p, &w, &plan, &mc, &s));
	cr_assert(s.present);
	cr_assert_eq(s.replicas, 3);
	for (int k = 0; k < COST_ITEM_COUNT; k++)
		means += s.mean_usd[k];
	cr_assert_float_eq(means, s.total.mean, 1e-9 * s.total.mean);
	cr_assert(s.total.p10 <= s.total.p50 && s.total.p50 <= s.total.p90);
}

Test(cost, a_failure_free_replica_slips_nothing)
{
	struct platform p = hand_platform();
	struct workload w = {0};
	w.job.gpus = 1000;
	struct run_plan_figures plan = {.ideal_train_s = 70 * HOUR, .checkpoint_overhead_s = 2 * HOUR,
					.failure_free_s = 72 * HOUR};
	long used[2] = {0, 0};
	struct run_result r = {.finished = true, .wallclock_s = 72 * HOUR, .parts_used = used};
	r.time_s[TIME_PRODUCTIVE] = 70 * HOUR;
	r.time_s[TIME_CHECKPOINT] = 2 * HOUR;
	struct cost_breakdown c;
	cost_of_replica(&p, &w, &plan, &r, &c);
	cr_assert_float_eq(c.slip_usd, 0, 1e-6);
	cr_assert_float_eq(c.usd[COST_PARTS], 0, 0);
}

Test(cost, without_a_costs_section_nothing_is_summarized)
{
	struct platform p = hand_platform();
	p.costs.present = false;
	struct workload w = {0};
	struct run_plan_figures plan = {0};
	struct mc_result mc = {0};
	struct cost_summary s;
	cr_assert(cost_summarize(&p, &w, &plan, &mc, &s));
	cr_assert_not(s.present);
	cr_assert_eq(s.replicas, 0);
}

/* Counts repair starts by the part of their ticket, as a second sink on the event bus sees them. */
struct part_count {
	const struct platform *p;
	long used[8];
	long dead_on_arrival; /* of them, parts of nodes dead on arrival */
};

static void count_parts(void *data, const struct event *e)
{
	struct part_count *c = data;
	if (e->kind != EVENT_REPAIR_START)
		return;
	long part = e->cause >= 0 ? c->p->failures[e->cause].part_index : c->p->bring_up.doa_part_index;
	if (part >= 0)
		c->used[part]++;
	c->dead_on_arrival += part >= 0 && e->cause < 0;
}

/* Runs the golden job for 30 days on `platform_text` and checks that each part's count is the
 * repair starts of tickets that take it; returns how many of those were nodes dead on arrival. */
static long expect_parts_counted(const char *platform_text)
{
	char b[512];
	struct ts_error err = {0};
	char *job = read_text(source_path("tests/golden/job.yaml", b, sizeof b));
	struct scenario_spec spec = {.platform = {.name = "cluster.yaml", .text = platform_text},
				     .workload = {.name = "job.yaml", .text = job}, .for_run = true};
	struct scenario *s = NULL;
	struct engine *e = NULL;
	cr_assert(scenario_load(&spec, &s, &err) && engine_load(s, NULL, &e, &err), "%s", err.message);
	struct part_count seen = {.p = s->platform};
	struct event_sink sink = {count_parts, &seen};
	struct run_options o = {.seed = 3, .horizon_s = 30 * 86400.0, .failure_scale = 1, .events = &sink};
	struct run_result r;
	cr_assert(runsim_run(s, e, &o, &r, &err), "%s", err.message);
	long total = 0;
	for (size_t i = 0; i < s->platform->operations.part_count; i++) {
		cr_assert_eq(r.parts_used[i], seen.used[i], "part %s: %ld used, %ld repair starts",
			     s->platform->operations.parts[i].name, r.parts_used[i], seen.used[i]);
		total += r.parts_used[i];
	}
	cr_assert(total > 0, "no part used");
	runsim_result_finish(&r);
	engine_destroy(e);
	scenario_destroy(s);
	free(job);
	return seen.dead_on_arrival;
}

static char *golden_cluster(void)
{
	char a[512];
	char *text = read_text(source_path("tests/golden/cluster.yaml", a, sizeof a));
	cr_assert(text);
	return text;
}

/* GPU and optic parts of failure classes (the power-cycle breakage takes none). */
Test(cost, a_replica_counts_the_parts_its_repairs_took)
{
	char *text = golden_cluster();
	cr_assert_eq(expect_parts_counted(text), 0);
	free(text);
}

/* A node dead on arrival has a ticket of no failure class: its part is the bring-up's. */
Test(cost, a_node_dead_on_arrival_counts_the_bring_ups_part)
{
	char *text = golden_cluster(), *all = malloc(strlen(text) + 256);
	sprintf(all, "%sbring_up: {deliveries: [{hall: 0, at: 0d}], acceptance: {hands_on: 2h}, "
		"dead_on_arrival: {fraction: 30%%, part: optic}}\n", text);
	cr_assert(expect_parts_counted(all) > 0, "no node dead on arrival took a part");
	free(all);
	free(text);
}
