/* Tests of the operations policies of the closest peer, AIReSim (issue 14): retiring nodes
 * that fail too often, a borrowed spare pool with a preemption delay, repair escalation from
 * automated to manual, and nodes that fail less often while they do not run the job. Each
 * scenario runs in a child process (SimGrid loads one platform per process) and sends back
 * what the test asks of its events. Failures are replayed from a log where that makes the
 * expected figures exact; the comments work them out. */
#include <criterion/criterion.h>
#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine.h"
#include "helpers.h"
#include "texts.h"
#include "runsim.h"

#define MAX_FAILURES 2048

/* What a test asks of a replica's events. */
struct probe {
	double wallclock_s, wait_tech_s;
	double time_s[TIME_CATEGORY_COUNT];
	bool finished;
	long count[EVENT_KIND_COUNT];     /* events of each kind */
	double first_s[EVENT_KIND_COUNT]; /* the first of each kind (-1: none) */
	double last_s[EVENT_KIND_COUNT];
	long last_index[EVENT_KIND_COUNT];/* the index (node) of the last of each kind */
	long escalated;                   /* auto-repair-end events that escalated */
	long idle_node_failures;          /* failures of nodes from `idle_from` on (never in the job) */
	long stopped_failures;            /* failures while the job did not train or save */
	long failure_count;               /* the failures listed below (up to MAX_FAILURES) */
	double failure_s[MAX_FAILURES];
	long failure_node[MAX_FAILURES];
};

struct probe_ctx {
	struct probe *p;
	long idle_from;
	bool running;
};

static void on_failure(struct probe_ctx *c, const struct event *e)
{
	struct probe *p = c->p;
	p->idle_node_failures += e->index >= c->idle_from;
	p->stopped_failures += !c->running;
	if (p->failure_count < MAX_FAILURES) {
		p->failure_s[p->failure_count] = e->time_s;
		p->failure_node[p->failure_count++] = e->index;
	}
}

static void on_event(void *data, const struct event *e)
{
	struct probe_ctx *c = data;
	struct probe *p = c->p;
	if (p->count[e->kind]++ == 0)
		p->first_s[e->kind] = e->time_s;
	p->last_s[e->kind] = e->time_s;
	p->last_index[e->kind] = e->index;
	if (e->kind == EVENT_AUTO_REPAIR_END)
		p->escalated += e->flag;
	if (e->kind == EVENT_FAILURE)
		on_failure(c, e);
	if (e->kind == EVENT_STATE) /* the job's nodes run while it trains or saves */
		c->running = e->state == TIME_PRODUCTIVE || e->state == TIME_CHECKPOINT;
}

static void child(const char *platform, const char *workload, const char *log, uint64_t seed, double horizon_s,
		  long idle_from, int fd)
{
	struct scenario *s;
	struct engine *e;
	struct ts_error err = {0};
	char message[2048];
	struct scenario_spec spec = {.platform = {.name = "p.yaml", .text = platform},
				     .workload = {.name = "w.yaml", .text = workload}, .failure_log = log, .for_run = true};
	if (!scenario_load(&spec, &s, &err) || !engine_load(s, NULL, &e, &err)) {
		fprintf(stderr, "%s\n", error_format(&err, message, sizeof message));
		_exit(2);
	}
	static struct probe p;
	for (int k = 0; k < EVENT_KIND_COUNT; k++)
		p.first_s[k] = p.last_s[k] = -1;
	struct probe_ctx c = {&p, idle_from, false};
	struct event_sink sink = {on_event, &c};
	struct run_options o = {.seed = seed, .horizon_s = horizon_s, .failure_scale = 1, .events = &sink};
	struct run_result res;
	if (!runsim_run(s, e, &o, &res, &err))
		_exit(3);
	p.wallclock_s = res.wallclock_s;
	p.wait_tech_s = res.time_s[TIME_WAIT_TECH];
	memcpy(p.time_s, res.time_s, sizeof p.time_s);
	p.finished = res.finished;
	runsim_result_finish(&res);
	engine_destroy(e);
	scenario_destroy(s);
	const char *bytes = (const char *)&p;
	for (size_t done = 0; done < sizeof p;) {
		ssize_t n = write(fd, bytes + done, sizeof p - done);
		if (n <= 0)
			_exit(1);
		done += (size_t)n;
	}
	_exit(0);
}

