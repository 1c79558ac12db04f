/* sg_platform: emits SimGrid XML from the platform model, loads it through a memfd (no temp
 * file), and maps our ids to SimGrid hosts and links by the names it generated. */
#define _GNU_SOURCE /* memfd_create */
#include "sg_platform.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/link.h>
#include <xbt/dynar.h>

struct sg_cluster {
	const struct platform *platform;
	sg_host_t control;        /* where the simulation's own actors run */
	sg_host_t *hosts;         /* by domain */
	sg_link_t *nvlink;        /* by domain */
	sg_link_t *nic[2];        /* [down, up] by domain */
	sg_link_t *leaf[2];       /* [down, up] by leaf group */
	sg_link_t *pod[2];        /* [down, up] by pod */
	sg_link_t *wan[2];        /* [b->a, a->b] by WAN entry */
	struct sg_link_ref *refs; /* what sg_link_get_data points into */
	size_t host_count, link_count;
};

static const char *const kind_names[] = {"nvlink", "nic", "leaf-uplink", "pod-uplink", "wan"};

const char *sg_platform_link_kind_name(enum sg_link_kind kind)
{
	return kind < SG_LINK_KIND_COUNT ? kind_names[kind] : "?";
}

/* ---- XML ---- */

static void xml_link(FILE *out, const char *name, double bytes_per_s, double latency_s)
{
	fprintf(out, "<link id=\"%s\" bandwidth=\"%.17gBps\" latency=\"%.17gs\"/>\n", name, bytes_per_s, latency_s);
}

/* Directed links carry each direction of a bundle on its own, as full-duplex fibers do. */
static void xml_links(const struct platform *p, FILE *out)
{
	char name[64];
	fputs("<zone id=\"links\" routing=\"None\">\n", out);
	for (long l = 0; l < p->counts.leaves; l++) {
		double bw = platform_leaf_uplink_bytes_per_s(p, l);
		snprintf(name, sizeof name, "leaf%ld_up", l);
		xml_link(out, name, bw, p->fabric.leaf_latency_s);
		snprintf(name, sizeof name, "leaf%ld_down", l);
		xml_link(out, name, bw, p->fabric.leaf_latency_s);
	}
	for (long pod = 0; p->fabric.has_core && pod < p->counts.pods; pod++) {
		double bw = platform_pod_uplink_bytes_per_s(p, pod);
		snprintf(name, sizeof name, "pod%ld_up", pod);
		xml_link(out, name, bw, p->fabric.spine_latency_s);
		snprintf(name, sizeof name, "pod%ld_down", pod);
		xml_link(out, name, bw, p->fabric.spine_latency_s);
	}
	for (size_t w = 0; w < p->wan_count; w++) {
		snprintf(name, sizeof name, "wan%zu_ab", w);
		xml_link(out, name, p->wan[w].bandwidth_bytes_per_s, p->wan[w].latency_s);
		snprintf(name, sizeof name, "wan%zu_ba", w);
		xml_link(out, name, p->wan[w].bandwidth_bytes_per_s, p->wan[w].latency_s);
	}
	fputs("</zone>\n", out);
}

/* A zone holding just a router: a Dijkstra zone cannot hold routers beside its sub-zones. */
static void xml_router_zone(FILE *out, const char *zone, const char *router)
{
	fprintf(out, "<zone id=\"%s\" routing=\"Full\"><router id=\"%s\"/></zone>\n", zone, router);
}

/* The first and last domain under leaf group `leaf`. */
static void leaf_domains(const struct platform *p, long leaf, long *first, long *last)
{
	const struct hall *h = &p->halls[0];
	for (size_t i = 0; i < p->hall_count; i++)
		if (p->halls[i].first_leaf <= leaf)
			h = &p->halls[i];
	long per = p->counts.nodes_per_domain;
	long first_node = h->first_node + (leaf - h->first_leaf) * p->fabric.leaf_nodes;
	*first = first_node / per;
	*last = *first + platform_leaf_nodes(p, leaf) / per - 1;
}

