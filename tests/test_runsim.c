/* Tests of the run simulation: failure-free runs equal the ideal time plus checkpoints;
 * with exponential failures and instant repair the mean matches Daly's formula; more
 * failures or fewer repair resources never shorten the mean; the parts of the wall-clock add
 * up; Llama 3's 54-day snapshot is reproduced. Several replicas run in one process (one
 * SimGrid platform); different platforms run in child processes. */
#include <criterion/criterion.h>
#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checkpoint.h"
#include "helpers.h"
#include "texts.h"
#include "placement.h"
#include "runplan.h"
#include "runsim.h"
#include "sg_platform.h"
#include "steptime.h"
#include "engine.h"
#include "workload.h"

static char message[2048];

/* Replay this failure log instead of drawing failures (NULL: draw). */
static const char *failure_log;

/* A scenario from text (and failure_log) in the engine of this process. */
struct session {
	struct scenario *scenario;
	struct engine *engine;
	const struct platform *p;
	const struct workload *w;
};

static void session_load(struct session *s, const char *platform_text, const char *workload_text)
{
	struct ts_error err = {0};
	struct scenario_spec spec = {.platform = {.name = "p.yaml", .text = platform_text},
				     .workload = {.name = "w.yaml", .text = workload_text}, .failure_log = failure_log,
				     .for_run = true};
	bool ok = scenario_load(&spec, &s->scenario, &err) && engine_load(s->scenario, NULL, &s->engine, &err);
	cr_assert(ok, "%s", error_format(&err, message, sizeof message));
	s->p = s->scenario->platform;
	s->w = s->scenario->workload;
}

static void session_finish(struct session *s)
{
	engine_destroy(s->engine);
	scenario_destroy(s->scenario);
}

/* What a test needs of one replica, flat so it can cross a pipe. */
struct outcome {
	double wallclock_s, productive_s, parts_sum_s, progress, ettr, step_s, power_s, degraded_s, wait_tech_s;
	long interruptions, planned, checkpoints, tracked, failures;
	bool finished;
};

/* Interruptions of this failure class are counted in outcome.tracked. */
static const char *tracked_class = "maintenance";
static struct outcome replica(struct session *s, uint64_t seed, double horizon, double scale)
{
	struct run_options o = {.seed = seed, .horizon_s = horizon, .failure_scale = scale};
	struct run_result r;
	struct ts_error err = {0};
	cr_assert(runsim_run(s->scenario, s->engine, &o, &r, &err), "%s", err.message);
	struct outcome out = {.wallclock_s = r.wallclock_s, .productive_s = r.time_s[TIME_PRODUCTIVE],
			      .progress = r.progress, .step_s = r.step_time_s, .interruptions = r.interruptions,
			      .checkpoints = r.checkpoints, .finished = r.finished, .power_s = r.time_s[TIME_POWER],
			      .degraded_s = r.time_s[TIME_DEGRADED], .failures = r.failures,
			      .wait_tech_s = r.time_s[TIME_WAIT_TECH]};
	for (int i = 0; i < TIME_CATEGORY_COUNT; i++)
		out.parts_sum_s += r.time_s[i];
	for (size_t i = 0; i < s->p->failure_count; i++)
		if (!strcmp(s->p->failures[i].name, "maintenance"))
			out.planned = r.interruptions_by_class[i];
		else if (!strcmp(s->p->failures[i].name, tracked_class))
			out.tracked = r.interruptions_by_class[i];
	out.ettr = r.time_s[TIME_PRODUCTIVE] / r.wallclock_s;
	runsim_result_finish(&r);
	return out;
}

/* Mean outcome of `n` seeds on a platform, computed in a child process. */
static struct outcome mean_in_child(const char *platform_text, const char *workload_text, int n, double horizon,
				    double scale)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct session s = {0};
		session_load(&s, platform_text, workload_text);
		struct outcome sum = {0};
		for (int i = 0; i < n; i++) {
			struct outcome o = replica(&s, (uint64_t)i + 1, horizon, scale);
			sum.wallclock_s += o.wallclock_s / n;
			sum.ettr += o.ettr / n;
			sum.interruptions += o.interruptions;
			sum.planned += o.planned;
			sum.tracked += o.tracked;
			sum.power_s += o.power_s / n;
			sum.degraded_s += o.degraded_s / n;
			sum.wait_tech_s += o.wait_tech_s / n;
			sum.failures += o.failures;
			sum.finished = o.finished;
		}
		session_finish(&s);
		_exit(write(fds[1], &sum, sizeof sum) == (ssize_t)sizeof sum ? 0 : 1);
	}
	close(fds[1]);
	struct outcome sum;
	ssize_t got = read(fds[0], &sum, sizeof sum);
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	cr_assert_eq(got, (ssize_t)sizeof sum, "child failed");
	return sum;
}

