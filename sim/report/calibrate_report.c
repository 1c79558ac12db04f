/* calibrate_report: `trainsim calibrate`'s text and JSON (see calibrate_report.h). */
#include "calibrate_report.h"

#include <math.h>
#include <string.h>

#include "humanize.h"
#include "json.h"

static const char *measure_text(enum measured_kind kind, double v, char *buf, size_t size)
{
	if (kind == MEASURED_STEP_TIME)
		return humanize(UNIT_TIME, v, buf, size);
	snprintf(buf, size, "%.1f TFLOP/s", v / 1e12);
	return buf;
}

static void text_row(FILE *out, const struct calibration_row_result *row)
{
	char m[32], b[32], a[32];
	fprintf(out, "  %5d  %-16s %-28s %14s %14s %+6.1f%% %14s %+6.1f%%\n", row->line, row->platform, row->workload,
		measure_text(row->kind, row->measured, m, sizeof m), measure_text(row->kind, row->before, b, sizeof b),
		100 * (row->before / row->measured - 1), measure_text(row->kind, row->after, a, sizeof a),
		100 * (row->after / row->measured - 1));
}

/* The fitted keys as a gpu.efficiency block to paste, with the command that made it. */
static void text_yaml(FILE *out, const struct calibration_report *r, const struct calibration_group_result *g)
{
	fprintf(out, "\n  gpu:\n    efficiency:               # trainsim calibrate %s (%s, %zu run%s on %s)\n", r->csv,
		r->objective, g->count, g->count == 1 ? "" : "s", g->gpu);
	for (int k = 0; k < EFF_KEYS; k++)
		if (g->fit.fitted[k])
			fprintf(out, "      %s: %.1f%%\n", efficiency_key_name((enum efficiency_key)k),
				100 * efficiency_get(&g->fit.values, (enum efficiency_key)k));
	for (int k = 0; k < EFF_KEYS; k++)
		if (r->asked[k] && !g->fit.fitted[k])
			fprintf(out, "      # %s: not fitted, no run here depends on it\n",
				efficiency_key_name((enum efficiency_key)k));
}

void report_calibration_text(FILE *out, const struct calibration_report *r)
{
	fprintf(out, "Calibration from %s, objective %s\n", r->csv, r->objective);
	for (size_t i = 0; i < r->count; i++) {
		const struct calibration_group_result *g = &r->groups[i];
		fprintf(out, "\n%s: %zu run%s\n  %5s  %-16s %-28s %14s %22s %22s\n", g->gpu, g->count, g->count == 1 ? "" : "s",
			"line", "platform", "workload", "measured", "before", "after");
		for (size_t k = 0; k < g->count; k++)
			text_row(out, &g->rows[k]);
		fprintf(out, "  worst error %.1f%% before, %.1f%% after\n", 100 * g->fit.worst_before,
			100 * g->fit.worst_after);
		text_yaml(out, r, g);
	}
}

static void json_row(struct json_writer *w, const struct calibration_row_result *row)
{
	json_begin_object(w, NULL);
	json_integer(w, "line", row->line);
	json_string(w, "platform", row->platform);
	json_string(w, "platform_file", row->platform_file);
	json_string(w, "workload", row->workload);
	json_string(w, "measured_kind", row->kind == MEASURED_STEP_TIME ? "step_time_s" : "flops_per_gpu");
	json_number(w, "measured", row->measured);
	json_number(w, "before", row->before);
	json_number(w, "after", row->after);
	json_number(w, "error_before", row->before / row->measured - 1);
	json_number(w, "error_after", row->after / row->measured - 1);
	json_end_object(w);
}

static void json_group(struct json_writer *w, const struct calibration_group_result *g)
{
	json_begin_object(w, NULL);
	json_string(w, "gpu", g->gpu);
	json_begin_object(w, "efficiency");
	for (int k = 0; k < EFF_KEYS; k++)
		if (g->fit.fitted[k])
			json_number(w, efficiency_key_name((enum efficiency_key)k),
				    efficiency_get(&g->fit.values, (enum efficiency_key)k));
	json_end_object(w);
	json_number(w, "worst_error_before", g->fit.worst_before);
	json_number(w, "worst_error_after", g->fit.worst_after);
	json_begin_array(w, "runs");
	for (size_t k = 0; k < g->count; k++)
		json_row(w, &g->rows[k]);
	json_end_array(w);
	json_end_object(w);
}

void report_calibration_json(FILE *out, const struct calibration_report *r)
{
	struct json_writer w;
	json_init(&w, out);
	json_begin_object(&w, NULL);
	json_string(&w, "runs_file", r->csv);
	json_string(&w, "objective", r->objective);
	json_begin_array(&w, "fit");
	for (int k = 0; k < EFF_KEYS; k++)
		if (r->asked[k])
			json_string(&w, NULL, efficiency_key_name((enum efficiency_key)k));
	json_end_array(&w);
	json_begin_array(&w, "gpus");
	for (size_t i = 0; i < r->count; i++)
		json_group(&w, &r->groups[i]);
	json_end_array(&w);
	json_end_object(&w);
	json_finish(&w);
}
