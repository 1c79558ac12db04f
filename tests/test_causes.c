/* Tests of what makes a new cluster slow (issue 11): bring-up (delivery, acceptance by the
 * crews, a job that starts smaller and grows), infant mortality, correlated failures,
 * recurring defects, bad components, failures found late, and counterfactual replicas
 * (a cause switched off never lengthens the run). Each scenario runs in a child process
 * (SimGrid loads one platform per process) and sends back what the test asks of its events. */
#include <criterion/criterion.h>
#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "helpers.h"
#include "texts.h"
#include "runsim.h"

static char message[2048];

/* What a test asks of replicas: their mean wall-clock and bring-up time, and counts and
 * times of events, over `replicas` seeds. */
struct probe {
	double wallclock_s, bring_up_s, productive_s, lost_s;
	long failures_by_week[12];      /* EVENT_FAILURE of class `class_name`, by week */
	long class_failures;            /* the same, in all */
	double last_class_failure_s;    /* the latest of them */
	double first_class_failure_s;   /* the earliest of them (INFINITY: none) */
	double root_cause_s;            /* EVENT_ROOT_CAUSE time (-1: none) */
	long group_downs, group_hit, group_size;
	long tickets, distinct_ticket_nodes, grows, rollbacks;
	double rollback_lost_s;
	double last_accepted_s, start_s; /* the last rack accepted; the job's first productive state */
	bool finished;
};

struct probe_ctx {
	struct probe *p;
	const struct platform *platform;
	long class_index;
	bool *ticket_node;
};

static void on_event(void *data, const struct event *e)
{
	struct probe_ctx *c = data;
	struct probe *p = c->p;
	if (e->kind == EVENT_FAILURE && e->cause == c->class_index) {
		long week = (long)(e->time_s / (7 * 86400.0));
		if (week < 12)
			p->failures_by_week[week]++;
		p->class_failures++;
		p->last_class_failure_s = fmax(p->last_class_failure_s, e->time_s);
		p->first_class_failure_s = fmin(p->first_class_failure_s, e->time_s);
	}
	if (e->kind == EVENT_ROOT_CAUSE && e->cause == c->class_index)
		p->root_cause_s = e->time_s;
	if (e->kind == EVENT_GROUP_DOWN && e->cause == c->class_index) {
		p->group_downs++;
		p->group_hit = (long)e->values[0];
		p->group_size = (long)e->values[1];
	}
	if (e->kind == EVENT_TICKET && e->cause == c->class_index) {
		p->tickets++;
		p->distinct_ticket_nodes += !c->ticket_node[e->index];
		c->ticket_node[e->index] = true;
	}
	p->grows += e->kind == EVENT_GROW;
	if (e->kind == EVENT_ROLLBACK) {
		p->rollbacks++;
		p->rollback_lost_s += e->values[0];
	}
	if (e->kind == EVENT_ACCEPTED)
		p->last_accepted_s = fmax(p->last_accepted_s, e->time_s);
	if (e->kind == EVENT_STATE && e->state == TIME_PRODUCTIVE && p->start_s < 0)
		p->start_s = e->time_s;
}

/* Runs `replicas` seeds of platform/workload text (failures replayed from `log` if not NULL,
 * causes switched off by `cf` if not NULL) in a child; events of class `class_name` probed. */
