/* Tests of the platform model: every shipped platform loads with the expected inventory,
 * and each kind of bad input gets its located message. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "platform.h"

static char message[2048];

/* Asserts that replacing `from` by `to` in small.yaml fails with exactly `expected`. */
static void expect_error(const char *from, const char *to, const char *expected)
{
	cr_assert_not(load_mutated(from, to, message, sizeof message), "loaded; expected: %s", expected);
	cr_assert_str_eq(message, expected);
}

/* Shipped platform `name` (free with scenario_destroy). */
static struct scenario *load_shipped(const char *name)
{
	struct scenario *s = load_platform_named(name, message, sizeof message);
	cr_assert(s, "%s: %s", name, message);
	return s;
}

Test(platform, the_small_fixture_loads_with_its_inventory)
{
	char path[512];
	struct ts_error err = {0};
	struct scenario *s = scenario_files(source_path("tests/fixtures/small.yaml", path, sizeof path), NULL, &err);
	cr_assert(s, "%s", err.message);
	const struct platform *p = s->platform;
	const struct platform_counts *c = &p->counts;
	cr_assert_eq(c->gpus, 96);
	cr_assert_eq(c->nodes, 12);
	cr_assert_eq(c->domains, 12);
	cr_assert_eq(c->racks, 6);
	cr_assert_eq(c->pdus, 12);
	cr_assert_eq(c->halls, 2);
	cr_assert_eq(c->sites, 2);
	cr_assert_eq(c->leaves, 6);
	cr_assert_eq(c->pods, 3);
	cr_assert_eq(p->fabric.leaf_uplinks, 16);
	cr_assert_eq(p->fabric.spine_uplinks, 16);
	/* 2 nodes x 8 NICs x 400 Gb/s = 6.4 Tb/s = 8e11 B/s, at 1:1 */
	cr_assert_float_eq(platform_leaf_uplink_bytes_per_s(p, 0), 8e11, 1);
	/* two leaf groups at 2:1 toward the core */
	cr_assert_float_eq(platform_pod_uplink_bytes_per_s(p, 0), 8e11, 1);
	cr_assert_eq(platform_node_leaf(p, 9), 4);
	cr_assert_eq(platform_leaf_pod(p, 4), 2);
	cr_assert_float_eq(p->wan[0].latency_s, 2e-3, 1e-12);
	cr_assert_eq(p->failure_count, 2);
	cr_assert_float_eq(p->failures[1].rate_per_s, 1.0 / (100000 * 3600.0), 1e-18);
	cr_assert_eq(p->failures[1].distribution, FAILURE_WEIBULL);
	cr_assert_eq(p->failures[0].takes_down, COMPONENT_NODE);
	cr_assert_eq(p->operations.shift, SHIFT_BUSINESS_HOURS);
	cr_assert_float_eq(p->operations.parts[0].lead_time_s, 5 * 86400.0, 1e-6);
	scenario_destroy(s);
}

/* The GPT-4.5-style new cluster: two buildings, three of its four halls delivered during the
 * run, and every kind of failure issue 11 added (early life, correlated, recurring, bad,
 * late-found). */
Test(platform, the_new_frontier_cluster_is_brought_up_with_every_kind_of_failure)
{
	struct scenario *s = load_shipped("frontier-new-100k.yaml");
	const struct platform *p = s->platform;
	cr_assert_eq(p->site_count, 2);
	cr_assert_eq(p->counts.halls, 4);
	const struct bring_up_spec *b = &p->bring_up;
	cr_assert(b->present);
	cr_assert_eq(b->delivery_count, 2);
	cr_assert_eq(b->deliveries[0].racks + b->deliveries[1].racks, 3 * 384, "three halls of 384 racks arrive");
	cr_assert(b->dead_on_arrival > 0 && b->doa_part_index >= 0);
	bool weibull = false, group = false, recurring = false, bad = false, silent = false;
	for (size_t i = 0; i < p->failure_count; i++) {
		const struct failure_class *fc = &p->failures[i];
		weibull |= fc->distribution == FAILURE_WEIBULL && fc->weibull_shape < 1;
		group |= fc->hits < 1 && fc->per == COMPONENT_CLUSTER;
		recurring |= fc->root_cause_s > 0;
		bad |= fc->bad_fraction > 0 && fc->misdiagnosis > 0;
		silent |= fc->silent_s > 0;
	}
	cr_assert(weibull && group && recurring && bad && silent);
	cr_assert_gt(p->operations.crew_change_count, 0, "crews grow");
	scenario_destroy(s);
}

