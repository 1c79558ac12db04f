/* platform_decode: the platform YAML schema as tables of keys, and the decoders for its
 * lists (sites with repeated halls, WAN links, failure classes, spare parts). */
#include "platform_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The top-level tables decode into this: the platform plus the list nodes that are
 * expanded after the table pass (sites with repeated halls, WAN, failure classes, parts). */
struct top {
	struct platform p;
	const struct ydoc_node *sites, *wan, *reliability, *parts, *bring_up, *crew_growth, *costs;
};
#define P(field) offsetof(struct top, p.field)
#define PRESENT(field) .has_presence = true, .presence_offset = offsetof(struct top, p.field)

/* Physical ranges: generous bounds that still catch a slipped prefix (700kW per GPU). */
#define MIN_FLOPS 1e12
#define MAX_FLOPS 1e17
#define MAX_BW 1.25e13 /* 100 Tb/s for one link or NIC */

static const char *const redundancy_names[] = {"N", "N+1", "2N", NULL};
static const char *const topology_names[] = {"rail-optimized", "top-of-rack", NULL};
static const char *const shift_names[] = {"24x7", "business-hours", NULL};
static const char *const distribution_names[] = {"exponential", "weibull", NULL};
static const char *const smoothing_names[] = {"none", "ramp", "cap", NULL};
static const char *const effect_names[] = {"down", "degrade", "flap", NULL};
static const char *const component_names[] = {"gpu", "node", "domain", "nic", "link", "switch",
					       "rack", "pdu", "hall", "job", "site", "cluster", NULL};

const char *platform_component_name(enum component c)
{
	return (c >= 0 && c < COMPONENT_COUNT) ? component_names[c] : "?";
}

bool platform_keep_node(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
		      void *dst, struct ts_error *err)
{
	(void)doc, (void)path, (void)err;
	*(const struct ydoc_node **)dst = node;
	return true;
}

static const struct yfield gpu_power_fields[] = {
	{"busy", YF_QUANTITY, P(gpu.busy_w), true, UNIT_POWER, 1, 5000},
	{"idle", YF_QUANTITY, P(gpu.idle_w), true, UNIT_POWER, 0, 5000},
	{0}};
static const struct yfield gpu_fields[] = {
	{"model", YF_STRING, P(gpu.model), true},
	{"peak_bf16", YF_QUANTITY, P(gpu.peak_flops), true, UNIT_COMPUTE, MIN_FLOPS, MAX_FLOPS},
	{"peak_fp8", YF_QUANTITY, P(gpu.peak_fp8_flops), false, UNIT_COMPUTE, MIN_FLOPS, MAX_FLOPS},
	{"efficiency", YF_CUSTOM, P(gpu.efficiency), false, .custom = efficiency_decode},
	{"hbm", YF_QUANTITY, P(gpu.hbm_bytes), true, UNIT_SIZE, 1e9, 1e13},
	{"hbm_bandwidth", YF_QUANTITY, P(gpu.hbm_bandwidth_bytes_per_s), false, UNIT_BANDWIDTH, 1e9, 1e14},
	{"power", YF_MAP, 0, true, .fields = gpu_power_fields},
	{0}};

static const struct yfield host_power_fields[] = {
	{"busy", YF_QUANTITY, P(node.host_busy_w), true, UNIT_POWER, 0, 1e5},
	{"idle", YF_QUANTITY, P(node.host_idle_w), true, UNIT_POWER, 0, 1e5},
	{0}};
static const struct yfield nic_fields[] = {
	{"count", YF_INT, P(node.nics), true, .min = 1, .max = 64},
	{"bandwidth", YF_QUANTITY, P(node.nic_bandwidth_bytes_per_s), true, UNIT_BANDWIDTH, 1.25e8, MAX_BW},
	{"latency", YF_QUANTITY, P(node.nic_latency_s), false, UNIT_TIME, 0, 1e-3},
	{0}};
static const struct yfield node_fields[] = {
	{"gpus", YF_INT, P(node.gpus), true, .min = 1, .max = 1024},
	{"host_power", YF_MAP, 0, false, .fields = host_power_fields},
	{"nic", YF_MAP, 0, true, .fields = nic_fields},
	{0}};

static const struct yfield nvlink_fields[] = {
	{"domain", YF_INT, P(nvlink.domain_gpus), true, .min = 1, .max = 100000},
	{"bandwidth", YF_QUANTITY, P(nvlink.bandwidth_bytes_per_s), true, UNIT_BANDWIDTH, 1e9, 1e14},
	{"latency", YF_QUANTITY, P(nvlink.latency_s), false, UNIT_TIME, 0, 1e-3},
	{0}};

static const struct yfield pdu_fields[] = {
	{"count", YF_INT, P(rack.pdus), true, .min = 1, .max = 64},
	{"capacity", YF_QUANTITY, P(rack.pdu_capacity_w), true, UNIT_POWER, 100, 1e7},
	{"redundancy", YF_CHOICE, P(rack.redundancy), false, .choices = redundancy_names},
	{0}};