static void xml_leaf(const struct platform *p, FILE *out, long leaf)
{
	long first, last;
	leaf_domains(p, leaf, &first, &last);
	double busy = (double)p->nvlink.domain_gpus * p->gpu.busy_w +
		      (double)p->counts.nodes_per_domain * p->node.host_busy_w;
	double idle = (double)p->nvlink.domain_gpus * p->gpu.idle_w +
		      (double)p->counts.nodes_per_domain * p->node.host_idle_w;
	fprintf(out, "<cluster id=\"leaf%ld\" prefix=\"d\" suffix=\"\" radical=\"%ld-%ld\" speed=\"%.17gf\" "
		"core=\"%ld\" bw=\"%.17gBps\" lat=\"%.17gs\" sharing_policy=\"SPLITDUPLEX\" "
		"loopback_bw=\"%.17gBps\" loopback_lat=\"%.17gs\" router_id=\"leaf%ld_r\">\n",
		leaf, first, last, p->gpu.peak_flops, p->nvlink.domain_gpus, platform_domain_nic_bytes_per_s(p),
		p->node.nic_latency_s, p->nvlink.bandwidth_bytes_per_s, p->nvlink.latency_s, leaf);
	/* For SimGrid's energy plugin: idle, one GPU busy, all GPUs busy. */
	fprintf(out, "<prop id=\"wattage_per_state\" value=\"%.17g:%.17g:%.17g\"/>\n", idle,
		idle + (busy - idle) / (double)p->nvlink.domain_gpus, busy);
	fprintf(out, "<prop id=\"wattage_off\" value=\"0\"/>\n</cluster>\n");
}

static void xml_zone_route(FILE *out, const char *src, const char *dst, const char *gw_src, const char *gw_dst,
			   const char *link)
{
	fprintf(out, "<zoneRoute src=\"%s\" dst=\"%s\" gw_src=\"%s\" gw_dst=\"%s\" symmetrical=\"NO\">"
		"<link_ctn id=\"%s\"/></zoneRoute>\n", src, dst, gw_src, gw_dst, link);
}

/* A pod: its spine (a router) and its leaf groups, each joined to the spine by its uplinks. */
static void xml_pod(const struct platform *p, FILE *out, long pod, long first_leaf, long last_leaf)
{
	char zone[64], spine[64], spine_r[64];
	snprintf(spine, sizeof spine, "pod%ld_spine", pod);
	snprintf(spine_r, sizeof spine_r, "pod%ld_spine_r", pod);
	fprintf(out, "<zone id=\"pod%ld\" routing=\"DijkstraCache\">\n", pod);
	xml_router_zone(out, spine, spine_r);
	for (long l = first_leaf; l <= last_leaf; l++)
		xml_leaf(p, out, l);
	for (long l = first_leaf; l <= last_leaf; l++) {
		char leaf_r[64], up[64], down[64];
		snprintf(zone, sizeof zone, "leaf%ld", l);
		snprintf(leaf_r, sizeof leaf_r, "leaf%ld_r", l);
		snprintf(up, sizeof up, "leaf%ld_up", l);
		snprintf(down, sizeof down, "leaf%ld_down", l);
		xml_zone_route(out, zone, spine, leaf_r, spine_r, up);
		xml_zone_route(out, spine, zone, spine_r, leaf_r, down);
	}
	fputs("</zone>\n", out);
}

/* Leaf groups of pod `pod`, which lies in hall `h`. */
static void pod_leaves(const struct platform *p, const struct hall *h, long pod, long *first, long *last)
{
	*first = h->first_leaf + (pod - h->first_pod) * p->fabric.spine_leaves;
	*last = *first + p->fabric.spine_leaves - 1;
	if (*last >= h->first_leaf + h->leaves)
		*last = h->first_leaf + h->leaves - 1;
}

