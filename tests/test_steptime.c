/* Tests of the step-time model: calibration against Llama 3 (Table 4), sensitivity to the
 * topology (oversubscription, a degraded fiber, a WAN between sites), the cache, and the
 * breakdown adding up. SimGrid loads one platform per process, so comparisons of two
 * platforms run each in a child process. */
#include <criterion/criterion.h>
#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "texts.h"
#include "placement.h"
#include "sg_platform.h"
#include "steptime.h"
#include "engine.h"
#include "workload.h"

static char message[2048];

/* Everything one step computation needs, in this process: the scenario and its engine. */
struct setup {
	struct scenario *scenario;
	struct engine *engine;
	const struct platform *p;
	const struct workload *w;
	struct placement *pl;
	struct steptime *s;
};

static bool setup_load(struct setup *sc, const char *platform_text, const char *workload_text)
{
	struct ts_error err = {0};
	sc->scenario = scenario_texts("p.yaml", platform_text, "w.yaml", workload_text, &err);
	bool ok = sc->scenario && engine_load(sc->scenario, NULL, &sc->engine, &err);
	if (!ok) {
		error_format(&err, message, sizeof message);
		return false;
	}
	sc->p = sc->scenario->platform;
	sc->w = sc->scenario->workload;
	sc->pl = &sc->engine->placement;
	sc->s = sc->engine->steptime;
	return true;
}

static void setup_finish(struct setup *sc)
{
	engine_destroy(sc->engine);
	scenario_destroy(sc->scenario);
}

/* Step of `workload_text` on `platform_text`, computed in a child process. */
static struct step_result step_in_child(const char *platform_text, const char *workload_text)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		struct setup sc = {0};
		struct step_result r = {0};
		struct ts_error err = {0};
		bool ok = setup_load(&sc, platform_text, workload_text) &&
			  steptime_compute(sc.s, sc.pl, NULL, &r, &err);
		if (!ok)
			r.step_time_s = -1;
		ssize_t n = write(fds[1], &r, sizeof r);
		_exit(n == (ssize_t)sizeof r ? 0 : 1);
	}
	close(fds[1]);
	struct step_result r;
	ssize_t n = read(fds[0], &r, sizeof r);
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	cr_assert_eq(n, (ssize_t)sizeof r, "child failed");
	cr_assert_gt(r.step_time_s, 0, "child could not compute the step");
	return r;
}

static struct step_result shipped_step(const char *platform, const char *workload)
{
	char prel[128], wrel[128];
	snprintf(prel, sizeof prel, "platforms/%s", platform);
	snprintf(wrel, sizeof wrel, "workloads/%s", workload);
	char *p = file_text(prel), *w = file_text(wrel);
	struct step_result r = step_in_child(p, w);
	free(p);
	free(w);
	return r;
}

static void expect_mfu(const char *workload, double published)
{
	struct step_result r = shipped_step("h100-16k.yaml", workload);
	double relative = r.mfu / published - 1;
	cr_assert(fabs(relative) <= 0.10, "%s: MFU %.4f vs published %.2f (%+.1f%%)", workload, r.mfu, published,
		  100 * relative);
}

/* Llama 3 Table 4 (arXiv 2407.21783): 43%, 41%, 38% with one efficiency set for all three. */
Test(steptime, llama3_8k_gpus_is_within_10_percent_of_43_percent_mfu)
{
	expect_mfu("llama3-405b-8k.yaml", 0.43);
}

Test(steptime, llama3_16k_gpus_is_within_10_percent_of_41_percent_mfu)
{
	expect_mfu("llama3-405b.yaml", 0.41);
}

Test(steptime, llama3_long_context_is_within_10_percent_of_38_percent_mfu)
{
	expect_mfu("llama3-405b-long-context.yaml", 0.38);
}