/* One replica (seed `seed`) of platform/workload text, failures replayed from `log` if not
 * NULL, in a child; nodes from `idle_from` on counted as never in the job. */
static struct probe *run_probe(const char *platform, const char *workload, const char *log, uint64_t seed,
			       double horizon_s, long idle_from)
{
	int fds[2];
	cr_assert_eq(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child(platform, workload, log, seed, horizon_s, idle_from, fds[1]);
	}
	close(fds[1]);
	struct probe *p = calloc(1, sizeof *p);
	size_t got = 0;
	for (ssize_t n; got < sizeof *p && (n = read(fds[0], (char *)p + got, sizeof *p - got)) > 0;)
		got += (size_t)n;
	close(fds[0]);
	int status;
	waitpid(pid, &status, 0);
	cr_assert_eq(got, sizeof *p, "the child failed (status %d)", WEXITSTATUS(status));
	return p;
}

/* h100-1k (128 DGX H100 nodes in 32 racks) without its power and operations sections (no
 * power events, which would move the figures), then `sections`. */
static char *kilo(const char *sections)
{
	char path[512];
	char *text = read_text(source_path("platforms/h100-1k.yaml", path, sizeof path));
	cr_assert_not_null(text);
	char *cut = strstr(text, "\npower:\n");
	cr_assert_not_null(cut);
	*cut = '\0';
	size_t n = strlen(text) + strlen(sections) + 3;
	char *out = malloc(n);
	snprintf(out, n, "%s\n\n%s", text, sections);
	free(text);
	return out;
}

/* Llama 3 8B data-parallel over DP nodes of 8 GPUs (TP 8), long enough to outlast the
 * horizons below; `keys` go into its job mapping. */
static char *workload(int dp, const char *keys)
{
	char *text = malloc(2048);
	snprintf(text, 2048,
		 "name: policies\n"
		 "model: {parameters: 8B, layers: 32, hidden: 4096, ffn: 14336, heads: 32, kv_heads: 8, vocab: 128256,"
		 " sequence: 8192}\n"
		 "training: {tokens: 20T, global_batch: 4194304}\n"
		 "parallelism: {tp: 8, pp: 1, dp: %d, recompute: full}\n"
		 "efficiency: {matmul: 68%%, dp_overlap: 90%%}\n"
		 "checkpoint: {interval: 1h, write_bandwidth: 1TBps, read_bandwidth: 1TBps}\n"
		 "restart: {relaunch: 10min}\n"
		 "job: {gpus: %d%s}\n"
		 "schedule: {start: 2024-01-01}\n",
		 dp, 8 * dp, keys);
	return text;
}

/* A node failure noticed in 5 minutes and repaired by a technician in exactly 1 h (sigma 0). */
static const char *const host_class =
	"reliability:\n  host: {per: node, rate: 1e-9/d, takes_down: node, detection: 5min, technician: true, "
	"repair: 1hEXTRA}\n";
/* Five technicians around the clock, no travel, diagnosis or burn-in: a ticket is worked at once. */
static const char *const crews = "operations:\n  technicians: {per_site: 5, shift: 24x7}\n";

static char *platform_with(const char *class_extra, const char *operations_extra)
{
	char *cls = with(host_class, "EXTRA", class_extra);
	size_t n = strlen(crews) + strlen(operations_extra) + strlen(cls) + 2;
	char *sections = malloc(n);
	snprintf(sections, n, "%s%s%s", crews, operations_extra, cls);
	char *p = kilo(sections);
	free(cls);
	free(sections);
	return p;
}

#define MIN 60.0
#define HOUR 3600.0

/* ---- retiring nodes ---- */

/* Retire at 2 failures within a day; node 5 of a job on all 128 nodes fails at 2 h and 6 h,
 * no spare anywhere. The first failure waits for its repair (2h05 -> 3h: 55 min); the second
 * retires node 5 at 6 h, never repaired, and the job waits from 6h05 to the 48 h horizon:
 * 55 min + 41 h 55 min of waiting_technician. */
