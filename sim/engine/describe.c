/* describe: inventory and derived figures of a platform, plus SimGrid's own view of a
 * sample route at each level (so a reader sees what the simulator will really use). */
#include "describe.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static long fibers_of(double capacity, double fiber)
{
	return lround(ceil(capacity / fiber - 1e-9));
}

static void summarize_links(const struct platform *p, struct platform_description *d)
{
	const struct platform_counts *n = &p->counts;
	const struct fabric_spec *f = &p->fabric;
	long leaf_fibers = 0, pod_fibers = 0;
	for (long l = 0; l < n->leaves; l++)
		leaf_fibers += fibers_of(platform_leaf_uplink_bytes_per_s(p, l), f->fiber_bandwidth_bytes_per_s);
	for (long pod = 0; f->has_core && pod < n->pods; pod++)
		pod_fibers += fibers_of(platform_pod_uplink_bytes_per_s(p, pod), f->fiber_bandwidth_bytes_per_s);
	struct link_summary *s = d->links;
	s[0] = (struct link_summary){"nvlink", n->gpus, p->nvlink.bandwidth_bytes_per_s, p->nvlink.latency_s, n->domains};
	s[1] = (struct link_summary){"nic", n->nodes * p->node.nics, p->node.nic_bandwidth_bytes_per_s,
				     p->node.nic_latency_s, 2 * n->domains};
	s[2] = (struct link_summary){"leaf-spine fiber", leaf_fibers, f->fiber_bandwidth_bytes_per_s,
				     f->leaf_latency_s, 2 * n->leaves};
	d->link_kinds = 3;
	if (f->has_core)
		s[d->link_kinds++] = (struct link_summary){"spine-core fiber", pod_fibers, f->fiber_bandwidth_bytes_per_s,
							   f->spine_latency_s, 2 * n->pods};
	double wan_bw = 0, wan_lat = 0;
	for (size_t w = 0; w < p->wan_count; w++) {
		wan_bw += p->wan[w].bandwidth_bytes_per_s;
		wan_lat = fmax(wan_lat, p->wan[w].latency_s);
	}
	if (p->wan_count)
		s[d->link_kinds++] = (struct link_summary){"wan", (long)p->wan_count, wan_bw / (double)p->wan_count,
							   wan_lat, 2 * (long)p->wan_count};
}

/* Half the machine sends to the other half: the narrowest tier it must cross decides.
 * Each tier's total capacity is halved (half of it faces the other half); WAN is taken
 * whole, as an even split of the sites cuts every WAN link at best. */
static void bisection(const struct platform *p, struct platform_description *d)
{
	const struct platform_counts *n = &p->counts;
	double nic = (double)(n->nodes * p->node.nics) * p->node.nic_bandwidth_bytes_per_s;
	double best = n->domains > 1 ? nic / 2 : (double)p->nvlink.domain_gpus / 2 * p->nvlink.bandwidth_bytes_per_s;
	const char *tier = n->domains > 1 ? "nic" : "nvlink";
	double leaf = 0, pod = 0, wan = 0;
	for (long l = 0; l < n->leaves; l++)
		leaf += platform_leaf_uplink_bytes_per_s(p, l);
	for (long i = 0; p->fabric.has_core && i < n->pods; i++)
		pod += platform_pod_uplink_bytes_per_s(p, i);
	for (size_t w = 0; w < p->wan_count; w++)
		wan += p->wan[w].bandwidth_bytes_per_s;
	if (n->leaves > 1 && leaf / 2 < best)
		best = leaf / 2, tier = "leaf-spine";
	if (n->pods > 1 && p->fabric.has_core && pod / 2 < best)
		best = pod / 2, tier = "spine-core";
	if (n->sites > 1 && wan < best)
		best = wan, tier = "wan";
	d->bisection_bytes_per_s = best;
	d->bisection_tier = tier;
}

