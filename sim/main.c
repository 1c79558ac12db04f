/* main: the trainsim command line. Parses arguments, calls the library, prints results and
 * errors, and decides the exit status: 0 ok, 1 a check failed, 2 bad input or usage. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "error.h"
#include "platform.h"
#include "report.h"
#include "placement.h"
#include "runplan.h"
#include "sg_platform.h"
#include "steptime.h"
#include "workload.h"
#include "trainsim_config.h"

enum { EXIT_OK = 0, EXIT_CHECK_FAILED = 1, EXIT_BAD_INPUT = 2 };

static const char usage_text[] =
	"usage: trainsim COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  describe [PLATFORM] [--json]  load a platform into SimGrid and describe it\n"
	"                                (no PLATFORM: the built-in default, platforms/h100-16k.yaml)\n"
	"  step [PLATFORM WORKLOAD] [--json]\n"
	"                                simulate one training step on the cluster: step time, MFU,\n"
	"                                where it goes, and the failure-free time of the whole run\n"
	"                                (no files: workloads/llama3-405b.yaml on platforms/h100-16k.yaml)\n"
	"  validate PLATFORM...          check platform files and report the first error of each\n"
	"  help                          this text\n"
	"  version                       print the version\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "trainsim: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n%s", usage_text);
	va_end(ap);
	return EXIT_BAD_INPUT;
}

static int report_error(const struct ts_error *err)
{
	char line[ERROR_MESSAGE_MAX + ERROR_FILE_MAX + 32], excerpt[600];
	fprintf(stderr, "%s\n", error_format(err, line, sizeof line));
	if (error_excerpt(err, excerpt, sizeof excerpt)[0])
		fprintf(stderr, "%s\n", excerpt);
	return EXIT_BAD_INPUT;
}

static bool load_platform(const char *path, struct platform **out, struct ts_error *err)
{
	return path ? platform_load_file(path, out, err) : platform_load_default(out, err);
}

/* stdout may be a closed pipe or a full disk: say so rather than exit 0. */
static int finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "trainsim: cannot write the output\n");
		return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}

static int cmd_describe(int argc, char **argv)
{
	const char *path = NULL;
	bool json = false;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_error("describe: unknown option '%s'", argv[i]);
		else if (path)
			return usage_error("describe takes one platform file; '%s' is one too many", argv[i]);
		else
			path = argv[i];
	}
	struct ts_error err = {0};
	struct platform *p = NULL;
	struct sg_cluster *c = NULL;
	if (!load_platform(path, &p, &err) || !sg_platform_load(p, &c, &err)) {
		platform_destroy(p);
		return report_error(&err);
	}
	struct platform_description d;
	int status = EXIT_OK;
	if (!describe_platform(p, c, &d)) {
		fprintf(stderr, "trainsim: out of memory describing the platform\n");
		status = EXIT_BAD_INPUT;
	} else if (json) {
		report_describe_json(stdout, &d);
	} else {
		report_describe_text(stdout, &d);
	}
	describe_finish(&d);
	sg_platform_destroy(c);
	platform_destroy(p);
	return status == EXIT_OK ? finish_output() : status;
}

/* Positional files and --json; `wanted` files or none (the built-in defaults). */
static int parse_files(int argc, char **argv, const char *cmd, const char **files, int wanted, bool *json)
{
	int n = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			*json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return usage_error("%s: unknown option '%s'", cmd, argv[i]);
		else if (n == wanted)
			return usage_error("%s takes at most %d files; '%s' is one too many", cmd, wanted, argv[i]);
		else
			files[n++] = argv[i];
	}
	if (n != 0 && n != wanted)
		return usage_error("%s takes a platform and a workload, or neither", cmd);
	return EXIT_OK;
}

/* Everything `step` computes, freed in one place. */
struct step_session {
	struct platform *platform;
	struct workload *workload;
	struct sg_cluster *cluster;
	struct placement placement;
	struct steptime *steptime;
};

static void step_session_finish(struct step_session *s)
{
	steptime_destroy(s->steptime);
	placement_finish(&s->placement);
	sg_platform_destroy(s->cluster);
	workload_destroy(s->workload);
	platform_destroy(s->platform);
}

static bool step_session_load(struct step_session *s, const char *platform_path, const char *workload_path,
			      struct ts_error *err)
{
	bool ok = load_platform(platform_path, &s->platform, err) &&
		  (workload_path ? workload_load_file(workload_path, s->platform, &s->workload, err)
				 : workload_load_default(s->platform, &s->workload, err)) &&
		  sg_platform_load(s->platform, &s->cluster, err);
	if (ok && !placement_init(&s->placement, s->platform, s->workload))
		ok = error_set(err, "", 0, 0, "out of memory placing the job");
	return ok && steptime_create(s->platform, s->workload, s->cluster, &s->steptime, err);
}

static int cmd_step(int argc, char **argv)
{
	const char *files[2] = {NULL, NULL};
	bool json = false;
	int status = parse_files(argc, argv, "step", files, 2, &json);
	if (status != EXIT_OK)
		return status;
	struct ts_error err = {0};
	struct step_session s = {0};
	struct step_report r = {0};
	if (!step_session_load(&s, files[0], files[1], &err) ||
	    !steptime_compute(s.steptime, &s.placement, NULL, &r.step, &err)) {
		step_session_finish(&s);
		return report_error(&err);
	}
	r.platform = s.platform;
	r.workload = s.workload;
	r.plan = runplan_compute(s.platform, s.workload, &r.step);
	r.memory = workload_memory_per_gpu(s.workload);
	if (json)
		report_step_json(stdout, &r);
	else
		report_step_text(stdout, &r);
	step_session_finish(&s);
	return finish_output();
}

static int cmd_validate(int argc, char **argv)
{
	if (argc == 0)
		return usage_error("validate needs at least one platform file");
	int status = EXIT_OK;
	for (int i = 0; i < argc; i++) {
		struct ts_error err = {0};
		struct platform *p = NULL;
		if (platform_load_file(argv[i], &p, &err))
			printf("%s: ok (%ld GPUs)\n", argv[i], p->counts.gpus);
		else
			status = report_error(&err);
		platform_destroy(p);
	}
	return status != EXIT_OK ? status : finish_output();
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("no command given");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "describe"))
		return cmd_describe(argc - 2, argv + 2);
	if (!strcmp(cmd, "step"))
		return cmd_step(argc - 2, argv + 2);
	if (!strcmp(cmd, "validate"))
		return cmd_validate(argc - 2, argv + 2);
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage_text, stdout);
		return finish_output();
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("trainsim %s\n", TRAINSIM_VERSION);
		return finish_output();
	}
	return usage_error("unknown command '%s'", cmd);
}
