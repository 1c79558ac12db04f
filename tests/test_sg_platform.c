/* Tests of the SimGrid stage: host and link counts, the route between GPU pairs at each
 * level (link kinds, bottleneck, summed latency), and the maps between our ids and
 * SimGrid objects. Criterion runs each test in its own process, so each loads SimGrid. */
#include <criterion/criterion.h>
#include <math.h>

#include <simgrid/host.h>
#include <simgrid/link.h>

#include "helpers.h"
#include "linkload.h"
#include "sg_platform.h"

static struct scenario *scenario;
static const struct platform *platform;
static struct sg_cluster *cluster;

static void load_small(void)
{
	char path[512];
	struct ts_error err = {0};
	scenario = scenario_files(source_path("tests/fixtures/small.yaml", path, sizeof path), NULL, &err);
	cr_assert(scenario, "%s", err.message);
	platform = scenario->platform;
	cr_assert(sg_platform_load(platform, NULL, &cluster, &err), "%s", err.message);
}

static void unload(void)
{
	sg_platform_destroy(cluster);
	scenario_destroy(scenario);
}

TestSuite(sg_platform, .init = load_small, .fini = unload);

/* Checks a route's link kinds in order, its bottleneck and its latency. */
static void expect_route(long a, long b, const enum sg_link_kind *kinds, size_t n, double bw, double latency)
{
	struct sg_route r;
	cr_assert(sg_platform_route(cluster, a, b, &r), "route %ld -> %ld has links that are not ours", a, b);
	cr_assert_eq(r.count, n, "route %ld -> %ld: %zu links, expected %zu", a, b, r.count, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(r.links[i].kind, kinds[i], "route %ld -> %ld link %zu is %s", a, b, i,
			     sg_platform_link_kind_name(r.links[i].kind));
	cr_assert(fabs(r.bottleneck_bytes_per_s - bw) <= 1e-9 * bw, "bottleneck %g, expected %g",
		  r.bottleneck_bytes_per_s, bw);
	cr_assert(fabs(r.latency_s - latency) <= 1e-12, "latency %g, expected %g", r.latency_s, latency);
}

Test(sg_platform, one_host_per_nvlink_domain_with_gpus_as_cores)
{
	cr_assert_eq(sg_platform_host_count(cluster), 12);
	sg_host_t h = sg_platform_domain_host(cluster, 5);
	cr_assert_not_null(h);
	cr_assert_eq(sg_host_core_count(h), 8);
	cr_assert_float_eq(sg_host_get_speed(h), 989e12, 1);
	cr_assert_eq(sg_platform_host_domain(cluster, h), 5);
	cr_assert_eq(sg_platform_gpu_host(cluster, 47), h);
	cr_assert_eq(sg_platform_node_host(cluster, 5), h);
	cr_assert_null(sg_platform_domain_host(cluster, 12));
}

Test(sg_platform, every_link_of_ours_exists_in_simgrid)
{
	/* per domain: NIC up, NIC down, NVLink; per leaf and pod: up, down; WAN: both ways */
	struct sg_link_ref refs[] = {
		{SG_LINK_NVLINK, 11, false}, {SG_LINK_NIC, 11, true}, {SG_LINK_NIC, 0, false},
		{SG_LINK_LEAF, 5, true},     {SG_LINK_LEAF, 5, false}, {SG_LINK_POD, 2, true},
		{SG_LINK_POD, 0, false},     {SG_LINK_WAN, 0, true},   {SG_LINK_WAN, 0, false},
	};
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		sg_link_t l = sg_platform_link(cluster, refs[i]);
		cr_assert_not_null(l, "%s %ld missing", sg_platform_link_kind_name(refs[i].kind), refs[i].index);
		struct sg_link_ref back;
		cr_assert(sg_platform_link_ref(cluster, l, &back));
		cr_assert_eq(back.kind, refs[i].kind);
		cr_assert_eq(back.index, refs[i].index);
		cr_assert_eq(back.up, refs[i].up);
	}
	cr_assert_null(sg_platform_link(cluster, (struct sg_link_ref){SG_LINK_LEAF, 6, true}));
	cr_assert_null(sg_platform_link(cluster, (struct sg_link_ref){SG_LINK_WAN, 1, true}));
}