/* Llama 3 8B on one HGX node: checkpoints every hour, 5 min saves, 10 min restarts. */
static const char *const one_node_workload =
	"name: one-node\n"
	"model: {parameters: 8B, layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256,"
	" sequence: 8192}\n"
	"training: {tokens: TOKENS, global_batch: 65536}\n"
	"parallelism: {tp: 8, pp: 1, dp: 1, recompute: full}\n"
	"efficiency: {matmul: 68%}\n"
	"checkpoint: {interval: 1h, size: 300GB, write_bandwidth: 1GBps, read_bandwidth: 1PBps}\n"
	"restart: {detection: 0s, relaunch: 10min}\n"
	"job: {gpus: 8}\n";

static char *one_node(const char *tokens)
{
	return with(one_node_workload, "TOKENS", tokens);
}

static char *hgx_with(const char *reliability)
{
	char *p = file_text("platforms/hgx-h100.yaml");
	size_t n = strlen(p) + strlen(reliability) + 2;
	char *out = malloc(n);
	snprintf(out, n, "%s\n%s", p, reliability);
	free(p);
	return out;
}

Test(runsim, without_failures_the_run_takes_the_ideal_time_plus_checkpoints)
{
	char *p = hgx_with(""), *w = one_node("20B");
	struct session s = {0};
	session_load(&s, p, w);
	struct outcome o = replica(&s, 1, INFINITY, 1);
	struct step_result step = {.step_time_s = o.step_s};
	struct run_plan_figures f = runplan_compute(s.p, s.w, &step);
	cr_assert(o.finished);
	cr_assert_eq(o.interruptions, 0);
	/* fixed 1 h interval: saves after each full hour of training */
	cr_assert(fabs(o.wallclock_s - (f.ideal_train_s + (double)o.checkpoints * f.checkpoint_save_s)) < 1e-6,
		  "wall-clock %.6f vs ideal %.6f + %ld x %.1f s", o.wallclock_s, f.ideal_train_s, o.checkpoints,
		  f.checkpoint_save_s);
	cr_assert(fabs(o.wallclock_s - f.failure_free_s) < o.step_s + 1e-6);
	cr_assert(fabs(o.parts_sum_s - o.wallclock_s) < 1e-6);
	session_finish(&s);
	free(p);
	free(w);
}

/* Daly (FGCS 22:303, 2006): Tw = M e^(R/M) (e^((t+d)/M) - 1) Ts / t with exponential
 * failures that can also hit saves and restarts. */
Test(runsim, with_exponential_failures_the_mean_matches_dalys_formula)
{
	char *p = hgx_with("reliability:\n  crash: {per: job, mtbf: 2h, detection: 0s}\n");
	char *w = one_node("40B"); /* about 200 h of training: 100 MTBFs */
	struct session s = {0};
	session_load(&s, p, w);
	int n = 120;
	double sum = 0, step = 0;
	for (int i = 0; i < n; i++) {
		struct outcome o = replica(&s, (uint64_t)i + 1, INFINITY, 1);
		cr_assert(o.finished);
		cr_assert(fabs(o.parts_sum_s - o.wallclock_s) < 1e-6 * o.wallclock_s);
		sum += o.wallclock_s;
		step = o.step_s;
		if (getenv("DEBUG_RUNSIM"))
			fprintf(stderr, "replica %d: %.0f s, %ld interruptions\n", i, o.wallclock_s, o.interruptions);
	}
	double ts = workload_steps(s.w) * step, t = floor(3600 / step) * step;
	double m = 7200, d = checkpoint_save_s(s.w), r = 600;
	double daly = m * exp(r / m) * (exp((t + d) / m) - 1) * ts / t;
	double mean = sum / n;
	cr_assert(fabs(mean / daly - 1) < 0.02, "mean %.0f s vs Daly %.0f s (%+.2f%%)", mean, daly,
		  100 * (mean / daly - 1));
	session_finish(&s);
	free(p);
	free(w);
}

/* A 1,024-GPU cluster where repairs matter: two technicians on business hours, four standby
 * nodes, two spare GPUs in stock. */