static const struct yfield rack_fields[] = {
	{"nodes", YF_INT, P(rack.nodes), true, .min = 1, .max = 1024},
	{"pdus", YF_MAP, 0, true, .fields = pdu_fields},
	{0}};

static const struct yfield leaf_fields[] = {
	{"nodes", YF_INT, P(fabric.leaf_nodes), true, .min = 1, .max = 1e6},
	{"uplinks", YF_INT, P(fabric.leaf_uplinks), false, .min = 1, .max = 1e7},
	{"oversubscription", YF_QUANTITY, P(fabric.leaf_oversubscription), false, UNIT_RATIO, 0.01, 100},
	{"latency", YF_QUANTITY, P(fabric.leaf_latency_s), false, UNIT_TIME, 0, 1e-3},
	{0}};
static const struct yfield spine_fields[] = {
	{"leaves", YF_INT, P(fabric.spine_leaves), true, .min = 1, .max = 1e6},
	{"uplinks", YF_INT, P(fabric.spine_uplinks), false, .min = 1, .max = 1e8},
	{"oversubscription", YF_QUANTITY, P(fabric.spine_oversubscription), false, UNIT_RATIO, 0.01, 100},
	{"latency", YF_QUANTITY, P(fabric.spine_latency_s), false, UNIT_TIME, 0, 1e-3},
	{0}};
static const struct yfield core_fields[] = {{0}};
static const struct yfield fiber_fields[] = {
	{"bandwidth", YF_QUANTITY, P(fabric.fiber_bandwidth_bytes_per_s), true, UNIT_BANDWIDTH, 1.25e8, MAX_BW},
	{0}};
static const struct yfield fabric_fields[] = {
	{"topology", YF_CHOICE, P(fabric.topology), false, .choices = topology_names},
	{"leaf", YF_MAP, 0, true, .fields = leaf_fields},
	{"spine", YF_MAP, 0, true, .fields = spine_fields},
	{"core", YF_MAP, 0, false, .fields = core_fields, PRESENT(fabric.has_core)},
	{"fiber", YF_MAP, 0, true, .fields = fiber_fields},
	{0}};

static const struct yfield technician_fields[] = {
	{"per_site", YF_INT, P(operations.technicians_per_site), true, .min = 0, .max = 1e5},
	{"shift", YF_CHOICE, P(operations.shift), false, .choices = shift_names},
	{"travel", YF_QUANTITY, P(operations.travel_s), false, UNIT_TIME, 0, 7 * 86400},
	{"diagnosis", YF_QUANTITY, P(operations.diagnosis_s), false, UNIT_TIME, 0, 7 * 86400},
	{"grow", YF_CUSTOM, offsetof(struct top, crew_growth), false, .custom = platform_keep_node},
	{0}};

static const struct yfield spares_fields[] = {
	{"hot_nodes", YF_INT, P(operations.hot_spare_nodes), false, .min = 0, .max = 1e6},
	{"lead_time", YF_QUANTITY, P(operations.default_lead_time_s), false, UNIT_TIME, 0, 365 * 86400.0},
	{"parts", YF_CUSTOM, offsetof(struct top, parts), false, .custom = platform_keep_node},
	{"borrowed", YF_CUSTOM, P(operations.borrowed), false, .custom = platform_decode_borrowed},
	{0}};
static const struct yfield operations_fields[] = {
	{"technicians", YF_MAP, 0, false, .fields = technician_fields},
	{"spares", YF_MAP, 0, false, .fields = spares_fields},
	{"burn_in", YF_QUANTITY, P(operations.burn_in_s), false, UNIT_TIME, 0, 30 * 86400.0},
	{"retire", YF_CUSTOM, P(operations.retire), false, .custom = platform_decode_retire},
	{"idle_failure_factor", YF_QUANTITY, P(operations.idle_failure_factor), false, UNIT_FRACTION, 0, 1},
	{0}};

static const struct yfield breaker_fields[] = {
	{"trip_at", YF_QUANTITY, P(power.trip_at), false, UNIT_FRACTION, 0.5, 10},
	{"tolerance", YF_QUANTITY, P(power.trip_tolerance), false, UNIT_FRACTION, 0.001, 0.5},
	{0}};
static const struct yfield grid_fields[] = {
	{"events", YF_QUANTITY, P(power.grid_events_per_s), true, UNIT_RATE, 0, 1e-3},
	{"duration", YF_QUANTITY, P(power.grid_median_s), true, UNIT_TIME, 1e-3, 7 * 86400.0},
	{"sigma", YF_QUANTITY, P(power.grid_sigma), false, UNIT_COUNT, 0, 5},
	{0}};
