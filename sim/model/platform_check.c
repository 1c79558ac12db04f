/* platform_check: cross-field validation of a decoded platform (does the NVLink domain fit
 * in a rack, do uplink fibers add up, can the PDUs and feeds carry the idle load, can every
 * site reach every other) and the index ranges the rest of the program relies on. */
#include "platform_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"

/* Keeps the simulation within memory a 2-core, 24 GB machine has (SimGrid hosts are
 * NVLink domains, so this bounds hosts at a few hundred thousand). */
#define MAX_GPUS 10000000L

/* FP8 efficiency means nothing without an FP8 peak. */
static bool check_fp8(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	if (p->gpu.efficiency.fp8_matmul >= 0 && p->gpu.peak_fp8_flops <= 0)
		return ydoc_error_at(doc, "gpu.efficiency.fp8_matmul", err, "gpu.efficiency.fp8_matmul is given but "
				     "gpu.peak_fp8 is not; expected both or neither");
	return true;
}

static bool check_power_pairs(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	if (p->gpu.idle_w > p->gpu.busy_w)
		return ydoc_error_at(doc, "gpu.power.idle", err, "gpu.power.idle (%g W) is above gpu.power.busy (%g W); "
				"expected idle <= busy", p->gpu.idle_w, p->gpu.busy_w);
	if (p->node.host_idle_w > p->node.host_busy_w)
		return ydoc_error_at(doc, "node.host_power.idle", err, "node.host_power.idle (%g W) is above "
				"node.host_power.busy (%g W); expected idle <= busy",
				p->node.host_idle_w, p->node.host_busy_w);
	return true;
}

/* An NVLink domain is built from whole nodes and must fit inside one rack. */
static bool check_domain(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	long gpus = p->nvlink.domain_gpus, per_node = p->node.gpus;
	if (gpus % per_node)
		return ydoc_error_at(doc, "nvlink.domain", err, "nvlink.domain is %ld GPUs; expected a multiple of "
				"node.gpus (%ld): a domain is built from whole nodes", gpus, per_node);
	long nodes = gpus / per_node;
	long rack_gpus = p->rack.nodes * per_node;
	if (gpus > rack_gpus)
		return ydoc_error_at(doc, "nvlink.domain", err, "nvlink.domain is %ld GPUs but a rack holds only %ld "
				"(%ld nodes x %ld GPUs); an NVLink domain cannot be larger than the rack it is "
				"built in", gpus, rack_gpus, p->rack.nodes, per_node);
	if (p->rack.nodes % nodes)
		return ydoc_error_at(doc, "rack.nodes", err, "rack.nodes is %ld; expected a multiple of the %ld nodes "
				"of one NVLink domain", p->rack.nodes, nodes);
	if (p->fabric.leaf_nodes % nodes)
		return ydoc_error_at(doc, "fabric.leaf.nodes", err, "fabric.leaf.nodes is %ld; expected a multiple of "
				"the %ld nodes of one NVLink domain", p->fabric.leaf_nodes, nodes);
	return true;
}

/* A tier's uplinks are a bundle of whole fibers. Given as a ratio, capacity / fiber must be
 * a whole number; given as a fiber count, it sets the ratio, and a ratio given as well must
 * agree with it within 1%. Fills *uplinks and *oversub. */
