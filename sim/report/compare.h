/* compare: two run summaries side by side, the CI gate on simulated wall-clock. It reads both
 * summary.json files, refuses to compare different scenarios, prints a table and a verdict:
 * NEW is a regression when its metric exceeds BASE's * (1 + tolerance). The command line
 * (`trainsim compare`, cli/cli_compare.c) parses the options. */
#ifndef TRAINSIM_COMPARE_H
#define TRAINSIM_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

/* The summary.json layout compare understands: "schema" must be this string and
 * "schema_version" an integer. Summaries of different versions are never compared, not even
 * with force (a renamed or re-defined key would compare the wrong numbers silently); any one
 * version is accepted as long as both files have it and carry the keys compare reads. */
#define COMPARE_SCHEMA "trainsim-summary"

struct compare_request {
	const char *files[2];   /* BASE, NEW */
	double tolerance;       /* allowed slowdown, 0.02 for 2% */
	const char *metric;     /* "p50", "mean" or "p90" */
	bool force;             /* compare even different scenarios (never different schema versions) */
};

/* Is `name` a metric compare knows (p50, mean, p90)? */
bool compare_metric_known(const char *name);

/* Compare as `r` says; the table and verdict go to `out`, errors and notes to `err`, each
 * line prefixed "trainsim compare: " and naming the file (with line:column inside it).
 * Returns the exit status: 0 NEW within tolerance or faster, 1 a regression, 2 bad input
 * (unreadable or malformed file, wrong schema, missing keys or keys of the wrong type,
 * different schema versions, or scenarios that differ in platform, workload, overrides,
 * horizon or failure scale unless forced). A different seed or replica count is only noted. */
int compare_summaries(const struct compare_request *r, FILE *out, FILE *err);

#endif