static char *repair_bound_platform(const char *from, const char *to)
{
	char *p = file_text("platforms/h100-1k.yaml");
	char *q = with(p, h100_1k_operations,
		       "reliability:\n  gpu: {per: gpu, rate: 1e-3/d, takes_down: node, detection: 5min, technician: true, part: gpu, repair: 3h, repair_sigma: 0.5}\n"
		       "operations:\n  technicians: {per_site: 2, shift: business-hours, travel: 15min, diagnosis: 30min}\n"
		       "  spares: {hot_nodes: 4, lead_time: 5d, parts: {gpu: {stock: 2}}}\n  burn_in: 2h\n");
	char *out = from ? with(q, from, to) : strdup(q);
	free(p);
	free(q);
	return out;
}

static const char *const kilo_workload =
	"name: kilo\n"
	"model: {parameters: 8B, layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256,"
	" sequence: 8192}\n"
	"training: {tokens: 2T, global_batch: 4194304}\n"
	"parallelism: {tp: 8, pp: 1, dp: 128, recompute: full}\n"
	"efficiency: {matmul: 68%, dp_overlap: 90%}\n"
	"checkpoint: {interval: auto, write_bandwidth: 1TBps, read_bandwidth: 1TBps}\n"
	"restart: {relaunch: 10min}\n"
	"job: {gpus: 1024}\n"
	"schedule: {start: 2024-01-01}\n";

static double mean_wallclock(const char *from, const char *to, double scale)
{
	char *p = repair_bound_platform(from, to);
	struct outcome o = mean_in_child(p, kilo_workload, 12, INFINITY, scale);
	free(p);
	return o.wallclock_s;
}

Test(runsim, more_failures_or_fewer_repair_resources_never_shorten_the_run)
{
	double base = mean_wallclock(NULL, NULL, 1);
	double more_failures = mean_wallclock(NULL, NULL, 2);
	double fewer_technicians = mean_wallclock("per_site: 2", "per_site: 1", 1);
	double fewer_spares = mean_wallclock("hot_nodes: 4", "hot_nodes: 0", 1);
	double longer_lead = mean_wallclock("lead_time: 5d", "lead_time: 14d", 1);
	cr_assert_geq(more_failures, base, "more failures: %.0f s vs %.0f s", more_failures, base);
	cr_assert_geq(fewer_technicians, base, "fewer technicians: %.0f s vs %.0f s", fewer_technicians, base);
	cr_assert_geq(fewer_spares, base, "fewer spares: %.0f s vs %.0f s", fewer_spares, base);
	cr_assert_geq(longer_lead, base, "longer lead times: %.0f s vs %.0f s", longer_lead, base);
}

/* Llama 3 section 3.3.4: 466 interruptions in 54 days (419 unexpected, 47 planned), over 90%
 * effective training time. Mean of 8 seeds with the shipped defaults. */
Test(runsim, llama3_54_day_snapshot_is_reproduced)
{
	char *p = file_text("platforms/h100-16k.yaml"), *w = file_text("workloads/llama3-405b.yaml");
	int n = 8;
	struct outcome o = mean_in_child(p, w, n, 54 * 86400.0, 1);
	double total = (double)o.interruptions / n, planned = (double)o.planned / n, unexpected = total - planned;
	cr_assert(fabs(total / 466 - 1) <= 0.15, "%.1f interruptions", total);
	cr_assert(fabs(unexpected / 419 - 1) <= 0.15, "%.1f unexpected", unexpected);
	cr_assert(fabs(planned / 47 - 1) <= 0.15, "%.1f planned", planned);
	cr_assert_geq(o.ettr, 0.90, "ETTR %.3f", o.ettr);
	cr_assert_not(o.finished);
	free(p);
	free(w);
}

/* ---- power and links ---- */

/* One HGX node in one rack (2N PDUs of 17 kW, 5 min of UPS ride-through) with `extra` YAML
 * appended, running about three days of training. */
static struct outcome hgx_power_run(const char *extra, int seeds)
{
	char *p = hgx_with(extra), *w = one_node("20B");
	struct outcome o = mean_in_child(p, w, seeds, INFINITY, 1);
	free(p);
	free(w);
	return o;
}

Test(power, grid_outages_longer_than_the_ups_ride_through_stop_the_job)
{
	tracked_class = "grid_outage";
	struct outcome dark = hgx_power_run("power: {grid: {events: 1/d, duration: 1h, sigma: 0}, hall_restart: 1h}\n", 4);
	cr_assert_gt(dark.tracked, 0, "no grid outage reached the job");
	cr_assert_gt(dark.power_s, 4 * 3600.0, "power time %.0f s", dark.power_s);
	struct outcome carried = hgx_power_run("power: {grid: {events: 1/d, duration: 1min, sigma: 0}}\n", 4);
	cr_assert_eq(carried.tracked, 0);
	cr_assert_eq(carried.power_s, 0);
	cr_assert_lt(carried.wallclock_s, dark.wallclock_s);
}

