/* calibration_csv: the measured runs `trainsim calibrate` fits efficiency to, one CSV row
 * each: "platform,workload,set,measured,source". Paths are relative to the CSV's folder;
 * `set` holds --set items separated by ';'; `measured` is a step time (19.98s) or model
 * FLOP/s per GPU as trainsim counts them (112TFLOPS); `source`, the rest of the line, says
 * where the figure comes from. Read and checked once, every error located. */
#ifndef TRAINSIM_CALIBRATION_CSV_H
#define TRAINSIM_CALIBRATION_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define CALIBRATION_MAX_ROWS 1000
#define CALIBRATION_MAX_SETS 32

enum measured_kind { MEASURED_STEP_TIME, MEASURED_FLOPS_PER_GPU };

struct calibration_row {
	int line;                     /* 1-based, in the CSV */
	char *platform, *workload;    /* paths as resolved (owned) */
	char *sets[CALIBRATION_MAX_SETS]; /* --set items (owned) */
	size_t set_count;
	enum measured_kind kind;
	double measured;              /* seconds, or FLOP/s per GPU */
	char *source;                 /* owned; "" when not given */
};

struct calibration_runs {
	char *path;                   /* the CSV, as named (owned) */
	struct calibration_row *rows;
	size_t count;
};

/* Read the CSV at `path`: a header line "platform,workload,set,measured,source" first
 * (comment lines starting with '#' and blank lines may come anywhere), then one row per run.
 * Checks each field (files readable, --set items KEY=VALUE, measured a positive time or
 * compute rate); errors located file:line:column. On success *out owns the rows (free with
 * calibration_runs_finish). */
bool calibration_runs_load(const char *path, struct calibration_runs *out, struct ts_error *err);

/* Free what calibration_runs_load gave; accepts a zeroed struct. */
void calibration_runs_finish(struct calibration_runs *runs);

#endif
