/* describe: what `trainsim describe` reports about a platform, computed once from the model
 * and the loaded SimGrid platform (inventory, link kinds, power, bisection, sample routes).
 * Pure data; report_describe prints it. */
#ifndef TRAINSIM_DESCRIBE_H
#define TRAINSIM_DESCRIBE_H

#include <stdbool.h>

#include "platform.h"
#include "sg_platform.h"

/* One kind of physical link: how many, how fast, and how SimGrid models them. */
struct link_summary {
	const char *kind;             /* "nvlink", "nic", "leaf-spine fiber", ... */
	long count;                   /* physical links (ports or fibers) */
	double bandwidth_bytes_per_s; /* of one physical link, each direction */
	double latency_s;
	long simgrid_links;           /* SimGrid links standing for them (bundles, per direction) */
};

/* A sample GPU pair at one level of the hierarchy and SimGrid's route between them. */
struct route_sample {
	const char *level;            /* "same node", "same leaf", "across spines", ... */
	bool present;                 /* false when the platform has no such pair */
	long gpu_a, gpu_b;
	struct sg_route route;
	/* What one GPU can push on this route: SimGrid's bottleneck capped by the GPU's own
	 * port (its NVLink, or its one NIC: SimGrid's NIC link is the domain's whole bundle). */
	double per_gpu_bytes_per_s;
};

enum { DESCRIBE_LINK_KINDS = 5, DESCRIBE_ROUTE_LEVELS = 5 };

struct hall_power {
	const char *name;
	const char *site;
	double busy_w, idle_w, feed_w;
};

struct platform_description {
	const struct platform *platform;
	long leaf_switches;
	double peak_flops;
	double power_busy_w, power_idle_w;
	double rack_busy_w, rack_idle_w, rack_pdu_usable_w;
	double min_feed_headroom_w;   /* over all halls: feed minus busy draw */
	struct hall_power *halls;     /* one per hall, owned */
	double bisection_bytes_per_s; /* each direction, across the narrowest even split */
	const char *bisection_tier;   /* which tier sets it */
	struct link_summary links[DESCRIBE_LINK_KINDS];
	size_t link_kinds;
	struct route_sample routes[DESCRIBE_ROUTE_LEVELS];
	size_t simgrid_hosts, simgrid_links;
};

/* Fill d from a validated platform and its loaded SimGrid cluster. false on out of memory. */
bool describe_platform(const struct platform *p, const struct sg_cluster *c, struct platform_description *d);

/* Free what describe_platform allocated; accepts NULL. */
void describe_finish(struct platform_description *d);

#endif
