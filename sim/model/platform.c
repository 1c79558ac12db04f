/* platform: loading (YAML -> decode -> check) and the derived figures every later stage
 * reads (capacities of leaf and pod uplinks, rack power, which leaf holds which node). */
#include "platform_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>


void platform_destroy(struct platform *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->description);
	free(p->source);
	free(p->gpu.model);
	for (size_t i = 0; i < p->site_count; i++)
		free(p->sites[i].name);
	for (size_t i = 0; i < p->hall_count; i++)
		free(p->halls[i].name);
	for (size_t i = 0; i < p->failure_count; i++) {
		free(p->failures[i].name);
		free(p->failures[i].part);
	}
	for (size_t i = 0; i < p->operations.part_count; i++)
		free(p->operations.parts[i].name);
	free(p->operations.parts);
	free(p->power.cycle_part);
	platform_free_bring_up(p);
	free(p->costs.part_usd);
	free(p->sites);
	free(p->halls);
	free(p->wan);
	free(p->failures);
	free(p);
}

bool platform_from_doc(const struct ydoc *doc, struct platform **out, struct ts_error *err)
{
	struct platform *p = calloc(1, sizeof *p);
	if (!p)
		return error_set(err, doc->file, 0, 0, "out of memory");
	bool ok = platform_decode(doc, p, err) && platform_check(doc, p, err);
	if (ok && !(p->source = strdup(doc->file)))
		ok = error_set(err, doc->file, 0, 0, "out of memory");
	if (!ok) {
		platform_destroy(p);
		return false;
	}
	*out = p;
	return true;
}

double platform_domain_nic_bytes_per_s(const struct platform *p)
{
	return (double)(p->counts.nodes_per_domain * p->node.nics) * p->node.nic_bandwidth_bytes_per_s;
}

/* Index of the last hall whose index field (first_node, first_leaf, ...) at `offset` is
 * <= value: halls are numbered in order, so a binary search finds the one holding it. */
static size_t hall_holding(const struct platform *p, size_t offset, long value)
{
	size_t lo = 0, hi = p->hall_count;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		long first = *(const long *)((const char *)&p->halls[mid] + offset);
		if (first <= value)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

long platform_node_hall(const struct platform *p, long node)
{
	return (long)hall_holding(p, offsetof(struct hall, first_node), node);
}

long platform_node_leaf(const struct platform *p, long node)
{
	const struct hall *h = &p->halls[platform_node_hall(p, node)];
	return h->first_leaf + (node - h->first_node) / p->fabric.leaf_nodes;
}

/* The hall holding leaf group `leaf`. */
static const struct hall *leaf_hall(const struct platform *p, long leaf)
{
	return &p->halls[hall_holding(p, offsetof(struct hall, first_leaf), leaf)];
}

long platform_leaf_pod(const struct platform *p, long leaf)
{
	const struct hall *h = leaf_hall(p, leaf);
	return h->first_pod + (leaf - h->first_leaf) / p->fabric.spine_leaves;
}

long platform_leaf_nodes(const struct platform *p, long leaf)
{
	const struct hall *h = leaf_hall(p, leaf);
	long start = (leaf - h->first_leaf) * p->fabric.leaf_nodes;
	long left = h->nodes - start;
	return left < p->fabric.leaf_nodes ? left : p->fabric.leaf_nodes;
}

double platform_leaf_uplink_bytes_per_s(const struct platform *p, long leaf)
{
	double down = (double)(platform_leaf_nodes(p, leaf) * p->node.nics) * p->node.nic_bandwidth_bytes_per_s;
	return down / p->fabric.leaf_oversubscription;
}

double platform_pod_uplink_bytes_per_s(const struct platform *p, long pod)
{
	if (!p->fabric.has_core)
		return 0;
	double down = 0;
	for (long leaf = 0; leaf < p->counts.leaves; leaf++) {
		if (platform_leaf_pod(p, leaf) == pod)
			down += platform_leaf_uplink_bytes_per_s(p, leaf);
	}
	return down / p->fabric.spine_oversubscription;
}

double platform_rack_busy_w(const struct platform *p)
{
	return (double)p->rack.nodes * ((double)p->node.gpus * p->gpu.busy_w + p->node.host_busy_w);
}

double platform_rack_idle_w(const struct platform *p)
{
	return (double)p->rack.nodes * ((double)p->node.gpus * p->gpu.idle_w + p->node.host_idle_w);
}

double platform_rack_usable_pdu_w(const struct platform *p)
{
	long usable = p->rack.pdus;
	if (p->rack.redundancy == PDU_REDUNDANCY_N_PLUS_1)
		usable = p->rack.pdus - 1;
	else if (p->rack.redundancy == PDU_REDUNDANCY_2N)
		usable = p->rack.pdus / 2;
	return (double)usable * p->rack.pdu_capacity_w;
}

long platform_gpu_node(const struct platform *p, long gpu)
{
	return gpu / p->node.gpus;
}

long platform_node_domain(const struct platform *p, long node)
{
	return node / p->counts.nodes_per_domain;
}

/* Racks hold whole NVLink domains and halls hold whole racks, so plain division is exact. */
long platform_node_rack(const struct platform *p, long node)
{
	return node / p->rack.nodes;
}

long platform_pdu_rack(const struct platform *p, long pdu)
{
	return pdu / p->rack.pdus;
}

long platform_rack_first_pdu(const struct platform *p, long rack)
{
	return rack * p->rack.pdus;
}
