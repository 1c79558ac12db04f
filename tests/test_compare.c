/* Tests of `trainsim compare` through cli_compare: exit status, table, verdict and the exact
 * messages, on the summaries in tests/fixtures/compare/ (each named for how it differs). */
#include <criterion/criterion.h>
#include <unistd.h>

#include "cli.h"
#include "helpers.h"

struct result {
	int status;
	char *out;
	char *err;
};

/* Fixture paths stay short in messages: each Criterion test runs in its own process. */
static void enter_fixtures(void)
{
	char dir[512];
	cr_assert_eq(chdir(source_path("tests/fixtures/compare", dir, sizeof dir)), 0, "%s", dir);
}

TestSuite(compare, .init = enter_fixtures);

/* cli_compare("compare" + `args` split on spaces), both streams captured. */
static struct result run(const char *args)
{
	char copy[1024], *argv[16] = {"compare"};
	int argc = 1;
	snprintf(copy, sizeof copy, "%s", args);
	for (char *word = strtok(copy, " "); word && argc < 16; word = strtok(NULL, " "))
		argv[argc++] = word;
	struct result r = {0};
	size_t out_size, err_size;
	FILE *out = open_memstream(&r.out, &out_size), *err = open_memstream(&r.err, &err_size);
	cr_assert(out && err);
	r.status = cli_compare(argc, argv, out, err);
	fclose(out);
	fclose(err);
	return r;
}

