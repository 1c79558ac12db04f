/* steptime: collectives simulated in SimGrid, compute from FLOPs, composed by the pipeline
 * schedule; results cached by what can change them (see steptime.h). */
#include "steptime.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SIZE 64

struct cache_entry {
	bool used;
	uint64_t key;
	struct step_result result;
};

struct steptime {
	const struct platform *p;
	const struct workload *w;
	const struct sg_cluster *c;
	const struct placement *pl; /* for the step being computed */
	struct flowset flows;
	struct cache_entry cache[CACHE_SIZE];
	size_t next_slot, hits, simulations;
	bool inside_actor;
};

bool steptime_create(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
		     struct steptime **out, struct ts_error *err)
{
	struct steptime *s = calloc(1, sizeof *s);
	if (!s)
		return error_set(err, "", 0, 0, "out of memory");
	s->p = p;
	s->w = w;
	s->c = c;
	*out = s;
	return true;
}

void steptime_destroy(struct steptime *s)
{
	if (!s)
		return;
	flowset_finish(&s->flows);
	free(s);
}

void steptime_set_inside_actor(struct steptime *s, bool inside)
{
	s->inside_actor = inside;
}

size_t steptime_cache_hits(const struct steptime *s)
{
	return s->hits;
}

size_t steptime_simulations(const struct steptime *s)
{
	return s->simulations;
}

/* ---- sizes ---- */

static double tokens_local(const struct workload *w)
{
	return (double)(w->parallelism.micro_batch * w->model.sequence) / (double)w->parallelism.cp;
}

/* One micro-batch's activations on one CP rank, bf16. */
static double activation_bytes(const struct workload *w)
{
	return tokens_local(w) * (double)w->model.hidden * 2;
}

static double kv_bytes_per_rank(const struct workload *w)
{
	long tp = w->parallelism.tp, kv = w->model.kv_heads;
	double heads = kv >= tp ? (double)(kv / tp) : 1;
	double head_dim = (double)w->model.hidden / (double)w->model.heads;
	return tokens_local(w) * 2 * heads * head_dim * 2;
}

/* ---- flow builders: one step of each collective, every group at once ---- */

static long gpu_at(const struct steptime *s, long tp, long cp, long dp, long pp)
{
	return placement_gpu(s->pl, s->p, s->w, tp, cp, dp, pp);
}

/* Adds a flow when its source GPU is on `rail` (-1: any rail). */
static bool add_on_rail(struct steptime *s, long rail, long src, long dst, double bytes)
{
	if (rail >= 0 && placement_rail(s->p, src) != rail)
		return true;
	return flowset_add(&s->flows, src, dst, bytes);
}

/* TP ring edges. Groups inside one NVLink domain are alike and share no link: one will do. */
static bool build_tp(struct steptime *s, long rail)
{
	const struct parallelism_spec *par = &s->w->parallelism;
	bool in_domain = s->p->nvlink.domain_gpus % par->tp == 0;
	long groups_dp = in_domain ? 1 : par->dp, groups_pp = in_domain ? 1 : par->pp, groups_cp = in_domain ? 1 : par->cp;
	double bytes = activation_bytes(s->w) / (double)par->tp;
	for (long pp = 0; pp < groups_pp; pp++)
		for (long dp = 0; dp < groups_dp; dp++)
			for (long cp = 0; cp < groups_cp; cp++)
				for (long t = 0; t < par->tp; t++)
					if (!add_on_rail(s, rail, gpu_at(s, t, cp, dp, pp), gpu_at(s, (t + 1) % par->tp, cp, dp, pp),
							 bytes))
						return false;
	return true;
}

static bool build_cp(struct steptime *s, long rail)
{
	const struct parallelism_spec *par = &s->w->parallelism;
	double bytes = kv_bytes_per_rank(s->w);
	for (long pp = 0; pp < par->pp; pp++)
		for (long dp = 0; dp < par->dp; dp++)
			for (long t = 0; t < par->tp; t++)
				for (long c = 0; c < par->cp; c++)
					if (!add_on_rail(s, rail, gpu_at(s, t, c, dp, pp), gpu_at(s, t, (c + 1) % par->cp, dp, pp),
							 bytes))
						return false;
	return true;
}

static bool build_pp(struct steptime *s, long rail)
{
	const struct parallelism_spec *par = &s->w->parallelism;
	double bytes = activation_bytes(s->w) / (double)par->tp; /* sequence-parallel shard */
	for (long pp = 0; pp + 1 < par->pp; pp++)
		for (long dp = 0; dp < par->dp; dp++)
			for (long c = 0; c < par->cp; c++)
				for (long t = 0; t < par->tp; t++)
					if (!add_on_rail(s, rail, gpu_at(s, t, c, dp, pp), gpu_at(s, t, c, dp, pp + 1), bytes))
						return false;
	return true;
}

