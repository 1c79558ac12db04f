/* Tests of the command line as a user meets it: exit status, stdout and stderr of the
 * built binary (TRAINSIM_BIN, set by meson test) on good and bad input. */
#include <criterion/criterion.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

struct result {
	int status;
	char *out;
	char *err;
};

/* Runs `trainsim ARGS` from the source directory, capturing both streams (or with
 * stdout closed, when close_stdout is set). */
static struct result run_with(const char *args, bool close_stdout)
{
	const char *bin = getenv("TRAINSIM_BIN");
	cr_assert_not_null(bin, "TRAINSIM_BIN is not set; run through meson test");
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "'%s' %s", bin, args);
	struct result r;
	r.status = capture_shell(cmd, close_stdout, &r.out, &r.err);
	cr_assert(r.out && r.err);
	return r;
}

static struct result run(const char *args)
{
	return run_with(args, false);
}

static void done(struct result *r)
{
	free(r->out);
	free(r->err);
}

Test(cli, describe_json_reports_16384_gpus_for_h100_16k)
{
	struct result r = run("describe platforms/h100-16k.yaml --json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"gpus\": 16384,"), "%s", r.out);
	const char *keys[] = {"\"nodes\": 2048,", "\"racks\": 1024,", "\"pdus\": 2048,", "\"sites\": 1,",
			      "\"peak_flops\":", "\"power_busy_w\":", "\"power_idle_w\":", "\"bisection_bytes_per_s\":",
			      "\"level\": \"across core\""};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		cr_assert(strstr(r.out, keys[i]), "missing %s", keys[i]);
	cr_assert_str_eq(r.err, "");
	done(&r);
}

Test(cli, describe_with_no_argument_uses_the_built_in_default)
{
	struct result r = run("describe");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "h100-16k: "), "%s", r.out);
	cr_assert(strstr(r.out, "source: platforms/h100-16k.yaml (built in)"), "%s", r.out);
	cr_assert(strstr(r.out, "across spines"));
	done(&r);
}

Test(cli, describe_two_site_shows_the_wan_route)
{
	struct result r = run("describe platforms/two-site.yaml");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "across sites"), "%s", r.out);
	cr_assert(strstr(r.out, "> wan[0]^ >"), "%s", r.out);
	done(&r);
}

Test(cli, every_shipped_platform_validates)
{
	struct result r = run("validate platforms/*.yaml");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "platforms/gb200-nvl72-400k.yaml: ok (399744 GPUs)"), "%s", r.out);
	done(&r);
}

Test(cli, malformed_yaml_exits_2_with_its_location)
{
	struct result r = run("describe tests/fixtures/malformed.yaml");
	cr_assert_eq(r.status, 2);
	cr_assert(!strncmp(r.err, "tests/fixtures/malformed.yaml:4:6: malformed YAML: ", 51), "%s", r.err);
	cr_assert(strstr(r.err, "\n    hbm: 80GB\n       ^"), "excerpt with caret missing: %s", r.err);
	cr_assert_str_eq(r.out, "");
	done(&r);
}

Test(cli, a_missing_file_exits_2_and_says_so)
{
	struct result r = run("describe platforms/nope.yaml");
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "platforms/nope.yaml: cannot open file: No such file or directory\n");
	done(&r);
}

Test(cli, an_invalid_platform_never_reaches_simgrid)
{
	struct result r = run("describe tests/fixtures/duplicate_key.yaml");
	cr_assert_eq(r.status, 2);
	cr_assert_not(strstr(r.err, "Backtrace"));
	cr_assert_not(strstr(r.err, "xbt"));
	done(&r);
}

Test(cli, usage_errors_exit_2)
{
	struct result a = run("describe --yaml");
	cr_assert_eq(a.status, 2);
	cr_assert(strstr(a.err, "describe: unknown option '--yaml'"), "%s", a.err);
	struct result b = run("frobnicate");
	cr_assert_eq(b.status, 2);
	cr_assert(strstr(b.err, "unknown command 'frobnicate'"));
	struct result c = run("");
	cr_assert_eq(c.status, 2);
	struct result d = run("describe a.yaml b.yaml");
	cr_assert_eq(d.status, 2);
	done(&a);
	done(&b);
	done(&c);
	done(&d);
}

