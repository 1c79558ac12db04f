/* Tests of Monte Carlo runs and sweeps through the built binary (TRAINSIM_BIN): results do
 * not depend on the number of worker processes, files are complete and versioned, an
 * interrupt keeps what was done, bad input exits 2 and writes nothing. */
#include <criterion/criterion.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static const char *const scenario = "tests/fixtures/mc-node.yaml tests/fixtures/mc-job.yaml";

struct result {
	int status;
	char *out, *err;
};

/* Each test's own temporary directory ($D in scripts), removed when it ends. */
static char dir[512];

static void make_dir(void)
{
	cr_assert_not_null(temp_dir(dir, sizeof dir));
}

static void remove_dir(void)
{
	remove_tree(dir);
}

TestSuite(replicas, .init = make_dir, .fini = remove_dir);

/* Runs a shell script from the source directory with $T set to the binary and $D to the
 * test's directory; captures both streams and the script's exit status. */
static struct result sh(const char *script)
{
	const char *bin = getenv("TRAINSIM_BIN");
	cr_assert_not_null(bin, "TRAINSIM_BIN is not set; run through meson test");
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "T='%s'; D='%s'; %s", bin, dir, script);
	struct result r;
	r.status = capture_shell(cmd, false, &r.out, &r.err);
	cr_assert(r.out && r.err);
	return r;
}

static void done(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* "$D/name" */
static const char *in_dir(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

/* The file $D/sub/name, or NULL. */
static char *file(const char *sub, const char *name)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
	return read_text(path);
}

/* Does $D/relative exist? */
static bool exists(const char *relative)
{
	char path[1024];
	struct stat st;
	return stat(in_dir(relative, path, sizeof path), &st) == 0;
}

Test(replicas, results_do_not_depend_on_the_number_of_workers)
{
	char script[1024];
	snprintf(script, sizeof script, "$T run %s --replicas 12 --seed 5 --jobs 1 --out $D/j1 "
		 "&& $T run %s --replicas 12 --seed 5 --jobs 3 --out $D/j3", scenario, scenario);
	struct result r = sh(script);
	cr_assert_eq(r.status, 0, "%s", r.err);
	const char *names[] = {"summary.json", "replicas.csv", "events.csv", "timeline.json"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *a = file("j1", names[i]), *b = file("j3", names[i]);
		cr_assert(a && b, "%s missing", names[i]);
		cr_assert_str_eq(a, b, "%s differs between --jobs 1 and --jobs 3", names[i]);
		free(a);
		free(b);
	}
	done(&r);
}

Test(replicas, the_summary_is_versioned_and_records_its_inputs)
{
	char script[1024];
	snprintf(script, sizeof script, "$T run %s --replicas 6 --jobs 2 --set operations.technicians.per_site=1 "
		 "--out $D/sum --quiet", scenario);
	struct result r = sh(script);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "6 replicas"), "%s", r.out);
	cr_assert(strstr(r.out, "P50"), "%s", r.out);
	char *s = file("sum", "summary.json");
	cr_assert_not_null(s);
	const char *keys[] = {"\"schema\": \"trainsim-summary\"", "\"schema_version\": 1", "\"trainsim_version\":",
			      "\"platform_sha256\": \"", "\"workload_sha256\": \"",
			      "\"overrides\": [\n      \"operations.technicians.per_site=1\"", "\"replicas\": 6",
			      "\"p90\":", "\"ci95_low\":", "\"by_cause\":", "\"finish\":"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		cr_assert(strstr(s, keys[i]), "missing %s in %s", keys[i], s);
	char *rows = file("sum", "replicas.csv");
	cr_assert(rows && !strncmp(rows, "replica,seed,finished,wallclock_s,finish,ettr", 45));
	long lines = 0;
	for (const char *c = rows; *c; c++)
		lines += *c == '\n';
	cr_assert_eq(lines, 7, "a header and one row per replica");
	cr_assert_not(exists("sum/.summary.json.tmp"));
	free(s);
	free(rows);
	done(&r);
}

