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

/* Q and O are hidden x (heads x head_dim); K and V are hidden x (kv_heads x head_dim)
 * (grouped-query). With multi-head latent attention (DeepSeek-V2/V3), queries and keys-values
 * go through low-rank compressions, and each query and key head has a decoupled rotary part. */
static double attention_params(const struct workload *w)
{
	const struct model_spec *m = &w->model;
	double h = (double)m->hidden, heads = (double)m->heads, hd = (double)m->head_dim;
	if (!m->kv_rank)
		return 2 * h * heads * hd + 2 * h * (double)m->kv_heads * hd;
	double qk = hd + (double)m->rope_dim, q_rank = (double)m->q_rank, kv_rank = (double)m->kv_rank;
	double q = m->q_rank ? h * q_rank + q_rank * heads * qk : h * heads * qk;
	double kv = h * (kv_rank + (double)m->rope_dim) + kv_rank * heads * 2 * hd;
	return q + kv + heads * hd * h;
}

static double mlp_params(const struct workload *w, long ffn)
{
	double matrices = w->model.mlp == MLP_SWIGLU ? 3 : 2;
	return matrices * (double)w->model.hidden * (double)ffn;
}

static double dense_layers(const struct workload *w)
{
	return w->model.experts ? (double)w->model.dense_layers : (double)w->model.layers;
}

static double moe_layers(const struct workload *w)
{
	return (double)w->model.layers - dense_layers(w);
}

/* One MoE layer's MLP parameters: every routed expert (or the active ones) and the shared. */
static double moe_mlp_params(const struct workload *w, bool active_only)
{
	const struct model_spec *m = &w->model;
	double routed = active_only ? (double)m->active_experts : (double)m->experts;
	return (routed + (double)m->shared_experts) * mlp_params(w, m->expert_ffn);
}

static double embeddings(const struct workload *w)
{
	return 2 * (double)w->model.vocab * (double)w->model.hidden; /* input and output, untied */
}

double workload_shape_parameters(const struct workload *w)
{
	double dense = dense_layers(w) * (attention_params(w) + mlp_params(w, w->model.ffn));
	double moe = moe_layers(w) * (attention_params(w) + moe_mlp_params(w, false));
	return dense + moe + embeddings(w);
}

double workload_active_parameters(const struct workload *w)
{
	double dense = dense_layers(w) * (attention_params(w) + mlp_params(w, w->model.ffn));
	double moe = moe_layers(w) * (attention_params(w) + moe_mlp_params(w, true));
	return dense + moe + embeddings(w);
}

double workload_dense_layer_matmul_flops(const struct workload *w)
{
	return 2 * (attention_params(w) + mlp_params(w, w->model.ffn));
}

/* The busiest layer: an MoE layer in an MoE model. */
double workload_layer_matmul_flops(const struct workload *w)
{
	if (!w->model.experts)
		return workload_dense_layer_matmul_flops(w);
	return 2 * (attention_params(w) + moe_mlp_params(w, true));
}

double workload_layer_routed_flops(const struct workload *w)
{
	if (!w->model.experts)
		return 0;
	return 2 * (double)w->model.active_experts * mlp_params(w, w->model.expert_ffn);
}

/* QK^T and AV per token: 2 x s x heads x (qk + v head dims) FLOPs, halved by the causal mask
 * (2 s h for plain attention with head_dim = hidden / heads). */
double workload_layer_attention_flops(const struct workload *w)
{
	const struct model_spec *m = &w->model;
	double qk = (double)(m->head_dim + (m->kv_rank ? m->rope_dim : 0));
	return (double)m->sequence * (double)m->heads * (qk + (double)m->head_dim);
}

double workload_flops_per_token(const struct workload *w)
{
	double attention = (double)w->model.layers * workload_layer_attention_flops(w);
	double matmul = dense_layers(w) * workload_dense_layer_matmul_flops(w) +
			moe_layers(w) * (w->model.experts ? workload_layer_matmul_flops(w) : 0);
	return 3 * (matmul + attention + 2 * (double)w->model.vocab * (double)w->model.hidden);
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
	double routed = w->model.experts ? moe_layers(w) * (double)w->model.experts * mlp_params(w, w->model.expert_ffn) : 0;
	double params = (workload_shape_parameters(w) - routed + routed / (double)par->ep) / shards;
	double copies = par->schedule == SCHEDULE_DUALPIPE ? 2 : 1; /* DualPipe keeps two (DeepSeek-V3, Table 2) */
	m.weights_bytes = 2 * params * copies;
	m.gradients_bytes = 2 * params * copies;
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
