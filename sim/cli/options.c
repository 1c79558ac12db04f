/* options: tables of options through getopt_long (see options.h). */
#include "options.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>


#define MAX_OPTIONS 64
/* getopt_long's value for option i of the flattened tables (above any character). */
#define OPTION_VAL(i) (256 + (i))

/* The command's tables as one array, plus --help. */
struct flat {
	const struct cli_option *items[MAX_OPTIONS];
	size_t count;
};

static const struct cli_option help_option = {"help", 'h', NULL, "print this help and exit", NULL};

static void flatten(const struct cli_command *cmd, struct flat *f)
{
	f->count = 0;
	for (size_t t = 0; cmd->tables && cmd->tables[t]; t++)
		for (const struct cli_option *o = cmd->tables[t]; o->name && f->count < MAX_OPTIONS - 1; o++)
			f->items[f->count++] = o;
	f->items[f->count++] = &help_option;
}

/* getopt_long's tables: the long options and the short ones ("-:" first: positional
 * arguments come back in order as 1, and a missing value as ':'). */
static void getopt_tables(const struct flat *f, struct option *longs, char *shorts)
{
	size_t s = 0;
	shorts[s++] = '-';
	shorts[s++] = ':';
	for (size_t i = 0; i < f->count; i++) {
		const struct cli_option *o = f->items[i];
		longs[i] = (struct option){o->name, o->value ? required_argument : no_argument, NULL, OPTION_VAL(i)};
		if (o->short_name) {
			shorts[s++] = o->short_name;
			if (o->value)
				shorts[s++] = ':';
		}
	}
	longs[f->count] = (struct option){0};
	shorts[s] = '\0';
}

int cli_command_error(const struct cli_command *cmd, FILE *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(err, "trainsim %s: ", cmd->name);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fprintf(err, "\nusage: trainsim %s %s\n'trainsim %s --help' lists the options.\n", cmd->name, cmd->synopsis,
		cmd->name);
	return CLI_PARSE_USAGE;
}

/* The option getopt_long returned `c` for: by our value, or by its short name. */
static const struct cli_option *option_of(const struct flat *f, int c)
{
	if (c >= OPTION_VAL(0) && c < OPTION_VAL((int)f->count))
		return f->items[c - OPTION_VAL(0)];
	for (size_t i = 0; i < f->count; i++)
		if (f->items[i]->short_name && f->items[i]->short_name == c)
			return f->items[i];
	return NULL;
}

/* The option as the user wrote it, for messages: "--seed", or "-s" when given short. */
static void spelled(const struct cli_option *o, bool as_short, char *buf, size_t size)
{
	if (as_short && o->short_name)
		snprintf(buf, size, "-%c", o->short_name);
	else
		snprintf(buf, size, "--%s", o->name);
}

/* getopt_long said '?' or ':': name what was wrong with the argument at argv[optind - 1]. */
static int bad_option(const struct cli_command *cmd, const struct flat *f, int c, char **argv, FILE *err)
{
	const char *arg = argv[optind - 1];
	const struct cli_option *o = optopt ? option_of(f, optopt) : NULL;
	char name[96];
	if (!o) {
		size_t n = strcspn(arg, "=");
		return cli_command_error(cmd, err, "unknown option '%.*s'", (int)(n < 80 ? n : 80), arg);
	}
	spelled(o, arg[0] == '-' && arg[1] != '-', name, sizeof name);
	if (c == ':')
		return cli_command_error(cmd, err, "%s needs a value (%s)", name, o->value);
	return cli_command_error(cmd, err, "%s takes no value", name);
}

static int take(const struct cli_command *cmd, const struct cli_option *o, void *args, bool as_short, FILE *err)
{
	char why[1024] = "", name[96];
	if (!o->handle(args, optarg, why, sizeof why)) {
		spelled(o, as_short, name, sizeof name);
		return cli_command_error(cmd, err, "%s: %s", name, why);
	}
	return CLI_PARSE_OK;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, void *args, const char **positional, int *count,
	      FILE *out, FILE *err)
{
	struct flat f;
	struct option longs[MAX_OPTIONS + 1];
	char shorts[2 * MAX_OPTIONS + 3];
	flatten(cmd, &f);
	getopt_tables(&f, longs, shorts);
	*count = 0;
	optind = 0; /* glibc: start afresh */
	opterr = 0;
	int c, long_index = -1;
	while ((c = getopt_long(argc, argv, shorts, longs, &long_index)) != -1) {
		bool as_short = long_index < 0;
		long_index = -1;
		if (c == 1) {
			if (cmd->max_args >= 0 && *count >= cmd->max_args)
				return cli_command_error(cmd, err, "%s; '%s' is one too many", cmd->args_error, optarg);
			positional[(*count)++] = optarg;
			continue;
		}
		const struct cli_option *o = (c == '?' || c == ':') ? NULL : option_of(&f, c);
		if (!o)
			return bad_option(cmd, &f, c, argv, err);
		if (o == &help_option) {
			cli_help(cmd, out);
			return CLI_PARSE_HELP;
		}
		int status = take(cmd, o, args, as_short, err);
		if (status != CLI_PARSE_OK)
			return status;
	}
	for (; optind < argc; optind++) /* after "--" */
		if (cmd->max_args < 0 || *count < cmd->max_args)
			positional[(*count)++] = argv[optind];
		else
			return cli_command_error(cmd, err, "%s; '%s' is one too many", cmd->args_error, argv[optind]);
	if (*count < cmd->min_args)
		return cli_command_error(cmd, err, "%s", cmd->args_error);
	return CLI_PARSE_OK;
}

void cli_help(const struct cli_command *cmd, FILE *out)
{
	struct flat f;
	flatten(cmd, &f);
	fprintf(out, "usage: trainsim %s %s\n\n%s\n\noptions:\n", cmd->name, cmd->synopsis, cmd->description);
	for (size_t i = 0; i < f.count; i++) {
		const struct cli_option *o = f.items[i];
		char left[64];
		snprintf(left, sizeof left, "%s%c%s--%s%s%s", o->short_name ? "-" : " ", o->short_name ? o->short_name : ' ',
			 o->short_name ? ", " : "  ", o->name, o->value ? " " : "", o->value ? o->value : "");
		fprintf(out, "  %-26s %s\n", left, o->help);
	}
}
