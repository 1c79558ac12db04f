/* plan_report: `trainsim plan`'s answer as text and as plan.json: the chosen plan, the
 * runners-up, the candidates closest to the deadline that miss it and, when none meets it,
 * what keeps the closest one from it. */
#ifndef TRAINSIM_PLAN_REPORT_H
#define TRAINSIM_PLAN_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "plan.h"

struct plan_report {
	const struct plan_vary *varies;      /* [vary_count]: the grid */
	size_t vary_count;
	const struct plan_figures *figures;  /* [count]: candidate k's, in grid order */
	long count;
	struct plan_rule rule;
	bool no_costs;                       /* the platform has no costs section: a percentile is minimised */
	uint64_t seed;
};

/* Whether some candidate meets the deadline. */
bool plan_report_met(const struct plan_report *r);

/* The text for people: the plan, its cost, P50 and P90, the margin, the runners-up and the
 * closest infeasible candidates, or the bottleneck when none meets the deadline. */
void plan_write_text(FILE *out, const struct plan_report *r);

/* plan.json: {"schema": "trainsim-plan", "schema_version": 1, "met", "deadline", "objective", "plan", "cost", "p50_s", "p90_s", "replicas",
 * "candidates", "bottleneck"} (README.md, "plan.json"). */
void plan_write_json(FILE *out, const struct plan_report *r);

#endif
