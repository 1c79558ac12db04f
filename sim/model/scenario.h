/* scenario: the one unit every command loads and every replica receives: a platform, a
 * workload, the --set overrides applied to them, an optional failure log, and the SHA-256
 * of what was read. The load chain and every cross-file check live here and nowhere else:
 * read each document (a file, text in memory, or the built-in default), apply the overrides
 * that are its own, decode and validate it, check the workload against the platform, read
 * the failure log against the platform's failure classes, and (for runs) check that every
 * failure can be repaired. */
#ifndef TRAINSIM_SCENARIO_H
#define TRAINSIM_SCENARIO_H

#include <stdbool.h>

#include "error.h"
#include "failure_log.h"
#include "overrides.h"
#include "platform.h"
#include "workload.h"

/* Where a document comes from: a file (`path`), text in memory (`text`, named `name` in
 * messages), or, with both NULL, the built-in default (platforms/h100-16k.yaml and
 * workloads/llama3-405b.yaml). */
struct scenario_input {
	const char *path;
	const char *name;
	const char *text;
};

/* What to load. */
struct scenario_spec {
	struct scenario_input platform;
	struct scenario_input workload;
	bool platform_only;            /* no workload (describe, validate a platform) */
	struct overrides overrides;    /* --set items, copied by scenario_load */
	const char *failure_log;       /* path of a failure log to replay, or NULL */
	bool for_run;                  /* refuse what a run cannot simulate (failures nobody repairs) */
};

struct scenario {
	struct platform *platform;
	struct workload *workload;     /* NULL when platform_only */
	struct overrides overrides;    /* owned copies */
	char *failure_log_path;        /* or NULL */
	struct failure_log failure_log;/* empty when none */
	char platform_sha256[65], workload_sha256[65], failure_log_sha256[65];
};

/* Load and check everything `spec` names. On success *out owns a new scenario (free with
 * scenario_destroy); on failure err locates the first problem (file:line:column, or the
 * --set item it came from). */
bool scenario_load(const struct scenario_spec *spec, struct scenario **out, struct ts_error *err);

/* Free a scenario; accepts NULL. */
void scenario_destroy(struct scenario *s);

/* Which schema a YAML document follows. */
enum scenario_kind { SCENARIO_PLATFORM, SCENARIO_WORKLOAD };

/* The schema the YAML file at `path` follows: a workload when a top-level key belongs to the
 * workload schema alone (model, training, ...), else a platform. false (err located) when the
 * file cannot be read or is not YAML. */
bool scenario_file_kind(const char *path, enum scenario_kind *kind, struct ts_error *err);

#endif