Test(sg_platform, links_carry_the_capacities_of_the_model)
{
	sg_link_t nic = sg_platform_link(cluster, (struct sg_link_ref){SG_LINK_NIC, 3, true});
	sg_link_t leaf = sg_platform_link(cluster, (struct sg_link_ref){SG_LINK_LEAF, 1, true});
	sg_link_t pod = sg_platform_link(cluster, (struct sg_link_ref){SG_LINK_POD, 1, false});
	sg_link_t wan = sg_platform_link(cluster, (struct sg_link_ref){SG_LINK_WAN, 0, false});
	cr_assert_float_eq(sg_link_get_bandwidth(nic), 4e11, 1);   /* 8 x 400 Gb/s */
	cr_assert_float_eq(sg_link_get_bandwidth(leaf), 8e11, 1);  /* 2 nodes at 1:1 */
	cr_assert_float_eq(sg_link_get_bandwidth(pod), 8e11, 1);   /* 2 leaf groups at 2:1 */
	cr_assert_float_eq(sg_link_get_bandwidth(wan), 4e11, 1);   /* 3.2 Tb/s */
	cr_assert_float_eq(sg_link_get_latency(leaf), 600e-9, 1e-15);
	cr_assert_float_eq(sg_link_get_latency(wan), 2e-3, 1e-15);
}

Test(sg_platform, same_node_crosses_nvlink_only)
{
	enum sg_link_kind k[] = {SG_LINK_NVLINK};
	expect_route(0, 7, k, 1, 4.5e11, 1e-6);
}

Test(sg_platform, same_leaf_crosses_two_nics)
{
	enum sg_link_kind k[] = {SG_LINK_NIC, SG_LINK_NIC};
	expect_route(0, 8, k, 2, 4e11, 2e-6);
}

Test(sg_platform, across_spines_adds_both_leaf_uplinks)
{
	enum sg_link_kind k[] = {SG_LINK_NIC, SG_LINK_LEAF, SG_LINK_LEAF, SG_LINK_NIC};
	expect_route(0, 16, k, 4, 4e11, 1e-6 + 600e-9 + 600e-9 + 1e-6);
}

Test(sg_platform, across_the_core_adds_both_pod_uplinks)
{
	enum sg_link_kind k[] = {SG_LINK_NIC, SG_LINK_LEAF, SG_LINK_POD, SG_LINK_POD, SG_LINK_LEAF, SG_LINK_NIC};
	expect_route(0, 32, k, 6, 4e11, 2e-6 + 1.2e-6 + 1.4e-6);
}

Test(sg_platform, across_sites_adds_the_wan)
{
	enum sg_link_kind k[] = {SG_LINK_NIC, SG_LINK_LEAF, SG_LINK_POD, SG_LINK_WAN, SG_LINK_POD, SG_LINK_LEAF,
				 SG_LINK_NIC};
	expect_route(0, 64, k, 7, 4e11, 2e-6 + 1.2e-6 + 1.4e-6 + 2e-3);
}

Test(sg_platform, routes_use_the_direction_of_travel)
{
	struct sg_route there, back;
	cr_assert(sg_platform_route(cluster, 0, 64, &there));
	cr_assert(sg_platform_route(cluster, 64, 0, &back));
	cr_assert_eq(there.links[1].index, 0);
	cr_assert(there.links[1].up);
	bool wan_ab = false, wan_ba = false;
	for (size_t i = 0; i < there.count; i++)
		wan_ab |= there.links[i].kind == SG_LINK_WAN && there.links[i].up;
	for (size_t i = 0; i < back.count; i++)
		wan_ba |= back.links[i].kind == SG_LINK_WAN && !back.links[i].up;
	cr_assert(wan_ab && wan_ba);
}