/* The router a site reaches other sites through: its core, or without a core its only
 * pod's spine (validation guarantees one pod per site then). */
static void site_gateway(const struct platform *p, long s, char *buf, size_t size)
{
	if (p->fabric.has_core)
		snprintf(buf, size, "site%ld_core_r", s);
	else
		snprintf(buf, size, "pod%ld_spine_r", p->sites[s].first_pod);
}

static void xml_core_routes(const struct platform *p, FILE *out, long s)
{
	const struct site *site = &p->sites[s];
	char core[64], core_r[64];
	snprintf(core, sizeof core, "site%ld_core", s);
	snprintf(core_r, sizeof core_r, "site%ld_core_r", s);
	for (long pod = site->first_pod; pod < site->first_pod + site->pods; pod++) {
		char zone[64], spine_r[64], up[64], down[64];
		snprintf(zone, sizeof zone, "pod%ld", pod);
		snprintf(spine_r, sizeof spine_r, "pod%ld_spine_r", pod);
		snprintf(up, sizeof up, "pod%ld_up", pod);
		snprintf(down, sizeof down, "pod%ld_down", pod);
		xml_zone_route(out, zone, core, spine_r, core_r, up);
		xml_zone_route(out, core, zone, core_r, spine_r, down);
	}
}

static void xml_site(const struct platform *p, FILE *out, long s)
{
	const struct site *site = &p->sites[s];
	fprintf(out, "<zone id=\"site%ld\" routing=\"DijkstraCache\">\n", s);
	if (p->fabric.has_core) {
		char core[64], core_r[64];
		snprintf(core, sizeof core, "site%ld_core", s);
		snprintf(core_r, sizeof core_r, "site%ld_core_r", s);
		xml_router_zone(out, core, core_r);
	}
	for (long hi = site->first_hall; hi < site->first_hall + site->halls; hi++) {
		const struct hall *h = &p->halls[hi];
		for (long pod = h->first_pod; pod < h->first_pod + h->pods; pod++) {
			long first, last;
			pod_leaves(p, h, pod, &first, &last);
			xml_pod(p, out, pod, first, last);
		}
	}
	if (p->fabric.has_core)
		xml_core_routes(p, out, s);
	fputs("</zone>\n", out);
}

static void xml_wan_routes(const struct platform *p, FILE *out)
{
	for (size_t w = 0; w < p->wan_count; w++) {
		char a[32], b[32], ar[64], br[64], ab[32], ba[32];
		snprintf(a, sizeof a, "site%ld", p->wan[w].site_a);
		snprintf(b, sizeof b, "site%ld", p->wan[w].site_b);
		site_gateway(p, p->wan[w].site_a, ar, sizeof ar);
		site_gateway(p, p->wan[w].site_b, br, sizeof br);
		snprintf(ab, sizeof ab, "wan%zu_ab", w);
		snprintf(ba, sizeof ba, "wan%zu_ba", w);
		xml_zone_route(out, a, b, ar, br, ab);
		xml_zone_route(out, b, a, br, ar, ba);
	}
}

bool sg_platform_write_xml(const struct platform *p, FILE *out, struct ts_error *err)
{
	fputs("<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
	      "<platform version=\"4.1\">\n<zone id=\"cluster\" routing=\"DijkstraCache\">\n", out);
	xml_links(p, out);
	/* A host for the simulation's own actors (job, failure injector, repair crews, power):
	 * never failed, so they outlive any node; they talk through its loopback. */
	fputs("<cluster id=\"control\" prefix=\"control\" suffix=\"\" radical=\"0-0\" speed=\"1f\" bw=\"1e15Bps\" "
	      "lat=\"0s\" loopback_bw=\"1e15Bps\" loopback_lat=\"0s\"/>\n", out);
	for (long s = 0; s < p->counts.sites; s++)
		xml_site(p, out, s);
	xml_wan_routes(p, out);
	fputs("</zone>\n</platform>\n", out);
	if (fflush(out) != 0 || ferror(out))
		return error_set(err, "", 0, 0, "cannot write the SimGrid platform: %s", strerror(errno));
	return true;
}

