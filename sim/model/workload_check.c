/* workload_check: cross-field validation of a workload against itself and the platform it
 * runs on. Every message names the numbers involved, so the user sees what to change. */
#include "workload_internal.h"

#include <math.h>
#include <stdio.h>

#include "humanize.h"

static bool check_gpus(const struct ydoc *doc, const struct platform *p, const struct workload *w,
		       struct ts_error *err)
{
	const struct parallelism_spec *par = &w->parallelism;
	long product = par->tp * par->cp * par->pp * par->dp;
	if (product != w->job.gpus)
		return ydoc_error_at(doc, "job.gpus", err, "parallelism tp %ld x cp %ld x pp %ld x dp %ld = %ld GPUs but "
				     "job.gpus is %ld; expected them equal", par->tp, par->cp, par->pp, par->dp, product,
				     w->job.gpus);
	if (w->job.gpus % p->node.gpus)
		return ydoc_error_at(doc, "job.gpus", err, "job.gpus is %ld, not a whole number of %ld-GPU nodes",
				     w->job.gpus, p->node.gpus);
	long nodes = w->job.gpus / p->node.gpus + w->job.hot_spare_nodes;
	if (nodes > p->counts.nodes)
		return ydoc_error_at(doc, "job.gpus", err, "the job needs %ld nodes (%ld GPUs and %ld hot-spare nodes) but "
				     "platform %s has %ld; expected at most %ld", nodes, w->job.gpus,
				     w->job.hot_spare_nodes, p->name, p->counts.nodes, p->counts.nodes);
	return true;
}

/* Without model.head_dim, heads split hidden evenly (head_dim = hidden / heads). */
static bool check_heads(const struct ydoc *doc, struct workload *w, struct ts_error *err)
{
	struct model_spec *m = &w->model;
	long tp = w->parallelism.tp;
	if (!m->head_dim && m->hidden % m->heads)
		return ydoc_error_at(doc, "model.hidden", err, "model.hidden %ld is not a multiple of model.heads %ld",
				     m->hidden, m->heads);
	if (!m->head_dim)
		m->head_dim = m->hidden / m->heads;
	if (m->heads % m->kv_heads)
		return ydoc_error_at(doc, "model.kv_heads", err, "model.heads %ld is not a multiple of model.kv_heads %ld",
				     m->heads, m->kv_heads);
	if (m->heads % tp)
		return ydoc_error_at(doc, "parallelism.tp", err, "model.heads %ld does not divide over parallelism.tp %ld; "
				     "expected tp to divide the heads", m->heads, tp);
	if (m->kv_heads % tp && tp % m->kv_heads)
		return ydoc_error_at(doc, "parallelism.tp", err, "model.kv_heads %ld and parallelism.tp %ld: one must "
				     "divide the other", m->kv_heads, tp);
	return true;
}

/* Stages hold equal layers, except first and last stages given explicitly (Llama 3 keeps
 * one layer fewer on each to make room for the embedding and the output layer). */
static bool check_layers(const struct ydoc *doc, const struct workload *w, struct ts_error *err)
{
	const struct parallelism_spec *par = &w->parallelism;
	long edges = (par->first_stage_layers > 0) + (par->last_stage_layers > 0);
	long inner_stages = par->pp - edges;
	long inner_layers = w->model.layers - par->first_stage_layers - par->last_stage_layers;
	if (edges && par->pp < 2)
		return ydoc_error_at(doc, "parallelism.pp", err, "first_stage_layers and last_stage_layers need pp of 2 "
				     "or more; pp is %ld", par->pp);
	if (inner_layers < inner_stages || (inner_stages > 0 && inner_layers % inner_stages) ||
	    (inner_stages == 0 && inner_layers != 0))
		return ydoc_error_at(doc, "parallelism.pp", err, "model.layers %ld does not split evenly over %ld pipeline "
				     "stages (%ld layers left for %ld stages after first_stage_layers %ld and "
				     "last_stage_layers %ld)", w->model.layers, par->pp, inner_layers, inner_stages,
				     par->first_stage_layers, par->last_stage_layers);
	long per_stage = inner_stages ? inner_layers / inner_stages : par->first_stage_layers;
	if (par->schedule == SCHEDULE_INTERLEAVED && per_stage % par->virtual_stages)
		return ydoc_error_at(doc, "parallelism.virtual_stages", err, "parallelism.virtual_stages %ld does not "
				     "divide the %ld layers of a pipeline stage", par->virtual_stages, per_stage);
	if (par->schedule != SCHEDULE_INTERLEAVED && par->virtual_stages != 1)
		return ydoc_error_at(doc, "parallelism.virtual_stages", err, "parallelism.virtual_stages is only "
				     "meaningful with schedule: interleaved");
	return true;
}

static bool check_batch(const struct ydoc *doc, const struct workload *w, struct ts_error *err)
{
	const struct parallelism_spec *par = &w->parallelism;
	double unit = (double)(par->dp * par->micro_batch * w->model.sequence);
	double m = w->training.global_batch / unit;
	if (fabs(m - round(m)) > 1e-9 * m || m < 1)
		return ydoc_error_at(doc, "training.global_batch", err, "training.global_batch is %.0f tokens, not a "
				     "multiple of dp %ld x micro_batch %ld x sequence %ld = %.0f tokens",
				     w->training.global_batch, par->dp, par->micro_batch, w->model.sequence, unit);
	if (par->schedule == SCHEDULE_INTERLEAVED && lround(m) % par->pp)
		return ydoc_error_at(doc, "parallelism.schedule", err, "the interleaved schedule needs micro-batches a "
				     "multiple of pp: %ld micro-batches per step, pp %ld", lround(m), par->pp);
	if (par->schedule == SCHEDULE_DUALPIPE && (par->pp % 2 || lround(m) < par->pp))
		return ydoc_error_at(doc, "parallelism.schedule", err, "the dualpipe schedule needs an even pp and at "
				     "least pp micro-batches: pp %ld, %ld micro-batches per step", par->pp, lround(m));
	if (w->model.sequence % (2 * par->cp) && par->cp > 1)
		return ydoc_error_at(doc, "parallelism.cp", err, "model.sequence %ld does not split into 2 x cp = %ld "
				     "balanced chunks", w->model.sequence, 2 * par->cp);
	return true;
}