static void done(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* The last line of the table: the verdict. */
static const char *verdict(const struct result *r)
{
	static char line[256];
	const char *end = r->out + strlen(r->out) - 1, *start = end;
	while (start > r->out && start[-1] != '\n')
		start--;
	snprintf(line, sizeof line, "%.*s", (int)(end - start), start);
	return line;
}

static void expect_verdict(const char *args, int status, const char *expected)
{
	struct result r = run(args);
	cr_assert_eq(r.status, status, "%s\n%s%s", args, r.out, r.err);
	cr_assert_str_eq(verdict(&r), expected, "%s", args);
	cr_assert_str_eq(r.err, "");
	done(&r);
}

static void expect_error(const char *args, const char *expected_err)
{
	struct result r = run(args);
	cr_assert_eq(r.status, 2, "%s\n%s", args, r.out);
	cr_assert_str_eq(r.err, expected_err, "%s", args);
	cr_assert_str_eq(r.out, "");
	done(&r);
}

/* The first line of stderr only (the excerpt under it is error.c's, tested there). */
static void expect_first_error_line(const char *args, const char *expected)
{
	struct result r = run(args);
	cr_assert_eq(r.status, 2, "%s\n%s", args, r.out);
	r.err[strcspn(r.err, "\n")] = '\0';
	cr_assert_str_eq(r.err, expected, "%s", args);
	done(&r);
}

Test(compare, a_slowdown_within_tolerance_passes)
{
	expect_verdict("base.json p50_up_0.4pct.json", 0, "OK: p50 wall-clock +0.4% (tolerance 2.0%)");
}

Test(compare, a_slowdown_beyond_tolerance_is_a_regression)
{
	expect_verdict("base.json p50_up_3.1pct.json", 1, "REGRESSION: p50 wall-clock +3.1% exceeds tolerance 2.0%");
}

/* 1e-7 faster prints as +0.0%: neither "improved" nor "-0.0%". */
Test(compare, a_change_that_rounds_to_nothing_is_ok_not_improved)
{
	expect_verdict("base.json p50_down_tiny.json", 0, "OK: p50 wall-clock +0.0% (tolerance 2.0%)");
}

Test(compare, a_speedup_is_reported_as_improved)
{
	expect_verdict("base.json p50_down_1.2pct.json", 0, "improved: p50 wall-clock -1.2% (tolerance 2.0%)");
}

Test(compare, exactly_the_tolerance_passes_and_a_second_more_fails)
{
	expect_verdict("base.json p50_up_exactly_2pct.json", 0, "OK: p50 wall-clock +2.0% (tolerance 2.0%)");
	expect_verdict("base.json p50_up_just_over_2pct.json", 1,
		       "REGRESSION: p50 wall-clock +2.00002% exceeds tolerance 2.00000%");
}

Test(compare, each_metric_reads_its_own_statistic)
{
	expect_verdict("base.json mean_up_p50_flat_p90_down.json", 0, "OK: p50 wall-clock +0.5% (tolerance 2.0%)");
	expect_verdict("base.json mean_up_p50_flat_p90_down.json --metric p50", 0,
		       "OK: p50 wall-clock +0.5% (tolerance 2.0%)");
	expect_verdict("base.json mean_up_p50_flat_p90_down.json --metric mean", 1,
		       "REGRESSION: mean wall-clock +3.0% exceeds tolerance 2.0%");
	expect_verdict("base.json mean_up_p50_flat_p90_down.json --metric=p90", 0,
		       "improved: p90 wall-clock -1.0% (tolerance 2.0%)");
}

Test(compare, tolerance_is_a_percent_or_a_fraction)
{
	expect_verdict("base.json p50_up_3.1pct.json --tolerance 5%", 0, "OK: p50 wall-clock +3.1% (tolerance 5.0%)");
	expect_verdict("base.json p50_up_3.1pct.json --tolerance 0.05", 0, "OK: p50 wall-clock +3.1% (tolerance 5.0%)");
	expect_verdict("base.json p50_up_0.4pct.json --tolerance=0.25%", 1,
		       "REGRESSION: p50 wall-clock +0.40% exceeds tolerance 0.25%");
	expect_verdict("base.json base.json --tolerance 0", 0, "OK: p50 wall-clock +0.0% (tolerance 0.0%)");
}

Test(compare, bad_tolerances_are_usage_errors)
{
	expect_first_error_line("base.json base.json --tolerance -2%",
				"trainsim compare: --tolerance: '-2%' is negative; expected a slowdown such as 2% or 0.02");
	expect_first_error_line("base.json base.json --tolerance=",
				"trainsim compare: --tolerance: '' is not a number");
	expect_first_error_line("base.json base.json --tolerance 2%%",
				"trainsim compare: --tolerance: unknown fraction unit '%%' in '2%%'; expected % or a "
				"number from 0 to 1");
	expect_first_error_line("base.json base.json --tolerance abc",
				"trainsim compare: --tolerance: 'abc' is not a number");
	expect_first_error_line("base.json base.json --tolerance", "trainsim compare: --tolerance needs a value (T)");
}

Test(compare, bad_flags_and_file_counts_are_usage_errors_with_the_usage)
{
	struct result r = run("base.json base.json --bogus");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "trainsim compare: unknown option '--bogus'\nusage: trainsim compare BASE.json"), "%s",
		  r.err);
	done(&r);
	expect_first_error_line("base.json base.json --metric p95",
				"trainsim compare: --metric: 'p95' is unknown; expected p50, mean or p90");
	expect_first_error_line("base.json", "trainsim compare: needs two summary files, BASE.json and NEW.json");
	expect_first_error_line("a.json b.json c.json", "trainsim compare: needs two summary files, BASE.json and "
				"NEW.json; 'c.json' is one too many");
}

