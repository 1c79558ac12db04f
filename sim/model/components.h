/* components: the one table of the platform's component kinds (gpu, node, NVLink domain,
 * NIC, fabric link, leaf switch, rack, PDU, hall, job, site, the whole cluster): how each kind's ids are numbered,
 * how many there are, which nodes one of them holds, how many of them a job uses, and which
 * SimGrid object stands for it. Failure processes, Daly's interval, the run and the
 * replica template all read this table instead of re-deriving the numbering.
 *
 * Numbering, dense from 0 in each kind:
 *  - gpu g sits in node g / gpus-per-node; a node's NICs are node * nics + rail;
 *  - link (one fiber of the scale-out fabric): the NIC fibers node by node and rail by rail
 *    (node * nics + rail), then the leaf groups' uplink fibers, leaf by leaf;
 *  - switch: with rail-optimized leaves, leaf * nics + rail (one switch per rail of each
 *    leaf group), else one switch per leaf group;
 *  - rack r holds nodes [r * rack.nodes, (r + 1) * rack.nodes) and PDUs
 *    [r * rack.pdus, (r + 1) * rack.pdus); halls hold ranges of racks, nodes and leaves. */
#ifndef TRAINSIM_COMPONENTS_H
#define TRAINSIM_COMPONENTS_H

#include <stdbool.h>

#include "platform.h"

/* A run of consecutive node ids. */
struct node_range {
	long first, count;
};

/* The SimGrid object a component maps to (the engine resolves it; see sg_platform.h). */
enum component_object {
	OBJECT_NONE,       /* nothing of its own: its nodes' hosts stand for it (rack, PDU, hall, job) */
	OBJECT_HOST,       /* the host of its NVLink domain (gpu, node, domain) */
	OBJECT_NIC_LINK,   /* one rail of its domain's NIC bundle (nic, and NIC fibers) */
	OBJECT_LEAF_LINK,  /* one fiber of its leaf group's uplink bundle (leaf uplink fibers) */
};

/* Where a component sits in SimGrid: the object, its index (domain or leaf group), the rail
 * (NIC links) and how many like it share that SimGrid link (so one of them degraded leaves
 * 1 - (1 - share) / members of the bundle). */
struct component_place {
	enum component_object object;
	long index;
	long rail;
	long members;
};

/* Name of a kind as written in YAML ("gpu", "node", ...). */
const char *components_name(enum component c);

/* Components of kind c in the platform. */
long components_count(const struct platform *p, enum component c);

/* The nodes component `index` of kind c spans (a GPU, NIC or NIC fiber: its node; a leaf
 * switch or uplink fiber: its leaf group; a rack or PDU: the rack; a job: none). */
struct node_range components_nodes(const struct platform *p, enum component c, long index);

/* The nodes of the component of kind c that holds node `node`. */
struct node_range components_around(const struct platform *p, enum component c, long node);

/* How many components of kind c a job on the platform's first `nodes` nodes uses. */
double components_used_by_job(const struct platform *p, enum component c, double nodes);

/* The SimGrid object component `index` of kind c maps to. */
struct component_place components_place(const struct platform *p, enum component c, long index);

/* Link ids: the fiber of node `node`'s NIC `rail`, and leaf group `leaf`'s k-th uplink fiber. */
long components_nic_fiber(const struct platform *p, long node, long rail);
long components_leaf_fiber(const struct platform *p, long leaf, long k);

/* The nodes of leaf group `leaf`. */
struct node_range components_leaf_nodes(const struct platform *p, long leaf);

#endif
