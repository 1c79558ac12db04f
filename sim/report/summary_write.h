/* summary_write: a summary of replicas as text for people, summary.json (a versioned schema,
 * documented in README.md) and replicas.csv (one row per replica) for programs. */
#ifndef TRAINSIM_SUMMARY_WRITE_H
#define TRAINSIM_SUMMARY_WRITE_H

#include <stdio.h>

#include "json.h"
#include "summary.h"

/* summary.json's schema; bump on any change a reader could notice (README.md documents it). */
#define SUMMARY_SCHEMA "trainsim-summary"
#define SUMMARY_SCHEMA_VERSION 1

/* The "scenario" object of summary.json (inputs, their hashes, overrides, seed, horizon,
 * failure scale, failure log): also in explain.json. */
void summary_write_scenario_json(struct json_writer *j, const struct summary_scenario *sc);

void summary_write_json(FILE *out, const struct summary_scenario *sc, const struct summary *s);
/* One row per replica done. */
void summary_write_replicas_csv(FILE *out, const struct summary_scenario *sc, const struct mc_result *mc);
/* The distribution for people (several replicas; one replica uses report_run_text). */
void summary_write_text(FILE *out, const struct summary_scenario *sc, const struct summary *s);

#endif
