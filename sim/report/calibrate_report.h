/* calibrate_report: what `trainsim calibrate` prints: per GPU, each run's measurement and
 * the error of its prediction before (its own efficiency set) and after the fit, the worst
 * error, and the fitted set as YAML to paste into the platforms' gpu section; or the same as
 * one JSON object. */
#ifndef TRAINSIM_CALIBRATE_REPORT_H
#define TRAINSIM_CALIBRATE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "calibrate.h"

struct calibration_row_result {
	int line;                 /* in the CSV */
	const char *platform;     /* names (platform and workload `name`) */
	const char *workload;
	const char *platform_file;
	enum measured_kind kind;
	double measured, before, after; /* seconds or FLOP/s per GPU */
};

/* One GPU model's runs and its fit. */
struct calibration_group_result {
	const char *gpu;
	struct calibration_fit fit;
	struct calibration_row_result *rows;
	size_t count;
};

struct calibration_report {
	const char *csv;
	const char *objective;     /* "minimax" or "lsq" */
	bool asked[EFF_KEYS];      /* the keys --fit named */
	struct calibration_group_result *groups;
	size_t count;
};

void report_calibration_text(FILE *out, const struct calibration_report *r);
void report_calibration_json(FILE *out, const struct calibration_report *r);

#endif