Test(cli, version_and_help_exit_0)
{
	struct result a = run("version");
	cr_assert_eq(a.status, 0);
	cr_assert(!strncmp(a.out, "trainsim ", 9));
	struct result b = run("help");
	cr_assert_eq(b.status, 0);
	cr_assert(strstr(b.out, "  describe    load a platform into SimGrid and describe it"), "%s", b.out);
	done(&a);
	done(&b);
}

Test(cli, a_closed_stdout_is_an_error_not_silence)
{
	struct result r = run_with("describe platforms/hgx-h100.yaml", true);
	cr_assert_eq(r.status, 2, "%s", r.err);
	done(&r);
}

Test(cli, step_json_reports_the_required_keys)
{
	struct result r = run("step --json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	const char *keys[] = {"\"step_time_s\":", "\"tokens_per_s\":", "\"mfu\":", "\"ideal_train_s\":",
			      "\"breakdown_s\":", "\"checkpoint_overhead_s\":", "\"workload\": \"llama3-405b\""};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		cr_assert(strstr(r.out, keys[i]), "missing %s in %s", keys[i], r.out);
	done(&r);
}

Test(cli, step_text_shows_where_the_step_goes)
{
	struct result r = run("step platforms/h100-16k.yaml workloads/llama3-405b-8k.yaml");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "pipeline bubble"), "%s", r.out);
	cr_assert(strstr(r.out, "exposed DP communication"));
	cr_assert(strstr(r.out, "Whole run, failure-free"));
	done(&r);
}

Test(cli, a_workload_too_big_for_the_platform_exits_2)
{
	struct result r = run("step platforms/hgx-h100.yaml tests/fixtures/workload.yaml");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "tests/fixtures/workload.yaml:57:9: the job needs 2048 nodes (16384 GPUs and 0 "
				"hot-spare nodes) but platform hgx-h100 has 1; expected at most 1"), "%s", r.err);
	done(&r);
}

Test(cli, step_takes_both_files_or_neither)
{
	struct result r = run("step platforms/h100-16k.yaml");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "trainsim step: takes a platform and a workload, or neither"), "%s", r.err);
	done(&r);
}