Test(platform, every_shipped_platform_loads_with_its_gpu_count)
{
	static const struct {
		const char *file;
		long gpus;
	} shipped[] = {
		{"hgx-h100.yaml", 8},        {"h100-1k.yaml", 1024},     {"h100-16k.yaml", 16384},
		{"h100-100k.yaml", 98304},   {"gb200-nvl72-400k.yaml", 399744},
		{"two-site.yaml", 8192},     {"a100-992.yaml", 992},     {"a100-384.yaml", 384},
		{"h800-2k.yaml", 2048},      {"frontier-new-100k.yaml", 98304},
	};
	for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
		struct scenario *s = load_shipped(shipped[i].file);
		cr_expect_eq(s->platform->counts.gpus, shipped[i].gpus, "%s: %ld GPUs", shipped[i].file,
			     s->platform->counts.gpus);
		scenario_destroy(s);
	}
}

Test(platform, h100_16k_matches_the_llama3_cluster)
{
	struct scenario *s = load_shipped("h100-16k.yaml");
	const struct platform *p = s->platform;
	cr_assert_eq(p->counts.nodes, 2048);
	cr_assert_eq(p->counts.racks, 1024);
	cr_assert_eq(p->counts.pods, 6); /* 192 racks a pod: 5 full pods and one of 64 racks */
	/* 3,072 GPUs of 400 Gb/s under 448 fibers: about 1:7 (Llama 3 section 3.3.1) */
	cr_assert(fabs(p->fabric.spine_oversubscription - 3072.0 / 448) < 1e-9);
	scenario_destroy(s);
}

Test(platform, the_gb200_campus_is_about_1_2_gigawatts_of_feeds)
{
	struct scenario *s = load_shipped("gb200-nvl72-400k.yaml");
	const struct platform *p = s->platform;
	double feeds = 0;
	for (size_t i = 0; i < p->hall_count; i++)
		feeds += p->halls[i].feed_capacity_w;
	cr_assert_float_eq(feeds, 1.2e9, 1);
	cr_assert_eq(p->counts.domains, 5552);
	cr_assert_eq(p->counts.nodes_per_domain, 18);
	cr_assert_str_eq(p->halls[7].name, "building8");
	scenario_destroy(s);
}

Test(platform, ids_map_gpus_to_nodes_domains_racks_and_pdus)
{
	struct scenario *s = load_shipped("gb200-nvl72-400k.yaml");
	const struct platform *p = s->platform;
	cr_assert_eq(platform_gpu_node(p, 71), 17);  /* 4 GPUs per compute tray */
	cr_assert_eq(platform_node_domain(p, 17), 0); /* 18 trays per NVL72 domain */
	cr_assert_eq(platform_node_domain(p, 18), 1);
	cr_assert_eq(platform_node_rack(p, 18), 1);
	cr_assert_eq(platform_rack_first_pdu(p, 1), 4);
	cr_assert_eq(platform_pdu_rack(p, 7), 1);
	cr_assert_eq(platform_pdu_rack(p, 8), 2);
	/* building 2 starts at rack 694, node 694 x 18, leaf group 87, pod 6 */
	cr_assert_eq(platform_node_hall(p, 694 * 18), 1);
	cr_assert_eq(platform_node_leaf(p, 694 * 18), 87);
	cr_assert_eq(platform_leaf_pod(p, 87), 6);
	cr_assert_eq(platform_leaf_nodes(p, 86), 6 * 18); /* the last group of a hall is partial */
	scenario_destroy(s);
}