static double gradient_bytes_per_gpu(const struct workload *w)
{
	return workload_memory_per_gpu(w).gradients_bytes;
}

static bool build_dp(struct steptime *s, long rail)
{
	const struct parallelism_spec *par = &s->w->parallelism;
	double bytes = gradient_bytes_per_gpu(s->w) / (double)par->dp;
	for (long pp = 0; pp < par->pp; pp++)
		for (long c = 0; c < par->cp; c++)
			for (long t = 0; t < par->tp; t++)
				for (long d = 0; d < par->dp; d++)
					if (!add_on_rail(s, rail, gpu_at(s, t, c, d, pp), gpu_at(s, t, c, (d + 1) % par->dp, pp),
							 bytes))
						return false;
	return true;
}

/* Expert all-to-all among ep consecutive DP ranks: each sends its tokens' share to each peer. */
static bool build_ep(struct steptime *s, long rail)
{
	const struct parallelism_spec *par = &s->w->parallelism;
	double bytes = tokens_local(s->w) * (double)s->w->model.active_experts * (double)s->w->model.hidden * 2 /
		       (double)par->ep;
	for (long pp = 0; pp < par->pp; pp++)
		for (long c = 0; c < par->cp; c++)
			for (long t = 0; t < par->tp; t++)
				for (long g = 0; g < par->dp; g += par->ep)
					for (long a = 0; a < par->ep; a++)
						for (long b = 0; b < par->ep; b++)
							if (a != b && !add_on_rail(s, rail, gpu_at(s, t, c, g + a, pp),
										   gpu_at(s, t, c, g + b, pp), bytes))
								return false;
	return true;
}

typedef bool (*flow_builder)(struct steptime *s, long rail);

/* Rails to simulate: rail 0 stands for every healthy rail; each rail with a degraded NIC or
 * fiber is simulated as well, and the slowest rail sets the pace. With the healthy cluster's
 * times at hand (`have_healthy`) rail 0 is skipped when no degradation is on it or on every
 * rail: its times are the healthy ones. */
static size_t rails_to_simulate(const struct platform *p, const struct cluster_state *state, bool have_healthy,
				long *rails)
{
	size_t n = 0;
	bool rail0_healthy = have_healthy;
	for (size_t i = 0; state && i < state->degraded_count; i++)
		rail0_healthy &= state->degraded[i].rail > 0;
	if (!rail0_healthy)
		rails[n++] = 0;
	for (size_t i = 0; state && i < state->degraded_count; i++) {
		long r = state->degraded[i].rail;
		bool seen = r <= 0 || r >= p->node.nics;
		for (size_t k = 0; k < n && !seen; k++)
			seen = rails[k] == r;
		if (!seen)
			rails[n++] = r;
	}
	return n;
}

/* The slowest of the simulated rails for one collective step, at least `floor` (the healthy
 * rails' time, or 0). */
static bool time_collective(struct steptime *s, const struct cluster_state *state, flow_builder build,
			    const double *healthy, double *seconds, struct ts_error *err)
{
	long rails[65];
	size_t n = rails_to_simulate(s->p, state, healthy != NULL, rails);
	*seconds = healthy ? *healthy : 0;
	for (size_t i = 0; i < n && i < 65; i++) {
		double t;
		flowset_clear(&s->flows);
		flowsim_apply_view(s->c, s->p, state, rails[i]);
		if (!build(s, rails[i]))
			return error_set(err, "", 0, 0, "out of memory building the step's transfers");
		if (!flowsim_run(s->c, &s->flows, s->inside_actor, &t, err))
			return false;
		*seconds = fmax(*seconds, t);
	}
	return true;
}

/* The TP ring runs inside NVLink domains on every GPU at once (the whole machine, no rail). */
static bool time_tp(struct steptime *s, const struct cluster_state *state, double *seconds, struct ts_error *err)
{
	flowset_clear(&s->flows);
	flowsim_apply_view(s->c, s->p, state, -1);
	if (!build_tp(s, -1))
		return error_set(err, "", 0, 0, "out of memory building the step's transfers");
	return flowsim_run(s->c, &s->flows, s->inside_actor, seconds, err);
}

/* One step of each collective. `healthy`: the same placement's times on healthy links, or
 * NULL; NVLink never degrades, so the TP time is then taken as is. */