/* ---- loading and maps ---- */

static bool alloc_maps(struct sg_cluster *c)
{
	const struct platform_counts *n = &c->platform->counts;
	size_t wan = c->platform->wan_count ? c->platform->wan_count : 1;
	c->hosts = calloc((size_t)n->domains, sizeof *c->hosts);
	c->nvlink = calloc((size_t)n->domains, sizeof *c->nvlink);
	bool ok = c->hosts && c->nvlink;
	for (int d = 0; d < 2; d++) {
		c->nic[d] = calloc((size_t)n->domains, sizeof *c->nic[d]);
		c->leaf[d] = calloc((size_t)n->leaves, sizeof *c->leaf[d]);
		c->pod[d] = calloc((size_t)n->pods, sizeof *c->pod[d]);
		c->wan[d] = calloc(wan, sizeof *c->wan[d]);
		ok = ok && c->nic[d] && c->leaf[d] && c->pod[d] && c->wan[d];
	}
	return ok;
}

void sg_platform_destroy(struct sg_cluster *c)
{
	if (!c)
		return;
	free(c->hosts);
	free(c->nvlink);
	for (int d = 0; d < 2; d++) {
		free(c->nic[d]);
		free(c->leaf[d]);
		free(c->pod[d]);
		free(c->wan[d]);
	}
	free(c->refs);
	free(c);
}

/* Parses "<prefix><number><suffix>" exactly; the number into *index. */
static bool match_name(const char *name, const char *prefix, const char *suffix, long *index)
{
	size_t lp = strlen(prefix);
	if (strncmp(name, prefix, lp) != 0)
		return false;
	char *end;
	errno = 0;
	long v = strtol(name + lp, &end, 10);
	if (end == name + lp || errno || strcmp(end, suffix) != 0 || v < 0)
		return false;
	*index = v;
	return true;
}

/* Parses a cluster's link name "leaf<L>_link_<D><suffix>" into the domain D. */
static bool match_cluster_link(const char *name, const char *suffix, long *domain)
{
	long leaf;
	const char *mid = strstr(name, "_link_");
	if (!mid || strncmp(name, "leaf", 4) != 0)
		return false;
	char head[64];
	snprintf(head, sizeof head, "%.*s", (int)(mid - name), name);
	return match_name(head, "leaf", "", &leaf) && match_name(mid, "_link_", suffix, domain);
}

static bool classify_link(const char *name, struct sg_link_ref *ref)
{
	static const struct {
		const char *prefix, *suffix;
		enum sg_link_kind kind;
		bool up;
	} table[] = {
		{"leaf", "_up", SG_LINK_LEAF, true},  {"leaf", "_down", SG_LINK_LEAF, false},
		{"pod", "_up", SG_LINK_POD, true},    {"pod", "_down", SG_LINK_POD, false},
		{"wan", "_ab", SG_LINK_WAN, true},    {"wan", "_ba", SG_LINK_WAN, false},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		if (match_name(name, table[i].prefix, table[i].suffix, &ref->index)) {
			ref->kind = table[i].kind;
			ref->up = table[i].up;
			return true;
		}
	}
	ref->kind = SG_LINK_NIC;
	ref->up = true;
	if (match_cluster_link(name, "_UP", &ref->index))
		return true;
	ref->up = false;
	if (match_cluster_link(name, "_DOWN", &ref->index))
		return true;
	ref->kind = SG_LINK_NVLINK;
	return match_cluster_link(name, "_loopback", &ref->index);
}