Test(platform, the_default_platform_is_h100_16k)
{
	struct ts_error err = {0};
	struct scenario *s = scenario_files(NULL, NULL, &err);
	cr_assert(s, "%s", err.message);
	cr_assert_str_eq(s->platform->name, "h100-16k");
	cr_assert_eq(s->platform->counts.gpus, 16384);
	scenario_destroy(s);
}

Test(platform, repeated_halls_are_named_by_index)
{
	cr_assert(load_mutated("{name: a, racks: 4,", "{name: a, count: 3, racks: 4,", message, sizeof message),
		  "%s", message);
}

Test(platform, unknown_key_suggests_the_closest)
{
	expect_error("  hbm: 80GB", "  hbmm: 80GB", "small.yaml:6:3: unknown key 'hbmm' in gpu; did you mean 'hbm'?");
}

Test(platform, unknown_top_level_key_suggests_the_closest)
{
	expect_error("nvlink:", "nvlinks:", "small.yaml:12:1: unknown key 'nvlinks' in the top level; did you mean 'nvlink'?");
}

Test(platform, wrong_type_is_named)
{
	expect_error("  nodes: 2\n", "  nodes: [2]\n", "small.yaml:14:10: rack.nodes is a list; expected a whole number");
	expect_error("  pdus: {count", "  pdus: 4\n  x: {count",
		     "small.yaml:15:9: rack.pdus is a single value; expected a mapping of keys to values");
}

Test(platform, missing_required_key_is_named)
{
	expect_error("  model: H100-SXM\n", "", "small.yaml:4:3: gpu is missing required key 'model'");
	expect_error("sites:", "sitez:", "small.yaml:22:1: unknown key 'sitez' in the top level; did you mean 'sites'?");
}

Test(platform, bad_unit_is_explained)
{
	cr_assert_not(load_mutated("bandwidth: 400Gbps,", "bandwidth: 400Gbs,", message, sizeof message));
	cr_assert(!strncmp(message, "small.yaml:11:30: node.nic.bandwidth: ", 38), "%s", message);
	cr_assert(strstr(message, "Gbs"), "%s", message);
}

Test(platform, zero_and_negative_counts_are_rejected)
{
	expect_error("  nodes: 2\n", "  nodes: 0\n", "small.yaml:14:10: rack.nodes is 0; expected between 1 and 1024");
	expect_error("  gpus: 8\n", "  gpus: -8\n", "small.yaml:9:9: node.gpus is -8; expected between 1 and 1024");
	expect_error("{count: 8, bandwidth", "{count: 0, bandwidth",
		     "small.yaml:11:16: node.nic.count is 0; expected between 1 and 64");
}

Test(platform, values_out_of_physical_range_are_rejected)
{
	expect_error("busy: 700W", "busy: 700kW",
		     "small.yaml:7:17: gpu.power.busy is 700kW; expected between 1 W and 5 kW");
	expect_error("peak_bf16: 989TFLOPS", "peak_bf16: 989EFLOPS",
		     "small.yaml:5:14: gpu.peak_bf16 is 989EFLOPS; expected between 1 TFLOP/s and 100 PFLOP/s");
}

Test(platform, idle_above_busy_is_rejected)
{
	expect_error("idle: 90W", "idle: 900W",
		     "small.yaml:7:29: gpu.power.idle (900 W) is above gpu.power.busy (700 W); expected idle <= busy");
}

Test(platform, an_nvlink_domain_larger_than_its_rack_is_rejected)
{
	expect_error("{domain: 8,", "{domain: 72,",
		     "small.yaml:12:18: nvlink.domain is 72 GPUs but a rack holds only 16 (2 nodes x 8 GPUs); an "
		     "NVLink domain cannot be larger than the rack it is built in");
}

