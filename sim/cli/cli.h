/* cli: shared pieces of the trainsim command line (main.c dispatches to the commands;
 * cli_run.c and cli_sweep.c are `run` and `sweep`). Exit statuses: 0 ok, 1 a check
 * failed, 2 bad input or usage, 130 interrupted. */
#ifndef TRAINSIM_CLI_H
#define TRAINSIM_CLI_H

#include <stdbool.h>

#include "error.h"
#include "placement.h"
#include "platform.h"
#include "sg_platform.h"
#include "steptime.h"
#include "workload.h"

enum { CLI_OK = 0, CLI_CHECK_FAILED = 1, CLI_BAD_INPUT = 2, CLI_INTERRUPTED = 130 };

extern const char cli_usage_text[];

/* "trainsim: <message>" and the usage on stderr; returns CLI_BAD_INPUT. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The located message and the offending line on stderr; returns CLI_BAD_INPUT. */
int cli_report_error(const struct ts_error *err);
/* stdout may be a closed pipe or a full disk: say so rather than exit 0. */
int cli_finish_output(void);
/* The platform at path, or the built-in default (NULL). */
bool cli_load_platform(const char *path, struct platform **out, struct ts_error *err);

/* A platform and workload loaded into SimGrid, the job placed, a step-time model. */
struct cli_session {
	struct platform *platform;
	struct workload *workload;
	struct sg_cluster *cluster;
	struct placement placement;
	struct steptime *steptime;
};

bool cli_session_load(struct cli_session *s, const char *platform_path, const char *workload_path, struct ts_error *err);
void cli_session_finish(struct cli_session *s);

int cli_run(int argc, char **argv);
int cli_sweep(int argc, char **argv);

#endif