static const struct yfield power_cycle_fields[] = {
	{"breaks", YF_QUANTITY, P(power.cycle_break_probability), true, UNIT_FRACTION, 0, 1},
	{"part", YF_STRING, P(power.cycle_part), false},
	{"repair", YF_QUANTITY, P(power.cycle_repair_s), false, UNIT_TIME, 0, 30 * 86400.0},
	{0}};
static const struct yfield power_fields[] = {
	{"gpu_transient", YF_QUANTITY, P(power.gpu_transient), false, UNIT_FRACTION, 1, 3},
	{"restart_inrush", YF_QUANTITY, P(power.restart_inrush), false, UNIT_FRACTION, 1, 5},
	{"breaker", YF_MAP, 0, false, .fields = breaker_fields},
	{"smoothing", YF_CHOICE, P(power.smoothing), false, .choices = smoothing_names},
	{"cap", YF_QUANTITY, P(power.cap), false, UNIT_FRACTION, 0.3, 1},
	{"grid", YF_MAP, 0, false, .fields = grid_fields},
	{"hall_restart", YF_QUANTITY, P(power.hall_restart_s), false, UNIT_TIME, 0, 30 * 86400.0},
	{"power_cycle", YF_MAP, 0, false, .fields = power_cycle_fields},
	{"pdu_reset", YF_QUANTITY, P(power.pdu_reset_s), false, UNIT_TIME, 0, 7 * 86400.0},
	{0}};

static const struct yfield top_fields[] = {
	{"name", YF_STRING, P(name), true},
	{"description", YF_STRING, P(description), false},
	{"gpu", YF_MAP, 0, true, .fields = gpu_fields},
	{"node", YF_MAP, 0, true, .fields = node_fields},
	{"nvlink", YF_MAP, 0, true, .fields = nvlink_fields},
	{"rack", YF_MAP, 0, true, .fields = rack_fields},
	{"fabric", YF_MAP, 0, true, .fields = fabric_fields},
	{"sites", YF_CUSTOM, offsetof(struct top, sites), true, .custom = platform_keep_node},
	{"wan", YF_CUSTOM, offsetof(struct top, wan), false, .custom = platform_keep_node},
	{"reliability", YF_CUSTOM, offsetof(struct top, reliability), false, .custom = platform_keep_node},
	{"operations", YF_MAP, 0, false, .fields = operations_fields},
	{"power", YF_MAP, 0, false, .fields = power_fields, PRESENT(power.present)},
	{"bring_up", YF_CUSTOM, offsetof(struct top, bring_up), false, .custom = platform_keep_node},
	{"costs", YF_CUSTOM, offsetof(struct top, costs), false, .custom = platform_keep_node},
	{0}};

/* ---- sites and halls: each entry may repeat itself `count` times ---- */

struct site_entry {
	char *name;
	long count;
	const struct ydoc_node *halls;
};
static const struct yfield site_entry_fields[] = {
	{"name", YF_STRING, offsetof(struct site_entry, name), true},
	{"count", YF_INT, offsetof(struct site_entry, count), false, .min = 1, .max = 64},
	{"halls", YF_CUSTOM, offsetof(struct site_entry, halls), true, .custom = platform_keep_node},
	{0}};

struct hall_entry {
	char *name;
	long count;
	long racks;
	double feed_w;
	double ride_through_s;
};
static const struct yfield feed_fields[] = {
	{"capacity", YF_QUANTITY, offsetof(struct hall_entry, feed_w), true, UNIT_POWER, 1e3, 1e10},
	{"ups_ride_through", YF_QUANTITY, offsetof(struct hall_entry, ride_through_s), false, UNIT_TIME, 0, 86400},
	{0}};
static const struct yfield hall_entry_fields[] = {
	{"name", YF_STRING, offsetof(struct hall_entry, name), true},
	{"count", YF_INT, offsetof(struct hall_entry, count), false, .min = 1, .max = 1000},
	{"racks", YF_INT, offsetof(struct hall_entry, racks), true, .min = 1, .max = 1e6},
	{"feed", YF_MAP, 0, true, .fields = feed_fields},
	{0}};

static bool expect_list(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			struct ts_error *err)
{
	if (node->type == YDOC_SEQ && node->count > 0)
		return true;
	if (node->type == YDOC_SEQ)
		return ydoc_error(doc, node, err, "%s is an empty list; expected at least one entry", path);
	return ydoc_error(doc, node, err, "%s is not a list; expected a list of entries (- name: ...)", path);
}

/* "a" repeated 3 times becomes a1, a2, a3; a single one keeps its name. */
static char *repeated_name(const char *name, long count, long i)
{
	char buf[256];
	if (count > 1)
		snprintf(buf, sizeof buf, "%s%ld", name, i + 1);
	else
		snprintf(buf, sizeof buf, "%s", name);
	return strdup(buf);
}

static void *grow(void *array, size_t count, size_t elem)
{
	return realloc(array, (count + 1) * elem);
}

