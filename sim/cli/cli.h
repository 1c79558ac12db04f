/* cli: what the trainsim commands share (main.c dispatches; cli_run.c is `run`, cli_sweep.c
 * `sweep`, cli_explain.c `explain`, cli_plan.c `plan`, cli_sensitivity.c `sensitivity`, cli_compare.c `compare`, cli_model.c `describe`, `step`
 * and `validate`): exit statuses, error reports, output checks, the options every scenario command takes (--set,
 * --log, --cfg), loading a scenario into the engine, and the interrupt flag. Only the command
 * line prints to the terminal and handles signals. */
#ifndef TRAINSIM_CLI_H
#define TRAINSIM_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "engine.h"
#include "error.h"
#include "options.h"
#include "scenario.h"

enum { CLI_OK = 0, CLI_CHECK_FAILED = 1, CLI_BAD_INPUT = 2, CLI_INTERRUPTED = 130 };

#define CLI_MAX_OVERRIDES 256
#define CLI_MAX_ENGINE_ARGS 32

/* The options of every command that loads a scenario; the first member of each such
 * command's argument struct, so the shared handlers can reach it. */
struct cli_scenario_args {
	const char *sets[CLI_MAX_OVERRIDES];   /* --set KEY=VALUE */
	size_t set_count;
	char engine_text[CLI_MAX_ENGINE_ARGS][512];
	const char *engine[CLI_MAX_ENGINE_ARGS + 1]; /* "--log=...", "--cfg=..." for SimGrid; NULL-ended */
	int engine_count;
};

/* --set, --log and --cfg. */
extern const struct cli_option cli_scenario_options[];

/* The overrides of `a` as the scenario takes them. */
struct overrides cli_overrides(const struct cli_scenario_args *a);

/* The located message and the offending line on stderr; returns CLI_BAD_INPUT. */
int cli_report_error(const struct ts_error *err);
/* The last error cli_report_error printed (MPI sends it to rank 0). */
const struct ts_error *cli_last_error(void);
/* stdout may be a closed pipe or a full disk: say so rather than exit 0. */
int cli_finish_output(void);

/* Load the scenario `spec` names and, unless e is NULL, the engine for it (with the SimGrid
 * options of `a`, or none). On failure the error is reported and *status set. An interrupt
 * while loading gives CLI_INTERRUPTED. */
bool cli_open(const struct scenario_spec *spec, const struct cli_scenario_args *a, struct scenario **s,
	      struct engine **e, int *status);
/* The engine of scenario s alone (after cli_open without one, once the inputs are checked). */
bool cli_open_engine(const struct scenario *s, const struct cli_scenario_args *a, struct engine **e, int *status);

/* ---- interrupts: SIGINT and SIGTERM set a flag (no SA_RESTART, so waits wake up) ---- */
void cli_catch_interrupts(void);
bool cli_interrupted(void);
/* The flag itself, for the replica runner to poll. */
volatile sig_atomic_t *cli_interrupt_flag(void);

/* ---- value parsers for option handlers: false with a reason in why ---- */
bool cli_parse_long(const char *v, long min, long max, long *out, char *why, size_t size);

/* ---- the commands ---- */
extern const struct cli_command cli_describe_command, cli_step_command, cli_validate_command, cli_run_command,
	cli_sweep_command, cli_compare_command, cli_merge_command, cli_calibrate_command, cli_explain_command, cli_plan_command,
	cli_sensitivity_command;

int cli_describe(int argc, char **argv);
int cli_step(int argc, char **argv);
int cli_validate(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_merge(int argc, char **argv);
int cli_calibrate(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_plan(int argc, char **argv);
int cli_sensitivity(int argc, char **argv);
/* compare writes to `out` and `err` (tests capture them). */
int cli_compare(int argc, char **argv, FILE *out, FILE *err);

#endif
