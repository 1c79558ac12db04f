/* checkpoint: the components a job uses, counted per failure class, and Daly's formula. */
#include "checkpoint.h"

#include <math.h>

/* How many components of kind `c` a job of w's size uses (it sits on the first nodes). */
static double components_used(const struct platform *p, const struct workload *w, enum component c)
{
	double nodes = (double)w->job.gpus / (double)p->node.gpus;
	double racks = ceil(nodes / (double)p->rack.nodes);
	double leaves = ceil(nodes / (double)p->fabric.leaf_nodes);
	bool rail = p->fabric.topology == FABRIC_RAIL_OPTIMIZED;
	switch (c) {
	case COMPONENT_GPU: return (double)w->job.gpus;
	case COMPONENT_NODE: return nodes;
	case COMPONENT_DOMAIN: return ceil(nodes / (double)p->counts.nodes_per_domain);
	case COMPONENT_NIC: return nodes * (double)p->node.nics;
	case COMPONENT_LINK: return nodes * (double)p->node.nics + leaves * (double)p->fabric.leaf_uplinks;
	case COMPONENT_SWITCH: return leaves * (rail ? (double)p->node.nics : 1);
	case COMPONENT_RACK: return racks;
	case COMPONENT_PDU: return racks * (double)p->rack.pdus;
	case COMPONENT_HALL: return (double)platform_node_hall(p, (long)nodes - 1) + 1;
	case COMPONENT_JOB: return 1;
	default: return 0;
	}
}

double checkpoint_job_failure_rate(const struct platform *p, const struct workload *w)
{
	double rate = 0;
	for (size_t i = 0; i < p->failure_count; i++)
		rate += p->failures[i].rate_per_s * components_used(p, w, p->failures[i].per);
	return rate;
}

double checkpoint_save_s(const struct workload *w)
{
	if (w->checkpoint.async)
		return w->checkpoint.async_stall_s;
	return workload_checkpoint_bytes(w) / w->checkpoint.write_bytes_per_s;
}

double checkpoint_interval_s(const struct platform *p, const struct workload *w)
{
	if (!w->checkpoint.interval_auto)
		return w->checkpoint.interval_s;
	double rate = checkpoint_job_failure_rate(p, w);
	if (rate <= 0)
		return INFINITY;
	double m = 1 / rate, d = checkpoint_save_s(w);
	if (d <= 0)
		return 60; /* free saves: checkpoint every minute rather than never */
	if (d >= 2 * m)
		return m;
	double x = d / (2 * m);
	return sqrt(2 * d * m) * (1 + sqrt(x) / 3 + x / 9) - d;
}