static bool power(const struct platform *p, struct platform_description *d)
{
	d->rack_busy_w = platform_rack_busy_w(p);
	d->rack_idle_w = platform_rack_idle_w(p);
	d->rack_pdu_usable_w = platform_rack_usable_pdu_w(p);
	d->power_busy_w = d->rack_busy_w * (double)p->counts.racks;
	d->power_idle_w = d->rack_idle_w * (double)p->counts.racks;
	d->halls = calloc(p->hall_count, sizeof *d->halls);
	if (!d->halls)
		return false;
	d->min_feed_headroom_w = INFINITY;
	for (size_t i = 0; i < p->hall_count; i++) {
		const struct hall *h = &p->halls[i];
		struct hall_power *hp = &d->halls[i];
		hp->name = h->name;
		hp->site = p->sites[h->site].name;
		hp->busy_w = d->rack_busy_w * (double)h->racks;
		hp->idle_w = d->rack_idle_w * (double)h->racks;
		hp->feed_w = h->feed_capacity_w;
		d->min_feed_headroom_w = fmin(d->min_feed_headroom_w, hp->feed_w - hp->busy_w);
	}
	return true;
}

static long first_gpu_of_node(const struct platform *p, long node)
{
	return node * p->node.gpus;
}

/* The first node of the first leaf group of pod `pod`. */
static long pod_first_node(const struct platform *p, long pod)
{
	for (size_t i = 0; i < p->hall_count; i++) {
		const struct hall *h = &p->halls[i];
		if (pod >= h->first_pod && pod < h->first_pod + h->pods)
			return h->first_node + (pod - h->first_pod) * p->fabric.spine_leaves * p->fabric.leaf_nodes;
	}
	return -1;
}

static void sample(const struct platform *p, const struct sg_cluster *c, struct route_sample *s,
		   const char *level, long a, long b)
{
	s->level = level;
	s->present = a >= 0 && b >= 0 && sg_platform_route(c, a, b, &s->route);
	s->gpu_a = a;
	s->gpu_b = b;
	bool in_domain = s->route.count == 1 && s->route.links[0].kind == SG_LINK_NVLINK;
	double port = in_domain ? p->nvlink.bandwidth_bytes_per_s : p->node.nic_bandwidth_bytes_per_s;
	s->per_gpu_bytes_per_s = fmin(port, s->route.bottleneck_bytes_per_s);
}

/* One GPU pair per level, each as close to GPU 0 as the platform allows. */
static void routes(const struct platform *p, const struct sg_cluster *c, struct platform_description *d)
{
	const struct platform_counts *n = &p->counts;
	long per_domain = n->nodes_per_domain;
	bool leaf_pair = platform_leaf_nodes(p, 0) >= 2 * per_domain;
	bool spine_pair = n->leaves > 1 && platform_leaf_pod(p, 1) == 0;
	bool core_pair = p->sites[0].pods > 1;
	sample(p, c, &d->routes[0], "same node", 0, p->nvlink.domain_gpus > 1 ? 1 : -1);
	sample(p, c, &d->routes[1], "same leaf", 0, leaf_pair ? first_gpu_of_node(p, per_domain) : -1);
	sample(p, c, &d->routes[2], "across spines", 0, spine_pair ? first_gpu_of_node(p, p->fabric.leaf_nodes) : -1);
	sample(p, c, &d->routes[3], "across core", 0, core_pair ? first_gpu_of_node(p, pod_first_node(p, 1)) : -1);
	sample(p, c, &d->routes[4], "across sites", 0, n->sites > 1 ? first_gpu_of_node(p, p->sites[1].first_node) : -1);
}

bool describe_platform(const struct platform *p, const struct sg_cluster *c, struct platform_description *d)
{
	memset(d, 0, sizeof *d);
	d->platform = p;
	bool rail = p->fabric.topology == FABRIC_RAIL_OPTIMIZED;
	d->leaf_switches = p->counts.leaves * (rail ? p->node.nics : 1);
	d->peak_flops = (double)p->counts.gpus * p->gpu.peak_flops;
	summarize_links(p, d);
	bisection(p, d);
	routes(p, c, d);
	d->simgrid_hosts = sg_platform_host_count(c);
	d->simgrid_links = sg_platform_link_count(c);
	return power(p, d);
}

void describe_finish(struct platform_description *d)
{
	if (d)
		free(d->halls);
}
