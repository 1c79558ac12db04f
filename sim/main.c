/* main: the trainsim command line. Parses arguments, calls the library, prints results and
 * errors, and decides the exit status: 0 ok, 1 a check failed, 2 bad input or usage. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "describe.h"
#include "error.h"
#include "platform.h"
#include "report.h"
#include "placement.h"
#include "overrides.h"
#include "runplan.h"
#include "runsim.h"
#include "units.h"
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
	"  run [PLATFORM WORKLOAD] [--seed N] [--horizon DURATION] [--set KEY=VALUE]...\n"
	"      [--out DIR] [--json] [--failure-scale X] [--failure-log CSV]\n"
	"                                simulate the whole run with failures, repairs and restarts:\n"
	"                                wall-clock, finish date, slip, ETTR, where the time went\n"
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

/* ---- trainsim run ---- */

#define MAX_OVERRIDES 256

struct run_args {
	const char *files[2];
	uint64_t seed;
	double horizon_s;
	double failure_scale;
	const char *failure_log;
	const char *out_dir;
	bool json;
	const char *sets[MAX_OVERRIDES];
	size_t set_count;
};

/* The value after option argv[*i], or NULL (usage error printed by the caller). */
static const char *option_value(int argc, char **argv, int *i)
{
	return *i + 1 < argc ? argv[++*i] : NULL;
}

static int parse_run_option(int argc, char **argv, int *i, struct run_args *a)
{
	const char *opt = argv[*i], *v;
	char why[256];
	if (!strcmp(opt, "--json"))
		a->json = true;
	else if (!(v = option_value(argc, argv, i)))
		return usage_error("run: %s needs a value", opt);
	else if (!strcmp(opt, "--seed")) {
		char *end;
		errno = 0;
		unsigned long long seed = strtoull(v, &end, 10);
		if (*end || end == v || errno || v[0] == '-')
			return usage_error("run: --seed '%s' is not a whole number from 0", v);
		a->seed = seed;
	} else if (!strcmp(opt, "--horizon")) {
		if (!units_parse(UNIT_TIME, v, &a->horizon_s, why, sizeof why) || a->horizon_s <= 0)
			return usage_error("run: --horizon '%s': %s", v, why[0] ? why : "expected a positive time such as 54d");
	} else if (!strcmp(opt, "--failure-scale")) {
		if (!units_parse(UNIT_COUNT, v, &a->failure_scale, why, sizeof why) || a->failure_scale < 0)
			return usage_error("run: --failure-scale '%s' is not a number of 0 or more", v);
	} else if (!strcmp(opt, "--set")) {
		if (a->set_count == MAX_OVERRIDES)
			return usage_error("run: more than %d --set options", MAX_OVERRIDES);
		a->sets[a->set_count++] = v;
	} else if (!strcmp(opt, "--out"))
		a->out_dir = v;
	else if (!strcmp(opt, "--failure-log"))
		a->failure_log = v;
	else
		return usage_error("run: unknown option '%s'", opt);
	return EXIT_OK;
}

static int parse_run_args(int argc, char **argv, struct run_args *a)
{
	int files = 0;
	a->horizon_s = INFINITY;
	a->failure_scale = 1;
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			int status = parse_run_option(argc, argv, &i, a);
			if (status != EXIT_OK)
				return status;
		} else if (files == 2)
			return usage_error("run takes at most 2 files; '%s' is one too many", argv[i]);
		else
			a->files[files++] = argv[i];
	}
	if (files == 1)
		return usage_error("run takes a platform and a workload, or neither");
	return EXIT_OK;
}

/* Output files are written under a temporary name and renamed when complete, so a failed or
 * interrupted run never leaves a half file. */
struct out_file {
	char path[4096], tmp[4096];
	FILE *f;
};

static bool out_open(struct out_file *o, const char *dir, const char *name, struct ts_error *err)
{
	snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
	snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp", dir, name);
	o->f = fopen(o->tmp, "w");
	return o->f || error_set(err, o->tmp, 0, 0, "cannot write: %s", strerror(errno));
}