/* A PDU failure takes the rack down only when the PDUs left cannot carry it. */
Test(power, redundant_pdus_carry_the_rack_through_a_pdu_failure)
{
	tracked_class = "pdu";
	const char *pdu = "reliability:\n  pdu: {per: pdu, rate: 1/d, takes_down: pdu, technician: true, repair: 2h}\n"
			  "power: {}\n";
	struct outcome two_n = hgx_power_run(pdu, 6);
	char *single = hgx_with(pdu), *w = one_node("20B");
	char *n = with(single, "pdus: {count: 2, capacity: 17kW, redundancy: 2N}", "pdus: {count: 1, capacity: 17kW}");
	struct outcome one = mean_in_child(n, w, 6, INFINITY, 1);
	cr_assert_gt(one.tracked, 3 * two_n.tracked + 3, "N: %ld rack losses, 2N: %ld", one.tracked, two_n.tracked);
	cr_assert_gt(one.wallclock_s, two_n.wallclock_s);
	cr_assert_gt(one.power_s, two_n.power_s);
	free(single);
	free(n);
	free(w);
}

/* One 11 kW PDU for a 10.2 kW node: 20% GPU overshoot at each step peaks at 11.3 kW, which
 * trips a breaker every hour or two; power smoothing holds peaks to the sustained draw. */
Test(power, step_peaks_trip_an_undersized_pdu_unless_smoothed)
{
	tracked_class = "pdu_trip";
	char *base = hgx_with("power: {gpu_transient: 120%, breaker: {trip_at: 125%, tolerance: 5%}, pdu_reset: 1h}\n");
	char *p = with(base, "pdus: {count: 2, capacity: 17kW, redundancy: 2N}", "pdus: {count: 1, capacity: 11kW}");
	char *smooth = with(p, "pdu_reset: 1h", "pdu_reset: 1h, smoothing: ramp");
	char *w = one_node("20B");
	struct outcome raw = mean_in_child(p, w, 4, INFINITY, 1);
	struct outcome smoothed = mean_in_child(smooth, w, 4, INFINITY, 1);
	cr_assert_gt(raw.tracked, 4, "%ld trips", raw.tracked);
	cr_assert_gt(raw.power_s, 0);
	cr_assert_lt(smoothed.tracked, raw.tracked / 4 + 1, "smoothed %ld vs raw %ld", smoothed.tracked, raw.tracked);
	cr_assert_lt(smoothed.wallclock_s, raw.wallclock_s);
	free(base);
	free(p);
	free(smooth);
	free(w);
}

/* Capping GPUs at 70% of their power slows every step by 0.7^-0.4 (power.c). */
Test(power, power_capping_slows_the_failure_free_run)
{
	struct outcome free_run = hgx_power_run("power: {}\n", 1);
	struct outcome capped = hgx_power_run("power: {smoothing: cap, cap: 70%}\n", 1);
	double ratio = capped.wallclock_s / free_run.wallclock_s;
	cr_assert(ratio > 1.12 && ratio < 1.16, "capped run %.4f x", ratio);
}

/* The failure log of the scenarios loaded next, replayed_log's file (texts.h). */
static void use_log(const char *text)
{
	failure_log = replayed_log(text);
}

static void drop_log(void)
{
	forget_log((char *)failure_log);
	failure_log = NULL;
}

/* A flapping NIC fiber stops the job at each flap (3 here), then is isolated and repaired;
 * a degraded one slows the job without stopping it. Both on a 16-GPU job on h100-1k. */