Test(platform, an_nvlink_domain_of_partial_nodes_is_rejected)
{
	expect_error("{domain: 8,", "{domain: 12,",
		     "small.yaml:12:18: nvlink.domain is 12 GPUs; expected a multiple of node.gpus (8): a domain "
		     "is built from whole nodes");
}

Test(platform, pdus_below_one_racks_idle_draw_are_rejected)
{
	expect_error("capacity: 23kW", "capacity: 3kW",
		     "small.yaml:15:30: rack PDUs can carry 3 kW without losing redundancy but one rack draws "
		     "4.44 kW idle; expected PDU capacity above the idle draw");
}

Test(platform, 2n_redundancy_needs_an_even_pdu_count)
{
	expect_error("{count: 2, capacity: 23kW", "{count: 3, capacity: 23kW",
		     "small.yaml:15:17: rack.pdus.count is 3 with redundancy 2N; expected an even count (two "
		     "independent sides)");
}

Test(platform, leaf_uplinks_that_are_not_whole_fibers_are_rejected)
{
	expect_error("oversubscription: 1:1", "oversubscription: 3:1",
		     "small.yaml:18:38: fabric.leaf uplinks do not add up: 2.133 Tb/s of uplink capacity is 5.333 "
		     "fibers of 400 Gb/s; expected a whole number (set fabric.leaf.uplinks or adjust the "
		     "oversubscription)");
}

Test(platform, uplink_count_and_ratio_that_disagree_are_rejected)
{
	expect_error("spine: {leaves: 2,", "spine: {leaves: 2, uplinks: 10,",
		     "small.yaml:19:31: fabric.spine uplinks do not add up: 10 fibers of 400 Gb/s under 12.8 Tb/s "
		     "of downlinks is 3.2:1 oversubscription, but fabric.spine.oversubscription says 2:1");
}

Test(platform, several_pods_without_a_core_are_rejected)
{
	expect_error("  spine: {leaves: 2, oversubscription: 2:1, latency: 700ns}\n  core: {}\n",
		     "  spine: {leaves: 2, latency: 700ns}\n",
		     "small.yaml:22:5: site dc1 has 2 pods (spine blocks of 2 leaf groups) but the fabric has no "
		     "core tier to join them; add fabric.core or raise fabric.spine.leaves");
}

Test(platform, spine_oversubscription_without_a_core_is_rejected)
{
	expect_error("  core: {}\n", "",
		     "small.yaml:19:10: fabric.spine sets uplinks or oversubscription but there is no fabric.core "
		     "for spines to uplink to; add core: {} or remove them");
}

Test(platform, a_feed_below_the_halls_idle_draw_is_rejected)
{
	expect_error("capacity: 1MW, ups", "capacity: 10kW, ups",
		     "small.yaml:25:46: hall a has a 10 kW feed but its 4 racks draw 17.76 kW idle; expected a "
		     "feed above the idle draw");
}

Test(platform, wan_links_must_name_two_defined_sites)
{
	expect_error("[dc1, dc2]", "[dc1, dc3]",
		     "small.yaml:30:21: wan[0].between names site 'dc3', which is not defined under sites");
	expect_error("[dc1, dc2]", "[dc1, dc1]",
		     "small.yaml:30:15: wan[0].between joins site 'dc1' to itself; expected two different sites");
	expect_error("[dc1, dc2]", "dc1",
		     "small.yaml:30:15: wan[0].between must list two site names, e.g. [dc1, dc2]");
}

Test(platform, every_site_needs_a_wan_path)
{
	expect_error("wan:\n  - {between: [dc1, dc2], bandwidth: 3.2Tbps, latency: 2ms}\n", "",
		     "small.yaml:23:3: site dc2 has no WAN path to site dc1; expected a wan entry joining them");
}