Test(retire, a_retired_node_is_never_repaired_and_the_job_waits_for_good)
{
	char *p = platform_with("", "  retire: {failures: 2, within: 1d}\n");
	char *w = workload(128, "");
	char *log = replayed_log("time,component,cause\n2h,node:5,host\n6h,node:5,host\n");
	struct probe *o = run_probe(p, w, log, 1, 48 * HOUR, 128);
	forget_log(log);
	cr_assert_eq(o->count[EVENT_RETIRED], 1);
	cr_assert_float_eq(o->first_s[EVENT_RETIRED], 6 * HOUR, 1e-6);
	cr_assert_eq(o->last_index[EVENT_RETIRED], 5);
	cr_assert_eq(o->count[EVENT_TICKET], 1, "no ticket for the failure that retires the node");
	cr_assert_eq(o->count[EVENT_REPAIRED], 1);
	cr_assert_float_eq(o->last_s[EVENT_REPAIRED], 3 * HOUR, 1e-3);
	double expected = 55 * MIN + (48 * HOUR - (6 * HOUR + 5 * MIN));
	cr_assert_float_eq(o->wait_tech_s, expected, 1e-3, "waited %.3f s; expected %.3f s", o->wait_tech_s, expected);
	cr_assert_not(o->finished);
	free(o);
	free(p);
	free(w);
}

/* Failures further apart than the window never retire: node 5 fails at 2 h, 28 h and 54 h
 * (26 h apart, window 1 d): three tickets, three repairs, no retirement. */
Test(retire, failures_further_apart_than_the_window_do_not_retire)
{
	char *p = platform_with("", "  retire: {failures: 2, within: 1d}\n");
	char *w = workload(128, "");
	char *log = replayed_log("time,component,cause\n2h,node:5,host\n28h,node:5,host\n54h,node:5,host\n");
	struct probe *o = run_probe(p, w, log, 1, 72 * HOUR, 128);
	forget_log(log);
	cr_assert_eq(o->count[EVENT_RETIRED], 0);
	cr_assert_eq(o->count[EVENT_REPAIRED], 3);
	cr_assert_float_eq(o->wait_tech_s, 3 * 55 * MIN, 1e-3);
	free(o);
	free(p);
	free(w);
}

/* A job on 64 nodes with one hot spare (node 64). Node 5 fails at 2 h: the spare takes its
 * slot at once; node 5, repaired at 3 h, becomes the free spare. It fails again at 6 h while
 * idle: retired (2 within a day), so when node 7 fails at 12 h no spare is left and the job
 * waits 55 min for its repair. Without retirement node 5 is repaired at 7 h and takes node 7's
 * slot at once: no wait at all. */
Test(retire, a_retired_spare_is_not_swapped_in)
{
	char *retiring = platform_with("", "  retire: {failures: 2, within: 1d}\n");
	char *plain = platform_with("", "");
	char *w = workload(64, ", hot_spare_nodes: 1");
	char *log = replayed_log("time,component,cause\n2h,node:5,host\n6h,node:5,host\n12h,node:7,host\n");
	struct probe *r = run_probe(retiring, w, log, 1, 24 * HOUR, 128);
	struct probe *n = run_probe(plain, w, log, 1, 24 * HOUR, 128);
	forget_log(log);
	cr_assert_eq(r->count[EVENT_RETIRED], 1);
	cr_assert_eq(r->count[EVENT_INTERRUPTION], 2, "the idle spare's failure stops nothing");
	cr_assert_float_eq(r->wait_tech_s, 55 * MIN, 1e-3, "waited %.3f s", r->wait_tech_s);
	cr_assert_eq(r->count[EVENT_SPARE_SWAP], 1);
	cr_assert_float_eq(n->wait_tech_s, 0, 1e-6, "waited %.3f s", n->wait_tech_s);
	cr_assert_eq(n->count[EVENT_SPARE_SWAP], 2);
	free(r);
	free(n);
	free(retiring);
	free(plain);
	free(w);
}

/* ---- borrowed spares ---- */

/* One node to borrow, 20 min preemption, a job on all 128 nodes. Node 5 fails at 2 h: after
 * detection (2h05) the job borrows the node and waits 20 min; node 5's repair at 3 h pays the
 * lender back. Node 7 at 4 h: borrowed again, 20 min. Node 9 at 4h50: the pool is empty until
 * node 7's repair at 5 h returns a node (4h55 -> 5h: 5 min), then 20 min more. In all
 * 20 + 20 + 5 + 20 = 65 min of waiting. Without the pool the job waits for node 5's repair
 * (2h05 -> 3h) and for node 7's and then node 9's, which fails meanwhile (4h05 -> 5h50):
 * 55 + 105 = 160 min. */