static struct probe run_probe(const char *platform, const char *workload, const char *log, const char *class_name,
			      int replicas, const struct counterfactual *cf, double horizon_s)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct scenario *s;
		struct engine *e;
		struct ts_error err = {0};
		struct scenario_spec spec = {.platform = {.name = "p.yaml", .text = platform},
					     .workload = {.name = "w.yaml", .text = workload}, .failure_log = log,
					     .for_run = true};
		if (!scenario_load(&spec, &s, &err) || !engine_load(s, NULL, &e, &err)) {
			fprintf(stderr, "%s\n", error_format(&err, message, sizeof message));
			_exit(2);
		}
		struct probe sum = {.root_cause_s = -1, .start_s = -1, .first_class_failure_s = INFINITY};
		struct probe_ctx c = {&sum, s->platform, -1, calloc((size_t)s->platform->counts.nodes, sizeof(bool))};
		for (size_t i = 0; i < s->platform->failure_count; i++)
			if (class_name && !strcmp(s->platform->failures[i].name, class_name))
				c.class_index = (long)i;
		struct event_sink sink = {on_event, &c};
		for (int r = 0; r < replicas; r++) {
			struct run_options o = {.seed = (uint64_t)r + 1, .horizon_s = horizon_s, .failure_scale = 1,
						.events = &sink, .counterfactual = cf};
			struct run_result res;
			if (!runsim_run(s, e, &o, &res, &err))
				_exit(3);
			sum.wallclock_s += res.wallclock_s / replicas;
			sum.bring_up_s += res.time_s[TIME_BRING_UP] / replicas;
			sum.productive_s += res.time_s[TIME_PRODUCTIVE] / replicas;
			sum.lost_s += res.time_s[TIME_LOST] / replicas;
			sum.finished = res.finished;
			runsim_result_finish(&res);
		}
		free(c.ticket_node);
		engine_destroy(e);
		scenario_destroy(s);
		_exit(write(fds[1], &sum, sizeof sum) == (ssize_t)sizeof sum ? 0 : 1);
	}
	close(fds[1]);
	struct probe sum;
	ssize_t got = read(fds[0], &sum, sizeof sum);
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	cr_assert_eq(got, (ssize_t)sizeof sum, "the child failed (status %d)", WEXITSTATUS(status));
	return sum;
}

/* h100-1k (32 racks of 4 DGX H100) with `operations` in place of its own and `extra` sections. */
static char *kilo_platform(const char *operations, const char *extra)
{
	char *p = file_text("platforms/h100-1k.yaml");
	char *q = with(p, h100_1k_operations,
		       operations);
	size_t n = strlen(q) + strlen(extra) + 2;
	char *out = malloc(n);
	snprintf(out, n, "%s\n%s", q, extra);
	free(p);
	free(q);
	return out;
}

/* Llama 3 8B data-parallel over the whole 1,024 GPUs, a few days of training. */
static const char *const kilo_workload =
	"name: kilo\n"
	"model: {parameters: 8B, layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256,"
	" sequence: 8192}\n"
	"training: {tokens: 200B, global_batch: 4194304}\n"
	"parallelism: {tp: 8, pp: 1, dp: 128, recompute: full}\n"
	"efficiency: {matmul: 68%, dp_overlap: 90%}\n"
	"checkpoint: {interval: 1h, write_bandwidth: 1TBps, read_bandwidth: 1TBps}\n"
	"restart: {relaunch: 10min}\n"
	"job: {gpus: 1024JOBKEYS}\n"
	"schedule: {start: 2024-01-01}\n";

static char *kilo_job(const char *keys)
{
	return with(kilo_workload, "JOBKEYS", keys);
}

static const char *const no_failures_ops = "operations:\n  technicians: {per_site: 5, shift: 24x7}\n";

/* ---- bring-up ---- */

/* R racks, acceptance a, k technicians, nothing else: the last rack is accepted after
 * ceil(R / k) x a, and a job on every rack waits exactly that long. */
Test(bringup, the_makespan_is_racks_over_technicians_times_the_acceptance_time)
{
	char *p = kilo_platform(no_failures_ops, "bring_up:\n  deliveries: [{hall: 0, at: 0d}]\n  acceptance: {hands_on: 6h}\n");
	char *w = kilo_job("");
	struct probe o = run_probe(p, w, NULL, NULL, 1, NULL, INFINITY);
	double expected = ceil(32.0 / 5) * 6 * 3600;
	cr_assert(fabs(o.last_accepted_s - expected) < 1e-3, "last rack accepted at %.1f s; expected %.1f s",
		  o.last_accepted_s, expected);
	cr_assert(fabs(o.bring_up_s - expected) < 1, "the job waited %.1f s for bring-up; expected %.1f s", o.bring_up_s,
		  expected);
	cr_assert(o.finished);
	free(p);
	free(w);
}

/* start_with: 50% starts the job once half its DP replicas' racks are in (ceil(16 / 5) x a);
 * it grows as more arrive, and finishes sooner than waiting for all. */
