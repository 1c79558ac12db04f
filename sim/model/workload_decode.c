/* workload_decode: the workload YAML schema as tables of keys (see workloads/README.md). */
#include "workload_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W(field) offsetof(struct workload, field)

static const char *const schedule_names[] = {"1f1b", "interleaved", "dualpipe", NULL};
static const char *const precision_names[] = {"bf16", "fp8", NULL};
static const char *const recompute_names[] = {"none", "selective", "full", NULL};
static const char *const policy_names[] = {"spare", "wait", "shrink", NULL};
static const char *const mode_names[] = {"blocking", "async", NULL};
static const char *const mlp_names[] = {"swiglu", "gelu", NULL};

/* "auto" (Daly's optimum) or a time such as 1h. */
static bool decode_interval(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			    struct ts_error *err)
{
	struct checkpoint_spec *c = dst;
	if (node->type == YDOC_SCALAR && !strcmp(node->text, "auto")) {
		c->interval_auto = true;
		return true;
	}
	c->interval_auto = false;
	return ydoc_quantity(doc, node, path, UNIT_TIME, 1, 365 * 86400.0, &c->interval_s, err);
}

/* blocking | async, kept as a bool. */
static bool decode_mode(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			struct ts_error *err)
{
	for (int i = 0; node->type == YDOC_SCALAR && mode_names[i]; i++) {
		if (!strcmp(node->text, mode_names[i])) {
			*(bool *)dst = i == 1;
			return true;
		}
	}
	return ydoc_error(doc, node, err, "%s is '%s'; expected blocking or async", path,
			  node->type == YDOC_SCALAR ? node->text : "not a single value");
}

/* A calendar date YYYY-MM-DD (UTC midnight), kept as text and as seconds since 1970. */
static bool decode_date(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			struct ts_error *err)
{
	struct schedule_spec *s = dst;
	char why[160];
	if (node->type != YDOC_SCALAR)
		return ydoc_error(doc, node, err, "%s is not a single value; expected a date such as 2024-03-01", path);
	if (!units_parse_date(node->text, &s->start_epoch_s, why, sizeof why))
		return ydoc_error(doc, node, err, "%s: %s", path, why);
	free(s->start);
	s->start = strdup(node->text);
	return s->start ? true : ydoc_error(doc, node, err, "out of memory");
}

static const struct yfield moe_fields[] = {
	{"experts", YF_INT, W(model.experts), true, .min = 2, .max = 4096},
	{"active", YF_INT, W(model.active_experts), true, .min = 1, .max = 4096},
	{"expert_parallel", YF_INT, W(parallelism.ep), false, .min = 1, .max = 4096},
	{"shared", YF_INT, W(model.shared_experts), false, .min = 0, .max = 64},
	{"expert_ffn", YF_INT, W(model.expert_ffn), false, .min = 16, .max = 1e7},
	{"dense_layers", YF_INT, W(model.dense_layers), false, .min = 0, .max = 10000},
	{"imbalance", YF_QUANTITY, W(model.imbalance), false, UNIT_COUNT, 1, 64},
	{0}};
static const struct yfield mla_fields[] = {
	{"q_rank", YF_INT, W(model.q_rank), false, .min = 1, .max = 1e6},
	{"kv_rank", YF_INT, W(model.kv_rank), true, .min = 1, .max = 1e6},
	{"rope_dim", YF_INT, W(model.rope_dim), false, .min = 0, .max = 4096},
	{0}};
static const struct yfield model_fields[] = {
	{"parameters", YF_QUANTITY, W(model.parameters), true, UNIT_COUNT, 1e6, 1e14},
	{"layers", YF_INT, W(model.layers), true, .min = 1, .max = 10000},
	{"hidden", YF_INT, W(model.hidden), true, .min = 64, .max = 1e6},
	{"ffn", YF_INT, W(model.ffn), true, .min = 64, .max = 1e7},
	{"heads", YF_INT, W(model.heads), true, .min = 1, .max = 10000},
	{"kv_heads", YF_INT, W(model.kv_heads), false, .min = 1, .max = 10000},
	{"head_dim", YF_INT, W(model.head_dim), false, .min = 8, .max = 4096},
	{"mla", YF_MAP, 0, false, .fields = mla_fields},
	{"vocab", YF_INT, W(model.vocab), true, .min = 2, .max = 1e8},
	{"sequence", YF_INT, W(model.sequence), true, .min = 16, .max = 1e8},
	{"mlp", YF_CHOICE, W(model.mlp), false, .choices = mlp_names},
	{"moe", YF_MAP, 0, false, .fields = moe_fields},
	{0}};
static const struct yfield training_fields[] = {
	{"tokens", YF_QUANTITY, W(training.tokens), true, UNIT_COUNT, 1e6, 1e16},
	{"global_batch", YF_QUANTITY, W(training.global_batch), true, UNIT_COUNT, 1, 1e10},
	{"precision", YF_CHOICE, W(training.precision), false, .choices = precision_names},
	{0}};