Test(borrowed, the_job_borrows_a_node_and_waits_only_its_preemption)
{
	char *pool = platform_with("", "  spares: {borrowed: {nodes: 1, preemption: 20min}}\n");
	char *plain = platform_with("", "");
	char *w = workload(128, "");
	char *log = replayed_log("time,component,cause\n2h,node:5,host\n4h,node:7,host\n290min,node:9,host\n");
	struct probe *b = run_probe(pool, w, log, 1, 24 * HOUR, 128);
	struct probe *n = run_probe(plain, w, log, 1, 24 * HOUR, 128);
	forget_log(log);
	cr_assert_float_eq(b->wait_tech_s, 65 * MIN, 1e-3, "waited %.3f s", b->wait_tech_s);
	cr_assert_float_eq(n->wait_tech_s, 160 * MIN, 1e-3, "waited %.3f s", n->wait_tech_s);
	cr_assert_eq(b->count[EVENT_BORROWED], 3);
	cr_assert_float_eq(b->first_s[EVENT_BORROWED], 2 * HOUR + 5 * MIN, 1e-3);
	cr_assert_float_eq(b->last_s[EVENT_BORROWED], 5 * HOUR, 1e-3);
	cr_assert_eq(b->count[EVENT_BORROW_RETURN], 3, "each repair pays the lender back");
	cr_assert_float_eq(b->first_s[EVENT_BORROW_RETURN], 3 * HOUR, 1e-3);
	cr_assert_float_eq(b->last_s[EVENT_BORROW_RETURN], 5 * HOUR + 50 * MIN, 1e-3);
	cr_assert_eq(n->count[EVENT_BORROWED], 0);
	free(b);
	free(n);
	free(pool);
	free(plain);
	free(w);
}

/* A borrowed node that stands in for a retired one is kept. Every failure retires its node
 * (failures: 1): node 5 at 2 h is retired and a borrowed node takes its slot after 20 min;
 * node 7 at 12 h is retired too, the pool is empty for good, and the job waits from 12h05 to
 * the 24 h horizon: 20 min + 11 h 55 min. */
Test(borrowed, a_node_borrowed_for_a_retired_one_is_kept)
{
	char *p = platform_with("", "  retire: {failures: 1}\n  spares: {borrowed: {nodes: 1, preemption: 20min}}\n");
	char *w = workload(128, "");
	char *log = replayed_log("time,component,cause\n2h,node:5,host\n12h,node:7,host\n");
	struct probe *o = run_probe(p, w, log, 1, 24 * HOUR, 128);
	forget_log(log);
	cr_assert_eq(o->count[EVENT_RETIRED], 2);
	cr_assert_eq(o->count[EVENT_BORROWED], 1);
	cr_assert_eq(o->count[EVENT_BORROW_RETURN], 0, "nothing goes back to the lender");
	cr_assert_float_eq(o->wait_tech_s, 20 * MIN + 11 * HOUR + 55 * MIN, 1e-3, "waited %.3f s", o->wait_tech_s);
	free(o);
	free(p);
	free(w);
}

/* ---- repair escalation ---- */

/* Technicians on business hours; the run starts on Monday 2024-01-01 at 00:00, and node 5
 * fails at 02:00. An automated repair of 10 min that always works has it back at 02:10: the
 * job waits 5 min after detection, with no technician. Without escalation the technician comes
 * at 08:00 and repairs until 09:00: the job waits 6 h 55 min. */
Test(escalation, an_automated_repair_needs_no_technician_on_shift)
{
	const char *night = "operations:\n  technicians: {per_site: 5, shift: business-hours}\n";
	char *cls_auto = with(host_class, "EXTRA", ", escalation: {automated: 10min, fixes: 100%}");
	char *cls_plain = with(host_class, "EXTRA", "");
	char both[1024];
	snprintf(both, sizeof both, "%s%s", night, cls_auto);
	char *automated = kilo(both);
	snprintf(both, sizeof both, "%s%s", night, cls_plain);
	char *manual = kilo(both);
	char *w = workload(128, "");
	char *log = replayed_log("time,component,cause\n2h,node:5,host\n");
	struct probe *a = run_probe(automated, w, log, 1, 24 * HOUR, 128);
	struct probe *m = run_probe(manual, w, log, 1, 24 * HOUR, 128);
	forget_log(log);
	cr_assert_float_eq(a->wait_tech_s, 5 * MIN, 1e-3, "waited %.3f s", a->wait_tech_s);
	cr_assert_eq(a->count[EVENT_AUTO_REPAIR], 1);
	cr_assert_eq(a->escalated, 0);
	cr_assert_eq(a->count[EVENT_REPAIR_START], 0, "no technician's repair");
	cr_assert_float_eq(a->last_s[EVENT_REPAIRED], 2 * HOUR + 10 * MIN, 1e-3);
	cr_assert_float_eq(m->wait_tech_s, 6 * HOUR + 55 * MIN, 0.01, "waited %.3f s", m->wait_tech_s);
	free(a);
	free(m);
	free(cls_auto);
	free(cls_plain);
	free(automated);
	free(manual);
	free(w);
}