static bool add_hall(struct platform *p, const struct hall_entry *e, long i, long site, long ys, long yh)
{
	struct hall *halls = grow(p->halls, p->hall_count, sizeof *halls);
	if (!halls)
		return false;
	p->halls = halls;
	struct hall *h = &halls[p->hall_count];
	memset(h, 0, sizeof *h);
	h->name = repeated_name(e->name, e->count, i);
	if (!h->name)
		return false;
	h->racks = e->racks;
	h->feed_capacity_w = e->feed_w;
	h->ups_ride_through_s = e->ride_through_s;
	h->site = site;
	h->yaml_site = ys;
	h->yaml_hall = yh;
	p->hall_count++;
	return true;
}

static bool decode_halls(const struct ydoc *doc, const struct ydoc_node *list, const char *path,
			 struct platform *p, long site, long ys, struct ts_error *err)
{
	if (!expect_list(doc, list, path, err))
		return false;
	for (size_t j = 0; j < list->count; j++) {
		char sub[320];
		snprintf(sub, sizeof sub, "%s[%zu]", path, j);
		struct hall_entry e = {.count = 1};
		bool ok = ydoc_decode(doc, list->items[j], sub, hall_entry_fields, &e, err);
		for (long i = 0; ok && i < e.count; i++) {
			ok = add_hall(p, &e, i, site, ys, (long)j);
			if (!ok)
				ydoc_error(doc, list->items[j], err, "out of memory");
		}
		free(e.name);
		if (!ok)
			return false;
	}
	return true;
}

static bool add_site(const struct ydoc *doc, struct platform *p, const struct site_entry *e, long i,
		     long ys, const char *path, struct ts_error *err)
{
	struct site *sites = grow(p->sites, p->site_count, sizeof *sites);
	if (!sites)
		return ydoc_error(doc, e->halls, err, "out of memory");
	p->sites = sites;
	struct site *s = &sites[p->site_count];
	memset(s, 0, sizeof *s);
	s->name = repeated_name(e->name, e->count, i);
	s->yaml_site = ys;
	s->first_hall = (long)p->hall_count;
	p->site_count++;
	if (!s->name)
		return ydoc_error(doc, e->halls, err, "out of memory");
	char sub[256];
	snprintf(sub, sizeof sub, "%s.halls", path);
	if (!decode_halls(doc, e->halls, sub, p, (long)p->site_count - 1, ys, err))
		return false;
	p->sites[p->site_count - 1].halls = (long)p->hall_count - s->first_hall;
	return true;
}

static bool decode_sites(const struct ydoc *doc, const struct ydoc_node *list, struct platform *p,
			 struct ts_error *err)
{
	if (!expect_list(doc, list, "sites", err))
		return false;
	for (size_t k = 0; k < list->count; k++) {
		char path[64];
		snprintf(path, sizeof path, "sites[%zu]", k);
		struct site_entry e = {.count = 1};
		bool ok = ydoc_decode(doc, list->items[k], path, site_entry_fields, &e, err);
		for (long i = 0; ok && i < e.count; i++)
			ok = add_site(doc, p, &e, i, (long)k, path, err);
		free(e.name);
		if (!ok)
			return false;
	}
	return true;
}

/* ---- WAN links between named sites ---- */

struct wan_entry {
	const struct ydoc_node *between;
	double bandwidth;
	double latency_s;
	double length_m;
	bool has_latency, has_length;
};
static const struct yfield wan_entry_fields[] = {
	{"between", YF_CUSTOM, offsetof(struct wan_entry, between), true, .custom = platform_keep_node},
	{"bandwidth", YF_QUANTITY, offsetof(struct wan_entry, bandwidth), true, UNIT_BANDWIDTH, 1.25e5, 1.25e14},
	{"latency", YF_QUANTITY, offsetof(struct wan_entry, latency_s), false, UNIT_TIME, 0, 1,
	 .has_presence = true, .presence_offset = offsetof(struct wan_entry, has_latency)},
	{"length", YF_QUANTITY, offsetof(struct wan_entry, length_m), false, UNIT_LENGTH, 0, 2e7,
	 .has_presence = true, .presence_offset = offsetof(struct wan_entry, has_length)},
	{0}};

/* Light in fiber: refractive index about 1.47, so c / 1.47 = 2.04e8 m/s, i.e. 4.9 us per km
 * (ITU-T G.652 single-mode fiber, group index 1.4675-1.468 at 1550 nm). */
#define FIBER_SECONDS_PER_METRE (1.468 / 299792458.0)

static long site_by_name(const struct platform *p, const char *name)
{
	for (size_t i = 0; i < p->site_count; i++) {
		if (!strcmp(p->sites[i].name, name))
			return (long)i;
	}
	return -1;
}

