/* cost: what a replica costs under the platform's `costs` section, item by item (they add up
 * to its total), and what its slip costs: the GPU time and energy beyond the failure-free run.
 * Pure functions of the platform, the plan and a replica's result; nothing is printed. */
#ifndef TRAINSIM_COST_H
#define TRAINSIM_COST_H

#include <stdbool.h>

#include "montecarlo.h"
#include "platform.h"
#include "runplan.h"
#include "runsim.h"
#include "stats.h"
#include "workload.h"

/* The items of a replica's cost, in the order files and reports list them. */
enum cost_item {
	COST_GPU_TIME,    /* every GPU of the platform for the whole wall-clock */
	COST_ENERGY,      /* the job's IT energy times PUE */
	COST_TECHNICIANS, /* technicians on payroll for the wall-clock */
	COST_PARTS,       /* spare parts repairs took */
	COST_HOLDING,     /* carrying the initial spares stock for the wall-clock */
	COST_STANDBY,     /* hot-spare standby nodes outside the platform, as GPU time */
	COST_ITEM_COUNT
};

/* What a replica did that costs money, as plain figures (cost_basis_of fills it). */
struct cost_basis {
	double wallclock_s;
	double failure_free_s;           /* of the plan */
	double cluster_gpus;             /* every GPU of the platform */
	double standby_gpus;             /* operations.spares.hot_nodes x node.gpus */
	double it_energy_j;              /* the job's nodes, as energy_replica_mwh */
	double failure_free_it_energy_j; /* the same for the failure-free run */
	double technician_s;             /* technician-seconds on payroll (cost_technician_s) */
	const long *parts_used;          /* [operations.part_count] */
};

struct cost_breakdown {
	double usd[COST_ITEM_COUNT];
	double total_usd;                /* the items' sum */
	double slip_usd;                 /* GPU time of the cluster and energy beyond the failure-free run */
};

/* Over the replicas that finished (a replica stopped at its horizon has no wall-clock yet). */
struct cost_summary {
	bool present;                    /* the platform has a costs section: else nothing else is set */
	long replicas;                   /* the replicas that finished, which the figures cover */
	struct stats total, slip;        /* in US dollars */
	double mean_usd[COST_ITEM_COUNT];
};

/* The item's name in summary.json, replicas.csv and reports ("gpu_time", ...). */
const char *cost_item_name(enum cost_item item);

/* Technician-seconds on payroll over [0, wallclock_s): technicians.per_site in each of
 * `sites` sites, changing at each technicians.grow entry. */
double cost_technician_s(const struct operations *ops, double sites, double wallclock_s);

/* The basis of replica r (its arrays borrowed, not copied) on platform p for workload w. */
void cost_basis_of(const struct platform *p, const struct workload *w, const struct run_plan_figures *plan,
		   const struct run_result *r, struct cost_basis *out);

/* The cost of basis b at p's prices (p->costs; part prices and stock from p). */
void cost_compute(const struct platform *p, const struct cost_basis *b, struct cost_breakdown *out);

/* The cost of replica r: cost_basis_of, then cost_compute. */
void cost_of_replica(const struct platform *p, const struct workload *w, const struct run_plan_figures *plan,
		     const struct run_result *r, struct cost_breakdown *out);

/* Means and distributions over the finished replicas of mc; false on out of memory. Without a
 * costs section, out->present is false and nothing is computed. */
bool cost_summarize(const struct platform *p, const struct workload *w, const struct run_plan_figures *plan,
		    const struct mc_result *mc, struct cost_summary *out);

#endif