Test(steptime, the_breakdown_adds_up_to_the_step)
{
	struct step_result r = shipped_step("h100-16k.yaml", "llama3-405b.yaml");
	const struct step_breakdown *b = &r.parts;
	double sum = b->compute_s + b->tp_exposed_s + b->cp_ep_exposed_s + b->pp_bubble_s + b->dp_exposed_s +
		     b->optimizer_s;
	cr_assert(fabs(sum - r.step_time_s) <= 1e-12 * r.step_time_s);
	cr_assert_gt(b->compute_s, 0);
	cr_assert_gt(b->pp_bubble_s, 0);
	cr_assert_gt(r.collectives.dp_allreduce_s, 0);
	cr_assert_gt(r.collectives.tp_allreduce_s, 0);
	cr_assert_eq(r.micro_batches, 16);
}

/* ---- topology sensitivity ---- */

/* Llama 3 405B with DP hidden or not behind the backward pass (the workload overriding the
 * platform's dp_overlap). */
static char *llama_with_dp_overlap(const char *overlap)
{
	char *w = file_text("workloads/llama3-405b.yaml"), section[64];
	snprintf(section, sizeof section, "\nefficiency: {%s}\njob:", overlap);
	char *out = with(w, "\njob:", section);
	free(w);
	return out;
}

Test(steptime, oversubscribed_leaves_slow_the_step_when_dp_is_exposed)
{
	char *p = file_text("platforms/h100-16k.yaml");
	char *p4 = with(p, "leaf: {nodes: 2, oversubscription: 1:1,", "leaf: {nodes: 2, oversubscription: 4:1,");
	char *w = llama_with_dp_overlap("dp_overlap: 50%");
	struct step_result one = step_in_child(p, w), four = step_in_child(p4, w);
	cr_assert_gt(four.collectives.dp_allreduce_s, one.collectives.dp_allreduce_s * 1.5,
		     "DP all-reduce %g s at 4:1 vs %g s at 1:1", four.collectives.dp_allreduce_s,
		     one.collectives.dp_allreduce_s);
	cr_assert_gt(four.step_time_s, one.step_time_s);
	free(p);
	free(p4);
	free(w);
}

Test(steptime, oversubscription_never_makes_the_step_faster)
{
	char *p = file_text("platforms/h100-16k.yaml");
	char *p4 = with(p, "leaf: {nodes: 2, oversubscription: 1:1,", "leaf: {nodes: 2, oversubscription: 4:1,");
	char *w = llama_with_dp_overlap("dp_overlap: 100%");
	struct step_result one = step_in_child(p, w), four = step_in_child(p4, w);
	cr_assert_geq(four.step_time_s, one.step_time_s);
	free(p);
	free(p4);
	free(w);
}

Test(steptime, a_fiber_degraded_to_25_percent_slows_the_whole_step_until_restored)
{
	char *p = file_text("platforms/h100-16k.yaml"), *w = file_text("workloads/llama3-405b.yaml");
	struct setup sc = {0};
	cr_assert(setup_load(&sc, p, w), "%s", message);
	struct ts_error err = {0};
	struct step_result healthy, degraded, restored;
	cr_assert(steptime_compute(sc.s, sc.pl, NULL, &healthy, &err), "%s", err.message);
	/* GPU 0's NIC fiber (domain 0, rail 0) sits on a DP ring of stage 0 */
	struct link_degradation fiber = {{SG_LINK_NIC, 0, true}, 0, 0.25};
	struct cluster_state state = {&fiber, 1};
	cr_assert(steptime_compute(sc.s, sc.pl, &state, &degraded, &err), "%s", err.message);
	cr_assert_gt(degraded.collectives.dp_allreduce_s, 3.5 * healthy.collectives.dp_allreduce_s,
		     "the straggler ring: %g s vs %g s", degraded.collectives.dp_allreduce_s,
		     healthy.collectives.dp_allreduce_s);
	cr_assert_gt(degraded.step_time_s, healthy.step_time_s);
	cr_assert(steptime_compute(sc.s, sc.pl, NULL, &restored, &err));
	cr_assert_eq(restored.step_time_s, healthy.step_time_s);
	setup_finish(&sc);
	free(p);
	free(w);
}