static const struct yfield parallelism_fields[] = {
	{"tp", YF_INT, W(parallelism.tp), true, .min = 1, .max = 1024},
	{"cp", YF_INT, W(parallelism.cp), false, .min = 1, .max = 1024},
	{"pp", YF_INT, W(parallelism.pp), true, .min = 1, .max = 1024},
	{"dp", YF_INT, W(parallelism.dp), true, .min = 1, .max = 1e6},
	{"micro_batch", YF_INT, W(parallelism.micro_batch), false, .min = 1, .max = 4096},
	{"schedule", YF_CHOICE, W(parallelism.schedule), false, .choices = schedule_names},
	{"virtual_stages", YF_INT, W(parallelism.virtual_stages), false, .min = 1, .max = 128},
	{"first_stage_layers", YF_INT, W(parallelism.first_stage_layers), false, .min = 1, .max = 10000},
	{"last_stage_layers", YF_INT, W(parallelism.last_stage_layers), false, .min = 1, .max = 10000},
	{"recompute", YF_CHOICE, W(parallelism.recompute), false, .choices = recompute_names},
	{0}};
static const struct yfield checkpoint_fields[] = {
	{"interval", YF_CUSTOM, W(checkpoint), true, .custom = decode_interval},
	{"size", YF_QUANTITY, W(checkpoint.size_bytes), false, UNIT_SIZE, 1e6, 1e17},
	{"write_bandwidth", YF_QUANTITY, W(checkpoint.write_bytes_per_s), true, UNIT_BANDWIDTH, 1e6, 1e15},
	{"read_bandwidth", YF_QUANTITY, W(checkpoint.read_bytes_per_s), true, UNIT_BANDWIDTH, 1e6, 1e15},
	{"mode", YF_CUSTOM, W(checkpoint.async), false, .custom = decode_mode},
	{"async_stall", YF_QUANTITY, W(checkpoint.async_stall_s), false, UNIT_TIME, 0, 3600},
	{0}};
static const struct yfield restart_fields[] = {
	{"detection", YF_QUANTITY, W(restart.detection_s), false, UNIT_TIME, 0, 86400},
	{"relaunch", YF_QUANTITY, W(restart.relaunch_s), true, UNIT_TIME, 0, 86400},
	{0}};
static const struct yfield job_fields[] = {
	{"gpus", YF_INT, W(job.gpus), true, .min = 1, .max = 1e7},
	{"hot_spare_nodes", YF_INT, W(job.hot_spare_nodes), false, .min = 0, .max = 1e6},
	{"on_failure", YF_CHOICE, W(job.on_failure), false, .choices = policy_names},
	{"start_with", YF_QUANTITY, W(job.start_with), false, UNIT_FRACTION, 0.01, 1},
	{"grow_by", YF_QUANTITY, W(job.grow_by), false, UNIT_FRACTION, 0.01, 1},
	{0}};
static const struct yfield schedule_fields[] = {
	{"start", YF_CUSTOM, W(schedule), false, .custom = decode_date},
	{"planned", YF_QUANTITY, W(schedule.planned_s), false, UNIT_TIME, 1, 100 * 365 * 86400.0},
	{0}};
static const struct yfield top_fields[] = {
	{"name", YF_STRING, W(name), true},
	{"description", YF_STRING, W(description), false},
	{"model", YF_MAP, 0, true, .fields = model_fields},
	{"training", YF_MAP, 0, true, .fields = training_fields},
	{"parallelism", YF_MAP, 0, true, .fields = parallelism_fields},
	{"efficiency", YF_CUSTOM, W(efficiency_given), false, .custom = efficiency_decode},
	{"checkpoint", YF_MAP, 0, true, .fields = checkpoint_fields},
	{"restart", YF_MAP, 0, true, .fields = restart_fields},
	{"job", YF_MAP, 0, true, .fields = job_fields},
	{"schedule", YF_MAP, 0, false, .fields = schedule_fields},
	{0}};

static void set_defaults(struct workload *w)
{
	efficiency_unset(&w->efficiency_given);
	w->parallelism.cp = 1;
	w->model.imbalance = 1;
	w->parallelism.ep = 1;
	w->parallelism.micro_batch = 1;
	w->parallelism.virtual_stages = 1;
	w->parallelism.recompute = RECOMPUTE_SELECTIVE;
	w->job.on_failure = ON_FAILURE_SPARE;
	w->job.start_with = 1;
	w->job.grow_by = 1;
	w->restart.detection_s = 300; /* MegaScale (NSDI'24): detection and diagnosis within minutes */
}

bool workload_schema_has(const char *top)
{
	for (const struct yfield *f = top_fields; f->kind != YF_END; f++)
		if (!strcmp(f->key, top))
			return true;
	return false;
}

bool workload_decode(const struct ydoc *doc, struct workload *w, struct ts_error *err)
{
	set_defaults(w);
	if (!ydoc_decode(doc, doc->root, "", top_fields, w, err))
		return false;
	if (!w->model.kv_heads)
		w->model.kv_heads = w->model.heads;
	if (!w->model.expert_ffn)
		w->model.expert_ffn = w->model.ffn;
	return true;
}