static bool wan_endpoints(const struct ydoc *doc, const struct ydoc_node *between, const char *path,
			  const struct platform *p, struct wan_link *w, struct ts_error *err)
{
	if (between->type != YDOC_SEQ || between->count != 2 || between->items[0]->type != YDOC_SCALAR ||
	    between->items[1]->type != YDOC_SCALAR)
		return ydoc_error(doc, between, err, "%s.between must list two site names, e.g. [dc1, dc2]", path);
	long ends[2];
	for (int i = 0; i < 2; i++) {
		const struct ydoc_node *n = between->items[i];
		ends[i] = site_by_name(p, n->text);
		if (ends[i] < 0)
			return ydoc_error(doc, n, err, "%s.between names site '%s', which is not defined under sites",
					  path, n->text);
	}
	if (ends[0] == ends[1])
		return ydoc_error(doc, between, err, "%s.between joins site '%s' to itself; expected two different sites",
				  path, p->sites[ends[0]].name);
	w->site_a = ends[0];
	w->site_b = ends[1];
	return true;
}

static bool decode_wan_entry(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			     struct platform *p, struct wan_link *w, struct ts_error *err)
{
	struct wan_entry e = {0};
	if (!ydoc_decode(doc, node, path, wan_entry_fields, &e, err))
		return false;
	if (!wan_endpoints(doc, e.between, path, p, w, err))
		return false;
	if (e.has_latency == e.has_length)
		return ydoc_error(doc, node, err, "%s needs exactly one of latency or length (fiber length gives "
				  "latency at 4.9 us/km)", path);
	w->bandwidth_bytes_per_s = e.bandwidth;
	w->latency_s = e.has_latency ? e.latency_s : e.length_m * FIBER_SECONDS_PER_METRE;
	return true;
}

static bool decode_wan(const struct ydoc *doc, const struct ydoc_node *list, struct platform *p,
		       struct ts_error *err)
{
	if (!expect_list(doc, list, "wan", err))
		return false;
	p->wan = calloc(list->count, sizeof *p->wan);
	if (!p->wan)
		return ydoc_error(doc, list, err, "out of memory");
	for (size_t i = 0; i < list->count; i++) {
		char path[64];
		snprintf(path, sizeof path, "wan[%zu]", i);
		p->wan[i].yaml_entry = (long)i;
		if (!decode_wan_entry(doc, list->items[i], path, p, &p->wan[i], err))
			return false;
		p->wan_count++;
	}
	return true;
}

/* ---- reliability: one mapping per failure class ---- */

struct class_entry {
	int per;
	double rate;
	double mtbf;
	bool has_rate, has_mtbf, has_shape, has_takes_down;
	int distribution;
	double shape;
	int takes_down;
	double detection;
	bool technician;
	char *part;
	double repair;
	double repair_sigma;
	int effect;
	double degraded;
	long flaps;
	double flap_interval;
	bool has_degraded, has_flaps;
	double hits, root_cause, root_cause_sigma, bad_fraction, bad_factor, misdiagnosis, silent;
	bool has_hits, has_bad, has_root_cause_sigma;
	struct escalation_entry escalation;
	double idle_factor;
	bool has_idle_factor;
};
#define C(field) offsetof(struct class_entry, field)
static const struct yfield class_fields[] = {
	{"per", YF_CHOICE, C(per), true, .choices = component_names},
	{"rate", YF_QUANTITY, C(rate), false, UNIT_RATE, 0, 1, .has_presence = true, .presence_offset = C(has_rate)},
	{"mtbf", YF_QUANTITY, C(mtbf), false, UNIT_TIME, 1, 1e15, .has_presence = true, .presence_offset = C(has_mtbf)},
	{"distribution", YF_CHOICE, C(distribution), false, .choices = distribution_names},
	{"shape", YF_QUANTITY, C(shape), false, UNIT_COUNT, 0.05, 20, .has_presence = true, .presence_offset = C(has_shape)},
	{"takes_down", YF_CHOICE, C(takes_down), false, .choices = component_names,
	 .has_presence = true, .presence_offset = C(has_takes_down)},
	{"detection", YF_QUANTITY, C(detection), false, UNIT_TIME, 0, 86400},
	{"technician", YF_BOOL, C(technician), false},
	{"part", YF_STRING, C(part), false},
	{"repair", YF_QUANTITY, C(repair), false, UNIT_TIME, 0, 365 * 86400.0},
	{"repair_sigma", YF_QUANTITY, C(repair_sigma), false, UNIT_COUNT, 0, 5},
	{"effect", YF_CHOICE, C(effect), false, .choices = effect_names},
	{"degraded_bandwidth", YF_QUANTITY, C(degraded), false, UNIT_FRACTION, 0.001, 0.999,
	 .has_presence = true, .presence_offset = C(has_degraded)},
	{"flaps", YF_INT, C(flaps), false, .min = 1, .max = 1000, .has_presence = true, .presence_offset = C(has_flaps)},
	{"flap_interval", YF_QUANTITY, C(flap_interval), false, UNIT_TIME, 1, 86400},
	{"hits", YF_QUANTITY, C(hits), false, UNIT_FRACTION, 1e-6, 1, .has_presence = true, .presence_offset = C(has_hits)},
	{"root_cause", YF_QUANTITY, C(root_cause), false, UNIT_TIME, 0, 20 * 365 * 86400.0},
	{"root_cause_sigma", YF_QUANTITY, C(root_cause_sigma), false, UNIT_COUNT, 0, 3,
	 .has_presence = true, .presence_offset = C(has_root_cause_sigma)},
	{"bad_fraction", YF_QUANTITY, C(bad_fraction), false, UNIT_FRACTION, 0, 1},
	{"bad_factor", YF_QUANTITY, C(bad_factor), false, UNIT_COUNT, 1, 1e4, .has_presence = true,
	 .presence_offset = C(has_bad)},
	{"misdiagnosis", YF_QUANTITY, C(misdiagnosis), false, UNIT_FRACTION, 0, 1},
	{"silent", YF_QUANTITY, C(silent), false, UNIT_TIME, 0, 365 * 86400.0},
	{"escalation", YF_CUSTOM, C(escalation), false, .custom = platform_decode_escalation},
	{"idle_failure_factor", YF_QUANTITY, C(idle_factor), false, UNIT_FRACTION, 0, 1, .has_presence = true,
	 .presence_offset = C(has_idle_factor)},
	{0}};
