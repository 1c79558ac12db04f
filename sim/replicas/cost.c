/* cost: a replica's cost item by item, and its slip's (see cost.h). */
#include "cost.h"

#include <stdlib.h>
#include <string.h>

#include "energy.h"
#include "stats.h"

#define JOULES_PER_MWH 3.6e9

static const char *const item_names[COST_ITEM_COUNT] = {
	[COST_GPU_TIME] = "gpu_time", [COST_ENERGY] = "energy", [COST_TECHNICIANS] = "technicians",
	[COST_PARTS] = "parts", [COST_HOLDING] = "holding", [COST_STANDBY] = "standby",
};

const char *cost_item_name(enum cost_item item)
{
	return item < COST_ITEM_COUNT ? item_names[item] : "?";
}

double cost_technician_s(const struct operations *ops, double sites, double wallclock_s)
{
	double sum = 0, from = 0;
	long per_site = ops->technicians_per_site;
	for (size_t i = 0; i < ops->crew_change_count && ops->crew_changes[i].at_s < wallclock_s; i++) {
		sum += (double)per_site * (ops->crew_changes[i].at_s - from);
		from = ops->crew_changes[i].at_s;
		per_site = ops->crew_changes[i].per_site;
	}
	return sites * (sum + (double)per_site * (wallclock_s - from));
}

/* IT energy of the failure-free run: its training busy, its checkpoint saves idle (as a
 * replica's are counted). */
static double failure_free_energy_j(const struct platform *p, const struct workload *w,
				    const struct run_plan_figures *plan)
{
	struct run_result ideal = {.wallclock_s = plan->failure_free_s};
	ideal.time_s[TIME_PRODUCTIVE] = plan->ideal_train_s;
	ideal.time_s[TIME_CHECKPOINT] = plan->checkpoint_overhead_s;
	return energy_replica_mwh(p, w, &ideal) * JOULES_PER_MWH;
}

void cost_basis_of(const struct platform *p, const struct workload *w, const struct run_plan_figures *plan,
		   const struct run_result *r, struct cost_basis *out)
{
	*out = (struct cost_basis){
		.wallclock_s = r->wallclock_s,
		.failure_free_s = plan->failure_free_s,
		.cluster_gpus = (double)p->counts.gpus,
		.standby_gpus = (double)(p->operations.hot_spare_nodes * p->node.gpus),
		.it_energy_j = energy_replica_mwh(p, w, r) * JOULES_PER_MWH,
		.failure_free_it_energy_j = failure_free_energy_j(p, w, plan),
		.technician_s = cost_technician_s(&p->operations, (double)p->site_count, r->wallclock_s),
		.parts_used = r->parts_used,
	};
}

/* The parts used at their prices, and the initial stock's value. */
static void parts_value(const struct platform *p, const long *used, double *used_usd, double *stock_usd)
{
	*used_usd = *stock_usd = 0;
	for (size_t i = 0; i < p->operations.part_count; i++) {
		*used_usd += (double)used[i] * p->costs.part_usd[i];
		*stock_usd += (double)p->operations.parts[i].stock * p->costs.part_usd[i];
	}
}

void cost_compute(const struct platform *p, const struct cost_basis *b, struct cost_breakdown *out)
{
	const struct cost_spec *c = &p->costs;
	double energy_usd_per_j = c->pue * c->energy_usd_per_j, stock_usd;
	memset(out, 0, sizeof *out);
	out->usd[COST_GPU_TIME] = b->cluster_gpus * b->wallclock_s * c->gpu_usd_per_s;
	out->usd[COST_ENERGY] = b->it_energy_j * energy_usd_per_j;
	out->usd[COST_TECHNICIANS] = b->technician_s * c->technician_usd_per_s;
	parts_value(p, b->parts_used, &out->usd[COST_PARTS], &stock_usd);
	out->usd[COST_HOLDING] = stock_usd * c->holding_per_s * b->wallclock_s;
	out->usd[COST_STANDBY] = b->standby_gpus * b->wallclock_s * c->gpu_usd_per_s;
	for (int i = 0; i < COST_ITEM_COUNT; i++)
		out->total_usd += out->usd[i];
	out->slip_usd = b->cluster_gpus * (b->wallclock_s - b->failure_free_s) * c->gpu_usd_per_s +
			(b->it_energy_j - b->failure_free_it_energy_j) * energy_usd_per_j;
}

void cost_of_replica(const struct platform *p, const struct workload *w, const struct run_plan_figures *plan,
		     const struct run_result *r, struct cost_breakdown *out)
{
	struct cost_basis b;
	cost_basis_of(p, w, plan, r, &b);
	cost_compute(p, &b, out);
}

bool cost_summarize(const struct platform *p, const struct workload *w, const struct run_plan_figures *plan,
		    const struct mc_result *mc, struct cost_summary *out)
{
	memset(out, 0, sizeof *out);
	if (!p->costs.present)
		return true;
	out->present = true;
	size_t size = (size_t)(mc->count ? mc->count : 1) * sizeof(double);
	double *totals = malloc(size), *slips = malloc(size);
	bool ok = totals && slips;
	for (long i = 0; ok && i < mc->count; i++) {
		const struct replica_outcome *o = &mc->replicas[i];
		if (!o->done || !o->result.finished)
			continue;
		struct cost_breakdown c;
		cost_of_replica(p, w, plan, &o->result, &c);
		totals[out->replicas] = c.total_usd;
		slips[out->replicas++] = c.slip_usd;
		for (int k = 0; k < COST_ITEM_COUNT; k++)
			out->mean_usd[k] += c.usd[k];
	}
	for (int k = 0; ok && k < COST_ITEM_COUNT; k++)
		out->mean_usd[k] /= (double)out->replicas; /* NaN (null in files) when none finished */
	ok = ok && stats_compute(totals, (size_t)out->replicas, &out->total) &&
	     stats_compute(slips, (size_t)out->replicas, &out->slip);
	free(totals);
	free(slips);
	return ok;
}