static sg_link_t *slot_for(struct sg_cluster *c, const struct sg_link_ref *ref)
{
	const struct platform_counts *n = &c->platform->counts;
	switch (ref->kind) {
	case SG_LINK_NVLINK: return ref->index < n->domains ? &c->nvlink[ref->index] : NULL;
	case SG_LINK_NIC: return ref->index < n->domains ? &c->nic[ref->up][ref->index] : NULL;
	case SG_LINK_LEAF: return ref->index < n->leaves ? &c->leaf[ref->up][ref->index] : NULL;
	case SG_LINK_POD: return ref->index < n->pods ? &c->pod[ref->up][ref->index] : NULL;
	case SG_LINK_WAN:
		return ref->index < (long)c->platform->wan_count ? &c->wan[ref->up][ref->index] : NULL;
	default: return NULL;
	}
}

static bool map_links(struct sg_cluster *c, struct ts_error *err)
{
	size_t count = sg_link_count();
	sg_link_t *links = sg_link_list();
	c->refs = calloc(count ? count : 1, sizeof *c->refs);
	if (!links || !c->refs) {
		free(links);
		return error_set(err, "", 0, 0, "out of memory mapping SimGrid links");
	}
	for (size_t i = 0; i < count; i++) {
		struct sg_link_ref *ref = &c->refs[i];
		sg_link_t *slot;
		if (!classify_link(sg_link_get_name(links[i]), ref) || !(slot = slot_for(c, ref)))
			continue;
		*slot = links[i];
		sg_link_set_data(links[i], ref);
	}
	c->link_count = count;
	free(links);
	return true;
}

static bool map_hosts(struct sg_cluster *c, struct ts_error *err)
{
	size_t count = sg_host_count();
	sg_host_t *hosts = sg_host_list();
	if (!hosts)
		return error_set(err, "", 0, 0, "out of memory mapping SimGrid hosts");
	for (size_t i = 0; i < count; i++) {
		long d;
		if (!strcmp(sg_host_get_name(hosts[i]), "control0"))
			c->control = hosts[i];
		if (match_name(sg_host_get_name(hosts[i]), "d", "", &d) && d < c->platform->counts.domains) {
			c->hosts[d] = hosts[i];
			sg_host_set_data(hosts[i], &c->hosts[d]);
			c->host_count++;
		}
	}
	free(hosts);
	return true;
}

/* SimGrid reads the platform from a path; a memfd gives it one without touching the disk. */
static bool load_xml(const struct platform *p, struct ts_error *err)
{
	int fd = memfd_create("trainsim-platform", 0);
	if (fd < 0)
		return error_set(err, "", 0, 0, "cannot create the SimGrid platform in memory: %s", strerror(errno));
	FILE *out = fdopen(dup(fd), "w");
	bool ok = out && sg_platform_write_xml(p, out, err);
	if (out)
		fclose(out);
	else
		error_set(err, "", 0, 0, "cannot write the SimGrid platform: %s", strerror(errno));
	if (ok) {
		char path[64];
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		simgrid_load_platform(path);
	}
	close(fd);
	return ok;
}

/* SimGrid reads its options from an argv once per process: ours first, then the caller's
 * (such as --log=trainsim.thres:debug), which may override them. */
static void engine_init_once(const char *const *extra)
{
	static bool done;
	if (done)
		return;
	char *argv[64];
	int argc = 0;
	argv[argc++] = "trainsim";
	argv[argc++] = "--log=root.thres:warning";
	/* RDMA fabrics: no TCP bandwidth and latency factors, no reverse-path ACK traffic. */
	argv[argc++] = "--cfg=network/model:CM02";
	argv[argc++] = "--cfg=network/crosstraffic:0";
	/* Thousands of small actors (one per host in a collective step): small stacks. */
	argv[argc++] = "--cfg=contexts/stack-size:256";
	for (size_t i = 0; extra && extra[i] && argc < 63; i++)
		argv[argc++] = (char *)extra[i];
	argv[argc] = NULL;
	simgrid_init(&argc, argv);
	done = true;
}

