/* main: the trainsim command line. Parses arguments, calls the library, prints results and
 * errors, and decides the exit status: 0 ok, 1 a check failed, 2 bad input or usage. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "describe.h"
#include "error.h"
#include "platform.h"
#include "report.h"
#include "sg_platform.h"
#include "trainsim_config.h"

enum { EXIT_OK = 0, EXIT_CHECK_FAILED = 1, EXIT_BAD_INPUT = 2 };

static const char usage_text[] =
	"usage: trainsim COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  describe [PLATFORM] [--json]  load a platform into SimGrid and describe it\n"
	"                                (no PLATFORM: the built-in default, platforms/h100-16k.yaml)\n"
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