static bool resolve_tier(const struct ydoc *doc, const char *tier, double down, double fiber,
			 long *uplinks, double *oversub, struct ts_error *err)
{
	char ratio_path[96], count_path[96], cap[48], fib[48];
	snprintf(ratio_path, sizeof ratio_path, "%s.oversubscription", tier);
	snprintf(count_path, sizeof count_path, "%s.uplinks", tier);
	humanize(UNIT_BANDWIDTH, fiber, fib, sizeof fib);
	if (*uplinks == 0) {
		double fibers = down / *oversub / fiber;
		*uplinks = lround(fibers);
		if (fabs(fibers - (double)*uplinks) <= 1e-6 * fibers && *uplinks >= 1)
			return true;
		humanize(UNIT_BANDWIDTH, down / *oversub, cap, sizeof cap);
		return ydoc_error_at(doc, ratio_path, err, "%s uplinks do not add up: %s of uplink capacity is %.4g "
				"fibers of %s; expected a whole number (set %s or adjust the oversubscription)",
				tier, cap, fibers, fib, count_path);
	}
	double ratio = down / ((double)*uplinks * fiber);
	if (ydoc_find(doc, ratio_path) && fabs(ratio - *oversub) > 0.01 * *oversub) {
		humanize(UNIT_BANDWIDTH, down, cap, sizeof cap);
		return ydoc_error_at(doc, count_path, err, "%s uplinks do not add up: %ld fibers of %s under %s of "
				"downlinks is %.3g:1 oversubscription, but %s says %.3g:1", tier, *uplinks, fib,
				cap, ratio, ratio_path, *oversub);
	}
	*oversub = ratio;
	return true;
}

static bool check_fabric(const struct ydoc *doc, struct platform *p, struct ts_error *err)
{
	struct fabric_spec *f = &p->fabric;
	double fiber = f->fiber_bandwidth_bytes_per_s;
	double leaf_down = (double)(f->leaf_nodes * p->node.nics) * p->node.nic_bandwidth_bytes_per_s;
	if (!resolve_tier(doc, "fabric.leaf", leaf_down, fiber, &f->leaf_uplinks, &f->leaf_oversubscription, err))
		return false;
	bool spine_set = ydoc_find(doc, "fabric.spine.oversubscription") || f->spine_uplinks;
	if (!f->has_core && spine_set)
		return ydoc_error_at(doc, "fabric.spine", err, "fabric.spine sets uplinks or oversubscription but there "
				"is no fabric.core for spines to uplink to; add core: {} or remove them");
	if (!f->has_core)
		return true;
	double spine_down = (double)(f->leaf_uplinks * f->spine_leaves) * fiber;
	return resolve_tier(doc, "fabric.spine", spine_down, fiber, &f->spine_uplinks,
			    &f->spine_oversubscription, err);
}

static bool check_pdus(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	const struct rack_spec *r = &p->rack;
	if (r->redundancy == PDU_REDUNDANCY_2N && r->pdus % 2)
		return ydoc_error_at(doc, "rack.pdus.count", err, "rack.pdus.count is %ld with redundancy 2N; expected "
				"an even count (two independent sides)", r->pdus);
	if (r->redundancy == PDU_REDUNDANCY_N_PLUS_1 && r->pdus < 2)
		return ydoc_error_at(doc, "rack.pdus.count", err, "rack.pdus.count is %ld with redundancy N+1; expected "
				"2 or more", r->pdus);
	double usable = platform_rack_usable_pdu_w(p), idle = platform_rack_idle_w(p);
	double all = (double)r->pdus * r->pdu_capacity_w, busy = platform_rack_busy_w(p);
	char u[48], i[48];
	if (p->power.present && busy > all)
		return ydoc_error_at(doc, "rack.pdus.capacity", err, "a rack draws %s busy but all its PDUs together "
				"carry %s: with a power section the rack could never run; expected more PDU capacity",
				humanize(UNIT_POWER, busy, i, sizeof i), humanize(UNIT_POWER, all, u, sizeof u));
	if (usable >= idle)
		return true;
	return ydoc_error_at(doc, "rack.pdus.capacity", err, "rack PDUs can carry %s without losing redundancy but "
			"one rack draws %s idle; expected PDU capacity above the idle draw",
			humanize(UNIT_POWER, usable, u, sizeof u), humanize(UNIT_POWER, idle, i, sizeof i));
}

/* Index ranges: racks, nodes, domains, leaf groups and pods are numbered hall by hall,
 * halls site by site; a leaf group or pod never spans two halls. */