/* Llama 3 8B on 8,192 GPUs with DP over all of them: across two sites, or in one. */
static const char *const small_dense =
	"name: dp-everywhere\n"
	"model: {parameters: 8B, layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256,"
	" sequence: 8192}\n"
	"training: {tokens: 1T, global_batch: 8388608}\n"
	"parallelism: {tp: 8, pp: 1, dp: 1024}\n"
	"efficiency: {matmul: 68%, dp_overlap: 50%}\n"
	"checkpoint: {interval: 1h, write_bandwidth: 1TBps, read_bandwidth: 1TBps}\n"
	"restart: {relaunch: 10min}\n"
	"job: {gpus: 8192}\n";

Test(steptime, splitting_dp_across_two_sites_adds_the_wan_cost)
{
	char *two = file_text("platforms/two-site.yaml");
	/* the same 8,192 GPUs in one site: one hall of 256 racks, two pods joined by a core */
	char *a = with(two, "  spine: {leaves: 16, latency: 600ns}", "  spine: {leaves: 16, latency: 600ns}\n  core: {}");
	char *sites = strstr(a, "sites:"), *wan = strstr(a, "wan:");
	cr_assert(sites && wan && sites < wan);
	char one[8192];
	snprintf(one, sizeof one, "%.*ssites:\n  - name: east\n    halls:\n      - {name: a, racks: 256, feed: "
		 "{capacity: 14MW}}\n", (int)(sites - a), a);
	struct step_result split = step_in_child(two, small_dense), local = step_in_child(one, small_dense);
	cr_assert_gt(split.collectives.dp_allreduce_s, local.collectives.dp_allreduce_s,
		     "DP all-reduce %g s over the WAN vs %g s in one site", split.collectives.dp_allreduce_s,
		     local.collectives.dp_allreduce_s);
	cr_assert_gt(split.step_time_s, local.step_time_s);
	free(two);
	free(a);
}

/* ---- the cache ---- */

/* h100-100k has non-blocking leaves: only how many of the job's nodes each pod holds can
 * change the step, in steps of 5% of a pod (52 of its 1,024 nodes). */
Test(steptime, a_spare_is_a_cache_hit_until_a_pods_share_moves_by_5_percent)
{
	char *p = file_text("platforms/h100-100k.yaml");
	char *w = with(small_dense, "job: {gpus: 8192}", "job: {gpus: 8192, hot_spare_nodes: 64}");
	struct setup sc = {0};
	cr_assert(setup_load(&sc, p, w), "%s", message);
	struct ts_error err = {0};
	struct step_result first, again;
	cr_assert(steptime_compute(sc.s, sc.pl, NULL, &first, &err), "%s", err.message);
	cr_assert(steptime_compute(sc.s, sc.pl, NULL, &again, &err));
	cr_assert_eq(steptime_cache_hits(sc.s), 2); /* the engine simulated the first at load */
	long swapped = sc.pl->nodes[5];
	sc.pl->nodes[5] = sc.pl->nodes[63]; /* same leaf group (64 nodes each) */
	sc.pl->nodes[63] = swapped;
	sc.pl->version++;
	cr_assert(steptime_compute(sc.s, sc.pl, NULL, &again, &err));
	cr_assert_eq(steptime_cache_hits(sc.s), 3, "a swap within one leaf group should not change the step");
	sc.pl->nodes[5] = 1030; /* one spare in the next pod */
	sc.pl->version++;
	cr_assert(steptime_compute(sc.s, sc.pl, NULL, &again, &err));
	cr_assert_eq(steptime_cache_hits(sc.s), 4, "one node moved to another pod should not change the step");
	cr_assert_eq(steptime_models(sc.s), 0);
	for (long i = 0; i < 60; i++) /* 60 nodes: pod 0 falls a step, pod 1 rises one */
		sc.pl->nodes[i] = 1030 + i;
	sc.pl->version++;
	cr_assert(steptime_compute(sc.s, sc.pl, NULL, &again, &err));
	cr_assert_eq(steptime_models(sc.s), 1, "a pod's share moved: the step is computed again");
	cr_assert_eq(steptime_simulations(sc.s), 1, "from the simulated one's bottlenecks");
	setup_finish(&sc);
	free(p);
	free(w);
}

