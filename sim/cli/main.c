/* main: the trainsim command line: dispatches to the commands and returns their exit status
 * (0 ok, 1 a check failed, 2 bad input or usage, 130 interrupted). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_mpi.h"
#include "trainsim_config.h"

static int compare(int argc, char **argv)
{
	return cli_compare(argc, argv, stdout, stderr);
}

struct entry {
	const struct cli_command *command;
	int (*run)(int argc, char **argv);
	bool over_ranks;  /* under MPI every rank takes part; other commands run on rank 0 alone */
};

static const struct entry commands[] = {
	{&cli_describe_command, cli_describe, false}, {&cli_step_command, cli_step, false},
	{&cli_run_command, cli_run, true},            {&cli_sweep_command, cli_sweep, true},
	{&cli_explain_command, cli_explain, false},    {&cli_plan_command, cli_plan, false},
	{&cli_sensitivity_command, cli_sensitivity, false},
	{&cli_merge_command, cli_merge, false},       {&cli_compare_command, compare, false},
	{&cli_validate_command, cli_validate, false},
	{&cli_calibrate_command, cli_calibrate, false},
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void list_commands(FILE *out)
{
	fprintf(out, "usage: trainsim COMMAND [ARGS]\n\n"
		     "How long will this pretraining run really take on this cluster, and why?\n\ncommands:\n");
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		fprintf(out, "  %-11s %s\n", commands[i].command->name, commands[i].command->summary);
	fprintf(out, "  %-11s %s\n  %-11s %s\n\n'trainsim COMMAND --help' (or 'trainsim help COMMAND') lists a command's "
		     "options.\n", "help", "this list, or a command's options", "version", "print the version");
}

static const struct entry *find(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (!strcmp(commands[i].command->name, name))
			return &commands[i];
	return NULL;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "trainsim: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n\n");
	list_commands(stderr);
	return CLI_BAD_INPUT;
}

/* A command of main's own that was given an argument it does not take. */
static int too_many(const char *command, const char *takes, const char *extra)
{
	fprintf(stderr, "trainsim %s: takes %s; '%s' is one too many\n", command, takes, extra);
	return CLI_BAD_INPUT;
}

static int help(int argc, char **argv)
{
	if (argc > 3)
		return too_many("help", "at most one command", argv[3]);
	if (argc < 3) {
		list_commands(stdout);
		return cli_finish_output();
	}
	const struct entry *e = find(argv[2]);
	if (!e)
		return usage_error("help: unknown command '%s'", argv[2]);
	cli_help(e->command, stdout);
	return cli_finish_output();
}

static int dispatch(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "no command given");
	const char *cmd = argv[1];
	const struct entry *e = find(cmd);
	if (e && (e->over_ranks || cli_mpi_rank() == 0))
		return e->run(argc - 1, argv + 1);
	if (cli_mpi_rank() != 0)
		return CLI_OK;
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
		return help(argc, argv);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		if (argc == 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
			printf("usage: trainsim version\n\nPrints the version of trainsim.\n");
			return cli_finish_output();
		}
		if (argc > 2) /* an option or word it does not take is a usage error, as for every command */
			return too_many("version", "no arguments", argv[2]);
		printf("trainsim %s\n", TRAINSIM_VERSION);
		return cli_finish_output();
	}
	return usage_error("unknown command '%s'", cmd);
}

/* Under MPI only rank 0 speaks: the others' output would repeat it, and what they alone
 * know (their own failures) reaches rank 0 by message. */
static void other_ranks_quiet(void)
{
	if (cli_mpi_rank() != 0 && (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)))
		_exit(CLI_CHECK_FAILED);
}

int main(int argc, char **argv)
{
	cli_mpi_start(&argc, &argv);
	other_ranks_quiet();
	cli_catch_interrupts();
	return cli_mpi_finish(dispatch(argc, argv));
}