Test(platform, wan_takes_latency_or_length_not_both)
{
	expect_error("latency: 2ms}", "latency: 2ms, length: 100km}",
		     "small.yaml:30:5: wan[0] needs exactly one of latency or length (fiber length gives latency at "
		     "4.9 us/km)");
}

Test(platform, wan_length_gives_latency_at_the_speed_of_light_in_fiber)
{
	char path[512];
	char *base = read_text(source_path("tests/fixtures/small.yaml", path, sizeof path));
	char *text = replace_once(base, "latency: 2ms}", "length: 100km}");
	struct ts_error err = {0};
	struct scenario *s = scenario_texts("small.yaml", text, NULL, NULL, &err);
	cr_assert(s, "%s", err.message);
	cr_assert(fabs(s->platform->wan[0].latency_s - 489.7e-6) < 0.5e-6, "%g", s->platform->wan[0].latency_s);
	scenario_destroy(s);
	free(text);
	free(base);
}

Test(platform, duplicate_site_names_are_rejected)
{
	expect_error("name: dc2", "name: dc1",
		     "small.yaml:26:11: site name 'dc1' is used twice; expected unique site names");
}

Test(platform, failure_classes_are_checked)
{
	expect_error("mtbf: 100000h,", "mtbf: 100000h, rate: 2/yr,",
		     "small.yaml:33:9: reliability.burn needs exactly one of rate (e.g. 2/yr) or mtbf (e.g. 50000h)");
	expect_error(", distribution: weibull, shape: 0.7}", ", distribution: weibull}",
		     "small.yaml:33:9: reliability.burn uses distribution: weibull and needs a shape (below 1 for "
		     "infant mortality, above 1 for wear-out)");
	expect_error("distribution: weibull, shape", "shape",
		     "small.yaml:33:43: reliability.burn.shape is only meaningful with distribution: weibull");
	expect_error("part: gpu,", "part: hbm,",
		     "small.yaml:32:95: reliability.gpu.part is 'hbm' but operations.spares.parts has no such part; "
		     "expected one of the parts listed there");
	expect_error("{per: node,", "{per: cabinet,",
		     "small.yaml:33:15: reliability.burn.per is 'cabinet'; expected one of gpu, node, domain, nic, "
		     "link, switch, rack, pdu, hall, job, site, cluster");
}

Test(platform, operations_are_checked)
{
	expect_error("shift: business-hours", "shift: 9to5",
		     "small.yaml:35:37: operations.technicians.shift is '9to5'; expected one of 24x7, business-hours");
	expect_error("{stock: 4}", "{stock: -1}",
		     "small.yaml:36:62: operations.spares.parts.gpu.stock is -1; expected between 0 and 10M");
}

/* small.yaml with `costs` appended (free with scenario_destroy); NULL and message on failure. */
static struct scenario *with_costs(const char *costs)
{
	char path[512], *text = read_text(source_path("tests/fixtures/small.yaml", path, sizeof path));
	cr_assert(text);
	size_t n = strlen(text) + strlen(costs) + 2;
	char *all = malloc(n);
	snprintf(all, n, "%s%s\n", text, costs);
	struct ts_error err = {0};
	struct scenario *s = scenario_texts("small.yaml", all, NULL, NULL, &err);
	if (!s)
		error_format(&err, message, sizeof message);
	free(all);
	free(text);
	return s;
}