#undef C

/* Degradation and flapping are what links do: a NIC's fiber, or a switch-to-switch fiber. */
static bool class_effect_consistent(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
				    const struct class_entry *e, struct ts_error *err)
{
	if (e->effect != EFFECT_DOWN && e->per != COMPONENT_NIC && e->per != COMPONENT_LINK)
		return ydoc_error(doc, ydoc_map_get(node, "effect"), err, "%s.effect is %s, which applies to links; "
				  "expected per: nic or per: link (or effect: down)", path, effect_names[e->effect]);
	if (e->has_degraded && e->effect != EFFECT_DEGRADE)
		return ydoc_error(doc, ydoc_map_get(node, "degraded_bandwidth"), err,
				  "%s.degraded_bandwidth is only meaningful with effect: degrade", path);
	if (e->has_flaps && e->effect != EFFECT_FLAP)
		return ydoc_error(doc, ydoc_map_get(node, "flaps"), err, "%s.flaps is only meaningful with effect: flap",
				  path);
	return true;
}

/* The keys of correlated, recurring, bad-component and late-found failures fit the class. */
static bool class_extensions_consistent(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
					const struct class_entry *e, struct ts_error *err)
{
	int down = e->has_takes_down ? e->takes_down : e->per;
	bool takes_nodes = down != COMPONENT_JOB && down != COMPONENT_PDU && e->effect == EFFECT_DOWN;
	if (e->has_hits && !takes_nodes)
		return ydoc_error(doc, ydoc_map_get(node, "hits"), err, "%s.hits picks nodes among those a strike takes "
				  "down; expected a class that takes down nodes (not the job, a PDU or a link's bandwidth)",
				  path);
	if (e->has_root_cause_sigma && e->root_cause <= 0)
		return ydoc_error(doc, ydoc_map_get(node, "root_cause_sigma"), err, "%s.root_cause_sigma needs root_cause "
				  "(the mean time from the first strike to the fix)", path);
	bool bad_keys = e->bad_fraction > 0 || e->misdiagnosis > 0;
	if (bad_keys && (!e->has_bad || e->bad_factor <= 1))
		return ydoc_error(doc, node, err, "%s has bad_fraction or misdiagnosis and needs bad_factor above 1 (how "
				  "many times as often a bad component fails)", path);
	if ((bad_keys || e->has_bad) && (e->per == COMPONENT_JOB || e->per == COMPONENT_SITE || e->per == COMPONENT_CLUSTER))
		return ydoc_error(doc, ydoc_map_get(node, "bad_factor"), err, "%s: bad components are hardware; expected "
				  "per: gpu, node, domain, nic, link, switch, rack or pdu", path);
	if (e->silent > 0 && down == COMPONENT_PDU)
		return ydoc_error(doc, ydoc_map_get(node, "silent"), err, "%s.silent: a PDU's failure is seen at once; "
				  "expected silent on failures of nodes, GPUs or the job", path);
	return true;
}

static bool class_consistent(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			     const struct class_entry *e, struct ts_error *err)
{
	if (e->has_rate == e->has_mtbf)
		return ydoc_error(doc, node, err, "%s needs exactly one of rate (e.g. 2/yr) or mtbf (e.g. 50000h)", path);
	if (e->has_shape && e->distribution != FAILURE_WEIBULL)
		return ydoc_error(doc, ydoc_map_get(node, "shape"), err,
				  "%s.shape is only meaningful with distribution: weibull", path);
	if (e->distribution == FAILURE_WEIBULL && !e->has_shape)
		return ydoc_error(doc, node, err, "%s uses distribution: weibull and needs a shape "
				  "(below 1 for infant mortality, above 1 for wear-out)", path);
	return true;
}