/* An automated repair that never works (fixes: 0%): 10 min of it, then the technician's
 * hour: node 5, failed at 2 h, is back at 3h10; the job waits 65 min. The ticket shows both
 * phases: auto-repair at 2 h, auto-repair-end (escalated) and repair-start at 2h10. */
Test(escalation, a_failed_automated_repair_escalates_to_a_technician)
{
	char *p = platform_with(", escalation: {automated: 10min, fixes: 0%}", "");
	char *w = workload(128, "");
	char *log = replayed_log("time,component,cause\n2h,node:5,host\n");
	struct probe *o = run_probe(p, w, log, 1, 24 * HOUR, 128);
	forget_log(log);
	cr_assert_float_eq(o->wait_tech_s, 65 * MIN, 1e-3, "waited %.3f s", o->wait_tech_s);
	cr_assert_float_eq(o->first_s[EVENT_AUTO_REPAIR], 2 * HOUR, 1e-3);
	cr_assert_eq(o->escalated, 1);
	cr_assert_float_eq(o->first_s[EVENT_AUTO_REPAIR_END], 2 * HOUR + 10 * MIN, 1e-3);
	cr_assert_float_eq(o->first_s[EVENT_REPAIR_START], 2 * HOUR + 10 * MIN, 1e-3);
	cr_assert_float_eq(o->last_s[EVENT_REPAIRED], 3 * HOUR + 10 * MIN, 1e-3);
	free(o);
	free(p);
	free(w);
}

/* fixes: 60% over 400 automated repairs of idle nodes (64 to 127, outside a 64-node job):
 * about 160 escalate (binomial, sd 9.8; the test allows 4 sd). */
Test(escalation, the_share_escalated_is_one_minus_fixes)
{
	char *p = platform_with(", escalation: {automated: 10min, fixes: 60%}", "");
	char *w = workload(64, "");
	char *text = malloc(400 * 40 + 64), *at = text;
	at += sprintf(at, "time,component,cause\n");
	for (int k = 0; k < 400; k++)
		at += sprintf(at, "%dmin,node:%d,host\n", 30 * (k + 1), 64 + k % 64);
	char *log = replayed_log(text);
	struct probe *o = run_probe(p, w, log, 1, 210 * HOUR, 128);
	forget_log(log);
	cr_assert_eq(o->count[EVENT_AUTO_REPAIR_END], 400);
	cr_assert(labs(o->escalated - 160) <= 40, "%ld of 400 escalated; expected about 160", o->escalated);
	cr_assert_eq(o->count[EVENT_REPAIR_START], o->escalated, "each escalation a technician's repair");
	free(o);
	free(text);
	free(p);
	free(w);
}

/* ---- nodes that fail less while idle ---- */

/* Drawn (not replayed) failures at a high rate on a job of 64 of the 128 nodes. */
static char *idle_platform(const char *factor)
{
	char sections[512];
	snprintf(sections, sizeof sections,
		 "operations:\n  technicians: {per_site: 5, shift: 24x7}\n%s"
		 "reliability:\n  host: {per: node, rate: 0.5/d, takes_down: node, detection: 5min, technician: true, "
		 "repair: 1h}\n",
		 factor);
	return kilo(sections);
}