Test(bringup, a_job_that_starts_with_half_starts_sooner_grows_and_finishes_sooner)
{
	char *p = kilo_platform(no_failures_ops, "bring_up:\n  deliveries: [{hall: 0, at: 0d}]\n  acceptance: {hands_on: 6h}\n");
	char *longer = with(kilo_workload, "tokens: 200B", "tokens: 600B");
	char *all = with(longer, "JOBKEYS", ""), *half = with(longer, "JOBKEYS", ", start_with: 50%, grow_by: 25%");
	struct probe waited = run_probe(p, all, NULL, NULL, 1, NULL, INFINITY);
	struct probe started = run_probe(p, half, NULL, NULL, 1, NULL, INFINITY);
	double expected = ceil(16.0 / 5) * 6 * 3600;
	cr_assert(fabs(started.start_s - expected) < 1, "started at %.1f s; expected %.1f s", started.start_s, expected);
	cr_assert_geq(started.grows, 1, "it grows as racks arrive");
	cr_assert_lt(started.wallclock_s, waited.wallclock_s, "%.0f s vs %.0f s", started.wallclock_s, waited.wallclock_s);
	free(p);
	free(longer);
	free(all);
	free(half);
}

/* Counterfactual: without bring-up the run is the failure-free one. */
Test(bringup, switching_bring_up_off_gives_the_run_without_it)
{
	char *p = kilo_platform(no_failures_ops, "bring_up:\n  deliveries: [{hall: 0, at: 3d}]\n  acceptance: {hands_on: 6h}\n");
	char *q = kilo_platform(no_failures_ops, "");
	char *w = kilo_job("");
	struct counterfactual off = {.no_bring_up = true};
	struct probe without = run_probe(p, w, NULL, NULL, 1, &off, INFINITY);
	struct probe plain = run_probe(q, w, NULL, NULL, 1, NULL, INFINITY);
	struct probe with_it = run_probe(p, w, NULL, NULL, 1, NULL, INFINITY);
	cr_assert(fabs(without.wallclock_s - plain.wallclock_s) < 1e-3, "%.3f vs %.3f", without.wallclock_s,
		  plain.wallclock_s);
	cr_assert_gt(with_it.wallclock_s, plain.wallclock_s + 3 * 86400);
	free(p);
	free(q);
	free(w);
}

/* A rack's parts are installed when it is delivered: nothing of it fails before, and a
 * Weibull class's infant mortality counts from then (many failures in the two weeks after
 * the delivery, few four weeks later). */
Test(bringup, parts_age_from_their_delivery_and_do_not_fail_before_it)
{
	char *p = kilo_platform(no_failures_ops, "bring_up:\n  deliveries: [{hall: 0, at: 14d}]\n  acceptance: {hands_on: 1h}\n"
				"reliability:\n  infant: {per: gpu, mtbf: 2000d, distribution: weibull, shape: 0.5, "
				"takes_down: node, technician: true, repair: 1h}\n"
				"  steady: {per: node, rate: 0.02/d, takes_down: node, technician: true, repair: 1h}\n");
	char *w = with(kilo_workload, "tokens: 200B", "tokens: 2T");
	char *w2 = with(w, "JOBKEYS", ", on_failure: shrink");
	struct probe infant = run_probe(p, w2, NULL, "infant", 4, NULL, 9 * 7 * 86400.0);
	struct probe steady = run_probe(p, w2, NULL, "steady", 4, NULL, 9 * 7 * 86400.0);
	cr_assert_geq(infant.first_class_failure_s, 14 * 86400.0, "a GPU failed at %.0f s, before its delivery",
		      infant.first_class_failure_s);
	cr_assert_geq(steady.first_class_failure_s, 14 * 86400.0, "a node failed at %.0f s, before its delivery",
		      steady.first_class_failure_s);
	cr_assert_gt(steady.class_failures, 0);
	long early = infant.failures_by_week[2] + infant.failures_by_week[3];
	long late = infant.failures_by_week[7] + infant.failures_by_week[8];
	cr_assert_gt(early, 2 * late, "weeks 3-4 (just delivered): %ld failures, weeks 8-9: %ld", early, late);
	free(p);
	free(w);
	free(w2);
}

/* ---- failures ---- */