/* Behind oversubscribed leaves each rank's leaf group counts. */
Test(steptime, behind_oversubscribed_leaves_a_spare_under_another_leaf_computes_the_step_again)
{
	char *p0 = file_text("platforms/h100-100k.yaml");
	char *p = with(p0, "leaf: {nodes: 64, oversubscription: 1:1", "leaf: {nodes: 64, oversubscription: 2:1");
	char *w = with(small_dense, "job: {gpus: 8192}", "job: {gpus: 8192, hot_spare_nodes: 64}");
	struct setup sc = {0};
	cr_assert(setup_load(&sc, p, w), "%s", message);
	struct ts_error err = {0};
	struct step_result first, again;
	cr_assert(steptime_compute(sc.s, sc.pl, NULL, &first, &err), "%s", err.message);
	sc.pl->nodes[5] = 1030;
	sc.pl->version++;
	cr_assert(steptime_compute(sc.s, sc.pl, NULL, &again, &err));
	cr_assert_eq(steptime_models(sc.s), 1);
	cr_assert_eq(steptime_simulations(sc.s), 1);
	setup_finish(&sc);
	free(p0);
	free(p);
	free(w);
}

/* ---- public targets on other generations (workloads/README.md, "Public targets") ---- */

/* The step time the paper's FLOP count gives for its published TFLOP/s, which count the
 * recomputed forward: 96 B s l h^2 (1 + s/(6h) + V/(16 l h)) per iteration (Narayanan et al.,
 * SC'21; the same count gives BLOOM's logged 149.77 TFLOP/s at 104.70 s). */
static double published_step_s(double batch, double s, double l, double h, double vocab, double gpus, double tflops)
{
	return 96 * batch * s * l * h * h * (1 + s / (6 * h) + vocab / (16 * l * h)) / (gpus * tflops * 1e12);
}

static void expect_step(const char *platform, const char *workload, double published, double tolerance)
{
	struct step_result r = shipped_step(platform, workload);
	double relative = r.step_time_s / published - 1;
	cr_assert(fabs(relative) <= tolerance, "%s: step %.3f s vs published %.3f s (%+.1f%%)", workload,
		  r.step_time_s, published, 100 * relative);
}

Test(steptime, opt_175b_is_within_10_percent_of_147_tflops_per_gpu)
{
	expect_step("a100-992.yaml", "opt-175b.yaml", published_step_s(992, 2048, 96, 12288, 50272, 992, 147), 0.10);
}

Test(steptime, bloom_176b_is_within_10_percent_of_104_7_s_per_iteration)
{
	expect_step("a100-384.yaml", "bloom-176b.yaml", 104.70, 0.10);
}

Test(steptime, megatron_table_1_18b_145b_and_1t_are_within_10_percent)
{
	expect_step("a100-3k.yaml", "megatron-18b.yaml", published_step_s(1024, 2048, 40, 6144, 51200, 256, 135), 0.10);
	expect_step("a100-3k.yaml", "megatron-145b.yaml", published_step_s(2304, 2048, 80, 12288, 51200, 1536, 148),
		    0.10);
	expect_step("a100-3k.yaml", "megatron-1t.yaml", published_step_s(3072, 2048, 128, 25600, 51200, 3072, 163),
		    0.10);
}

/* 180K H800 GPU-hours per trillion tokens: 1e12 / (180e3 x 3600) tokens/s per GPU, a step of
 * 15,360 x 4,096 tokens on 2,048 GPUs. */
