/* workload: loading (YAML -> decode -> check against the platform) and the derived
 * figures of a training run: FLOPs per token, steps, checkpoint size, memory per GPU. */
#include "workload_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


void workload_destroy(struct workload *w)
{
	if (!w)
		return;
	free(w->name);
	free(w->description);
	free(w->source);
	free(w->schedule.start);
	free(w);
}

bool workload_from_doc(const struct ydoc *doc, const struct platform *p, struct workload **out, struct ts_error *err)
{
	struct workload *w = calloc(1, sizeof *w);
	if (!w)
		return error_set(err, doc->file, 0, 0, "out of memory");
	bool ok = workload_decode(doc, w, err) && workload_check(doc, p, w, err);
	if (ok && !(w->source = strdup(doc->file)))
		ok = error_set(err, doc->file, 0, 0, "out of memory");
	if (!ok) {
		workload_destroy(w);
		return false;
	}
	*out = w;
	return true;
}

double workload_steps(const struct workload *w)
{
	return ceil(w->training.tokens / w->training.global_batch);
}

long workload_micro_batches(const struct workload *w)
{
	const struct parallelism_spec *par = &w->parallelism;
	double per_pipeline = w->training.global_batch / (double)(par->dp * par->micro_batch * w->model.sequence);
	return lround(per_pipeline);
}

static double head_dim(const struct workload *w)
{
	return (double)w->model.hidden / (double)w->model.heads;
}

/* Q and O are hidden x hidden; K and V are hidden x (kv_heads x head_dim) (grouped-query). */
static double attention_params(const struct workload *w)
{
	double h = (double)w->model.hidden;
	return 2 * h * h + 2 * h * (double)w->model.kv_heads * head_dim(w);
}

static double mlp_params(const struct workload *w)
{
	double matrices = w->model.mlp == MLP_SWIGLU ? 3 : 2;
	return matrices * (double)w->model.hidden * (double)w->model.ffn;
}

static double experts_total(const struct workload *w)
{
	return w->model.experts ? (double)w->model.experts : 1;
}

static double experts_active(const struct workload *w)
{
	return w->model.experts ? (double)w->model.active_experts : 1;
}

double workload_shape_parameters(const struct workload *w)
{
	double layer = attention_params(w) + experts_total(w) * mlp_params(w);
	double embeddings = 2 * (double)w->model.vocab * (double)w->model.hidden; /* input and output, untied */
	return (double)w->model.layers * layer + embeddings;
}

double workload_active_parameters(const struct workload *w)
{
	double layer = attention_params(w) + experts_active(w) * mlp_params(w);
	return (double)w->model.layers * layer + 2 * (double)w->model.vocab * (double)w->model.hidden;
}

double workload_layer_matmul_flops(const struct workload *w)
{
	return 2 * (attention_params(w) + experts_active(w) * mlp_params(w));
}

/* QK^T and AV are 2 x s x h FLOPs each per token; a causal mask halves them. */
double workload_layer_attention_flops(const struct workload *w)
{
	return 2 * (double)w->model.sequence * (double)w->model.hidden;
}

/* Forward and backward: 3 x forward; the output projection (vocab x hidden) counts, the
 * input embedding (a lookup) does not. The numerator of MFU, as the Llama 3 paper uses it. */
double workload_flops_per_token(const struct workload *w)
{
	double layers = (double)w->model.layers;
	double forward = layers * (workload_layer_matmul_flops(w) + workload_layer_attention_flops(w)) +
			 2 * (double)w->model.vocab * (double)w->model.hidden;
	return 3 * forward;
}

long workload_stage_layers(const struct workload *w)
{
	const struct parallelism_spec *par = &w->parallelism;
	long inner_stages = par->pp - (par->first_stage_layers ? 1 : 0) - (par->last_stage_layers ? 1 : 0);
	long inner_layers = w->model.layers - par->first_stage_layers - par->last_stage_layers;
	long inner = inner_stages > 0 ? inner_layers / inner_stages : 0;
	long most = inner;
	if (par->first_stage_layers > most)
		most = par->first_stage_layers;
	if (par->last_stage_layers > most)
		most = par->last_stage_layers;
	return most;
}

/* Weights in bf16 (2 B), master weights and Adam moments in fp32 (12 B): 14 B a parameter. */
double workload_checkpoint_bytes(const struct workload *w)
{
	return w->checkpoint.size_bytes > 0 ? w->checkpoint.size_bytes : 14 * w->model.parameters;
}

/* Activation bytes one micro-batch leaves on a GPU per layer, after Korthikanti et al.,
 * "Reducing Activation Recomputation in Large Transformer Models" (MLSys 2023), with
 * tensor and sequence parallelism: s b h (34 + 5 a s / h) / t without recomputation,
 * 34 s b h / t with selective recomputation, 2 s b h / t (the layer input) with full. */
static double activation_bytes_per_layer(const struct workload *w)
{
	const struct parallelism_spec *par = &w->parallelism;
	double s = (double)w->model.sequence / (double)par->cp, b = (double)par->micro_batch;
	double h = (double)w->model.hidden, a = (double)w->model.heads, t = (double)par->tp;
	switch (par->recompute) {
	case RECOMPUTE_NONE: return s * b * h * (34 + 5 * a * s / h) / t;
	case RECOMPUTE_SELECTIVE: return 34 * s * b * h / t;
	default: return 2 * s * b * h / t;
	}
}

struct memory_estimate workload_memory_per_gpu(const struct workload *w)
{
	const struct parallelism_spec *par = &w->parallelism;
	struct memory_estimate m;
	double shards = (double)(par->tp * par->pp);
	double dense = (double)w->model.layers * attention_params(w) + 2 * (double)w->model.vocab * (double)w->model.hidden;
	double experts = (double)w->model.layers * experts_total(w) * mlp_params(w);
	double params = (dense + experts / (double)par->ep) / shards;
	m.weights_bytes = 2 * params;
	m.gradients_bytes = 2 * params;
	m.optimizer_bytes = 12 * params / (double)par->dp; /* distributed optimizer (ZeRO-1) over DP */
	/* Stage 0 of a 1F1B pipeline holds up to pp micro-batches in flight. */
	double in_flight = (double)(par->pp < workload_micro_batches(w) ? par->pp : workload_micro_batches(w));
	m.activations_bytes = in_flight * (double)workload_stage_layers(w) * activation_bytes_per_layer(w);
	if (par->recompute == RECOMPUTE_FULL) /* one layer's full activations while recomputing it */
		m.activations_bytes += 34 * (double)w->model.sequence / (double)par->cp * (double)par->micro_batch *
				       (double)w->model.hidden / (double)par->tp;
	m.total_bytes = m.weights_bytes + m.gradients_bytes + m.optimizer_bytes + m.activations_bytes;
	return m;
}
