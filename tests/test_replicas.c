/* Tests of Monte Carlo runs and sweeps through the built binary (TRAINSIM_BIN): results do
 * not depend on the number of worker processes, files are complete and versioned, an
 * interrupt keeps what was done, bad input exits 2 and writes nothing. */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static const char *const scenario = "tests/fixtures/mc-node.yaml tests/fixtures/mc-job.yaml";

struct result {
	int status;
	char *out, *err;
};

/* Runs a shell script from the source directory with $T set to the binary; captures both
 * streams and the script's exit status. */
static struct result sh(const char *script)
{
	const char *bin = getenv("TRAINSIM_BIN");
	cr_assert_not_null(bin, "TRAINSIM_BIN is not set; run through meson test");
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "T='%s'; %s", bin, script);
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

static char *file(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return read_text(path);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

Test(replicas, results_do_not_depend_on_the_number_of_workers)
{
	char script[1024];
	snprintf(script, sizeof script, "rm -rf /tmp/ts-j1 /tmp/ts-j3 && $T run %s --replicas 12 --seed 5 --jobs 1 --out /tmp/ts-j1 "
		 "&& $T run %s --replicas 12 --seed 5 --jobs 3 --out /tmp/ts-j3", scenario, scenario);
	struct result r = sh(script);
	cr_assert_eq(r.status, 0, "%s", r.err);
	const char *names[] = {"summary.json", "replicas.csv", "events.csv", "timeline.json"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *a = file("/tmp/ts-j1", names[i]), *b = file("/tmp/ts-j3", names[i]);
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
	snprintf(script, sizeof script, "rm -rf /tmp/ts-sum && $T run %s --replicas 6 --jobs 2 --set operations.technicians.per_site=1 "
		 "--out /tmp/ts-sum --quiet", scenario);
	struct result r = sh(script);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "6 replicas"), "%s", r.out);
	cr_assert(strstr(r.out, "P50"), "%s", r.out);
	char *s = file("/tmp/ts-sum", "summary.json");
	cr_assert_not_null(s);
	const char *keys[] = {"\"schema\": \"trainsim-summary\"", "\"schema_version\": 1", "\"trainsim_version\":",
			      "\"platform_sha256\": \"", "\"workload_sha256\": \"",
			      "\"overrides\": [\n      \"operations.technicians.per_site=1\"", "\"replicas\": 6",
			      "\"p90\":", "\"ci95_low\":", "\"by_cause\":", "\"finish\":"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		cr_assert(strstr(s, keys[i]), "missing %s in %s", keys[i], s);
	char *rows = file("/tmp/ts-sum", "replicas.csv");
	cr_assert(rows && !strncmp(rows, "replica,seed,finished,wallclock_s,finish,ettr", 45));
	long lines = 0;
	for (const char *c = rows; *c; c++)
		lines += *c == '\n';
	cr_assert_eq(lines, 7, "a header and one row per replica");
	cr_assert_not(exists("/tmp/ts-sum/.summary.json.tmp"));
	free(s);
	free(rows);
	done(&r);
}

Test(replicas, an_interrupt_keeps_the_finished_replicas_and_says_so)
{
	struct result r = sh("rm -rf /tmp/ts-int && ($T run --replicas 100000 --jobs 1 --horizon 20d --out /tmp/ts-int & "
			     "pid=$!; sleep 4; kill -INT $pid; wait $pid)");
	cr_assert_eq(r.status, 130, "status %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "interrupted:"), "%s", r.err);
	cr_assert(strstr(r.err, "of 100000 replicas done"), "%s", r.err);
	char *s = file("/tmp/ts-int", "summary.json");
	cr_assert_not_null(s, "no summary after the interrupt");
	cr_assert(strstr(s, "\"interrupted\": true"));
	free(s);
	done(&r);
}

Test(replicas, a_sweep_reports_each_point_against_the_first)
{
	char script[1024];
	snprintf(script, sizeof script, "rm -rf /tmp/ts-sweep && $T sweep %s --vary operations.technicians.per_site=1,4 "
		 "--vary operations.spares.parts.gpu.stock=0,8 --replicas 4 --out /tmp/ts-sweep", scenario);
	struct result r = sh(script);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "operations.technicians.per_site=4;operations.spares.parts.gpu.stock=8"), "%s", r.out);
	cr_assert(strstr(r.out, "base"), "%s", r.out);
	char *csv = file("/tmp/ts-sweep", "sweep.csv");
	cr_assert(csv && !strncmp(csv, "point,label,replicas,mean_s", 27));
	cr_assert(strstr(csv, "\n4,operations.technicians.per_site=4;operations.spares.parts.gpu.stock=8,4,"), "%s", csv);
	cr_assert(exists("/tmp/ts-sweep/point-004/summary.json"));
	free(csv);
	done(&r);
}

Test(replicas, bad_sweep_values_exit_2_before_anything_runs)
{
	char script[1024];
	snprintf(script, sizeof script, "rm -rf /tmp/ts-bad && $T sweep %s --vary operations.technicians.per_site=2,-1 "
		 "--replicas 2 --out /tmp/ts-bad", scenario);
	struct result a = sh(script);
	cr_assert_eq(a.status, 2);
	cr_assert(strstr(a.err, "sweep point 2 (operations.technicians.per_site=-1): --set "
				"operations.technicians.per_site=-1: operations.technicians.per_site is -1"), "%s", a.err);
	cr_assert_not(exists("/tmp/ts-bad"), "nothing is written for bad input");
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

Test(replicas, an_interrupt_stops_a_sweep_and_keeps_the_point_under_way)
{
	struct result r = sh("rm -rf /tmp/ts-swint && ($T sweep --vary operations.technicians.per_site=4,8 --replicas 100000 "
			     "--jobs 1 --horizon 20d --out /tmp/ts-swint & pid=$!; sleep 4; kill -INT $pid; wait $pid)");
	cr_assert_eq(r.status, 130, "status %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "interrupted: 0 of 2 sweep points done"), "%s", r.err);
	char *s = file("/tmp/ts-swint/point-001", "summary.json");
	cr_assert_not_null(s, "the point under way keeps its replicas");
	cr_assert(strstr(s, "\"interrupted\": true"));
	free(s);
	done(&r);
}