/* Interrupted once its first replica is done (its progress line says so): exit 130, the
 * replicas done kept and the files say the run was interrupted. */
Test(replicas, an_interrupt_keeps_the_finished_replicas_and_says_so)
{
	char command[1024], *err;
	snprintf(command, sizeof command, "'%s' run --replicas 100000 --jobs 2 --horizon 20d --progress --out '%s/int'",
		 getenv("TRAINSIM_BIN"), dir);
	int status = run_until(command, "progress: 1/100000 replicas", SIGINT, &err);
	cr_assert_eq(status, 130, "status %d: %s", status, err);
	cr_assert(strstr(err, "interrupted:"), "%s", err);
	cr_assert(strstr(err, "of 100000 replicas done"), "%s", err);
	char *s = file("int", "summary.json");
	cr_assert_not_null(s, "no summary after the interrupt");
	cr_assert(strstr(s, "\"interrupted\": true"));
	free(s);
	free(err);
}

/* Interrupted before any replica is done, while the engine loads: exit 130, no files. */
Test(replicas, an_interrupt_while_loading_exits_130)
{
	char command[1024], *err;
	snprintf(command, sizeof command, "'%s' run platforms/h100-100k.yaml workloads/frontier-100k.yaml "
		 "--log=root.thres:info --out '%s/early'", getenv("TRAINSIM_BIN"), dir);
	/* SimGrid says what it is configured with as its engine starts: interrupt then */
	int status = run_until(command, "", SIGINT, &err);
	cr_assert_eq(status, 130, "status %d: %s", status, err);
	cr_assert_not(exists("early/summary.json"));
	free(err);
}

Test(replicas, a_sweep_reports_each_point_against_the_first)
{
	char script[1024];
	snprintf(script, sizeof script, "$T sweep %s --vary operations.technicians.per_site=1,4 "
		 "--vary operations.spares.parts.gpu.stock=0,8 --replicas 4 --out $D/sweep", scenario);
	struct result r = sh(script);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "operations.technicians.per_site=4;operations.spares.parts.gpu.stock=8"), "%s", r.out);
	cr_assert(strstr(r.out, "base"), "%s", r.out);
	char *csv = file("sweep", "sweep.csv");
	cr_assert(csv && !strncmp(csv, "point,label,replicas,mean_s", 27));
	cr_assert(strstr(csv, "\n4,operations.technicians.per_site=4;operations.spares.parts.gpu.stock=8,4,"), "%s", csv);
	cr_assert(exists("sweep/point-004/summary.json"));
	/* where the time went: the categories' means add up to the mean wall-clock */
	cr_assert(strstr(csv, ",change_p50_pct,productive_s,lost_s,"), "%s", csv);
	cr_assert(strstr(r.out, "not productive (mean, top 3)"), "%s", r.out);
	const char *row = strstr(csv, "\n4,");
	double v[32];
	int n = 0;
	for (const char *c = strchr(row + 3, ','); c && n < 32; c = strchr(c + 1, ','))
		v[n++] = strtod(c + 1, NULL);
	/* v[0] is replicas, v[1] mean_s; the categories follow change_p50_pct (v[8]) */
	double sum = 0;
	for (int i = 9; i < n; i++)
		sum += v[i];
	cr_assert(n > 9 && fabs(sum - v[1]) < 1e-6 * v[1] + 0.01, "categories %.3f vs mean %.3f", sum, v[1]);
	free(csv);
	done(&r);
}

