/* report: everything trainsim prints for people (text) and programs (JSON). The only
 * module besides main that writes to a stream. */
#ifndef TRAINSIM_REPORT_H
#define TRAINSIM_REPORT_H

#include <stdio.h>

#include "describe.h"
#include "overrides.h"
#include "runplan.h"
#include "runsim.h"
#include "steptime.h"
#include "workload.h"

/* Human summary of a platform description. */
void report_describe_text(FILE *out, const struct platform_description *d);

/* One JSON object describing the platform (keys documented in platforms/README.md). */
void report_describe_json(FILE *out, const struct platform_description *d);

/* What `trainsim step` reports: the step and the failure-free run it implies. */
struct step_report {
	const struct platform *platform;
	const struct workload *workload;
	struct step_result step;
	struct run_plan_figures plan;
	struct memory_estimate memory;
};

void report_step_text(FILE *out, const struct step_report *r);
void report_step_json(FILE *out, const struct step_report *r);

/* What `trainsim run` reports for one replica. */
struct run_report {
	const struct platform *platform;
	const struct workload *workload;
	const struct run_result *result;
	struct run_plan_figures plan;
	uint64_t seed;
	double horizon_s;
	const struct overrides *overrides; /* --set items applied, echoed in the text; or NULL */
};

void report_run_text(FILE *out, const struct run_report *r);

/* "  with --set a=1 --set b=2" under a heading, when there are overrides. */
void report_overrides(FILE *out, const struct overrides *o);

/* What a run stuck on time category c waits for, in words ("repairs: the job waits for
 * technicians (operations.technicians)"). */
const char *report_bottleneck(enum time_category c);


#endif
