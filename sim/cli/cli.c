/* cli: what the trainsim commands share (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ts_error last_error;

const struct ts_error *cli_last_error(void)
{
	return &last_error;
}

int cli_report_error(const struct ts_error *err)
{
	if (err != &last_error)
		last_error = *err;
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

bool cli_parse_long(const char *v, long min, long max, long *out, char *why, size_t size)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (*end || end == v || errno || n < min || n > max) {
		snprintf(why, size, "'%s' is not a whole number from %ld to %ld", v, min, max);
		return false;
	}
	*out = n;
	return true;
}

/* ---- --set, --log, --cfg ---- */

static bool take_set(void *args, const char *v, char *why, size_t size)
{
	struct cli_scenario_args *a = args;
	if (a->set_count == CLI_MAX_OVERRIDES) {
		snprintf(why, size, "is given more than %d times", CLI_MAX_OVERRIDES);
		return false;
	}
	if (!strchr(v, '=') || v[0] == '=') {
		snprintf(why, size, "'%s' is not KEY=VALUE; expected a dotted key such as operations.technicians.per_site=8",
			 v);
		return false;
	}
	a->sets[a->set_count++] = v;
	return true;
}

static bool take_engine(struct cli_scenario_args *a, const char *kind, const char *v, char *why, size_t size)
{
	if (a->engine_count == CLI_MAX_ENGINE_ARGS) {
		snprintf(why, size, "SimGrid takes at most %d --log and --cfg options here", CLI_MAX_ENGINE_ARGS);
		return false;
	}
	char *text = a->engine_text[a->engine_count];
	int n = snprintf(text, sizeof a->engine_text[0], "--%s=%s", kind, v);
	if (n < 0 || (size_t)n >= sizeof a->engine_text[0]) {
		snprintf(why, size, "is longer than %zu characters", sizeof a->engine_text[0] - 8);
		return false;
	}
	a->engine[a->engine_count++] = text;
	a->engine[a->engine_count] = NULL;
	return true;
}

static bool take_log(void *args, const char *v, char *why, size_t size)
{
	return take_engine(args, "log", v, why, size);
}

static bool take_cfg(void *args, const char *v, char *why, size_t size)
{
	return take_engine(args, "cfg", v, why, size);
}

const struct cli_option cli_scenario_options[] = {
	{"set", 0, "KEY=VALUE", "override a key of the platform or workload by its dotted path (repeatable)", take_set},
	{"log", 0, "SETTING", "SimGrid logging, e.g. trainsim.thres:debug shows the simulation's decisions", take_log},
	{"cfg", 0, "SETTING", "a SimGrid configuration item (see SimGrid's documentation)", take_cfg},
	{0},
};

struct overrides cli_overrides(const struct cli_scenario_args *a)
{
	return (struct overrides){a->sets, a->set_count};
}

/* SimGrid installs its own SIGINT handler as the engine starts (it would exit with 1): the
 * interrupts are held while it loads, ours put back, and one that came meanwhile is then
 * delivered to it. */
static bool load_engine(const struct scenario *s, const struct cli_scenario_args *a, struct engine **e,
			struct ts_error *err)
{
	sigset_t held, before;
	sigemptyset(&held);
	sigaddset(&held, SIGINT);
	sigaddset(&held, SIGTERM);
	sigprocmask(SIG_BLOCK, &held, &before);
	bool ok = engine_load(s, a ? a->engine : NULL, e, err);
	cli_catch_interrupts();
	sigprocmask(SIG_SETMASK, &before, NULL);
	return ok;
}

bool cli_open_engine(const struct scenario *s, const struct cli_scenario_args *a, struct engine **e, int *status)
{
	struct ts_error err = {0};
	*e = NULL;
	if (!load_engine(s, a, e, &err)) {
		*status = cli_report_error(&err);
		return false;
	}
	if (cli_interrupted()) {
		fprintf(stderr, "trainsim: interrupted while loading\n");
		*status = CLI_INTERRUPTED;
		engine_destroy(*e);
		*e = NULL;
		return false;
	}
	return true;
}

bool cli_open(const struct scenario_spec *spec, const struct cli_scenario_args *a, struct scenario **s,
	      struct engine **e, int *status)
{
	struct ts_error err = {0};
	*s = NULL;
	if (e)
		*e = NULL;
	cli_catch_interrupts();
	bool ok = scenario_load(spec, s, &err) && (!e || load_engine(*s, a, e, &err));
	if (!ok)
		*status = cli_report_error(&err);
	else if (cli_interrupted()) {
		fprintf(stderr, "trainsim: interrupted while loading\n");
		*status = CLI_INTERRUPTED;
		ok = false;
	}
	if (!ok) {
		engine_destroy(e ? *e : NULL);
		scenario_destroy(*s);
		*s = NULL;
		if (e)
			*e = NULL;
	}
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