Test(power, a_flapping_link_stops_the_job_each_flap_and_a_degraded_one_slows_it)
{
	char *base = file_text("platforms/h100-1k.yaml");
	char *p = with(base, "operations:", "reliability:\n"
		       "  flap: {per: nic, rate: 1e-9/d, effect: flap, flaps: 3, flap_interval: 20min, technician: true, repair: 1h}\n"
		       "  slow: {per: nic, rate: 1e-9/d, effect: degrade, degraded_bandwidth: 10%, technician: true, repair: 1h}\n"
		       "operations:");
	char *w1 = one_node("20B"), *w2 = with(w1, "dp: 1", "dp: 2"), *w = with(w2, "gpus: 8", "gpus: 16");
	use_log("time,component,cause\n10h,nic:3,flap\n");
	tracked_class = "flap";
	struct outcome flapped = mean_in_child(p, w, 1, INFINITY, 1);
	cr_assert_eq(flapped.tracked, 3, "%ld interruptions", flapped.tracked);
	drop_log();
	use_log("time,component,cause\n10h,nic:3,slow\n");
	tracked_class = "slow";
	struct outcome slowed = mean_in_child(p, w, 1, INFINITY, 1);
	cr_assert_eq(slowed.interruptions, 0);
	cr_assert_gt(slowed.degraded_s, 0);
	cr_assert(slowed.finished);
	drop_log();
	free(base);
	free(p);
	free(w1);
	free(w2);
	free(w);
}

/* ---- on_failure policies ---- */

/* With no spare nodes and slow repairs (two technicians on business hours, parts 5 days
 * away), a job that may shrink its data parallelism runs on with fewer replicas instead of
 * waiting, and finishes sooner; the slower steps are reported as degraded time. */
Test(policy, shrinking_data_parallelism_beats_waiting_for_repairs)
{
	char *p = repair_bound_platform("hot_nodes: 4", "hot_nodes: 0");
	char *wait = with(kilo_workload, "job: {gpus: 1024}", "job: {gpus: 1024, on_failure: wait}");
	char *shrink = with(kilo_workload, "job: {gpus: 1024}", "job: {gpus: 1024, on_failure: shrink}");
	struct outcome waited = mean_in_child(p, wait, 6, INFINITY, 1);
	struct outcome shrunk = mean_in_child(p, shrink, 6, INFINITY, 1);
	cr_assert(shrunk.finished && waited.finished);
	cr_assert_lt(shrunk.wallclock_s, 0.95 * waited.wallclock_s, "shrink %.0f s vs wait %.0f s", shrunk.wallclock_s,
		     waited.wallclock_s);
	cr_assert_gt(shrunk.degraded_s, 0, "running shrunk is slower than healthy");
	cr_assert_eq(waited.degraded_s, 0);
	free(p);
	free(wait);
	free(shrink);
}

/* ---- repairs that reach the job ---- */

/* One node and one standby node; the node fails at 1 h (the standby takes its slot) and again
 * at 2 h (nothing left: the job waits). The one technician repairs the first failure in
 * 3 h: at 4 h that hardware joins the standby pool and the waiting job must take it then,
 * not wait for the second repair (done at 7 h). */
Test(policy, a_job_waiting_for_nodes_takes_a_standby_node_as_soon_as_one_is_back)
{
	char *p = hgx_with("reliability:\n"
			   "  gpu: {per: node, rate: 1e-9/d, takes_down: node, technician: true, repair: 3h}\n"
			   "operations:\n  technicians: {per_site: 1}\n  spares: {hot_nodes: 1}\n");
	char *w = one_node("20B");
	use_log("time,component,cause\n1h,node:0,gpu\n2h,node:0,gpu\n");
	struct outcome o = mean_in_child(p, w, 1, INFINITY, 1);
	drop_log();
	cr_assert(o.finished);
	cr_assert_eq(o.interruptions, 2);
	/* waits from 2 h to 4 h, not to 7 h */
	cr_assert(fabs(o.wait_tech_s - 2 * 3600.0) < 60, "waited %.0f s for repairs; expected 7200 s", o.wait_tech_s);
	free(p);
	free(w);
}

/* takes_down: job on a class counted per GPU stops the job only for the job's own GPUs, as
 * the job failure rate behind Daly's interval counts it. */
Test(policy, a_software_fault_of_a_component_stops_the_job_only_on_its_own_components)
{
	char *base = file_text("platforms/h100-1k.yaml");
	char *p = with(base, "operations:", "reliability:\n"
		       "  xid: {per: gpu, rate: 1e-9/d, takes_down: job, detection: 1min}\n"
		       "operations:");
	char *w = one_node("20B");
	use_log("time,component,cause\n1h,gpu:500,xid\n2h,gpu:3,xid\n3h,gpu:1000,xid\n");
	tracked_class = "xid";
	struct outcome o = mean_in_child(p, w, 1, INFINITY, 1);
	drop_log();
	cr_assert_eq(o.failures, 3, "every failure is counted");
	cr_assert_eq(o.tracked, 1, "only GPU 3 is the job's: %ld interruptions", o.tracked);
	free(base);
	free(p);
	free(w);
}