/* A Weibull class with shape 0.5 counted from install: fewer failures per week as parts age. */
Test(failures, infant_mortality_falls_week_by_week)
{
	char *p = kilo_platform(no_failures_ops, "reliability:\n  infant: {per: gpu, mtbf: 2000d, distribution: weibull, shape: 0.5, "
				"takes_down: node, technician: true, repair: 1h}\n");
	char *w = with(kilo_workload, "tokens: 200B", "tokens: 2T");
	char *w2 = with(w, "JOBKEYS", ", on_failure: shrink");
	struct probe o = run_probe(p, w2, NULL, "infant", 4, NULL, 8 * 7 * 86400.0);
	long early = o.failures_by_week[0] + o.failures_by_week[1], late = o.failures_by_week[6] + o.failures_by_week[7];
	cr_assert_gt(early, 2 * late, "weeks 1-2: %ld failures, weeks 7-8: %ld", early, late);
	free(p);
	free(w);
	free(w2);
}

/* A rack's failure takes down exactly its 4 nodes; a firmware rollout hitting 10% of the
 * cluster takes down exactly 13 distinct nodes of its 128, each with a ticket. */
Test(failures, a_correlated_failure_takes_down_exactly_its_group)
{
	char *p = kilo_platform(no_failures_ops, "reliability:\n"
				"  cooling: {per: rack, rate: 1e-9/d, detection: 5min, technician: true, repair: 2h}\n"
				"  rollout: {per: cluster, rate: 1e-9/d, hits: 10%, detection: 5min, repair: 30min}\n");
	char *w = kilo_job("");
	char *log = replayed_log("time,component,cause\n2h,rack:3,cooling\n5h,cluster:0,rollout\n");
	struct probe rack = run_probe(p, w, log, "cooling", 1, NULL, INFINITY);
	struct probe rollout = run_probe(p, w, log, "rollout", 1, NULL, INFINITY);
	forget_log(log);
	cr_assert_eq(rack.group_downs, 1);
	cr_assert_eq(rack.group_hit, 4);
	cr_assert_eq(rack.group_size, 4);
	cr_assert_eq(rollout.group_hit, 13, "hit %ld nodes", rollout.group_hit);
	cr_assert_eq(rollout.group_size, 128);
	cr_assert_eq(rollout.tickets, 13);
	cr_assert_eq(rollout.distinct_ticket_nodes, 13, "each node once");
	free(p);
	free(w);
}

/* A recurring defect strikes at its rate until its cause is found two days after its first
 * strike, then never again. */
Test(failures, a_recurring_defect_stops_once_root_caused)
{
	char *p = kilo_platform(no_failures_ops, "reliability:\n"
				"  torchsum: {per: job, rate: 4/d, detection: 5min, root_cause: 2d, root_cause_sigma: 0}\n");
	char *w = with(kilo_workload, "tokens: 200B", "tokens: 4T");
	char *w2 = with(w, "JOBKEYS", "");
	struct probe o = run_probe(p, w2, NULL, "torchsum", 1, NULL, INFINITY);
	cr_assert_gt(o.root_cause_s, 2 * 86400.0, "found at %.0f s", o.root_cause_s);
	cr_assert_lt(o.root_cause_s, 3 * 86400.0, "found within a day of the first strike plus two days");
	cr_assert_geq(o.class_failures, 4);
	cr_assert_lt(o.last_class_failure_s, o.root_cause_s, "last strike %.0f s, found %.0f s", o.last_class_failure_s,
		     o.root_cause_s);
	cr_assert_gt(o.wallclock_s, 4 * 86400.0, "the run goes on well after the fix");
	free(p);
	free(w);
	free(w2);
}

/* Bad nodes failing 20 times as often, with repairs that do not fix half the time, make a
 * run slower than the same class without bad nodes. */
Test(failures, bad_nodes_and_misdiagnosed_repairs_slow_the_run)
{
	const char *base = "reliability:\n  lemon: {per: node, rate: 0.002/d, takes_down: node, detection: 5min, technician: true, "
			   "repair: 4hBAD}\n";
	char *plain = with(base, "BAD", ""), *bad = with(base, "BAD", ", bad_fraction: 5%, bad_factor: 20, misdiagnosis: 50%");
	char *p = kilo_platform(no_failures_ops, plain), *q = kilo_platform(no_failures_ops, bad);
	char *w = kilo_job("");
	struct probe good = run_probe(p, w, NULL, "lemon", 6, NULL, INFINITY);
	struct probe lemons = run_probe(q, w, NULL, "lemon", 6, NULL, INFINITY);
	cr_assert_gt(lemons.class_failures, good.class_failures, "%ld vs %ld failures", lemons.class_failures,
		     good.class_failures);
	cr_assert_gt(lemons.wallclock_s, good.wallclock_s);
	free(plain);
	free(bad);
	free(p);
	free(q);
	free(w);
}