Test(replicas, bad_sweep_values_exit_2_before_anything_runs)
{
	char script[1024];
	snprintf(script, sizeof script, "$T sweep %s --vary operations.technicians.per_site=2,-1 "
		 "--replicas 2 --out $D/bad", scenario);
	struct result a = sh(script);
	cr_assert_eq(a.status, 2);
	cr_assert(strstr(a.err, "sweep point 2 (operations.technicians.per_site=-1): --set "
				"operations.technicians.per_site=-1: operations.technicians.per_site is -1"), "%s", a.err);
	cr_assert_not(exists("bad"), "nothing is written for bad input");
	snprintf(script, sizeof script, "$T sweep %s --vary operations.technicians.per_sit=2,3", scenario);
	struct result b = sh(script);
	cr_assert_eq(b.status, 2);
	cr_assert(strstr(b.err, "did you mean 'per_site'?"), "%s", b.err);
	snprintf(script, sizeof script, "$T sweep %s --vary operations.technicians.per_site=", scenario);
	struct result c = sh(script);
	cr_assert_eq(c.status, 2);
	cr_assert(strstr(c.err, "expected KEY=V1,V2,..."), "%s", c.err);
	struct result d = sh("$T run --replicas 0");
	cr_assert_eq(d.status, 2);
	cr_assert(strstr(d.err, "trainsim run: --replicas: '0' is not a whole number from 1"), "%s", d.err);
	done(&a);
	done(&b);
	done(&c);
	done(&d);
}

Test(replicas, an_unwritable_out_directory_exits_2)
{
	char script[1024];
	snprintf(script, sizeof script, "$T run %s --replicas 2 --out /proc/ts-nope", scenario);
	struct result r = sh(script);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "/proc/ts-nope: cannot create the output directory"), "%s", r.err);
	cr_assert_str_eq(r.out, "");
	done(&r);
}

/* A sweep interrupted while its first point runs (once a replica of it is done) passes the
 * interrupt on: the point writes what it has done, and the sweep exits 130. */
Test(replicas, an_interrupt_stops_a_sweep_and_keeps_the_point_under_way)
{
	char command[1024], *err;
	snprintf(command, sizeof command, "'%s' sweep --vary operations.technicians.per_site=4,8 --replicas 100000 --jobs 2 "
		 "--horizon 20d --progress --out '%s/swint'", getenv("TRAINSIM_BIN"), dir);
	int status = run_until(command, "progress: 1/100000 replicas", SIGINT, &err);
	cr_assert_eq(status, 130, "status %d: %s", status, err);
	cr_assert(strstr(err, "interrupted: 0 of 2 sweep points done"), "%s", err);
	char *s = file("swint/point-001", "summary.json");
	cr_assert_not_null(s, "the point under way keeps its replicas");
	cr_assert(strstr(s, "\"interrupted\": true"));
	free(s);
	free(err);
}

/* Killing trainsim (SIGKILL: no handler runs) takes its workers with it. They share its
 * stderr, so run_until sees the end of that stream only once every one of them has exited:
 * a worker left computing its replica (minutes: a year of the 100K-GPU run with a starved
 * crew) would hold it open and the test would time out. Killed as soon as a worker's job
 * logs its first decision. */
Test(replicas, workers_die_with_a_killed_parent, .timeout = 60)
{
	char command[1024], *err;
	/* the default scenario: its workers start within a second, even on a loaded machine */
	snprintf(command, sizeof command, "'%s' run --replicas 4 --jobs 2 --set operations.technicians.per_site=1 "
		 "--log=trainsim_job.thres:debug --out '%s/killed'", getenv("TRAINSIM_BIN"), dir);
	int status = run_until(command, "[trainsim_job/DEBUG]", SIGKILL, &err);
	cr_assert_eq(status, 128 + SIGKILL, "status %d: %s", status, err);
	cr_assert_not(exists("killed/summary.json"), "a killed run writes nothing");
	free(err);
}

/* The run id of the set in $D/sub, as summary.json gives it ("" when none). */
static void run_id_of(const char *sub, char id[17])
{
	char *s = file(sub, "summary.json");
	const char *at = s ? strstr(s, "\"run_id\": \"") : NULL;
	snprintf(id, 17, "%s", at ? at + 11 : "");
	free(s);
}