Test(compare, help_prints_usage_and_exits_0)
{
	struct result r = run("--help");
	cr_assert_eq(r.status, 0);
	cr_assert(!strncmp(r.out, "usage: trainsim compare BASE.json NEW.json", 42), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	done(&r);
}

Test(compare, the_table_shows_every_row_side_by_side)
{
	struct result r = run("base.json p50_up_3.1pct.json");
	const char *rows[] = {
		"metric                             base          new     change\n",
		"wall-clock mean                    76 d      78.36 d      +3.1%\n",
		"wall-clock p50                  75.93 d      78.28 d      +3.1%\n",
		"wall-clock p90                  76.74 d      79.17 d      +3.2%\n",
		"wall-clock p99                  77.55 d      79.86 d      +3.0%\n",
		"ETTR mean                        91.47%       88.71%   -2.76 pt\n",
		"interruptions                     466.2          520     +11.5%\n",
		"time: productive                69.51 d      69.51 d      +0.0%\n",
		"time: lost                      19.46 h      19.46 h      +0.0%\n",
		"time: power                         0 s          0 s      +0.0%\n",
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		cr_assert(strstr(r.out, rows[i]), "missing %s in\n%s", rows[i], r.out);
	done(&r);
}

Test(compare, time_categories_are_read_from_the_file_not_a_fixed_list)
{
	struct result r = run("base.json new_time_category.json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "time: cooling                         -       20 min           \n"), "%s", r.out);
	done(&r);
}

/* Costs (added within schema version 1) are compared beside the wall-clock, not gated; a
 * summary without them still compares, its cells a dash. */
Test(compare, costs_are_shown_when_either_summary_has_them)
{
	struct result r = run("base.json with_cost.json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "cost mean                             -   412.5 MUSD           \n"), "%s", r.out);
	cr_assert(strstr(r.out, "cost of the slip mean                 -    30.1 MUSD           \n"), "%s", r.out);
	done(&r);
	r = run("with_cost.json with_cost.json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "cost p90                       430 MUSD     430 MUSD      +0.0%\n"), "%s", r.out);
	done(&r);
	r = run("base.json base.json");
	cr_assert_null(strstr(r.out, "cost"), "%s", r.out);
	done(&r);
}

Test(compare, a_truncated_file_names_line_and_column)
{
	expect_error("base.json truncated.json", "trainsim compare: truncated.json:64:19: '}' expected near end of file\n"
		     "      \"total\": 466.2\n                    ^\n");
}

Test(compare, corrupt_json_names_line_and_column)
{
	expect_first_error_line("corrupt.json base.json", "trainsim compare: corrupt.json:20:19: string or '}' expected "
				"near ','");
}

Test(compare, a_duplicate_key_is_refused_where_it_is_repeated)
{
	expect_error("base.json duplicate_p50.json", "trainsim compare: duplicate_p50.json:39:7: duplicate object key near "
		     "'\"p50\"'\n        \"p50\": 6570000,\n        ^\n");
}

/* A missing key is located at the object that should hold it (it used to name the file
 * alone), and a missing schema_version at the document. */
Test(compare, a_missing_key_is_named_and_located_at_its_object)
{
	expect_error("base.json missing_p50.json", "trainsim compare: missing_p50.json:31:20: distribution.wallclock_s.p50 "
		     "is missing; expected a number of seconds or null\n      \"wallclock_s\": {\n                     ^\n");
	expect_first_error_line("base.json missing_schema_version.json", "trainsim compare: missing_schema_version.json:1:1: "
				"schema_version is missing; expected an integer");
}

Test(compare, a_key_of_the_wrong_type_is_located)
{
	expect_first_error_line("p50_is_a_string.json base.json", "trainsim compare: p50_is_a_string.json:38:14: "
				"distribution.wallclock_s.p50 is a string \"6560000\"; expected a number of seconds or null");
	expect_first_error_line("base.json p50_null.json", "trainsim compare: p50_null.json:38:14: "
				"distribution.wallclock_s.p50 is null; expected a positive number of seconds to compare");
}

Test(compare, an_item_of_the_wrong_type_is_located_by_its_path)
{
	expect_first_error_line("override_not_a_string.json base.json", "trainsim compare: override_not_a_string.json:13:7: "
				"scenario.overrides.0 is a number 4; expected an array of strings");
	expect_first_error_line("base.json time_category_not_a_number.json", "trainsim compare: "
				"time_category_not_a_number.json:72:13: time_s.lost is a string \"19 h\"; expected an object "
				"of seconds by category");
}

Test(compare, a_bad_member_whose_key_holds_a_dot_is_located_at_its_object)
{
	expect_first_error_line("base.json time_category_with_a_dot.json", "trainsim compare: "
				"time_category_with_a_dot.json:70:13: time_s.lost.h is a string \"19 h\"; expected an "
				"object of seconds by category");
}

Test(compare, a_null_statistic_that_is_not_compared_is_shown_as_a_dash)
{
	struct result r = run("base.json p50_null.json --metric mean");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "wall-clock p50                  75.93 d            -           \n"), "%s", r.out);
	done(&r);
}

Test(compare, a_wrong_schema_string_is_refused)
{
	expect_first_error_line("wrong_schema.json base.json", "trainsim compare: wrong_schema.json:2:13: schema is a "
				"string \"trainsim-run\"; expected \"trainsim-summary\"");
	expect_first_error_line("base.json version_not_integer.json", "trainsim compare: version_not_integer.json:3:21: "
				"schema_version is a number 1.5; expected an integer");
}

/* Located at NEW's schema_version (the message used to name no file:line:column). */
Test(compare, different_schema_versions_are_refused_even_with_force)
{
	const char *message = "trainsim compare: version_2.json:3:21: schema_version is 2 but 1 in base.json; summaries "
			      "of different versions are not compared (not even with --force)\n"
			      "    \"schema_version\": 2,\n                      ^\n";
	expect_error("base.json version_2.json", message);
	expect_error("base.json version_2.json --force", message);
}

Test(compare, a_different_workload_is_refused_without_force)
{
	expect_error("base.json other_workload.json",
		     "trainsim compare: scenario.workload_sha256 differs: \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		     "bbbbbbbbbbbb\" in base.json, \"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\" "
		     "in other_workload.json\ntrainsim compare: the scenarios differ, so their wall-clock times are not "
		     "comparable; pass --force to compare anyway\n");
}

Test(compare, a_different_workload_is_compared_with_force_and_noted)
{
	struct result r = run("base.json other_workload.json --force");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(verdict(&r), "OK: p50 wall-clock +0.0% (tolerance 2.0%)");
	cr_assert(!strncmp(r.err, "trainsim compare: note: scenario.workload_sha256 differs: ", 58), "%s", r.err);
	cr_assert(strstr(r.err, " in other_workload.json (compared anyway: --force)\n"), "%s", r.err);
	done(&r);
}

Test(compare, different_overrides_and_horizon_are_refused)
{
	expect_first_error_line("base.json other_overrides.json", "trainsim compare: scenario.overrides differs: "
				"[\"operations.technicians.per_site=4\"] in base.json, "
				"[\"operations.technicians.per_site=8\"] in other_overrides.json");
	expect_first_error_line("base.json other_horizon.json", "trainsim compare: scenario.horizon_s differs: null "
				"in base.json, 86400 in other_horizon.json");
}

Test(compare, a_different_seed_or_replica_count_is_only_noted)
{
	struct result r = run("base.json other_seed_and_replicas.json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "trainsim compare: note: scenario.seed differs: 0 in base.json, 7 in "
			 "other_seed_and_replicas.json\ntrainsim compare: note: replicas differs: 200 in base.json, 100 in "
			 "other_seed_and_replicas.json\n");
	cr_assert_str_eq(verdict(&r), "OK: p50 wall-clock +0.0% (tolerance 2.0%)");
	done(&r);
}

Test(compare, an_unreadable_path_is_named)
{
	expect_error("base.json nowhere/summary.json", "trainsim compare: nowhere/summary.json: cannot read: No such "
		     "file or directory\n");
	expect_error(". base.json", "trainsim compare: .: cannot read: Is a directory\n");
}

Test(compare, an_unwritable_output_is_bad_input)
{
	char *argv[] = {"compare", "base.json", "base.json"};
	FILE *out = fopen("/dev/full", "w");
	char *text = NULL;
	size_t size;
	FILE *err = open_memstream(&text, &size);
	cr_assert(out && err);
	cr_assert_eq(cli_compare(3, argv, out, err), 2);
	fclose(out);
	fclose(err);
	cr_assert_str_eq(text, "trainsim compare: cannot write the output\n");
	free(text);
}