Test(platform, costs_resolve_to_dollars_per_si_unit)
{
	struct scenario *s = with_costs("costs: {gpu_capital: 35kUSD, depreciation: 5y, energy: 0.09USD/kWh, pue: 1.25, "
					"technician_hour: 80USD/h, parts: {gpu: 25kUSD}, holding: 20%/yr}");
	cr_assert(s, "%s", message);
	const struct cost_spec *c = &s->platform->costs;
	cr_assert(c->present && c->owned);
	cr_assert_float_eq(c->gpu_usd_per_s, 35e3 / (5 * 365 * 86400.0), 1e-15);
	cr_assert_float_eq(c->energy_usd_per_j, 0.09 / 3.6e6, 1e-20);
	cr_assert_float_eq(c->pue, 1.25, 0);
	cr_assert_float_eq(c->technician_usd_per_s, 80 / 3600.0, 1e-15);
	cr_assert_float_eq(c->part_usd[0], 25e3, 0);
	cr_assert_float_eq(c->holding_per_s, 0.2 / (365 * 86400.0), 1e-20);
	scenario_destroy(s);
	s = with_costs("costs: {gpu_hour: 2.5USD/h}");
	cr_assert(s, "%s", message);
	c = &s->platform->costs;
	cr_assert(c->present && !c->owned);
	cr_assert_float_eq(c->gpu_usd_per_s, 2.5 / 3600, 1e-15);
	cr_assert_float_eq(c->pue, 1, 0); /* IT energy alone unless told */
	cr_assert_float_eq(c->part_usd[0], 0, 0);
	scenario_destroy(s);
}

Test(platform, owned_gpus_are_written_off_over_four_years_unless_told)
{
	struct scenario *s = with_costs("costs: {gpu_capital: 35040USD}");
	cr_assert(s, "%s", message);
	cr_assert_float_eq(s->platform->costs.gpu_usd_per_s * 3600, 1, 1e-12); /* 35,040 USD over 35,040 h */
	scenario_destroy(s);
}

Test(platform, costs_are_checked)
{
	cr_assert_null(with_costs("costs: {gpu_hour: 2.5USD/h, gpu_capital: 30kUSD}"));
	cr_assert_str_eq(message, "small.yaml:37:42: costs has both gpu_hour (rented GPUs) and gpu_capital (owned GPUs); "
			 "expected one of them");
	cr_assert_null(with_costs("costs: {pue: 1.2}"));
	cr_assert_str_eq(message, "small.yaml:37:8: costs needs the price of GPU time: gpu_hour (rented, such as "
			 "2.5USD/h) or gpu_capital (owned, such as 30kUSD, written off over depreciation)");
	cr_assert_null(with_costs("costs: {gpu_hour: 2.5USD/h, parts: {hbm: 9kUSD}}"));
	cr_assert_str_eq(message, "small.yaml:37:37: costs.parts.hbm names no part of operations.spares.parts; "
			 "expected one of gpu");
	cr_assert_null(with_costs("costs: {gpu_hour: 2.5USD/h, parts: [gpu]}"));
	cr_assert_str_eq(message, "small.yaml:37:36: costs.parts is not a mapping; expected a price per part used, "
			 "such as gpu: 25kUSD");
	cr_assert_null(with_costs("costs: {gpu_capital: 30MUSD}"));
	cr_assert_str_eq(message, "small.yaml:37:22: costs.gpu_capital is 30MUSD; expected between 0 USD and 1 MUSD");
	cr_assert_null(with_costs("costs: {gpu_hour: 2.5USD/h, holding: 20%}"));
	cr_assert_str_eq(message, "small.yaml:37:38: costs.holding: rate '20%' must be a number per time, such as 3/d "
			 "or 9%/yr");
}

Test(platform, a_missing_file_is_reported)
{
	struct ts_error err = {0};
	cr_assert_null(scenario_files("/nonexistent/x.yaml", NULL, &err));
	cr_assert_str_eq(error_format(&err, message, sizeof message),
			 "/nonexistent/x.yaml: cannot open file: No such file or directory");
}

Test(platform, a_document_that_is_not_a_mapping_is_rejected)
{
	struct ts_error err = {0};
	cr_assert_null(scenario_texts("x.yaml", "just text\n", NULL, NULL, &err));
	cr_assert_str_eq(error_format(&err, message, sizeof message),
			 "x.yaml:1:1: the document is a single value; expected a mapping of keys to values");
}