Test(steptime, deepseek_v3_is_within_15_percent_of_180k_gpu_hours_per_trillion_tokens)
{
	double tokens_per_gpu_s = 1e12 / (180e3 * 3600);
	expect_step("h800-2k.yaml", "deepseek-v3.yaml", 15360.0 * 4096 / (tokens_per_gpu_s * 2048), 0.15);
}

/* ---- mixture of experts ---- */

static struct step_result deepseek_with(const char *from, const char *to)
{
	char *p = file_text("platforms/h800-2k.yaml"), *w0 = file_text("workloads/deepseek-v3.yaml");
	char *w = with(w0, from, to);
	struct step_result r = step_in_child(p, w);
	free(p);
	free(w0);
	free(w);
	return r;
}

Test(steptime, routing_imbalance_slows_the_expert_all_to_all_on_the_real_links)
{
	struct step_result even = deepseek_with("imbalance: 1.1", "imbalance: 1"),
			   skewed = deepseek_with("imbalance: 1.1", "imbalance: 2");
	cr_assert_gt(even.collectives.ep_alltoall_s, 0);
	cr_assert_gt(skewed.collectives.ep_alltoall_s, 1.5 * even.collectives.ep_alltoall_s, "%g s vs %g s",
		     skewed.collectives.ep_alltoall_s, even.collectives.ep_alltoall_s);
	cr_assert_gt(skewed.step_time_s, even.step_time_s);
}

Test(steptime, without_dualpipe_overlap_the_all_to_all_is_charged_in_full)
{
	struct step_result hidden = shipped_step("h800-2k.yaml", "deepseek-v3.yaml"),
			   exposed = deepseek_with("ep_overlap: 90%", "ep_overlap: 0%");
	double a2a = exposed.parts.cp_ep_exposed_s;
	cr_assert(fabs(a2a - 10 * hidden.parts.cp_ep_exposed_s) < 1e-6 * a2a, "%g vs %g", a2a,
		  hidden.parts.cp_ep_exposed_s);
	cr_assert_gt(exposed.step_time_s, hidden.step_time_s + 0.8 * a2a);
}

/* Across the fabric (IB at 50 GB/s a GPU) the all-to-all is slower than inside one NVLink
 * domain: 32 experts, EP 32 over 4 nodes against EP 8 in one. */
Test(steptime, the_expert_all_to_all_is_slower_across_nodes_than_inside_one)
{
	char *p = file_text("platforms/h800-2k.yaml"), *w0 = file_text("workloads/deepseek-v3.yaml");
	char *w1 = with(w0, "experts: 256 ", "experts: 32 "), *w2 = with(w1, "parameters: 671B", "parameters: 100B");
	char *across = with(w2, "expert_parallel: 64", "expert_parallel: 32");
	char *inside = with(w2, "expert_parallel: 64", "expert_parallel: 8");
	struct step_result a = step_in_child(p, across), b = step_in_child(p, inside);
	cr_assert_gt(a.collectives.ep_alltoall_s, 2 * b.collectives.ep_alltoall_s, "%g s across vs %g s inside",
		     a.collectives.ep_alltoall_s, b.collectives.ep_alltoall_s);
	free(p);
	free(w0);
	free(w1);
	free(w2);
	free(across);
	free(inside);
}

/* ---- the bottleneck model against full simulations ---- */

/* The modelled step (steptime_compute) is within 1% of the step simulated whole
 * (steptime_simulate), for the step and each collective. */
