/* linkload: bytes per link along each flow's route, and the time of the most loaded link
 * (see linkload.h). Routes follow sg_platform's hierarchy; the WAN hops between two sites are
 * asked of SimGrid once per pair of sites, since sites may be joined through others. */
#include "linkload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <xbt/config.h>

struct wan_path {
	size_t count;
	struct sg_link_ref links[SG_ROUTE_MAX_LINKS];
};

struct linkload {
	const struct platform *p;
	long *domain_leaf, *domain_pod, *domain_site; /* by domain */
	struct wan_path *wan;                          /* [site_a * sites + site_b] */
	double *load[SG_LINK_KIND_COUNT][2];           /* bytes by kind, direction, index */
	double *latency[SG_LINK_KIND_COUNT][2];        /* the longest route latency of a flow on it */
	double tcp_gamma;                              /* SimGrid's TCP window bound (0: none) */
	long size[SG_LINK_KIND_COUNT];
	struct sg_link_ref *touched; /* links with load, to evaluate and reset */
	size_t touched_count;
	double flow_bound_s; /* the longest a flow takes on its own: latency plus its bytes at the
			      * rate its window allows (or NVLink's, inside a domain) */
};

static long node_site(const struct platform *p, long node)
{
	for (long s = 0; s < p->counts.sites; s++)
		if (node >= p->sites[s].first_node && node < p->sites[s].first_node + p->sites[s].nodes)
			return s;
	return 0;
}

static bool map_domains(struct linkload *l)
{
	const struct platform *p = l->p;
	size_t domains = (size_t)p->counts.domains;
	l->domain_leaf = malloc(domains * sizeof *l->domain_leaf);
	l->domain_pod = malloc(domains * sizeof *l->domain_pod);
	l->domain_site = malloc(domains * sizeof *l->domain_site);
	if (!l->domain_leaf || !l->domain_pod || !l->domain_site)
		return false;
	for (long d = 0; d < p->counts.domains; d++) {
		long node = d * p->counts.nodes_per_domain;
		l->domain_leaf[d] = platform_node_leaf(p, node);
		l->domain_pod[d] = platform_leaf_pod(p, l->domain_leaf[d]);
		l->domain_site[d] = node_site(p, node);
	}
	return true;
}

/* The WAN hops SimGrid routes between each pair of sites. */
static bool map_wan(struct linkload *l, const struct sg_cluster *c, struct ts_error *err)
{
	const struct platform *p = l->p;
	long sites = p->counts.sites;
	l->wan = calloc((size_t)(sites * sites), sizeof *l->wan);
	if (!l->wan)
		return error_set(err, "", 0, 0, "out of memory for the link loads");
	for (long a = 0; a < sites; a++)
		for (long b = 0; b < sites; b++) {
			if (a == b || p->sites[a].nodes == 0 || p->sites[b].nodes == 0)
				continue;
			struct sg_route route;
			if (!sg_platform_route(c, p->sites[a].first_node * p->node.gpus, p->sites[b].first_node * p->node.gpus,
					       &route))
				return error_set(err, "", 0, 0, "the route from site %ld to site %ld crosses unknown links",
						 a, b);
			struct wan_path *path = &l->wan[a * sites + b];
			for (size_t i = 0; i < route.count; i++)
				if (route.links[i].kind == SG_LINK_WAN)
					path->links[path->count++] = route.links[i];
		}
	return true;
}

bool linkload_create(const struct platform *p, const struct sg_cluster *c, struct linkload **out,
		     struct ts_error *err)
{
	struct linkload *l = calloc(1, sizeof *l);
	if (!l)
		return error_set(err, "", 0, 0, "out of memory for the link loads");
	l->p = p;
	l->size[SG_LINK_NIC] = p->counts.domains;
	l->size[SG_LINK_LEAF] = p->counts.leaves;
	l->size[SG_LINK_POD] = p->counts.pods;
	l->size[SG_LINK_WAN] = (long)p->wan_count;
	size_t links = 0;
	bool ok = map_domains(l);
	for (int k = SG_LINK_NIC; ok && k < SG_LINK_KIND_COUNT; k++)
		for (int up = 0; ok && up < 2; up++) {
			l->load[k][up] = calloc((size_t)l->size[k] + 1, sizeof *l->load[k][up]);
			l->latency[k][up] = calloc((size_t)l->size[k] + 1, sizeof *l->latency[k][up]);
			ok = l->load[k][up] != NULL && l->latency[k][up] != NULL;
			links += (size_t)l->size[k];
		}
	/* CM02 bounds a flow's rate by gamma / (2 x its route's latency), a TCP window per
	 * round trip: what a WAN hop costs beyond its bandwidth */
	l->tcp_gamma = sg_cfg_get_double("network/TCP-gamma");
	ok = ok && (l->touched = malloc((links + 1) * sizeof *l->touched)) != NULL;
	if (!ok) {
		linkload_destroy(l);
		return error_set(err, "", 0, 0, "out of memory for the link loads");
	}
	if (!map_wan(l, c, err)) {
		linkload_destroy(l);
		return false;
	}
	*out = l;
	return true;
}