static bool simulate_collectives(struct steptime *s, const struct cluster_state *state,
				 const struct collective_times *healthy, struct collective_times *ct, struct ts_error *err)
{
	const struct parallelism_spec *par = &s->w->parallelism;
	memset(ct, 0, sizeof *ct);
	double ring = 2 * (double)(par->tp - 1), dp_ring = 2 * (double)(par->dp - 1), step;
	if (par->tp > 1) {
		if (healthy)
			ct->tp_allreduce_s = healthy->tp_allreduce_s;
		else if (!time_tp(s, state, &step, err))
			return false;
		else
			ct->tp_allreduce_s = ring * step; /* ring: reduce-scatter + all-gather */
	}
	if (par->cp > 1 && !time_collective(s, state, build_cp, healthy ? &healthy->cp_ring_step_s : NULL,
					    &ct->cp_ring_step_s, err))
		return false;
	if (par->pp > 1 && !time_collective(s, state, build_pp, healthy ? &healthy->pp_send_s : NULL, &ct->pp_send_s, err))
		return false;
	if (par->dp > 1) {
		double healthy_step = healthy ? healthy->dp_allreduce_s / dp_ring : 0;
		if (!time_collective(s, state, build_dp, healthy ? &healthy_step : NULL, &step, err))
			return false;
		ct->dp_allreduce_s = dp_ring * step;
	}
	if (par->ep > 1 && !time_collective(s, state, build_ep, healthy ? &healthy->ep_alltoall_s : NULL,
					    &ct->ep_alltoall_s, err))
		return false;
	flowsim_apply_view(s->c, s->p, state, -1); /* leave SimGrid with the cluster as it is */
	return true;
}

/* ---- composition ---- */

/* Per micro-batch on the busiest stage: forward and backward seconds of one layer. */
struct layer_times {
	double matmul_f, attention_f; /* forward */
	double passes;                /* forward + backward (2x) + recomputed forward */
};

static struct layer_times layer_times(const struct platform *p, const struct workload *w)
{
	const struct efficiency_spec *e = &w->efficiency;
	double precision_speedup = w->training.precision == PRECISION_FP8 ? 2 : 1; /* FP8 tensor cores: 2x BF16 */
	double tokens = tokens_local(w), tp = (double)w->parallelism.tp, peak = p->gpu.peak_flops;
	struct layer_times lt;
	lt.matmul_f = tokens * workload_layer_matmul_flops(w) / tp / (peak * e->matmul * precision_speedup);
	lt.attention_f = tokens * workload_layer_attention_flops(w) / tp / (peak * e->attention);
	lt.passes = 3 + (w->parallelism.recompute == RECOMPUTE_FULL ? 1 : 0);
	return lt;
}

/* Collectives per layer per micro-batch: 2 in the forward, 2 in the backward (Megatron's
 * f and g operators), 2 more when the forward is recomputed. */
static double collectives_per_layer(const struct workload *w)
{
	return w->parallelism.recompute == RECOMPUTE_FULL ? 6 : 4;
}

/* The CP ring hides behind attention: forward hands KV around once, backward twice. */
static double cp_exposed_per_layer(const struct workload *w, const struct layer_times *lt, double ring_step)
{
	double steps = (double)(w->parallelism.cp - 1);
	double forward = fmax(0, steps * ring_step - lt->attention_f);
	double backward = fmax(0, 2 * steps * ring_step - 2 * lt->attention_f);
	double recompute = w->parallelism.recompute == RECOMPUTE_FULL ? forward : 0;
	return forward + backward + recompute;
}

static double optimizer_seconds(const struct platform *p, const struct workload *w)
{
	if (w->efficiency.optimizer_s > 0)
		return w->efficiency.optimizer_s;
	/* Adam on the DP shard: read and write fp32 master, m and v, read the gradient, write
	 * the bf16 weight: about 28 bytes a parameter through HBM. */
	double params = workload_memory_per_gpu(w).weights_bytes / 2 / (double)w->parallelism.dp;
	double hbm = p->gpu.hbm_bandwidth_bytes_per_s > 0 ? p->gpu.hbm_bandwidth_bytes_per_s : 2e12;
	return params * 28 / hbm;
}

static void compose(const struct platform *p, const struct workload *w, const struct collective_times *ct,
		    struct step_result *r)
{
	const struct parallelism_spec *par = &w->parallelism;
	struct layer_times lt = layer_times(p, w);
	double layers = (double)workload_stage_layers(w);
	double m = (double)workload_micro_batches(w);
	double compute = layers * lt.passes * (lt.matmul_f + lt.attention_f);
	double tp = layers * collectives_per_layer(w) * ct->tp_allreduce_s * (1 - w->efficiency.tp_overlap);
	double cp_ep = layers * (cp_exposed_per_layer(w, &lt, ct->cp_ring_step_s) +
				 collectives_per_layer(w) * ct->ep_alltoall_s);
	double per_micro_batch = compute + tp + cp_ep;
	double fill_drain = (double)(par->pp - 1) / (double)par->virtual_stages * per_micro_batch;
	r->micro_batches = (long)m;
	r->collectives = *ct;
	r->parts.compute_s = m * compute;
	r->parts.tp_exposed_s = m * tp;
	r->parts.cp_ep_exposed_s = m * cp_ep;
	r->parts.pp_bubble_s = fill_drain + 2 * (double)(par->pp - 1) * ct->pp_send_s;
	r->parts.dp_exposed_s = (1 - w->efficiency.dp_overlap) * ct->dp_allreduce_s;
	r->parts.optimizer_s = optimizer_seconds(p, w);
	const struct step_breakdown *b = &r->parts;
	r->step_time_s = b->compute_s + b->tp_exposed_s + b->cp_ep_exposed_s + b->pp_bubble_s + b->dp_exposed_s +
			 b->optimizer_s;
	r->tokens_per_s = w->training.global_batch / r->step_time_s;
	r->flops_per_gpu = workload_flops_per_token(w) * r->tokens_per_s / (double)w->job.gpus;
	r->mfu = r->flops_per_gpu / p->gpu.peak_flops;
}

