/* options: every command's options as a table (long name, short name, value, help, handler),
 * parsed with glibc's getopt_long; `--help` and the usage lines are generated from the same
 * table, so what a command accepts and what its help says cannot drift apart. */
#ifndef TRAINSIM_OPTIONS_H
#define TRAINSIM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Takes an option's value (NULL for a flag) into the command's argument struct. false with
 * a reason in why[size] ("'soon' is not a number"), which the parser reports as
 * "trainsim run: --horizon: 'soon' is not a number". */
typedef bool (*cli_handler)(void *args, const char *value, char *why, size_t size);

struct cli_option {
	const char *name;    /* long name, without "--"; NULL ends a table */
	char short_name;     /* or 0 */
	const char *value;   /* what the value is ("N", "DURATION"), or NULL for a flag */
	const char *help;
	cli_handler handle;
};

struct cli_command {
	const char *name;
	const char *synopsis;     /* after "trainsim NAME": "[PLATFORM WORKLOAD] [options]" */
	const char *summary;      /* one line, for `trainsim help` */
	const char *description;  /* the paragraph --help prints */
	const struct cli_option *const *tables; /* option tables, NULL-terminated */
	int min_args, max_args;   /* positional arguments (max -1: any number) */
	const char *args_error;   /* what to say when their count is wrong */
};

/* What cli_parse returns besides a command's own usage-error status. */
enum { CLI_PARSE_OK = 0, CLI_PARSE_HELP = -1, CLI_PARSE_USAGE = 2 };

/* Parse argv (argv[0] is the command's name) into `args`, the positional arguments into
 * positional[] (room for max_args, or argc, entries) and their count. Returns CLI_PARSE_OK,
 * CLI_PARSE_HELP after printing the help on `out` (exit 0), or the exit status of a usage
 * error already reported on `err`: an unknown option (named as unknown), a missing or
 * unwanted value, a bad value, or a wrong count of positional arguments. */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, void *args, const char **positional,
	      int *count, FILE *out, FILE *err);

/* The command's --help text. */
void cli_help(const struct cli_command *cmd, FILE *out);

/* "trainsim NAME: message", then the usage line and where to find the options, on `err`;
 * returns the usage-error exit status (CLI_PARSE_USAGE, 2). */
int cli_command_error(const struct cli_command *cmd, FILE *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