static void expect_model_matches(struct setup *sc, const struct cluster_state *state, const char *what)
{
	struct ts_error err = {0};
	struct step_result model, full;
	cr_assert(steptime_compute(sc->s, sc->pl, state, &model, &err), "%s: %s", what, err.message);
	cr_assert(steptime_simulate(sc->s, sc->pl, state, &full, &err), "%s: %s", what, err.message);
	const double m[] = {model.step_time_s, model.collectives.tp_allreduce_s, model.collectives.cp_ring_step_s,
			    model.collectives.pp_send_s, model.collectives.dp_allreduce_s, model.collectives.ep_alltoall_s};
	const double f[] = {full.step_time_s, full.collectives.tp_allreduce_s, full.collectives.cp_ring_step_s,
			    full.collectives.pp_send_s, full.collectives.dp_allreduce_s, full.collectives.ep_alltoall_s};
	const char *names[] = {"step", "TP", "CP", "PP", "DP", "EP"};
	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
		cr_assert(f[i] > 0 ? fabs(m[i] / f[i] - 1) <= 0.01 : m[i] == 0, "%s: %s %.6g s modelled vs %.6g s simulated",
			  what, names[i], m[i], f[i]);
}

/* A degraded NIC (its ring the straggler), a degraded leaf uplink, and a fifth of the job
 * moved across the oversubscribed aggregation to the last pods: the step changed by its
 * bottleneck links matches SimGrid's simulation of the whole step. */
Test(steptime, bottleneck_changes_match_full_simulations)
{
	char *p = file_text("platforms/h100-16k.yaml"), *w = file_text("workloads/llama3-405b.yaml");
	char *half = with(w, "dp: 128", "dp: 64"); /* 8,192 GPUs: the other half are free */
	char *w2 = with(half, "gpus: 16384", "gpus: 8192");
	struct setup sc = {0};
	cr_assert(setup_load(&sc, p, w2), "%s", message);
	struct link_degradation nic = {{SG_LINK_NIC, platform_node_domain(sc.p, 300), true}, 5, 0.25};
	struct link_degradation leaf = {{SG_LINK_LEAF, platform_node_leaf(sc.p, 310), true}, -1, 0.5};
	struct link_degradation both[] = {nic, leaf};
	struct cluster_state one_nic = {&nic, 1}, one_leaf = {&leaf, 1}, two = {both, 2};
	expect_model_matches(&sc, &one_nic, "a NIC on rail 5 at 25%");
	expect_model_matches(&sc, &one_leaf, "a leaf uplink at 50%");
	for (long i = 0; i < 200; i++) /* 200 of the job's 1,024 nodes to the platform's last */
		sc.pl->nodes[i] = sc.p->counts.nodes - 1 - i;
	sc.pl->version++;
	expect_model_matches(&sc, NULL, "200 nodes moved to the last pods");
	expect_model_matches(&sc, &two, "moved, with both degradations");
	cr_assert_eq(steptime_simulations(sc.s), 1, "only the first step is simulated by steptime_compute");
	setup_finish(&sc);
	free(p);
	free(w);
	free(half);
	free(w2);
}

/* The same across a WAN: part of a job that sat in one site moved to the other, then the WAN
 * link degraded too. */
Test(steptime, bottleneck_changes_across_sites_match_full_simulations)
{
	char *p = file_text("platforms/two-site.yaml");
	char *half = with(small_dense, "dp: 1024", "dp: 512"); /* site east's 4,096 GPUs */
	char *w = with(half, "job: {gpus: 8192}", "job: {gpus: 4096}");
	struct setup sc = {0};
	cr_assert(setup_load(&sc, p, w), "%s", message);
	expect_model_matches(&sc, NULL, "the job in one site");
	for (long i = 0; i < 64; i++) /* 64 of its 512 nodes to the other site */
		sc.pl->nodes[i * 8] = sc.p->counts.nodes - 1 - i;
	sc.pl->version++;
	expect_model_matches(&sc, NULL, "an eighth of the job in the other site");
	struct link_degradation wan = {{SG_LINK_WAN, 0, true}, -1, 0.5};
	struct cluster_state slow_wan = {&wan, 1};
	expect_model_matches(&sc, &slow_wan, "and the WAN at half its bandwidth");
	setup_finish(&sc);
	free(p);
	free(half);
	free(w);
}