/* ---- cache ---- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 1099511628211ULL; /* FNV-1a 64-bit prime */
	}
	return h;
}

/* Whether a degradation touches the job: a NIC of one of its domains, or the uplinks of a
 * leaf group holding one of its nodes (others cannot change its step). */
static bool degradation_matters(const struct steptime *s, const struct placement *pl, const struct link_degradation *d)
{
	for (long n = 0; n < pl->node_count; n++) {
		long node = pl->nodes[n];
		if (d->link.kind == SG_LINK_NIC && platform_node_domain(s->p, node) == d->link.index)
			return true;
		if (d->link.kind == SG_LINK_LEAF && platform_node_leaf(s->p, node) == d->link.index)
			return true;
		if (d->link.kind != SG_LINK_NIC && d->link.kind != SG_LINK_LEAF)
			return true;
	}
	return false;
}

/* What can change the step: the leaf group of each of the job's nodes, the degradations that
 * touch the job, and the data-parallel size. A degraded NIC or leaf uplink is keyed by its
 * kind, rail and the share left, not by where it is: in a fabric of equal leaf groups one
 * slow NIC slows its rail's rings the same wherever it sits, so a run with a few dozen
 * degradations simulates a handful of distinct steps (exact for uniform leaf groups, an
 * approximation for a partial group at the end of a hall). Per-degradation hashes are
 * summed, so their order does not matter. */
static uint64_t cache_key(const struct steptime *s, const struct placement *pl, const struct cluster_state *state)
{
	uint64_t h = 14695981039346656037ULL, degradations = 0;
	for (long i = 0; i < pl->node_count; i++)
		h = mix(h, (uint64_t)platform_node_leaf(s->p, pl->nodes[i]));
	for (size_t i = 0; state && i < state->degraded_count; i++) {
		const struct link_degradation *d = &state->degraded[i];
		if (!degradation_matters(s, pl, d))
			continue;
		uint64_t factor, one = 14695981039346656037ULL;
		memcpy(&factor, &d->factor, sizeof factor);
		one = mix(mix(mix(one, (uint64_t)d->link.kind), (uint64_t)d->rail), factor);
		if (d->link.kind != SG_LINK_NIC && d->link.kind != SG_LINK_LEAF)
			one = mix(one, (uint64_t)d->link.index);
		degradations += one;
	}
	return mix(mix(h, degradations), (uint64_t)s->w->parallelism.dp);
}

static const struct step_result *cache_find(struct steptime *s, uint64_t key)
{
	for (size_t i = 0; i < CACHE_SIZE; i++)
		if (s->cache[i].used && s->cache[i].key == key)
			return &s->cache[i].result;
	return NULL;
}

static bool has_degradations(const struct cluster_state *state)
{
	return state && state->degraded_count > 0;
}

bool steptime_compute(struct steptime *s, const struct placement *pl, const struct cluster_state *state,
		      struct step_result *out, struct ts_error *err)
{
	uint64_t key = cache_key(s, pl, state);
	const struct step_result *hit = cache_find(s, key);
	if (hit) {
		*out = *hit;
		s->hits++;
		return true;
	}
	/* degraded: the healthy rails are as in the healthy cluster, if that was simulated */
	const struct step_result *healthy = has_degradations(state) ? cache_find(s, cache_key(s, pl, NULL)) : NULL;
	struct collective_times ct, healthy_ct;
	if (healthy)
		healthy_ct = healthy->collectives;
	s->pl = pl;
	bool ok = simulate_collectives(s, state, healthy ? &healthy_ct : NULL, &ct, err);
	s->pl = NULL;
	if (!ok)
		return false;
	memset(out, 0, sizeof *out);
	compose(s->p, s->w, &ct, out);
	s->simulations++;
	struct cache_entry *slot = &s->cache[s->next_slot++ % CACHE_SIZE];
	*slot = (struct cache_entry){true, key, *out};
	return true;
}
