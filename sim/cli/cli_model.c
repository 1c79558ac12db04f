/* cli_model: the commands that look at a model without running it: `describe` (a platform in
 * SimGrid), `step` (one training step simulated) and `validate` (files checked). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "report.h"

struct model_args {
	struct cli_scenario_args common; /* first: --set, --log, --cfg */
	bool json;
	const char *platform;            /* validate: the platform workloads are checked against */
};

static bool take_json(void *args, const char *v, char *why, size_t size)
{
	(void)v, (void)why, (void)size;
	((struct model_args *)args)->json = true;
	return true;
}

static bool take_platform(void *args, const char *v, char *why, size_t size)
{
	(void)why, (void)size;
	((struct model_args *)args)->platform = v;
	return true;
}

static const struct cli_option json_option[] = {
	{"json", 0, NULL, "one JSON object instead of text", take_json},
	{0},
};

static const struct cli_option platform_option[] = {
	{"platform", 'p', "FILE", "check workloads against this platform (default: the platform file before "
	 "them, else the built-in default)", take_platform},
	{0},
};

static const struct cli_option *const describe_tables[] = {json_option, cli_scenario_options, NULL};
static const struct cli_option *const validate_tables[] = {platform_option, cli_scenario_options, NULL};

const struct cli_command cli_describe_command = {
	"describe", "[PLATFORM] [options]", "load a platform into SimGrid and describe it",
	"Loads PLATFORM (no file: the built-in platforms/h100-16k.yaml) into SimGrid and reports its\n"
	"inventory, links by kind, peak compute, IT power with PDU and feed headroom, bisection\n"
	"bandwidth, and the route SimGrid computes for one GPU pair at each level.",
	describe_tables, 0, 1, "takes one platform file, or none",
};

const struct cli_command cli_step_command = {
	"step", "[PLATFORM WORKLOAD] [options]",
	"simulate one training step: step time, MFU, where it goes, the failure-free run",
	"Places WORKLOAD on PLATFORM as Megatron does (no files: Llama 3 405B on its 16,384-GPU\n"
	"cluster), simulates one step of every collective in SimGrid on the real links, and reports\n"
	"the step time, MFU, where the step goes and the failure-free time of the whole run.",
	describe_tables, 0, 2, "takes a platform and a workload, or neither",
};

const struct cli_command cli_validate_command = {
	"validate", "FILE... [options]", "check platform and workload files, the first error of each",
	"Checks each file as the platform or workload it is (told apart by its keys) and reports the\n"
	"first error of each with its file, line and column. A workload is checked against the\n"
	"platform given with --platform, else the last platform file before it, else the built-in one.",
	validate_tables, 1, -1, "needs at least one platform or workload file",
};

/* Parse `cmd`'s options; CLI_OK to go on, else the status to exit with. */
static int parse(const struct cli_command *cmd, int argc, char **argv, struct model_args *a, const char **files,
		 int *count)
{
	*a = (struct model_args){0};
	int status = cli_parse(cmd, argc, argv, a, files, count, stdout, stderr);
	return status == CLI_PARSE_HELP ? -1 : status;
}

static int describe_loaded(const struct scenario *s, const struct engine *e, bool json)
{
	struct platform_description d;
	if (!describe_platform(s->platform, e->cluster, &d)) {
		fprintf(stderr, "trainsim: out of memory describing the platform\n");
		return CLI_BAD_INPUT;
	}
	if (json)
		report_describe_json(stdout, &d);
	else
		report_describe_text(stdout, &d);
	describe_finish(&d);
	return cli_finish_output();
}

int cli_describe(int argc, char **argv)
{
	struct model_args a;
	const char *files[1];
	int count, status = parse(&cli_describe_command, argc, argv, &a, files, &count);
	if (status)
		return status < 0 ? cli_finish_output() : status;
	struct scenario_spec spec = {.platform = {.path = count ? files[0] : NULL}, .platform_only = true,
				     .overrides = cli_overrides(&a.common)};
	struct scenario *s;
	struct engine *e;
	if (!cli_open(&spec, &a.common, &s, &e, &status))
		return status;
	status = describe_loaded(s, e, a.json);
	engine_destroy(e);
	scenario_destroy(s);
	return status;
}

int cli_step(int argc, char **argv)
{
	struct model_args a;
	const char *files[2];
	int count, status = parse(&cli_step_command, argc, argv, &a, files, &count);
	if (status)
		return status < 0 ? cli_finish_output() : status;
	if (count == 1)
		return cli_command_error(&cli_step_command, stderr, "takes a platform and a workload, or neither");
	struct scenario_spec spec = {.platform = {.path = count ? files[0] : NULL},
				     .workload = {.path = count ? files[1] : NULL}, .overrides = cli_overrides(&a.common)};
	struct scenario *s;
	struct engine *e;
	if (!cli_open(&spec, &a.common, &s, &e, &status))
		return status;
	struct step_report r = {.platform = s->platform, .workload = s->workload, .step = e->healthy, .plan = e->plan,
				.memory = workload_memory_per_gpu(s->workload)};
	if (a.json)
		report_step_json(stdout, &r);
	else
		report_step_text(stdout, &r);
	engine_destroy(e);
	scenario_destroy(s);
	return cli_finish_output();
}

/* One file checked: as a platform, or as a workload on `platform` (NULL: the built-in one). */
static bool validate_one(const char *path, const char *platform, const struct model_args *a)
{
	struct ts_error err = {0};
	enum scenario_kind kind;
	if (!scenario_file_kind(path, &kind, &err))
		return cli_report_error(&err) == CLI_OK;
	struct scenario_spec spec = {.overrides = cli_overrides(&a->common)};
	if (kind == SCENARIO_PLATFORM)
		spec.platform.path = path, spec.platform_only = true;
	else
		spec.platform.path = platform, spec.workload.path = path;
	struct scenario *s = NULL;
	bool ok = scenario_load(&spec, &s, &err);
	if (!ok)
		cli_report_error(&err);
	else if (kind == SCENARIO_PLATFORM)
		printf("%s: ok (%ld GPUs)\n", path, s->platform->counts.gpus);
	else
		printf("%s: ok (workload of %ld GPUs on %s)\n", path, s->workload->job.gpus, s->platform->name);
	scenario_destroy(s);
	return ok;
}

int cli_validate(int argc, char **argv)
{
	struct model_args a;
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	if (!files)
		return cli_report_error(&(struct ts_error){.message = "out of memory"});
	int count, status = parse(&cli_validate_command, argc, argv, &a, files, &count);
	const char *platform = a.platform;
	bool ok = true;
	for (int i = 0; status == CLI_OK && i < count; i++) {
		enum scenario_kind kind;
		struct ts_error err = {0};
		if (!a.platform && scenario_file_kind(files[i], &kind, &err) && kind == SCENARIO_PLATFORM)
			platform = files[i]; /* the platform of the workloads after it */
		ok &= validate_one(files[i], platform, &a);
	}
	free(files);
	if (status)
		return status < 0 ? cli_finish_output() : status;
	return ok ? cli_finish_output() : CLI_BAD_INPUT;
}