static bool check_experts(const struct ydoc *doc, const struct workload *w, struct ts_error *err)
{
	const struct model_spec *m = &w->model;
	const struct parallelism_spec *par = &w->parallelism;
	if (!m->experts)
		return par->ep == 1 ||
		       ydoc_error_at(doc, "model", err, "parallelism.expert_parallel is set for a dense model");
	if (m->dense_layers >= m->layers)
		return ydoc_error_at(doc, "model.moe.dense_layers", err, "model.moe.dense_layers %ld leaves no MoE layer "
				     "of the %ld; expected fewer", m->dense_layers, m->layers);
	if (m->active_experts > m->experts)
		return ydoc_error_at(doc, "model.moe.active", err, "model.moe.active %ld is more than the %ld experts",
				     m->active_experts, m->experts);
	if (m->experts % par->ep || par->dp % par->ep)
		return ydoc_error_at(doc, "model.moe.expert_parallel", err, "expert_parallel %ld must divide both the "
				     "%ld experts and dp %ld", par->ep, m->experts, par->dp);
	return true;
}

/* The shape must account for the parameter count (within 10%): catches a wrong ffn or vocab. */
static bool check_parameters(const struct ydoc *doc, const struct workload *w, struct ts_error *err)
{
	double shape = workload_shape_parameters(w), given = w->model.parameters;
	if (fabs(shape - given) <= 0.1 * given)
		return true;
	char a[32], b[32];
	return ydoc_error_at(doc, "model.parameters", err, "model.parameters is %s but layers, hidden, ffn, heads and "
			     "vocab give %s; expected within 10%%", humanize(UNIT_COUNT, given, a, sizeof a),
			     humanize(UNIT_COUNT, shape, b, sizeof b));
}

static bool check_memory(const struct ydoc *doc, const struct platform *p, const struct workload *w,
			 struct ts_error *err)
{
	struct memory_estimate m = workload_memory_per_gpu(w);
	if (m.total_bytes <= p->gpu.hbm_bytes)
		return true;
	char t[32], h[32], s[32], a[32], b[32], c[32], d[32];
	return ydoc_error_at(doc, "parallelism", err, "the model does not fit: %s per GPU (weights %s, gradients %s, "
			     "optimizer %s, activations %s) but %s has %s of HBM, %s short; raise tp or pp, or use "
			     "recompute: full", humanize(UNIT_SIZE, m.total_bytes, t, sizeof t),
			     humanize(UNIT_SIZE, m.weights_bytes, a, sizeof a),
			     humanize(UNIT_SIZE, m.gradients_bytes, b, sizeof b),
			     humanize(UNIT_SIZE, m.optimizer_bytes, c, sizeof c),
			     humanize(UNIT_SIZE, m.activations_bytes, d, sizeof d), p->gpu.model,
			     humanize(UNIT_SIZE, p->gpu.hbm_bytes, h, sizeof h),
			     humanize(UNIT_SIZE, m.total_bytes - p->gpu.hbm_bytes, s, sizeof s));
}

static bool check_tokens(const struct ydoc *doc, const struct workload *w, struct ts_error *err)
{
	if (w->training.global_batch > w->training.tokens)
		return ydoc_error_at(doc, "training.global_batch", err, "training.global_batch (%.0f tokens) is larger "
				     "than the token budget (%.0f)", w->training.global_batch, w->training.tokens);
	return true;
}

/* The efficiency set: the workload's keys over the platform GPU's (gpu.efficiency). */
static bool check_efficiency(const struct ydoc *doc, const struct platform *p, struct workload *w,
			     struct ts_error *err)
{
	efficiency_resolve(&w->efficiency_given, &p->gpu.efficiency, &w->efficiency);
	if (w->efficiency.matmul < 0)
		return ydoc_error_at(doc, "efficiency.matmul", err, "efficiency.matmul is given neither here nor in "
				     "platform %s's gpu.efficiency; expected one of them to give it", p->name);
	if (w->training.precision != PRECISION_FP8)
		return true;
	if (p->gpu.peak_fp8_flops <= 0)
		return ydoc_error_at(doc, "training.precision", err, "training.precision is fp8 but platform %s gives "
				     "no gpu.peak_fp8 for %s", p->name, p->gpu.model);
	if (w->efficiency.fp8_matmul < 0)
		return ydoc_error_at(doc, "training.precision", err, "training.precision is fp8 but efficiency.fp8_matmul "
				     "is given neither here nor in platform %s's gpu.efficiency", p->name);
	return true;
}

bool workload_check(const struct ydoc *doc, const struct platform *p, struct workload *w, struct ts_error *err)
{
	return check_gpus(doc, p, w, err) && check_efficiency(doc, p, w, err) && check_heads(doc, w, err) && check_layers(doc, w, err) &&
	       check_batch(doc, w, err) && check_experts(doc, w, err) && check_parameters(doc, w, err) &&
	       check_tokens(doc, w, err) && check_memory(doc, p, w, err);
}