/* Every file of the set in $D/sub carries the run id `id`. */
static void expect_set(const char *sub, const char *id)
{
	const char *names[] = {"replicas.csv", "events.csv", "timeline.json"};
	for (size_t i = 0; i < 3; i++) {
		char *text = file(sub, names[i]);
		cr_assert_not_null(text, "%s missing", names[i]);
		cr_assert(strstr(text, id), "%s is not of run %s", names[i], id);
		free(text);
	}
}

/* A write error in the middle of a new set (files limited to 64 KB: the trace is larger)
 * leaves the old set whole, every file of it, and nothing staged behind. */
Test(replicas, a_failed_write_keeps_the_whole_old_set)
{
	char script[1024], old_id[17], after[17];
	snprintf(script, sizeof script, "$T run %s --seed 1 --quiet --out $D/set > /dev/null", scenario);
	struct result a = sh(script);
	cr_assert_eq(a.status, 0, "%s", a.err);
	run_id_of("set", old_id);
	cr_assert_eq(strlen(old_id), 16);
	expect_set("set", old_id);
	snprintf(script, sizeof script, "trap '' XFSZ; ulimit -f 64; $T run %s --seed 2 --quiet --out $D/set", scenario);
	struct result b = sh(script);
	cr_assert_eq(b.status, 2, "%s", b.err);
	cr_assert(strstr(b.err, ": File too large"), "%s", b.err);
	run_id_of("set", after);
	cr_assert_str_eq(after, old_id, "the old summary.json is gone");
	expect_set("set", old_id);
	struct result c = sh("ls -A $D/set | tr '\\n' ' '");
	cr_assert_str_eq(c.out, "events.csv replicas.csv summary.json timeline.json ", "left behind: %s", c.out);
	done(&a);
	done(&b);
	done(&c);
}

/* A set replaced by a new one: every file of it new, and the run ids differ. */
Test(replicas, a_new_set_replaces_every_file_of_the_old_one)
{
	char script[1024], first[17], second[17];
	snprintf(script, sizeof script, "$T run %s --seed 1 --quiet --out $D/set && cp $D/set/summary.json $D/first.json "
		 "&& $T run %s --seed 2 --quiet --out $D/set", scenario, scenario);
	struct result r = sh(script);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_id_of("set", second);
	char *s = file(".", "first.json");
	const char *at = s ? strstr(s, "\"run_id\": \"") : NULL;
	snprintf(first, sizeof first, "%s", at ? at + 11 : "");
	free(s);
	cr_assert_str_neq(first, second);
	expect_set("set", second);
	done(&r);
}

Test(replicas, out_creates_missing_parents_and_a_path_too_long_is_an_error)
{
	char script[8192];
	snprintf(script, sizeof script, "$T run %s --quiet --out $D/a/b/c > /dev/null", scenario);
	struct result a = sh(script);
	cr_assert_eq(a.status, 0, "%s", a.err);
	cr_assert(exists("a/b/c/summary.json"));
	char deep[4200];
	memset(deep, 'x', 4100);
	deep[4100] = '\0';
	snprintf(script, sizeof script, "$T run %s --quiet --out $D/%s", scenario, deep);
	struct result b = sh(script);
	cr_assert_eq(b.status, 2, "%s", b.err);
	cr_assert(strstr(b.err, "too long"), "%s", b.err);
	done(&a);
	done(&b);
}

/* A node left out of a shrunk job is still the job's: once repaired it must not become a
 * free spare for another slot (it did: one node then held two slots, swapped out twice at
 * one instant). Seeds 6 to 8 of the golden scenario showed it. */
Test(replicas, a_shrunk_job_never_gives_one_node_two_slots)
{
	struct result r = sh("$T run tests/golden/cluster.yaml tests/golden/job.yaml --seed 6 --replicas 3 --events 3 "
			     "--set job.on_failure=shrink --quiet --out $D/shrink > /dev/null && "
			     "grep ',spare-swap,' $D/shrink/events.csv | cut -d, -f1,2,5 | sort | uniq -d");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "", "swapped out twice at one instant: %s", r.out);
	done(&r);
}