Test(platform, link_effects_are_checked)
{
	expect_error("burn: {per: node,", "burn: {per: node, effect: degrade,",
		     "small.yaml:33:29: reliability.burn.effect is degrade, which applies to links; expected per: nic "
		     "or per: link (or effect: down)");
	expect_error("burn: {per: node,", "burn: {per: nic, degraded_bandwidth: 25%,",
		     "small.yaml:33:40: reliability.burn.degraded_bandwidth is only meaningful with effect: degrade");
	expect_error("burn: {per: node,", "burn: {per: nic, effect: flap, flaps: 0,",
		     "small.yaml:33:41: reliability.burn.flaps is 0; expected between 1 and 1000");
}

/* The power section: units, names it reserves, parts it needs, and a rack that could never run. */
Test(platform, the_power_section_is_checked)
{
	expect_error("operations:", "power: {grid: {events: 4, duration: 1s}}\noperations:",
		     "small.yaml:34:24: power.grid.events: rate '4' must be a number per time, such as 3/d or 9%/yr");
	expect_error("operations:", "power: {smoothing: soft}\noperations:",
		     "small.yaml:34:20: power.smoothing is 'soft'; expected one of none, ramp, cap");
	expect_error("operations:", "power: {power_cycle: {breaks: 1%, part: psu}}\noperations:",
		     "small.yaml:34:41: power.power_cycle.part is 'psu' but operations.spares.parts has no such part; "
		     "expected one of the parts listed there");
	expect_error("  burn: {per: node, mtbf: 100000h, distribution: weibull, shape: 0.7}\n",
		     "  pdu_trip: {per: node, mtbf: 100000h}\npower: {}\n",
		     "small.yaml:33:13: reliability.pdu_trip is a name the power section uses for its own events; "
		     "expected another name");
	expect_error("capacity: 23kW, redundancy: 2N}", "capacity: 5kW, redundancy: N}\npower: {}",
		     "small.yaml:15:30: a rack draws 20.4 kW busy but all its PDUs together carry 10 kW: with a power "
		     "section the rack could never run; expected more PDU capacity");
}

/* Loads small.yaml (per_site 0 written in the text, or given by `override`) for a run; the
 * formatted error in `message`. */
static bool load_for_run(const char *text, const char *override)
{
	const char *items[] = {override};
	struct scenario_spec spec = {.platform = {.name = "small.yaml", .text = text}, .platform_only = true,
				     .for_run = true, .overrides = {items, override ? 1 : 0}};
	struct scenario *s = NULL;
	struct ts_error err = {0};
	bool ok = scenario_load(&spec, &s, &err);
	if (!ok)
		error_format(&err, message, sizeof message);
	scenario_destroy(s);
	return ok;
}

/* The refusal used to name the file alone ("small.yaml: operations..."), without the line of
 * the key to change; from --set it named the file, not the item. */
Test(platform, a_run_refuses_classes_needing_technicians_with_none_at_the_key)
{
	char path[512];
	char *base = read_text(source_path("tests/fixtures/small.yaml", path, sizeof path));
	char *text = replace_once(base, "per_site: 2", "per_site: 0");
	cr_assert_not_null(text);
	cr_assert_not(load_for_run(text, NULL));
	cr_assert_str_eq(message, "small.yaml:35:27: operations.technicians.per_site is 0 but failure class gpu needs a "
				  "technician: nothing would ever be repaired");
	cr_assert_not(load_for_run(base, "operations.technicians.per_site=0"));
	cr_assert_str_eq(message, "--set operations.technicians.per_site=0: operations.technicians.per_site is 0 but "
				  "failure class gpu needs a technician: nothing would ever be repaired");
	cr_assert(load_for_run(base, NULL), "%s", message);
	free(text);
	free(base);
}
