/* sg_platform: the validated platform turned into a SimGrid platform and loaded into the
 * engine, plus the maps between our ids (GPU, NVLink domain, leaf group, pod, WAN link) and
 * SimGrid hosts and links, both ways.
 *
 * Representation (why: SimGrid 3.32 costs grow with zones x hosts, see README):
 *  - one SimGrid host per NVLink domain (an HGX node, or an NVL72 rack), its GPUs as cores;
 *    traffic inside a domain crosses only its NVLink loopback (per-GPU bandwidth, FATPIPE);
 *  - one <cluster> zone per leaf group, whose private split-duplex link per host is the
 *    domain's NIC bundle (all its NICs, each direction);
 *  - leaf-group uplinks and pod uplinks as directed links (one per direction) routed by
 *    Dijkstra zones per pod and per site; sites joined by directed WAN links at the root.
 * So a transfer crosses exactly: NVLink; or NIC up, [leaf up, [pod up, WAN, pod down,] leaf
 * down,] NIC down, and shares those links with every other transfer that crosses them. */
#ifndef TRAINSIM_SG_PLATFORM_H
#define TRAINSIM_SG_PLATFORM_H

#include <stdbool.h>
#include <stdio.h>

#include <simgrid/forward.h>

#include "error.h"
#include "platform.h"

enum sg_link_kind {
	SG_LINK_NVLINK,   /* a domain's NVLink loopback */
	SG_LINK_NIC,      /* a domain's NIC bundle to its leaf (split duplex) */
	SG_LINK_LEAF,     /* a leaf group's uplink bundle to its spines */
	SG_LINK_POD,      /* a pod's uplink bundle to the core */
	SG_LINK_WAN,      /* a WAN link between two sites */
	SG_LINK_KIND_COUNT
};

/* Which of our links a SimGrid link is: kind, index (domain, leaf, pod or WAN entry), and
 * direction (true = up, or site_a -> site_b for WAN; NVLink has none). */
struct sg_link_ref {
	enum sg_link_kind kind;
	long index;
	bool up;
};

struct sg_cluster;

/* Write the SimGrid XML for `p` to `out`. Returns false (err filled) on a write error. */
bool sg_platform_write_xml(const struct platform *p, FILE *out, struct ts_error *err);

/* Initialise the SimGrid engine (once per process; SimGrid cannot be re-initialised) with
 * `engine_args` (NULL-terminated SimGrid options such as "--log=trainsim.thres:debug", or
 * NULL), load the platform built from `p` and seal it. `p` must outlive the cluster. On
 * success *out owns the maps (free with sg_platform_destroy; the engine itself lives on). */
bool sg_platform_load(const struct platform *p, const char *const *engine_args, struct sg_cluster **out,
		      struct ts_error *err);

/* Free the maps; accepts NULL. */
void sg_platform_destroy(struct sg_cluster *c);

/* SimGrid host of NVLink domain `domain`, and of GPU `gpu`. */
sg_host_t sg_platform_domain_host(const struct sg_cluster *c, long domain);
sg_host_t sg_platform_gpu_host(const struct sg_cluster *c, long gpu);

/* SimGrid host of node `node` (the host of its NVLink domain). */
sg_host_t sg_platform_node_host(const struct sg_cluster *c, long node);

/* Domain index of a SimGrid host, or -1 when it is not one of ours. Its nodes are
 * [domain * nodes_per_domain, (domain + 1) * nodes_per_domain), its GPUs likewise. */
long sg_platform_host_domain(const struct sg_cluster *c, const_sg_host_t host);

/* SimGrid link for one of our links, or NULL when there is none (no core, bad index). */
sg_link_t sg_platform_link(const struct sg_cluster *c, struct sg_link_ref ref);

/* Which of our links a SimGrid link is; false when it is not ours. */
bool sg_platform_link_ref(const struct sg_cluster *c, const_sg_link_t link, struct sg_link_ref *ref);

/* Name of a link kind ("nvlink", "nic", "leaf-uplink", "pod-uplink", "wan"). */
const char *sg_platform_link_kind_name(enum sg_link_kind kind);

/* The route SimGrid computes from GPU a to GPU b. */
#define SG_ROUTE_MAX_LINKS 16
struct sg_route {
	size_t count;
	struct sg_link_ref links[SG_ROUTE_MAX_LINKS];
	double bottleneck_bytes_per_s; /* smallest link bandwidth on the route */
	double latency_s;              /* sum of link latencies */
};
bool sg_platform_route(const struct sg_cluster *c, long gpu_a, long gpu_b, struct sg_route *route);

/* The host the simulation's own actors run on (outside the cluster, never failed). */
sg_host_t sg_platform_control_host(const struct sg_cluster *c);

/* The platform model this cluster was built from. */
const struct platform *sg_platform_model(const struct sg_cluster *c);

/* Host and link counts as SimGrid has them. */
size_t sg_platform_host_count(const struct sg_cluster *c);
size_t sg_platform_link_count(const struct sg_cluster *c);

#endif