/* The default is a factor of 1, and a factor of 1 draws nothing: the same run, event for event. */
Test(idle, a_factor_of_one_changes_nothing)
{
	char *absent = idle_platform(""), *one = idle_platform("  idle_failure_factor: 100%\n");
	char *w = workload(64, "");
	struct probe *a = run_probe(absent, w, NULL, 7, 4 * 86400.0, 64);
	struct probe *b = run_probe(one, w, NULL, 7, 4 * 86400.0, 64);
	cr_assert_gt(a->idle_node_failures, 0);
	cr_assert_eq(a->failure_count, b->failure_count);
	cr_assert_eq(memcmp(a->failure_s, b->failure_s, sizeof a->failure_s), 0);
	cr_assert_eq(memcmp(a->time_s, b->time_s, sizeof a->time_s), 0);
	free(a);
	free(b);
	free(absent);
	free(one);
	free(w);
}

/* A factor of 0: a node that does not run the job never fails. Nodes 64 to 127 never run
 * it (no spares), and no failure strikes while the job is stopped. */
Test(idle, with_a_factor_of_zero_only_nodes_running_the_job_fail)
{
	char *zero = idle_platform("  idle_failure_factor: 0%\n"), *one = idle_platform("");
	char *w = workload(64, "");
	struct probe *z = run_probe(zero, w, NULL, 3, 4 * 86400.0, 64);
	struct probe *o = run_probe(one, w, NULL, 3, 4 * 86400.0, 64);
	cr_assert_gt(z->failure_count, 20);
	cr_assert_eq(z->idle_node_failures, 0);
	cr_assert_eq(z->stopped_failures, 0);
	cr_assert_gt(o->idle_node_failures, 20, "%ld", o->idle_node_failures);
	cr_assert_gt(o->stopped_failures, 0);
	free(z);
	free(o);
	free(zero);
	free(one);
	free(w);
}

/* Every failure of `part` is one of `full`'s (same time, same node). */
static void assert_subset(const struct probe *part, const struct probe *full)
{
	cr_assert_lt(full->failure_count, MAX_FAILURES);
	long matched = 0;
	for (long i = 0, j = 0; i < part->failure_count; i++) {
		while (j < full->failure_count && full->failure_s[j] < part->failure_s[i])
			j++;
		matched += j < full->failure_count && full->failure_s[j] == part->failure_s[i] &&
			   full->failure_node[j] == part->failure_node[i];
	}
	cr_assert_eq(matched, part->failure_count, "%ld of %ld thinned failures are full ones", matched,
		     part->failure_count);
}

/* Common random numbers: thinning draws nothing from the class's own stream, so every failure
 * at 30% is one of the failures at 100% (same time, same node). On the nodes that never run
 * the job 30% of those strike: over 4 seeds about 500 at 100% (128 expected per seed), so the
 * share is 0.3 with a standard deviation of 0.02 (the test allows 4). */
Test(idle, thinned_failures_are_a_subset_of_the_full_ones)
{
	char *part = idle_platform("  idle_failure_factor: 30%\n"), *full = idle_platform("");
	char *w = workload(64, "");
	long struck = 0, drawn = 0;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct probe *p = run_probe(part, w, NULL, seed, 4 * 86400.0, 64);
		struct probe *f = run_probe(full, w, NULL, seed, 4 * 86400.0, 64);
		assert_subset(p, f);
		struck += p->idle_node_failures;
		drawn += f->idle_node_failures;
		free(p);
		free(f);
	}
	double share = (double)struck / (double)drawn;
	cr_assert(fabs(share - 0.3) < 0.08, "%ld of %ld idle failures struck", struck, drawn);
	free(part);
	free(full);
	free(w);
}

/* A Weibull class thinned at 0 keeps striking busy nodes (a thinned clock runs on from its
 * age rather than stopping) and never idle ones. */
Test(idle, a_thinned_weibull_clock_runs_on)
{
	char *p = kilo("operations:\n  technicians: {per_site: 5, shift: 24x7}\n  idle_failure_factor: 0%\n"
		       "reliability:\n  host: {per: node, mtbf: 2d, distribution: weibull, shape: 0.7, takes_down: node, "
		       "detection: 5min, technician: true, repair: 1h}\n");
	char *w = workload(64, "");
	struct probe *o = run_probe(p, w, NULL, 11, 6 * 86400.0, 64);
	cr_assert_eq(o->idle_node_failures, 0);
	cr_assert_gt(o->failure_count, 40, "%ld failures", o->failure_count);
	double late = 0;
	for (long i = 0; i < o->failure_count; i++)
		late += o->failure_s[i] > 4 * 86400.0;
	cr_assert_gt(late, 5, "busy nodes still fail in the last two days");
	free(o);
	free(p);
	free(w);
}