static bool out_commit(struct out_file *o, struct ts_error *err)
{
	bool ok = fflush(o->f) == 0 && !ferror(o->f);
	ok = (fclose(o->f) == 0) && ok;
	o->f = NULL;
	if (ok && rename(o->tmp, o->path) == 0)
		return true;
	unlink(o->tmp);
	return error_set(err, o->path, 0, 0, "cannot write: %s", strerror(errno ? errno : EIO));
}

static void out_abandon(struct out_file *o)
{
	if (o->f) {
		fclose(o->f);
		unlink(o->tmp);
		o->f = NULL;
	}
}

static bool ensure_dir(const char *dir, struct ts_error *err)
{
	struct stat st;
	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) || error_set(err, dir, 0, 0, "exists and is not a directory");
	if (mkdir(dir, 0777) != 0)
		return error_set(err, dir, 0, 0, "cannot create the output directory: %s", strerror(errno));
	return true;
}

/* Technicians must exist if any failure needs one, or the run would wait forever. */
static bool check_repairable(const struct platform *p, struct ts_error *err)
{
	for (size_t i = 0; i < p->failure_count; i++)
		if (p->failures[i].needs_technician && p->operations.technicians_per_site == 0)
			return error_set(err, p->source, 0, 0, "operations.technicians.per_site is 0 but failure class %s "
					 "needs a technician: nothing would ever be repaired", p->failures[i].name);
	return true;
}

static int run_and_report(struct step_session *s, const struct run_args *a, const struct overrides *o,
			  struct ts_error *err)
{
	struct out_file events = {0}, summary = {0};
	if (a->out_dir && (!ensure_dir(a->out_dir, err) || !out_open(&events, a->out_dir, "events.csv", err) ||
			   !out_open(&summary, a->out_dir, "summary.json", err))) {
		out_abandon(&events);
		return report_error(err);
	}
	struct run_options opt = {a->seed, a->horizon_s, a->failure_scale, a->failure_log, events.f};
	struct run_result res;
	if (!runsim_run(s->platform, s->workload, s->cluster, s->steptime, &opt, &res, err)) {
		runsim_result_finish(&res);
		out_abandon(&events);
		out_abandon(&summary);
		return report_error(err);
	}
	struct step_result step = {.step_time_s = res.step_time_s};
	struct run_report r = {s->platform, s->workload, &res, runplan_compute(s->platform, s->workload, &step),
			       a->seed, a->horizon_s, o};
	if (summary.f)
		report_run_json(summary.f, &r);
	bool saved = !a->out_dir || (out_commit(&events, err) && out_commit(&summary, err));
	if (a->json)
		report_run_json(stdout, &r);
	else
		report_run_text(stdout, &r);
	runsim_result_finish(&res);
	if (!saved) {
		out_abandon(&summary);
		return report_error(err);
	}
	return finish_output();
}

static int cmd_run(int argc, char **argv)
{
	struct run_args a = {0};
	int status = parse_run_args(argc, argv, &a);
	if (status != EXIT_OK)
		return status;
	struct overrides o = {a.sets, a.set_count};
	struct ts_error err = {0};
	struct step_session s = {0};
	bool ok = overrides_check(&o, &err) && platform_load(a.files[0], &o, &s.platform, &err) &&
		  check_repairable(s.platform, &err) && workload_load(a.files[1], &o, s.platform, &s.workload, &err) &&
		  sg_platform_load(s.platform, &s.cluster, &err);
	if (ok && !placement_init(&s.placement, s.platform, s.workload))
		ok = error_set(&err, "", 0, 0, "out of memory placing the job");
	ok = ok && steptime_create(s.platform, s.workload, s.cluster, &s.steptime, &err);
	status = ok ? run_and_report(&s, &a, &o, &err) : report_error(&err);
	step_session_finish(&s);
	return status;
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
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
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