static bool decode_class(const struct ydoc *doc, const struct ydoc_entry *entry, struct failure_class *fc,
			 struct ts_error *err)
{
	char path[128];
	snprintf(path, sizeof path, "reliability.%s", entry->key->text);
	/* a degraded fiber keeps half its bandwidth (DESIGN.md's sketch) and a flapping one
	 * stops the job three times, ten minutes apart, before it is isolated [assumed] */
	struct class_entry e = {.shape = 1, .degraded = 0.5, .flaps = 3, .flap_interval = 600, .hits = 1,
				.root_cause_sigma = 0.5, .bad_factor = 1};
	bool ok = ydoc_decode(doc, entry->value, path, class_fields, &e, err) &&
		  class_consistent(doc, entry->value, path, &e, err) &&
		  class_effect_consistent(doc, entry->value, path, &e, err) &&
		  class_extensions_consistent(doc, entry->value, path, &e, err);
	fc->name = strdup(entry->key->text);
	fc->part = e.part;
	if (!ok)
		return false;
	fc->per = (enum component)e.per;
	fc->rate_per_s = e.has_rate ? e.rate : 1.0 / e.mtbf;
	fc->distribution = (enum failure_distribution)e.distribution;
	fc->weibull_shape = e.shape;
	fc->takes_down = (enum component)(e.has_takes_down ? e.takes_down : e.per);
	fc->detection_s = e.detection;
	fc->needs_technician = e.technician;
	fc->repair_mean_s = e.repair;
	fc->repair_sigma = e.repair_sigma;
	fc->effect = (enum failure_effect)e.effect;
	fc->degraded_fraction = e.degraded;
	fc->flaps = e.flaps;
	fc->flap_interval_s = e.flap_interval;
	fc->hits = e.hits;
	fc->root_cause_s = e.root_cause;
	fc->root_cause_sigma = e.root_cause_sigma;
	fc->bad_fraction = e.bad_fraction;
	fc->bad_factor = e.bad_factor;
	fc->misdiagnosis = e.misdiagnosis;
	fc->silent_s = e.silent;
	fc->escalates = e.escalation.present;
	fc->automated_s = e.escalation.automated_s;
	fc->automated_fixes = e.escalation.fixes;
	fc->idle_factor = e.has_idle_factor ? e.idle_factor : -1;
	if (!fc->name)
		return ydoc_error(doc, entry->key, err, "out of memory");
	return platform_check_class_policies(doc, entry->value, path, fc, err);
}

static bool decode_reliability(const struct ydoc *doc, const struct ydoc_node *map, struct platform *p,
			       struct ts_error *err)
{
	if (map->type != YDOC_MAP)
		return ydoc_error(doc, map, err, "reliability is not a mapping; expected failure classes "
				  "such as gpu: {per: gpu, rate: 2/yr}");
	p->failures = calloc(map->count ? map->count : 1, sizeof *p->failures);
	if (!p->failures)
		return ydoc_error(doc, map, err, "out of memory");
	for (size_t i = 0; i < map->count; i++) {
		p->failure_count++;
		if (!decode_class(doc, &map->entries[i], &p->failures[i], err))
			return false;
	}
	return true;
}

/* ---- spare parts: name -> {stock, lead_time} ---- */

static const struct yfield part_fields[] = {
	{"stock", YF_INT, offsetof(struct spare_part, stock), true, .min = 0, .max = 1e7},
	{"lead_time", YF_QUANTITY, offsetof(struct spare_part, lead_time_s), false, UNIT_TIME, 0, 365 * 86400.0},
	{0}};

static bool decode_parts(const struct ydoc *doc, const struct ydoc_node *map, struct operations *ops,
			 struct ts_error *err)
{
	if (map->type != YDOC_MAP)
		return ydoc_error(doc, map, err, "operations.spares.parts is not a mapping; expected "
				  "part names such as gpu: {stock: 200, lead_time: 14d}");
	ops->parts = calloc(map->count ? map->count : 1, sizeof *ops->parts);
	if (!ops->parts)
		return ydoc_error(doc, map, err, "out of memory");
	for (size_t i = 0; i < map->count; i++) {
		char path[128];
		struct spare_part *part = &ops->parts[i];
		snprintf(path, sizeof path, "operations.spares.parts.%s", map->entries[i].key->text);
		part->lead_time_s = ops->default_lead_time_s;
		part->name = strdup(map->entries[i].key->text);
		ops->part_count++;
		if (!part->name)
			return ydoc_error(doc, map, err, "out of memory");
		if (!ydoc_decode(doc, map->entries[i].value, path, part_fields, part, err))
			return false;
	}
	return true;
}

