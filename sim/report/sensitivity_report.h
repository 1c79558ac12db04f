/* sensitivity_report: `trainsim sensitivity`'s tornado as text and as sensitivity.json, the
 * rows sorted by the swing of the P50 between each key's low and high value. */
#ifndef TRAINSIM_SENSITIVITY_REPORT_H
#define TRAINSIM_SENSITIVITY_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sensitivity.h"

struct sensitivity_report {
	const struct sensitivity_key *keys;   /* [count] */
	const struct sensitivity_row *rows;   /* [count]: keys[i]'s results */
	size_t count;
	double base_p50_s, base_cost;         /* the baseline's (cost NaN without costs) */
	long replicas;
	uint64_t seed;
};

/* The table, largest swing first, with the P50 days at low and high, the swing, the change of
 * the mean cost against the baseline (when there are costs) and a bar. */
void sensitivity_write_text(FILE *out, const struct sensitivity_report *r);

/* sensitivity.json: {"schema": "trainsim-sensitivity", "schema_version": 1, "baseline": {"p50_s", "cost"}, "replicas", "seed", "rows": [{"key",
 * "base", "low", "high", "p50_low_s", "p50_high_s", "swing_s", "cost_low", "cost_high"}]}. */
void sensitivity_write_json(FILE *out, const struct sensitivity_report *r);

#endif
