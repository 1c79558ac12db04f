/* fuzz_set: libFuzzer target for `--set KEY=VALUE` overrides. Each line of the input is one
 * override: all of them are applied to the built-in default scenario, and each line is also
 * given to `trainsim run`'s option parser as --set's value. Any input must give a scenario or
 * a located error, never a crash, a leak or undefined behaviour (see README, Development). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_run.h"
#include "scenario.h"

#define MAX_ITEMS 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

/* `text` split in place at '\n' into at most MAX_ITEMS items (a last '\n' ends the last line
 * rather than starting an empty one); returns their count. */
static size_t split_lines(char *text, size_t size, const char *items[MAX_ITEMS])
{
	if (size && text[size - 1] == '\n')
		text[--size] = '\0';
	size_t count = 0;
	for (char *line = size ? text : NULL; line && count < MAX_ITEMS; count++) {
		items[count] = line;
		line = strchr(line, '\n');
		if (line)
			*line++ = '\0';
	}
	return count;
}

/* The line as --set's value, the first as --set=VALUE and the others as "--set VALUE". */
static void parse_option(const char *value, int spelling)
{
	struct run_args a;
	run_args_init(&a);
	char joined[4200];
	snprintf(joined, sizeof joined, "--set=%s", value);
	char *argv[] = {"run", spelling ? "--set" : joined, spelling ? (char *)value : NULL, NULL};
	const char *files[2];
	int count;
	int argc = spelling ? 3 : 2;
	int status = cli_parse(&cli_run_command, argc, argv, &a, files, &count, devnull, devnull);
	if (status == CLI_PARSE_OK && (a.common.set_count != 1 || strcmp(a.common.sets[0], value)))
		abort(); /* an accepted --set must be kept as given */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	const char *items[MAX_ITEMS];
	size_t count = split_lines(text, size, items);
	for (size_t i = 0; i < count; i++)
		parse_option(items[i], (int)(i % 2));
	struct scenario_spec spec = {.overrides = {items, count}};
	struct scenario *s = NULL;
	struct ts_error err = {0};
	if (scenario_load(&spec, &s, &err))
		scenario_destroy(s);
	else if (!err.message[0])
		abort(); /* a refusal must say why */
	free(text);
	return 0;
}