Test(sg_platform, a_degraded_link_becomes_the_bottleneck)
{
	sg_link_t leaf = sg_platform_link(cluster, (struct sg_link_ref){SG_LINK_LEAF, 0, true});
	sg_link_set_bandwidth(leaf, 2e11);
	struct sg_route r;
	cr_assert(sg_platform_route(cluster, 0, 16, &r));
	cr_assert_float_eq(r.bottleneck_bytes_per_s, 2e11, 1);
	cr_assert(sg_platform_route(cluster, 0, 8, &r)); /* same leaf: does not cross it */
	cr_assert_float_eq(r.bottleneck_bytes_per_s, 4e11, 1);
}

/* linkload counts a flow's bytes on the links of a route it derives from the hierarchy; it
 * must be SimGrid's route, link for link and direction for direction, at every level. */
Test(sg_platform, linkload_routes_are_simgrids_routes)
{
	struct ts_error err = {0};
	struct linkload *load = NULL;
	cr_assert(linkload_create(platform, cluster, &load, &err), "%s", err.message);
	long gpus = platform->counts.gpus, stride = gpus / 40 > 0 ? gpus / 40 : 1;
	size_t pairs = 0;
	for (long a = 0; a < gpus; a += stride)
		for (long b = 3; b < gpus; b += stride + 1) {
			struct sg_route r;
			struct sg_link_ref mine[SG_ROUTE_MAX_LINKS];
			cr_assert(sg_platform_route(cluster, a, b, &r));
			size_t n = linkload_route(load, a, b, mine, SG_ROUTE_MAX_LINKS);
			cr_assert_eq(n, r.count, "%ld -> %ld: %zu links counted, SimGrid routes %zu", a, b, n, r.count);
			for (size_t i = 0; i < n; i++)
				cr_assert(mine[i].kind == r.links[i].kind && mine[i].index == r.links[i].index &&
						  (mine[i].kind == SG_LINK_NVLINK || mine[i].up == r.links[i].up),
					  "%ld -> %ld: link %zu is %s %ld%s, SimGrid's is %s %ld%s", a, b, i,
					  sg_platform_link_kind_name(mine[i].kind), mine[i].index, mine[i].up ? " up" : "",
					  sg_platform_link_kind_name(r.links[i].kind), r.links[i].index,
					  r.links[i].up ? " up" : "");
			pairs++;
		}
	cr_assert_gt(pairs, 1000);
	linkload_destroy(load);
}

Test(sg_platform, a_second_load_in_one_process_is_refused)
{
	struct sg_cluster *again = NULL;
	struct ts_error err = {0};
	cr_assert_not(sg_platform_load(platform, NULL, &again, &err));
	cr_assert_str_eq(err.message, "a SimGrid platform is already loaded in this process");
}

/* The XML writer alone, without the engine. */
Test(sg_platform_xml, the_generated_xml_declares_every_zone_and_link)
{
	char path[512];
	struct ts_error err = {0};
	struct scenario *s = scenario_files(source_path("tests/fixtures/small.yaml", path, sizeof path), NULL, &err);
	cr_assert(s, "%s", err.message);
	const struct platform *p = s->platform;
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	cr_assert(sg_platform_write_xml(p, out, &err));
	fclose(out);
	cr_assert(strstr(buf, "<cluster id=\"leaf5\" prefix=\"d\" suffix=\"\" radical=\"10-11\""), "%s", buf);
	cr_assert(strstr(buf, "<link id=\"pod2_down\""));
	cr_assert(strstr(buf, "<link id=\"wan0_ba\""));
	cr_assert(strstr(buf, "<zone id=\"site1\" routing=\"DijkstraCache\">"));
	cr_assert_not(strstr(buf, "pod3"));
	free(buf);
	scenario_destroy(s);
}
