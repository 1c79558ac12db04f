/* main: the trainsim command line: dispatches to the commands (describe, step, validate
 * here; run, sweep and compare in cli_*.c) and returns their exit status. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "describe.h"
#include "report.h"
#include "trainsim_config.h"

static int cmd_describe(int argc, char **argv)
{
	const char *path = NULL;
	bool json = false;
	struct cli_engine_args engine_args = {0};
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (cli_engine_arg(&engine_args, argv[i]))
			continue;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("describe: unknown option '%s'", argv[i]);
		else if (path)
			return cli_usage_error("describe takes one platform file; '%s' is one too many", argv[i]);
		else
			path = argv[i];
	}
	struct scenario_spec spec = {.platform = {.path = path}, .platform_only = true};
	struct scenario *s;
	struct engine *e;
	int status = CLI_OK;
	if (!cli_open(&spec, &engine_args, &s, &e, &status))
		return status;
	struct platform_description d;
	if (!describe_platform(s->platform, e->cluster, &d)) {
		fprintf(stderr, "trainsim: out of memory describing the platform\n");
		status = CLI_BAD_INPUT;
	} else if (json) {
		report_describe_json(stdout, &d);
	} else {
		report_describe_text(stdout, &d);
	}
	describe_finish(&d);
	engine_destroy(e);
	scenario_destroy(s);
	return status == CLI_OK ? cli_finish_output() : status;
}

/* Positional files and --json; `wanted` files or none (the built-in defaults). */
static int parse_files(int argc, char **argv, const char *cmd, const char **files, int wanted, bool *json,
		       struct cli_engine_args *engine_args)
{
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			*json = true;
		else if (cli_engine_arg(engine_args, argv[i]))
			continue;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("%s: unknown option '%s'", cmd, argv[i]);
		else if (n == wanted)
			return cli_usage_error("%s takes at most %d files; '%s' is one too many", cmd, wanted, argv[i]);
		else
			files[n++] = argv[i];
	}
	if (n != 0 && n != wanted)
		return cli_usage_error("%s takes a platform and a workload, or neither", cmd);
	return CLI_OK;
}

static int cmd_step(int argc, char **argv)
{
	const char *files[2] = {NULL, NULL};
	bool json = false;
	struct cli_engine_args engine_args = {0};
	int status = parse_files(argc, argv, "step", files, 2, &json, &engine_args);
	if (status != CLI_OK)
		return status;
	struct scenario_spec spec = {.platform = {.path = files[0]}, .workload = {.path = files[1]}};
	struct scenario *s;
	struct engine *e;
	if (!cli_open(&spec, &engine_args, &s, &e, &status))
		return status;
	struct step_report r = {.platform = s->platform, .workload = s->workload, .step = e->healthy, .plan = e->plan,
				.memory = workload_memory_per_gpu(s->workload)};
	if (json)
		report_step_json(stdout, &r);
	else
		report_step_text(stdout, &r);
	engine_destroy(e);
	scenario_destroy(s);
	return cli_finish_output();
}

static int cmd_validate(int argc, char **argv)
{
	if (argc == 0)
		return cli_usage_error("validate needs at least one platform file");
	int status = CLI_OK;
	for (int i = 0; i < argc; i++) {
		struct ts_error err = {0};
		struct scenario *s = NULL;
		struct scenario_spec spec = {.platform = {.path = argv[i]}, .platform_only = true};
		if (scenario_load(&spec, &s, &err))
			printf("%s: ok (%ld GPUs)\n", argv[i], s->platform->counts.gpus);
		else
			status = cli_report_error(&err);
		scenario_destroy(s);
	}
	return status != CLI_OK ? status : cli_finish_output();
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("no command given");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "describe"))
		return cmd_describe(argc - 2, argv + 2);
	if (!strcmp(cmd, "run"))
		return cli_run(argc - 2, argv + 2);
	if (!strcmp(cmd, "sweep"))
		return cli_sweep(argc - 2, argv + 2);
	if (!strcmp(cmd, "compare")) /* flushes and checks its own output */
		return compare_main(argc - 1, argv + 1, stdout, stderr);
	if (!strcmp(cmd, "step"))
		return cmd_step(argc - 2, argv + 2);
	if (!strcmp(cmd, "validate"))
		return cmd_validate(argc - 2, argv + 2);
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(cli_usage_text, stdout);
		return cli_finish_output();
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("trainsim %s\n", TRAINSIM_VERSION);
		return cli_finish_output();
	}
	return cli_usage_error("unknown command '%s'", cmd);
}
