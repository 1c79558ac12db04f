/* Tests of the failure log (trainsim run --failure-log): rows read whatever their length,
 * each bad row located by line and column with what was expected. */
#include <criterion/criterion.h>
#include <string.h>

#include "failure_log.h"
#include "helpers.h"

static struct scenario *platform;
static char dir[512], path[1024], message[2048];

static void setup(void)
{
	char fixture[512];
	struct ts_error err = {0};
	cr_assert_not_null(temp_dir(dir, sizeof dir));
	snprintf(path, sizeof path, "%s/log.csv", dir);
	platform = scenario_files(source_path("tests/fixtures/mc-node.yaml", fixture, sizeof fixture), NULL, &err);
	cr_assert_not_null(platform, "%s", err.message);
}

static void teardown(void)
{
	scenario_destroy(platform);
	remove_tree(dir);
}

TestSuite(failure_log, .init = setup, .fini = teardown);

/* Writes `text` as the log and reads it; the formatted error in `message` on failure. */
static bool load(const char *text, struct failure_log *log)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	struct ts_error err = {0};
	bool ok = failure_log_load(path, platform->platform, log, &err);
	if (!ok)
		error_format(&err, message, sizeof message);
	return ok;
}

/* The error for `text`, with the log's path replaced by "log.csv". */
static const char *error_of(const char *text)
{
	struct failure_log log;
	cr_assert_not(load(text, &log), "loaded: %s", text);
	static char short_message[2100];
	size_t n = strlen(path);
	snprintf(short_message, sizeof short_message, "log.csv%s", strncmp(message, path, n) ? message : message + n);
	return short_message;
}

Test(failure_log, rows_load_in_time_order_with_units_and_indices)
{
	struct failure_log log;
	cr_assert(load("time,component,cause\n1.5h,gpu:3,gpu\n# a comment\n\n2d,job:0,software\n", &log), "%s", message);
	cr_assert_eq(log.count, 2);
	cr_assert_float_eq(log.events[0].time_s, 5400, 1e-9);
	cr_assert_eq(log.events[0].component, 3);
	cr_assert_float_eq(log.events[1].time_s, 2 * 86400, 1e-9);
	failure_log_finish(&log);
}

/* A line longer than any buffer is one line: a long comment does not become rows, and the
 * rows after it keep their numbers. */
Test(failure_log, long_lines_are_read_whole_and_keep_the_line_numbers)
{
	char text[4096] = "# ";
	memset(text + 2, 'x', 3000);
	strcpy(text + 3002, "\n1h,gpu:1,gpu\n2h,gpu:99,gpu\n");
	cr_assert_str_eq(error_of(text), "log.csv:3:8: component index '99' is not one of the platform's 8 gpu "
			 "components");
	struct failure_log log;
	strcpy(text + 3002, "\n1h,gpu:1,gpu\n");
	cr_assert(load(text, &log), "%s", message);
	cr_assert_eq(log.count, 1);
	failure_log_finish(&log);
}

Test(failure_log, negative_times_extra_columns_and_bad_rows_are_located)
{
	cr_assert_str_eq(error_of("-1h,gpu:1,gpu\n"), "log.csv:1:1: time '-1h' is before the run starts; expected 0 or more");
	cr_assert_str_eq(error_of("1h,gpu:1,gpu,extra\n"), "log.csv:1:13: a fourth column; expected time,component,cause "
			 "and nothing more");
	cr_assert_str_eq(error_of("1h,gpu:1\n"), "log.csv:1:1: expected time,component,cause such as 3.5h,node:12,gpu");
	cr_assert_str_eq(error_of("soon,gpu:1,gpu\n"), "log.csv:1:1: time: 'soon' is not a number");
	cr_assert_str_eq(error_of("1h,gpu:1,cosmic\n"), "log.csv:1:10: cause 'cosmic' is not a failure class of the "
			 "platform's reliability section");
	cr_assert_str_eq(error_of("1h,node:1,gpu\n"), "log.csv:1:4: component 'node:1' should be gpu:INDEX for cause gpu");
	cr_assert_str_eq(error_of("1h,gpu:x,gpu\n"), "log.csv:1:8: component index 'x' is not one of the platform's 8 "
			 "gpu components");
	cr_assert_str_eq(error_of("2h,gpu:1,gpu\n1h,gpu:2,gpu\n"), "log.csv:2:1: times must not go back; expected rows "
			 "in time order");
}

Test(failure_log, a_missing_file_is_named)
{
	struct ts_error err = {0};
	struct failure_log log;
	cr_assert_not(failure_log_load("/nonexistent/log.csv", platform->platform, &log, &err));
	cr_assert_str_eq(error_format(&err, message, sizeof message),
			 "/nonexistent/log.csv: cannot open the failure log: No such file or directory");
}

/* A NUL byte ended the row as C reads it, and what followed it on the line was ignored:
 * "1h,gpu:1,gpu\0junk" loaded as a good row. */
Test(failure_log, a_nul_byte_is_refused_where_it_is)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	static const char text[] = "1h,gpu:1,gpu\n2h,gpu:2,gpu\0junk\n";
	cr_assert_eq(fwrite(text, 1, sizeof text - 1, f), sizeof text - 1);
	fclose(f);
	struct failure_log log;
	struct ts_error err = {0};
	cr_assert_not(failure_log_load(path, platform->platform, &log, &err));
	cr_assert_eq(err.line, 2);
	cr_assert_eq(err.column, 13);
	cr_assert_str_eq(err.message, "a NUL byte; expected a text file of time,component,cause rows");
}
