/* components: the component table (see components.h). One row of functions per kind keeps
 * a new kind to one place; a switch over kinds is the table, read in one direction. */
#include "components.h"

#include <math.h>

static long nic_fibers(const struct platform *p)
{
	return p->counts.nodes * p->node.nics;
}

static bool rail_optimized(const struct platform *p)
{
	return p->fabric.topology == FABRIC_RAIL_OPTIMIZED;
}

long components_count(const struct platform *p, enum component c)
{
	const struct platform_counts *n = &p->counts;
	switch (c) {
	case COMPONENT_GPU: return n->gpus;
	case COMPONENT_NODE: return n->nodes;
	case COMPONENT_DOMAIN: return n->domains;
	case COMPONENT_NIC: return nic_fibers(p);
	case COMPONENT_LINK: return nic_fibers(p) + n->leaves * p->fabric.leaf_uplinks;
	case COMPONENT_SWITCH: return n->leaves * (rail_optimized(p) ? p->node.nics : 1);
	case COMPONENT_RACK: return n->racks;
	case COMPONENT_PDU: return n->pdus;
	case COMPONENT_HALL: return n->halls;
	case COMPONENT_JOB: return 1;
	case COMPONENT_SITE: return n->sites;
	case COMPONENT_CLUSTER: return 1;
	default: return 0;
	}
}

struct node_range components_leaf_nodes(const struct platform *p, long leaf)
{
	long first = 0;
	for (size_t h = 0; h < p->hall_count; h++)
		if (p->halls[h].first_leaf <= leaf)
			first = p->halls[h].first_node + (leaf - p->halls[h].first_leaf) * p->fabric.leaf_nodes;
	return (struct node_range){first, platform_leaf_nodes(p, leaf)};
}

struct node_range components_nodes(const struct platform *p, enum component c, long index)
{
	long per_domain = p->counts.nodes_per_domain;
	switch (c) {
	case COMPONENT_GPU: return (struct node_range){index / p->node.gpus, 1};
	case COMPONENT_NODE: return (struct node_range){index, 1};
	case COMPONENT_NIC: return (struct node_range){index / p->node.nics, 1};
	case COMPONENT_DOMAIN: return (struct node_range){index * per_domain, per_domain};
	case COMPONENT_LINK:
		if (index < nic_fibers(p))
			return (struct node_range){index / p->node.nics, 1};
		return components_leaf_nodes(p, (index - nic_fibers(p)) / p->fabric.leaf_uplinks);
	case COMPONENT_SWITCH: return components_leaf_nodes(p, rail_optimized(p) ? index / p->node.nics : index);
	case COMPONENT_RACK: return (struct node_range){index * p->rack.nodes, p->rack.nodes};
	case COMPONENT_PDU: return (struct node_range){platform_pdu_rack(p, index) * p->rack.nodes, p->rack.nodes};
	case COMPONENT_HALL: return (struct node_range){p->halls[index].first_node, p->halls[index].nodes};
	case COMPONENT_SITE: return (struct node_range){p->sites[index].first_node, p->sites[index].nodes};
	case COMPONENT_CLUSTER: return (struct node_range){0, p->counts.nodes};
	default: return (struct node_range){index, 1};
	}
}

struct node_range components_around(const struct platform *p, enum component c, long node)
{
	switch (c) {
	case COMPONENT_DOMAIN: return components_nodes(p, c, platform_node_domain(p, node));
	case COMPONENT_SWITCH:
	case COMPONENT_LINK: return components_leaf_nodes(p, platform_node_leaf(p, node));
	case COMPONENT_RACK:
	case COMPONENT_PDU: return components_nodes(p, COMPONENT_RACK, platform_node_rack(p, node));
	case COMPONENT_HALL: return components_nodes(p, c, platform_node_hall(p, node));
	case COMPONENT_SITE: return components_nodes(p, c, p->halls[platform_node_hall(p, node)].site);
	case COMPONENT_CLUSTER: return components_nodes(p, c, 0);
	default: return (struct node_range){node, 1};
	}
}

double components_used_by_job(const struct platform *p, enum component c, double nodes)
{
	double racks = ceil(nodes / (double)p->rack.nodes);
	double leaves = ceil(nodes / (double)p->fabric.leaf_nodes);
	switch (c) {
	case COMPONENT_GPU: return nodes * (double)p->node.gpus;
	case COMPONENT_NODE: return nodes;
	case COMPONENT_DOMAIN: return ceil(nodes / (double)p->counts.nodes_per_domain);
	case COMPONENT_NIC: return nodes * (double)p->node.nics;
	case COMPONENT_LINK: return nodes * (double)p->node.nics + leaves * (double)p->fabric.leaf_uplinks;
	case COMPONENT_SWITCH: return leaves * (rail_optimized(p) ? (double)p->node.nics : 1);
	case COMPONENT_RACK: return racks;
	case COMPONENT_PDU: return racks * (double)p->rack.pdus;
	case COMPONENT_HALL: return (double)platform_node_hall(p, (long)nodes - 1) + 1;
	case COMPONENT_JOB: return 1;
	case COMPONENT_SITE: return (double)p->halls[platform_node_hall(p, (long)nodes - 1)].site + 1;
	case COMPONENT_CLUSTER: return 1;
	default: return 0;
	}
}

/* A NIC or NIC fiber is one rail of its domain's NIC bundle (shared by the domain's nodes);
 * a leaf uplink fiber is one of its leaf group's uplinks. */
static struct component_place link_place(const struct platform *p, long index)
{
	if (index < nic_fibers(p)) {
		long node = index / p->node.nics;
		return (struct component_place){OBJECT_NIC_LINK, platform_node_domain(p, node), index % p->node.nics,
						p->counts.nodes_per_domain};
	}
	long leaf = (index - nic_fibers(p)) / p->fabric.leaf_uplinks;
	return (struct component_place){OBJECT_LEAF_LINK, leaf, -1, p->fabric.leaf_uplinks};
}

struct component_place components_place(const struct platform *p, enum component c, long index)
{
	switch (c) {
	case COMPONENT_GPU:
	case COMPONENT_NODE:
	case COMPONENT_DOMAIN: {
		long node = components_nodes(p, c, index).first;
		return (struct component_place){OBJECT_HOST, platform_node_domain(p, node), -1, 1};
	}
	case COMPONENT_NIC:
	case COMPONENT_LINK: return link_place(p, index);
	default: return (struct component_place){OBJECT_NONE, -1, -1, 1};
	}
}

long components_nic_fiber(const struct platform *p, long node, long rail)
{
	return node * p->node.nics + rail;
}

long components_leaf_fiber(const struct platform *p, long leaf, long k)
{
	return nic_fibers(p) + leaf * p->fabric.leaf_uplinks + k;
}
