/* cli: what the trainsim commands share (see cli.h). */
#include "cli.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* stdout may be a closed pipe or a full disk: say so rather than exit 0. */
int cli_finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "trainsim: cannot write the output\n");
		return CLI_BAD_INPUT;
	}
	return CLI_OK;
}

bool cli_engine_arg(struct cli_engine_args *a, const char *arg)
{
	if (strncmp(arg, "--log=", 6) && strncmp(arg, "--cfg=", 6))
		return false;
	if (a->count < CLI_MAX_ENGINE_ARGS)
		a->items[a->count++] = arg;
	a->items[a->count] = NULL;
	return true;
}

bool cli_open(const struct scenario_spec *spec, const struct cli_engine_args *args, struct scenario **s,
	      struct engine **e, int *status)
{
	struct ts_error err = {0};
	*s = NULL;
	if (e)
		*e = NULL;
	bool ok = scenario_load(spec, s, &err) && (!e || engine_load(*s, args ? args->items : NULL, e, &err));
	if (!ok)
		*status = cli_report_error(&err);
	return ok;
}

/* ---- interrupts ---- */

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

void cli_catch_interrupts(void)
{
	struct sigaction stop = {.sa_handler = on_interrupt};
	sigemptyset(&stop.sa_mask);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
}

bool cli_interrupted(void)
{
	return interrupted != 0;
}

volatile sig_atomic_t *cli_interrupt_flag(void)
{
	return &interrupted;
}
