/* cli: what the trainsim commands share (main.c dispatches; cli_run.c and cli_sweep.c are
 * `run` and `sweep`): usage, error reports, output checks, loading a scenario into the
 * engine, and the interrupt flag. Only the command line prints and handles signals. Exit
 * statuses: 0 ok, 1 a check failed, 2 bad input or usage, 130 interrupted. */
#ifndef TRAINSIM_CLI_H
#define TRAINSIM_CLI_H

#include <signal.h>
#include <stdbool.h>

#include "engine.h"
#include "error.h"
#include "scenario.h"

enum { CLI_OK = 0, CLI_CHECK_FAILED = 1, CLI_BAD_INPUT = 2, CLI_INTERRUPTED = 130 };

extern const char cli_usage_text[];

/* "trainsim: <message>" and the usage on stderr; returns CLI_BAD_INPUT. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The located message and the offending line on stderr; returns CLI_BAD_INPUT. */
int cli_report_error(const struct ts_error *err);
/* stdout may be a closed pipe or a full disk: say so rather than exit 0. */
int cli_finish_output(void);

/* SimGrid options given on the command line (--log=...), passed to the engine; NULL-ended. */
#define CLI_MAX_ENGINE_ARGS 32
struct cli_engine_args {
	const char *items[CLI_MAX_ENGINE_ARGS + 1];
	int count;
};
/* Takes `arg` if it is a SimGrid option (--log=..., --cfg=...); true when taken. */
bool cli_engine_arg(struct cli_engine_args *a, const char *arg);

/* Load the scenario `spec` names and, unless it is NULL, the engine for it. On failure the
 * error is reported and *status set. */
bool cli_open(const struct scenario_spec *spec, const struct cli_engine_args *args, struct scenario **s,
	      struct engine **e, int *status);

/* ---- interrupts: SIGINT and SIGTERM set a flag (no SA_RESTART, so waits wake up) ---- */
void cli_catch_interrupts(void);
bool cli_interrupted(void);
/* The flag itself, for the replica runner to poll. */
volatile sig_atomic_t *cli_interrupt_flag(void);

int cli_run(int argc, char **argv);
int cli_sweep(int argc, char **argv);

#endif