static void set_defaults(struct platform *p)
{
	p->rack.redundancy = PDU_REDUNDANCY_N;
	efficiency_unset(&p->gpu.efficiency);
	p->fabric.leaf_oversubscription = 1;
	p->fabric.spine_oversubscription = 1;
	/* One switch hop plus a few metres of fiber: about 600 ns on Spectrum-X / Quantum-2
	 * class switches (NVIDIA switch datasheets quote 300-600 ns port to port). */
	p->fabric.leaf_latency_s = 600e-9;
	p->fabric.spine_latency_s = 600e-9;
	p->node.nic_latency_s = 1e-6;
	p->nvlink.latency_s = 1e-6;
	p->operations.technicians_per_site = 1;
	p->operations.idle_failure_factor = 1; /* nodes fail as often idle as busy unless told */
	/* With a power section, what it leaves out: no overshoot, breakers at 125% of their
	 * rating, 5% apart [assumed], grid steady; a hall takes 4 h to come back after losing
	 * power and a PDU 1 h to reset [assumed]. */
	p->power.gpu_transient = 1;
	p->power.restart_inrush = 1;
	p->power.trip_at = 1.25;
	p->power.trip_tolerance = 0.05;
	p->power.cap = 1;
	p->power.grid_median_s = 1;
	p->power.hall_restart_s = 4 * 3600;
	p->power.cycle_repair_s = 4 * 3600;
	p->power.pdu_reset_s = 3600;
	p->power.grid_class = p->power.trip_class = p->power.cycle_class = -1;
}

/* The power system raises failures of its own; as classes (rate 0: the injector never
 * draws them) they are counted, ticketed and reported like the others. */
static bool add_power_class(struct platform *p, const char *name, enum component per, enum component down,
			    bool technician, const char *part, double repair_s, long *index)
{
	struct failure_class *classes = grow(p->failures, p->failure_count, sizeof *classes);
	if (!classes)
		return false;
	p->failures = classes;
	struct failure_class *fc = &classes[p->failure_count];
	*fc = (struct failure_class){.per = per, .takes_down = down, .needs_technician = technician,
				     .repair_mean_s = repair_s, .repair_sigma = 0.5, .power_event = true, .hits = 1,
				     .bad_factor = 1, .idle_factor = -1};
	fc->name = strdup(name);
	fc->part = part ? strdup(part) : NULL;
	*index = (long)p->failure_count++;
	return fc->name && (!part || fc->part);
}

static bool add_power_classes(const struct ydoc *doc, struct platform *p, struct ts_error *err)
{
	struct power_spec *pw = &p->power;
	for (size_t i = 0; i < p->failure_count; i++) {
		const char *n = p->failures[i].name;
		if (!strcmp(n, "grid_outage") || !strcmp(n, "pdu_trip") || !strcmp(n, "power_cycle")) {
			char path[128];
			snprintf(path, sizeof path, "reliability.%s", n);
			return ydoc_error_at(doc, path, err, "reliability.%s is a name the power section uses for its own "
					     "events; expected another name", n);
		}
	}
	if (add_power_class(p, "grid_outage", COMPONENT_HALL, COMPONENT_HALL, false, NULL, 0, &pw->grid_class) &&
	    add_power_class(p, "pdu_trip", COMPONENT_PDU, COMPONENT_PDU, true, NULL, pw->pdu_reset_s, &pw->trip_class) &&
	    add_power_class(p, "power_cycle", COMPONENT_NODE, COMPONENT_NODE, true, pw->cycle_part, pw->cycle_repair_s,
			    &pw->cycle_class))
		return true;
	return ydoc_error(doc, doc->root, err, "out of memory");
}

bool platform_schema_has(const char *top)
{
	for (const struct yfield *f = top_fields; f->kind != YF_END; f++)
		if (!strcmp(f->key, top))
			return true;
	return false;
}

bool platform_decode(const struct ydoc *doc, struct platform *p, struct ts_error *err)
{
	struct top t = {0};
	set_defaults(&t.p);
	bool ok = ydoc_decode(doc, doc->root, "", top_fields, &t, err) && decode_sites(doc, t.sites, &t.p, err) &&
		  platform_check_names(doc, &t.p, err) &&
		  (!t.wan || decode_wan(doc, t.wan, &t.p, err)) &&
		  (!t.reliability || decode_reliability(doc, t.reliability, &t.p, err)) &&
		  (!t.parts || decode_parts(doc, t.parts, &t.p.operations, err)) &&
		  (!t.costs || platform_decode_costs(doc, t.costs, &t.p, err)) &&
		  (!t.bring_up || platform_decode_bring_up(doc, t.bring_up, &t.p, err)) &&
		  (!t.crew_growth || platform_decode_crew_growth(doc, t.crew_growth, &t.p, err)) &&
		  (!t.p.power.present || add_power_classes(doc, &t.p, err));
	*p = t.p; /* even on failure: p then owns whatever was decoded, for platform_destroy */
	return ok;
}