void linkload_destroy(struct linkload *l)
{
	if (!l)
		return;
	free(l->domain_leaf);
	free(l->domain_pod);
	free(l->domain_site);
	free(l->wan);
	for (int k = 0; k < SG_LINK_KIND_COUNT; k++)
		for (int up = 0; up < 2; up++) {
			free(l->load[k][up]);
			free(l->latency[k][up]);
		}
	free(l->touched);
	free(l);
}

size_t linkload_route(const struct linkload *l, long gpu_a, long gpu_b, struct sg_link_ref *links, size_t max)
{
	long per = l->p->nvlink.domain_gpus;
	long a = gpu_a / per, b = gpu_b / per;
	size_t n = 0;
#define HOP(kind, index, up)                                                                                         \
	do {                                                                                                         \
		if (n < max)                                                                                         \
			links[n] = (struct sg_link_ref){kind, index, up};                                            \
		n++;                                                                                                 \
	} while (0)
	if (a == b) {
		HOP(SG_LINK_NVLINK, a, false);
		return n;
	}
	HOP(SG_LINK_NIC, a, true);
	if (l->domain_leaf[a] != l->domain_leaf[b]) {
		HOP(SG_LINK_LEAF, l->domain_leaf[a], true);
		bool other_pod = l->domain_pod[a] != l->domain_pod[b];
		if (other_pod && l->p->fabric.has_core)
			HOP(SG_LINK_POD, l->domain_pod[a], true);
		if (l->domain_site[a] != l->domain_site[b]) {
			const struct wan_path *path = &l->wan[l->domain_site[a] * l->p->counts.sites + l->domain_site[b]];
			for (size_t i = 0; i < path->count; i++)
				HOP(SG_LINK_WAN, path->links[i].index, path->links[i].up);
		}
		if (other_pod && l->p->fabric.has_core)
			HOP(SG_LINK_POD, l->domain_pod[b], false);
		HOP(SG_LINK_LEAF, l->domain_leaf[b], false);
	}
	HOP(SG_LINK_NIC, b, false);
#undef HOP
	return n;
}

static double hop_latency_s(const struct platform *p, const struct sg_link_ref *ref)
{
	switch (ref->kind) {
	case SG_LINK_NVLINK: return p->nvlink.latency_s;
	case SG_LINK_NIC: return p->node.nic_latency_s;
	case SG_LINK_LEAF: return p->fabric.leaf_latency_s;
	case SG_LINK_POD: return p->fabric.spine_latency_s;
	default: return p->wan[ref->index].latency_s;
	}
}

/* One flow: its bytes on each link of its route, and what it takes on its own. */
static void add_flow(struct linkload *l, const struct flow *f)
{
	struct sg_link_ref route[SG_ROUTE_MAX_LINKS];
	size_t n = linkload_route(l, f->src_gpu, f->dst_gpu, route, SG_ROUTE_MAX_LINKS);
	double latency = 0;
	for (size_t k = 0; k < n && k < SG_ROUTE_MAX_LINKS; k++)
		latency += hop_latency_s(l->p, &route[k]);
	double rate = l->tcp_gamma > 0 && latency > 0 ? l->tcp_gamma / (2 * latency) : INFINITY;
	if (n == 1 && route[0].kind == SG_LINK_NVLINK) /* FATPIPE: the link's bandwidth to itself */
		rate = fmin(rate, l->p->nvlink.bandwidth_bytes_per_s);
	l->flow_bound_s = fmax(l->flow_bound_s, latency + f->bytes / rate);
	for (size_t k = 0; k < n && k < SG_ROUTE_MAX_LINKS; k++) {
		const struct sg_link_ref *ref = &route[k];
		if (ref->kind == SG_LINK_NVLINK)
			continue;
		double *load = &l->load[ref->kind][ref->up][ref->index];
		double *longest = &l->latency[ref->kind][ref->up][ref->index];
		if (*load == 0)
			l->touched[l->touched_count++] = *ref;
		*load += f->bytes;
		*longest = fmax(*longest, latency);
	}
}

double linkload_bottleneck_s(struct linkload *l, const struct flowset *set, const struct cluster_state *state,
			     long rail)
{
	for (size_t i = 0; i < set->count; i++)
		add_flow(l, &set->flows[i]);
	double worst = l->flow_bound_s;
	for (size_t t = 0; t < l->touched_count; t++) {
		const struct sg_link_ref *ref = &l->touched[t];
		double *load = &l->load[ref->kind][ref->up][ref->index];
		double *longest = &l->latency[ref->kind][ref->up][ref->index];
		double seconds = *longest + *load / flowsim_link_capacity(l->p, state, ref->kind, ref->index, rail);
		worst = fmax(worst, seconds);
		*load = *longest = 0;
	}
	l->touched_count = 0;
	l->flow_bound_s = 0;
	return worst;
}