static void fill_indexes(struct platform *p)
{
	struct platform_counts *c = &p->counts;
	c->nodes_per_domain = p->nvlink.domain_gpus / p->node.gpus;
	for (size_t i = 0; i < p->hall_count; i++) {
		struct hall *h = &p->halls[i];
		h->first_rack = c->racks;
		h->first_node = c->nodes;
		h->first_domain = c->domains;
		h->first_leaf = c->leaves;
		h->first_pod = c->pods;
		h->nodes = h->racks * p->rack.nodes;
		h->domains = h->nodes / c->nodes_per_domain;
		h->leaves = (h->nodes + p->fabric.leaf_nodes - 1) / p->fabric.leaf_nodes;
		h->pods = (h->leaves + p->fabric.spine_leaves - 1) / p->fabric.spine_leaves;
		c->racks += h->racks;
		c->nodes += h->nodes;
		c->domains += h->domains;
		c->leaves += h->leaves;
		c->pods += h->pods;
	}
	for (size_t s = 0; s < p->site_count; s++) {
		struct site *site = &p->sites[s];
		const struct hall *first = &p->halls[site->first_hall];
		site->first_pod = first->first_pod;
		site->first_node = first->first_node;
		for (long h = 0; h < site->halls; h++) {
			site->pods += p->halls[site->first_hall + h].pods;
			site->nodes += p->halls[site->first_hall + h].nodes;
		}
	}
	c->gpus = c->nodes * p->node.gpus;
	c->pdus = c->racks * p->rack.pdus;
	c->halls = (long)p->hall_count;
	c->sites = (long)p->site_count;
}

static bool check_size(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	double gpus = 0;
	for (size_t i = 0; i < p->hall_count; i++)
		gpus += (double)p->halls[i].racks * (double)(p->rack.nodes * p->node.gpus);
	if (gpus > (double)MAX_GPUS)
		return ydoc_error_at(doc, "sites", err, "the platform has %.0f GPUs; trainsim handles up to %ld", gpus,
				MAX_GPUS);
	return true;
}

static bool check_halls(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	double rack_idle = platform_rack_idle_w(p);
	for (size_t i = 0; i < p->hall_count; i++) {
		const struct hall *h = &p->halls[i];
		double idle = rack_idle * (double)h->racks;
		char path[128], a[48], b[48];
		snprintf(path, sizeof path, "sites.%ld.halls.%ld.feed.capacity", h->yaml_site, h->yaml_hall);
		if (h->feed_capacity_w < idle)
			return ydoc_error_at(doc, path, err, "hall %s has a %s feed but its %ld racks draw %s idle; expected "
					"a feed above the idle draw", h->name,
					humanize(UNIT_POWER, h->feed_capacity_w, a, sizeof a), h->racks,
					humanize(UNIT_POWER, idle, b, sizeof b));
	}
	return true;
}

bool platform_check_names(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	for (size_t i = 0; i < p->site_count; i++) {
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(p->sites[i].name, p->sites[j].name)) {
				char path[64];
				snprintf(path, sizeof path, "sites.%ld.name", p->sites[i].yaml_site);
				return ydoc_error_at(doc, path, err, "site name '%s' is used twice; expected unique "
						"site names", p->sites[i].name);
			}
		}
	}
	for (size_t i = 0; i < p->hall_count; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct hall *a = &p->halls[i], *b = &p->halls[j];
			if (a->site == b->site && !strcmp(a->name, b->name)) {
				char path[64];
				snprintf(path, sizeof path, "sites.%ld.halls.%ld.name", a->yaml_site, a->yaml_hall);
				return ydoc_error_at(doc, path, err, "hall name '%s' is used twice in site %s; expected "
						"unique hall names", a->name, p->sites[a->site].name);
			}
		}
	}
	return true;
}

/* Several pods in one site need a core tier to reach each other. */
static bool check_core(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	for (size_t s = 0; s < p->site_count; s++) {
		const struct site *site = &p->sites[s];
		if (site->pods > 1 && !p->fabric.has_core) {
			char path[64];
			snprintf(path, sizeof path, "sites.%ld", site->yaml_site);
			return ydoc_error_at(doc, path, err, "site %s has %ld pods (spine blocks of %ld leaf groups) but the "
					"fabric has no core tier to join them; add fabric.core or raise "
					"fabric.spine.leaves", site->name, site->pods, p->fabric.spine_leaves);
		}
	}
	return true;
}

