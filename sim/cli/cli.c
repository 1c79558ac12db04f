/* cli: what the trainsim commands share: usage, error reports, output checks, and loading
 * a platform and workload into SimGrid with a step-time model. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>

const char cli_usage_text[] =
	"usage: trainsim COMMAND [ARGS]\n"
	"\n"
	"commands:\n"
	"  describe [PLATFORM] [--json]  load a platform into SimGrid and describe it\n"
	"                                (no PLATFORM: the built-in default, platforms/h100-16k.yaml)\n"
	"  step [PLATFORM WORKLOAD] [--json]\n"
	"                                simulate one training step on the cluster: step time, MFU,\n"
	"                                where it goes, and the failure-free time of the whole run\n"
	"                                (no files: workloads/llama3-405b.yaml on platforms/h100-16k.yaml)\n"
	"  run [PLATFORM WORKLOAD] [--seed N] [--horizon DURATION] [--set KEY=VALUE]...\n"
	"      [--replicas N] [--jobs J] [--out DIR] [--json] [--quiet] [--events N]\n"
	"      [--failure-scale X] [--failure-log CSV]\n"
	"                                simulate the whole run with failures, repairs and restarts:\n"
	"                                wall-clock, finish date, slip, ETTR, where the time went;\n"
	"                                N replicas (seeds S, S+1, ... from --seed S) in J processes\n"
	"                                (default: one per core) give the distribution. --out DIR\n"
	"                                writes summary.json, replicas.csv, events.csv (the first\n"
	"                                --events replicas, default 10) and timeline.json\n"
	"  sweep PLATFORM WORKLOAD --vary KEY=V1,V2,... [--vary ...] [run options]\n"
	"                                the run for every combination of the values: the estimate\n"
	"                                and its change against the first point (sweep.csv with --out)\n"
	"  compare BASE.json NEW.json [--tolerance 2%] [--metric p50|mean|p90] [--force]\n"
	"                                compare two summaries: exit 0 within tolerance, 1 on a\n"
	"                                regression, 2 on bad input\n"
	"  validate PLATFORM...          check platform files and report the first error of each\n"
	"  help                          this text\n"
	"  version                       print the version\n";

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "trainsim: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n%s", cli_usage_text);
	va_end(ap);
	return CLI_BAD_INPUT;
}

int cli_report_error(const struct ts_error *err)
{
	char line[ERROR_MESSAGE_MAX + ERROR_FILE_MAX + 32], excerpt[600];
	fprintf(stderr, "%s\n", error_format(err, line, sizeof line));
	if (error_excerpt(err, excerpt, sizeof excerpt)[0])
		fprintf(stderr, "%s\n", excerpt);
	return CLI_BAD_INPUT;
}

bool cli_load_platform(const char *path, struct platform **out, struct ts_error *err)
{
	return path ? platform_load_file(path, out, err) : platform_load_default(out, err);
}

/* stdout may be a closed pipe or a full disk: say so rather than exit 0. */
int cli_finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "trainsim: cannot write the output\n");
		return CLI_BAD_INPUT;
	}
	return CLI_OK;
}

void cli_session_finish(struct cli_session *s)
{
	steptime_destroy(s->steptime);
	placement_finish(&s->placement);
	sg_platform_destroy(s->cluster);
	workload_destroy(s->workload);
	platform_destroy(s->platform);
}

bool cli_session_load(struct cli_session *s, const char *platform_path, const char *workload_path,
			      struct ts_error *err)
{
	bool ok = cli_load_platform(platform_path, &s->platform, err) &&
		  (workload_path ? workload_load_file(workload_path, s->platform, &s->workload, err)
				 : workload_load_default(s->platform, &s->workload, err)) &&
		  sg_platform_load(s->platform, &s->cluster, err);
	if (ok && !placement_init(&s->placement, s->platform, s->workload))
		ok = error_set(err, "", 0, 0, "out of memory placing the job");
	return ok && steptime_create(s->platform, s->workload, s->cluster, &s->steptime, err);
}