/* A silent data corruption found hours later (4 h on average) rolls the job back past the
 * checkpoints saved meanwhile: it loses more than one checkpoint interval (1 h here). */
Test(failures, a_failure_found_late_rolls_back_past_the_checkpoints_since)
{
	char *p = kilo_platform(no_failures_ops, "reliability:\n"
				"  sdc: {per: gpu, rate: 1e-9/d, takes_down: node, technician: true, repair: 1h, silent: 4h}\n");
	char *longer = with(kilo_workload, "tokens: 200B", "tokens: 2T");
	char *w = with(longer, "JOBKEYS", "");
	char *log = replayed_log("time,component,cause\n3h,gpu:40,sdc\n");
	struct probe o = run_probe(p, w, log, "sdc", 1, NULL, INFINITY);
	forget_log(log);
	cr_assert_eq(o.rollbacks, 1);
	cr_assert_gt(o.rollback_lost_s, 3600, "lost %.0f s beyond the usual", o.rollback_lost_s);
	cr_assert_gt(o.lost_s, o.rollback_lost_s);
	free(p);
	free(longer);
	free(w);
}

/* ---- counterfactuals ---- */

/* With common random numbers, switching off any one cause never lengthens the mean run: a
 * kilo-GPU cluster with every kind of cause at moderate rates (a calm queue: in a cluster whose
 * repair queue runs away, any change reshuffles it and the mean moves by chance). */
Test(counterfactual, removing_a_cause_never_lengthens_the_run)
{
	char *p = kilo_platform("operations:\n  technicians: {per_site: 2, shift: business-hours, travel: 15min, diagnosis: 30min}\n"
				"  spares: {hot_nodes: 2, lead_time: 3d, parts: {gpu: {stock: 2}}}\n  burn_in: 2h\n",
				"reliability:\n"
				"  gpu: {per: gpu, rate: 2e-4/d, takes_down: node, detection: 5min, technician: true, part: gpu, repair: 3h}\n"
				"  host: {per: node, mtbf: 2000d, distribution: weibull, shape: 0.7, takes_down: node, technician: true, repair: 2h}\n"
				"  software: {per: job, rate: 0.5/d, detection: 5min}\n"
				"  cooling: {per: rack, rate: 5e-4/d, detection: 5min, technician: true, repair: 4h}\n"
				"  fiber: {per: link, rate: 1e-4/d, effect: degrade, technician: true, repair: 1h}\n");
	char *longer = with(kilo_workload, "tokens: 200B", "tokens: 2T");
	char *w = with(longer, "JOBKEYS", ", hot_spare_nodes: 0");
	const int n = 24;
	struct probe full = run_probe(p, w, NULL, NULL, n, NULL, INFINITY);
	struct counterfactual cfs[] = {{.unlimited_technicians = true}, {.parts_in_stock = true}, {.free_checkpoints = true}};
	for (size_t i = 0; i < sizeof cfs / sizeof cfs[0]; i++) {
		struct probe o = run_probe(p, w, NULL, NULL, n, &cfs[i], INFINITY);
		cr_assert_leq(o.wallclock_s, full.wallclock_s * 1.002, "resource %zu: %.0f s vs %.0f s", i, o.wallclock_s,
			      full.wallclock_s);
	}
	bool off[16];
	for (int k = 0; k < 8; k++) { /* the five classes and the power system's three */
		memset(off, 0, sizeof off);
		off[k] = true;
		struct counterfactual cf = {.class_off = off};
		struct probe o = run_probe(p, w, NULL, NULL, n, &cf, INFINITY);
		cr_assert_leq(o.wallclock_s, full.wallclock_s * 1.002, "class %d off: %.0f s vs %.0f s", k, o.wallclock_s,
			      full.wallclock_s);
	}
	free(p);
	free(longer);
	free(w);
}
