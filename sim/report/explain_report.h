/* explain_report: `trainsim explain`'s answer to "which cause cost how many days?" as text
 * (a waterfall from the failure-free time to the estimate, with intervals, and the method
 * that produced it) and as explain.json (a versioned schema, documented in README.md). */
#ifndef TRAINSIM_EXPLAIN_REPORT_H
#define TRAINSIM_EXPLAIN_REPORT_H

#include <stdio.h>

#include "explain.h"
#include "summary.h"

#define EXPLAIN_SCHEMA "trainsim-explain"
#define EXPLAIN_SCHEMA_VERSION 1

/* One sentence naming the method, in both outputs. */
extern const char explain_method[];

struct explain_report {
	const struct summary_scenario *sc;  /* inputs, seed, horizon, plan; run_id: the explanation's id */
	const struct explain_groups *groups;
	const struct explain_result *result;
	long max_groups;
};

void explain_write_text(FILE *out, const struct explain_report *r);
void explain_write_json(FILE *out, const struct explain_report *r);

#endif