bool sg_platform_load(const struct platform *p, const char *const *engine_args, struct sg_cluster **out,
		      struct ts_error *err)
{
	static bool loaded;
	if (loaded)
		return error_set(err, "", 0, 0, "a SimGrid platform is already loaded in this process");
	struct sg_cluster *c = calloc(1, sizeof *c);
	if (!c || (c->platform = p, !alloc_maps(c))) {
		sg_platform_destroy(c);
		return error_set(err, "", 0, 0, "out of memory for the SimGrid maps");
	}
	engine_init_once(engine_args);
	if (!load_xml(p, err)) {
		sg_platform_destroy(c);
		return false;
	}
	loaded = true;
	simgrid_run(); /* no actors yet: this only seals the platform, which routing needs */
	if (!map_hosts(c, err) || !map_links(c, err)) {
		sg_platform_destroy(c);
		return false;
	}
	*out = c;
	return true;
}

sg_host_t sg_platform_domain_host(const struct sg_cluster *c, long domain)
{
	return (domain >= 0 && domain < c->platform->counts.domains) ? c->hosts[domain] : NULL;
}

sg_host_t sg_platform_gpu_host(const struct sg_cluster *c, long gpu)
{
	return gpu < 0 ? NULL : sg_platform_domain_host(c, gpu / c->platform->nvlink.domain_gpus);
}

sg_host_t sg_platform_node_host(const struct sg_cluster *c, long node)
{
	return node < 0 ? NULL : sg_platform_domain_host(c, platform_node_domain(c->platform, node));
}

long sg_platform_host_domain(const struct sg_cluster *c, const_sg_host_t host)
{
	sg_host_t *slot = sg_host_get_data(host);
	if (!slot || slot < c->hosts || slot >= c->hosts + c->platform->counts.domains)
		return -1;
	return (long)(slot - c->hosts);
}

sg_link_t sg_platform_link(const struct sg_cluster *c, struct sg_link_ref ref)
{
	if (ref.index < 0)
		return NULL;
	sg_link_t *slot = slot_for((struct sg_cluster *)c, &ref);
	return slot ? *slot : NULL;
}

bool sg_platform_link_ref(const struct sg_cluster *c, const_sg_link_t link, struct sg_link_ref *ref)
{
	const struct sg_link_ref *r = sg_link_get_data(link);
	if (!r || r < c->refs || r >= c->refs + c->link_count)
		return false;
	*ref = *r;
	return true;
}

bool sg_platform_route(const struct sg_cluster *c, long gpu_a, long gpu_b, struct sg_route *route)
{
	sg_host_t a = sg_platform_gpu_host(c, gpu_a), b = sg_platform_gpu_host(c, gpu_b);
	if (!a || !b)
		return false;
	memset(route, 0, sizeof *route);
	xbt_dynar_t links = xbt_dynar_new(sizeof(sg_link_t), NULL);
	sg_host_get_route(a, b, links);
	unsigned i;
	sg_link_t link;
	bool ours = true;
	xbt_dynar_foreach (links, i, link) {
		if (route->count < SG_ROUTE_MAX_LINKS && sg_platform_link_ref(c, link, &route->links[route->count]))
			route->count++;
		else
			ours = false;
	}
	xbt_dynar_free(&links);
	route->bottleneck_bytes_per_s = sg_host_get_route_bandwidth(a, b);
	route->latency_s = sg_host_get_route_latency(a, b);
	return ours;
}

sg_host_t sg_platform_control_host(const struct sg_cluster *c)
{
	return c->control;
}

const struct platform *sg_platform_model(const struct sg_cluster *c)
{
	return c->platform;
}

size_t sg_platform_host_count(const struct sg_cluster *c)
{
	return c->host_count;
}

size_t sg_platform_link_count(const struct sg_cluster *c)
{
	return c->link_count;
}
