/* cli_compare: `trainsim compare BASE.json NEW.json`: its options; the comparison itself is
 * report/compare.c. */
#include "cli.h"

#include <string.h>

#include "compare.h"
#include "units.h"

static bool take_tolerance(void *args, const char *v, char *why, size_t size)
{
	struct compare_request *r = args;
	if (!units_parse(UNIT_FRACTION, v, &r->tolerance, why, size))
		return false;
	if (r->tolerance < 0) {
		snprintf(why, size, "'%s' is negative; expected a slowdown such as 2%% or 0.02", v);
		return false;
	}
	return true;
}

static bool take_metric(void *args, const char *v, char *why, size_t size)
{
	if (!compare_metric_known(v)) {
		snprintf(why, size, "'%s' is unknown; expected p50, mean or p90", v);
		return false;
	}
	((struct compare_request *)args)->metric = v;
	return true;
}

static bool take_force(void *args, const char *v, char *why, size_t size)
{
	(void)v, (void)why, (void)size;
	((struct compare_request *)args)->force = true;
	return true;
}

static const struct cli_option compare_options[] = {
	{"tolerance", 't', "T", "allowed slowdown of NEW, as 2% or 0.02 (default 2%)", take_tolerance},
	{"metric", 'm', "M", "wall-clock statistic compared: p50 (default), mean or p90", take_metric},
	{"force", 'f', NULL, "compare even when the scenarios differ (never across schema versions)", take_force},
	{0},
};

static const struct cli_option *const compare_tables[] = {compare_options, NULL};

const struct cli_command cli_compare_command = {
	"compare", "BASE.json NEW.json [options]",
	"compare two summaries: exit 0 within tolerance, 1 on a regression, 2 on bad input",
	"Compares the simulated wall-clock of two summary.json files (trainsim run --out DIR): prints\n"
	"both side by side and a verdict. Exit status: 0 NEW within tolerance or faster, 1 NEW slower\n"
	"than BASE x (1 + tolerance), 2 bad input or summaries of different scenarios (inputs,\n"
	"overrides, horizon, failure scale) unless --force.",
	compare_tables, 2, 2, "needs two summary files, BASE.json and NEW.json",
};

int cli_compare(int argc, char **argv, FILE *out, FILE *err)
{
	struct compare_request r = {.tolerance = 0.02, .metric = "p50"};
	int count;
	int status = cli_parse(&cli_compare_command, argc, argv, &r, r.files, &count, out, err);
	if (status == CLI_PARSE_HELP)
		return CLI_OK;
	if (status != CLI_PARSE_OK)
		return status;
	status = compare_summaries(&r, out, err);
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(err, "trainsim compare: cannot write the output\n");
		return CLI_BAD_INPUT;
	}
	return status;
}