Test(cli, run_json_reports_the_required_keys)
{
	struct result r = run("run --horizon 10d --seed 3 --json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	const char *keys[] = {"\"wallclock_s\":", "\"ettr\":", "\"interruptions\": {", "\"total\":", "\"by_cause\": {",
			      "\"lost_s\": {", "\"seed\": 3,", "\"finished\": false"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		cr_assert(strstr(r.out, keys[i]), "missing %s in %s", keys[i], r.out);
	done(&r);
}

Test(cli, the_same_seed_gives_byte_identical_output)
{
	char dir[512], args[1024], pa[1024], pb[1024];
	cr_assert_not_null(temp_dir(dir, sizeof dir));
	snprintf(args, sizeof args, "run --horizon 20d --seed 11 --json --out %s/a", dir);
	struct result a = run(args);
	snprintf(args, sizeof args, "run --horizon 20d --seed 11 --json --out %s/b", dir);
	struct result b = run(args);
	cr_assert_eq(a.status, 0, "%s", a.err);
	cr_assert_str_eq(a.out, b.out);
	snprintf(pa, sizeof pa, "%s/a/events.csv", dir);
	snprintf(pb, sizeof pb, "%s/b/events.csv", dir);
	char *ea = read_text(pa), *eb = read_text(pb);
	cr_assert(ea && eb);
	cr_assert_str_eq(ea, eb);
	cr_assert(strstr(ea, "failure,gpu,"), "no GPU failure in 20 days of events");
	free(ea);
	free(eb);
	remove_tree(dir);
	done(&a);
	done(&b);
}

Test(cli, set_overrides_are_validated_and_located)
{
	struct result a = run("run --horizon 1d --set operations.technicians.per_site=-2");
	cr_assert_eq(a.status, 2);
	cr_assert(strstr(a.err, "--set operations.technicians.per_site=-2: operations.technicians.per_site is -2; "
				"expected between 0 and 100000"), "%s", a.err);
	struct result b = run("run --horizon 1d --set fabric.leaf.nodez=4");
	cr_assert_eq(b.status, 2);
	cr_assert(strstr(b.err, "unknown key 'nodez' in fabric.leaf; did you mean 'nodes'?"), "%s", b.err);
	struct result c = run("run --horizon 1d --set bogus.key=1");
	cr_assert_eq(c.status, 2);
	cr_assert(strstr(c.err, "'bogus.key' is not a key of the platform"), "%s", c.err);
	struct result d = run("run --horizon 1d --set parallelism.dp=64");
	cr_assert_eq(d.status, 2);
	cr_assert(strstr(d.err, "= 8192 GPUs but job.gpus is 16384"), "%s", d.err);
	done(&a);
	done(&b);
	done(&c);
	done(&d);
}

Test(cli, an_unwritable_out_directory_exits_2_and_writes_nothing)
{
	struct result r = run("run --horizon 1d --out /proc/trainsim-cannot-be-here");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "/proc/trainsim-cannot-be-here: cannot create the output directory"), "%s", r.err);
	cr_assert_str_eq(r.out, "");
	done(&r);
}

Test(cli, bad_run_options_exit_2)
{
	struct result a = run("run --horizon soon");
	cr_assert_eq(a.status, 2);
	cr_assert(strstr(a.err, "trainsim run: --horizon: 'soon' is not a number"), "%s", a.err);
	struct result b = run("run --seed -1");
	cr_assert_eq(b.status, 2);
	done(&a);
	done(&b);
}

Test(cli, log_shows_the_decisions_with_simulated_time_and_nothing_without_it)
{
	const char *scenario = "tests/golden/cluster.yaml tests/golden/job.yaml --horizon 2d --seed 3";
	char args[512];
	snprintf(args, sizeof args, "run %s --log=trainsim.thres:debug", scenario);
	struct result a = run(args);
	cr_assert_eq(a.status, 0, "%s", a.err);
	const char *want[] = {"[trainsim_job/DEBUG] interrupted by", "[trainsim_crew/DEBUG] repair of",
			      "[trainsim_failures/DEBUG]", "[trainsim_job/DEBUG] relaunches"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(strstr(a.err, want[i]), "missing %s in:\n%s", want[i], a.err);
	snprintf(args, sizeof args, "run %s", scenario);
	struct result b = run(args);
	cr_assert_eq(b.status, 0, "%s", b.err);
	cr_assert_null(strstr(b.err, "[trainsim"), "nothing is logged without --log:\n%s", b.err);
	cr_assert_str_eq(a.out, b.out, "logging must not change the results");
	done(&a);
	done(&b);
}

/* `trainsim version --bogus` printed the version and exited 0: main's own commands took any
 * arguments. */
Test(cli, version_and_help_refuse_arguments_they_do_not_take)
{
	struct result a = run("version --bogus");
	cr_assert_eq(a.status, 2);
	cr_assert_str_eq(a.out, "");
	cr_assert_str_eq(a.err, "trainsim version: takes no arguments; '--bogus' is one too many\n");
	struct result b = run("help run extra");
	cr_assert_eq(b.status, 2);
	cr_assert_str_eq(b.err, "trainsim help: takes at most one command; 'extra' is one too many\n");
	struct result c = run("version --help");
	cr_assert_eq(c.status, 0);
	cr_assert(!strncmp(c.out, "usage: trainsim version\n", 24), "%s", c.out);
	done(&a);
	done(&b);
	done(&c);
}