/* Flood fill over WAN links from site 0; every site must be reached. */
static bool check_wan(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	for (size_t i = 0; i < p->wan_count; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct wan_link *a = &p->wan[i], *b = &p->wan[j];
			if ((a->site_a == b->site_a && a->site_b == b->site_b) ||
			    (a->site_a == b->site_b && a->site_b == b->site_a)) {
				char path[64];
				snprintf(path, sizeof path, "wan.%ld", a->yaml_entry);
				return ydoc_error_at(doc, path, err, "a WAN link between %s and %s is given twice; "
						"expected one entry per site pair (give its total bandwidth)",
						p->sites[a->site_a].name, p->sites[a->site_b].name);
			}
		}
	}
	bool *seen = calloc(p->site_count, sizeof *seen);
	if (!seen)
		return ydoc_error_at(doc, "wan", err, "out of memory");
	seen[0] = true;
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < p->wan_count; i++) {
			bool a = seen[p->wan[i].site_a], b = seen[p->wan[i].site_b];
			if (a != b) {
				seen[p->wan[i].site_a] = seen[p->wan[i].site_b] = true;
				grew = true;
			}
		}
	}
	long lost = -1;
	for (size_t s = 0; s < p->site_count && lost < 0; s++)
		if (!seen[s])
			lost = (long)s;
	free(seen);
	if (lost >= 0)
		return ydoc_error_at(doc, p->wan_count ? "wan" : "sites", err, "site %s has no WAN path to site %s; "
				"expected a wan entry joining them", p->sites[lost].name, p->sites[0].name);
	return true;
}

/* Each class's part must be listed; its index is resolved here, once. */
static bool check_parts(const struct ydoc *doc, struct platform *p, struct ts_error *err)
{
	for (size_t i = 0; i < p->failure_count; i++) {
		struct failure_class *fc = &p->failures[i];
		bool found = !fc->part;
		fc->part_index = -1;
		for (size_t j = 0; !found && j < p->operations.part_count; j++)
			if ((found = !strcmp(fc->part, p->operations.parts[j].name)))
				fc->part_index = (long)j;
		if (!found) {
			char path[128];
			snprintf(path, sizeof path, fc->power_event ? "power.%s.part" : "reliability.%s.part", fc->name);
			return ydoc_error_at(doc, path, err, "%s is '%s' but operations.spares.parts has no such part; "
					"expected one of the parts listed there", path, fc->part);
		}
		if (fc->part && !fc->needs_technician) {
			char path[128];
			snprintf(path, sizeof path, "reliability.%s.technician", fc->name);
			return ydoc_error_at(doc, path, err, "reliability.%s swaps a part, which needs hands; expected "
					"technician: true", fc->name);
		}
	}
	return true;
}

static bool check_nics(const struct ydoc *doc, const struct platform *p, struct ts_error *err)
{
	if (p->node.nic_bandwidth_bytes_per_s > p->fabric.fiber_bandwidth_bytes_per_s * 8)
		return ydoc_error_at(doc, "node.nic.bandwidth", err, "node.nic.bandwidth is over 8 times "
				"fabric.fiber.bandwidth; a NIC port is at most a few fibers wide");
	return true;
}

bool platform_check(const struct ydoc *doc, struct platform *p, struct ts_error *err)
{
	if (!check_fp8(doc, p, err) || !check_power_pairs(doc, p, err) || !check_domain(doc, p, err) || !check_fabric(doc, p, err) ||
	    !check_nics(doc, p, err) || !check_pdus(doc, p, err) || !check_size(doc, p, err) ||
	    !check_halls(doc, p, err))
		return false;
	fill_indexes(p);
	return check_core(doc, p, err) && check_wan(doc, p, err) && check_parts(doc, p, err) &&
	       platform_check_bring_up(doc, p, err);
}
