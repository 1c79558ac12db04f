/* steptime: collectives simulated in SimGrid, compute from FLOPs, composed by the pipeline
 * schedule; results cached by what can change them (see steptime.h). */
#include "steptime.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SIZE 64
#define RAIL_MEMO_SIZE 256

struct rail_entry {
	bool used;
	uint64_t key;
	double seconds; /* rail_memo: the slowdown factor */
};

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
	struct flow_pool *pool;  /* the flows' actors kept inside a running simulation */
	size_t inside_runs;      /* runs of flows since the simulation started */
	bool inside_actor;
	long *pod_nodes; /* scratch for placement_key: the job's nodes in each pod */
	long *node_pod;  /* pod of each platform node (placement_key runs at every restart) */
	struct rail_entry rail_memo[RAIL_MEMO_SIZE]; /* slowdown of one collective by one degradation */
	size_t rail_next;
};

bool steptime_create(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
		     struct steptime **out, struct ts_error *err)
{
	struct steptime *s = calloc(1, sizeof *s);
	if (!s)
		return error_set(err, "", 0, 0, "out of memory");
	s->pod_nodes = calloc((size_t)p->counts.pods + 1, sizeof *s->pod_nodes);
	s->node_pod = malloc((size_t)p->counts.nodes * sizeof *s->node_pod);
	if (!s->pod_nodes || !s->node_pod) {
		free(s->pod_nodes);
		free(s->node_pod);
		free(s);
		return error_set(err, "", 0, 0, "out of memory");
	}
	for (long n = 0; n < p->counts.nodes; n++)
		s->node_pod[n] = platform_leaf_pod(p, platform_node_leaf(p, n));
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
	flowsim_pool_destroy(s->pool);
	free(s->pod_nodes);
	free(s->node_pod);
	free(s);
}

void steptime_set_inside_actor(struct steptime *s, bool inside)
{
	s->inside_actor = inside;
	s->inside_runs = 0;
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
	double head_dim = (double)w->model.head_dim;
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

/* Bytes one rank sends each peer in one expert all-to-all, as routed uniformly: its tokens
 * (a 1/tp share with sequence parallelism) times the routed experts each goes to, spread
 * over the ep ranks. Dispatch and combine are alike here, in bf16. */
static double ep_bytes_per_peer(const struct workload *w)
{
	const struct parallelism_spec *par = &w->parallelism;
	return tokens_local(w) / (double)par->tp * (double)w->model.active_experts * (double)w->model.hidden * 2 /
	       (double)par->ep;
}

/* Expert all-to-all among ep consecutive DP ranks: each sends its tokens' share to each peer
 * (simulated on one rail, as the other collectives: every rank of the rail sends through its
 * NIC what it would send in the whole exchange). */
static bool build_ep(struct steptime *s, long rail)
{
	const struct parallelism_spec *par = &s->w->parallelism;
	double bytes = ep_bytes_per_peer(s->w);
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

static uint64_t mix(uint64_t h, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 1099511628211ULL; /* FNV-1a 64-bit prime */
	}
	return h;
}

/* One step of a collective on rail `rail` with the links as `state` has them. */
static bool simulate_rail(struct steptime *s, const struct cluster_state *state, flow_builder build, long rail,
			  double *seconds, struct ts_error *err)
{
	flowset_clear(&s->flows);
	flowsim_apply_view(s->c, s->p, state, rail);
	if (!build(s, rail))
		return error_set(err, "", 0, 0, "out of memory building the step's transfers");
	bool pooled = s->inside_actor && s->inside_runs++ > 0; /* see flowsim.c: from the second run */
	if (pooled && !s->pool && !(s->pool = flowsim_pool_create(s->p)))
		return error_set(err, "", 0, 0, "out of memory for the step's transfer actors");
	return flowsim_run(s->c, &s->flows, s->inside_actor, pooled ? s->pool : NULL, seconds, err);
}

static bool degradation_matters(struct steptime *s, const struct placement *pl, const struct link_degradation *d);

/* A degradation's identity for the caches: its kind, rail and the share left, not where it
 * is (see cache_key). */
static uint64_t degradation_hash(const struct link_degradation *d)
{
	uint64_t factor, h = 14695981039346656037ULL;
	memcpy(&factor, &d->factor, sizeof factor);
	h = mix(mix(mix(h, (uint64_t)d->link.kind), (uint64_t)d->rail), factor);
	if (d->link.kind != SG_LINK_NIC && d->link.kind != SG_LINK_LEAF)
		h = mix(h, (uint64_t)d->link.index);
	return h;
}

/* The slowdown one degradation alone gives a collective (simulated on the rail it is on, or
 * rail 0 for links every rail shares), remembered by its kind and share left: rails are
 * alike, and a slow NIC slows its ring by about the same factor wherever the job's nodes
 * sit. */
static bool degradation_slowdown(struct steptime *s, const struct link_degradation *d, flow_builder build, int id,
				 double healthy, double *slowdown, struct ts_error *err)
{
	struct link_degradation any_rail = *d;
	any_rail.rail = d->rail < 0 ? -1 : 0;
	uint64_t key = mix(mix(degradation_hash(&any_rail), (uint64_t)id), (uint64_t)s->w->parallelism.dp);
	for (size_t i = 0; i < RAIL_MEMO_SIZE; i++)
		if (s->rail_memo[i].used && s->rail_memo[i].key == key) {
			*slowdown = s->rail_memo[i].seconds;
			return true;
		}
	struct cluster_state alone = {(struct link_degradation *)d, 1};
	double t;
	if (!simulate_rail(s, &alone, build, d->rail < 0 ? 0 : d->rail, &t, err))
		return false;
	*slowdown = healthy > 0 ? fmax(1, t / healthy) : 1;
	s->rail_memo[s->rail_next++ % RAIL_MEMO_SIZE] = (struct rail_entry){true, key, *slowdown};
	return true;
}

/* One step of a per-rail collective: the slowest ring sets the pace, and a ring is as slow
 * as its slowest link, so the step takes the healthy time times the largest slowdown of the
 * degradations touching the job (each simulated once, alone; see degradation_slowdown). */
static bool time_collective(struct steptime *s, const struct cluster_state *state, flow_builder build, int id,
			    double healthy, double *seconds, struct ts_error *err)
{
	double worst = 1;
	for (size_t i = 0; state && i < state->degraded_count; i++) {
		const struct link_degradation *d = &state->degraded[i];
		double slowdown;
		if (!degradation_matters(s, s->pl, d))
			continue;
		if (!degradation_slowdown(s, d, build, id, healthy, &slowdown, err))
			return false;
		worst = fmax(worst, slowdown);
	}
	*seconds = healthy * worst;
	return true;
}

enum collective_id { COLL_TP, COLL_CP, COLL_PP, COLL_DP, COLL_EP };

/* One step of each collective on the healthy cluster: rail 0 stands for every rail (they are
 * alike), the TP ring runs on every GPU at once inside the NVLink domains. */
static bool simulate_healthy(struct steptime *s, struct collective_times *ct, struct ts_error *err)
{
	const struct parallelism_spec *par = &s->w->parallelism;
	memset(ct, 0, sizeof *ct);
	double step;
	if (par->tp > 1) {
		if (!simulate_rail(s, NULL, build_tp, -1, &step, err))
			return false;
		ct->tp_allreduce_s = 2 * (double)(par->tp - 1) * step; /* ring: reduce-scatter + all-gather */
	}
	if (par->cp > 1 && !simulate_rail(s, NULL, build_cp, 0, &ct->cp_ring_step_s, err))
		return false;
	if (par->pp > 1 && !simulate_rail(s, NULL, build_pp, 0, &ct->pp_send_s, err))
		return false;
	if (par->dp > 1) {
		if (!simulate_rail(s, NULL, build_dp, 0, &step, err))
			return false;
		ct->dp_allreduce_s = 2 * (double)(par->dp - 1) * step;
	}
	if (par->ep > 1 && !simulate_rail(s, NULL, build_ep, 0, &ct->ep_alltoall_s, err))
		return false;
	/* Routing imbalance: the busiest rank receives `imbalance` times the mean through a NIC the
	 * even exchange fills as much inbound as outbound, so the exchange takes that much longer. */
	ct->ep_alltoall_s *= s->w->model.imbalance;
	flowsim_apply_view(s->c, s->p, NULL, -1); /* leave SimGrid with the cluster as it is */
	return true;
}

/* The same with degraded links, from the healthy times: NVLink never degrades (TP as is);
 * each per-rail collective takes its slowest rail. */
static bool simulate_degraded(struct steptime *s, const struct cluster_state *state,
			      const struct collective_times *healthy, struct collective_times *ct, struct ts_error *err)
{
	const struct parallelism_spec *par = &s->w->parallelism;
	*ct = *healthy;
	double dp_ring = 2 * (double)(par->dp - 1), step;
	if (par->cp > 1 && !time_collective(s, state, build_cp, COLL_CP, healthy->cp_ring_step_s, &ct->cp_ring_step_s, err))
		return false;
	if (par->pp > 1 && !time_collective(s, state, build_pp, COLL_PP, healthy->pp_send_s, &ct->pp_send_s, err))
		return false;
	if (par->dp > 1) {
		if (!time_collective(s, state, build_dp, COLL_DP, healthy->dp_allreduce_s / dp_ring, &step, err))
			return false;
		ct->dp_allreduce_s = dp_ring * step;
	}
	double imbalance = s->w->model.imbalance;
	if (par->ep > 1 && !time_collective(s, state, build_ep, COLL_EP, healthy->ep_alltoall_s / imbalance, &step, err))
		return false;
	if (par->ep > 1)
		ct->ep_alltoall_s = step * imbalance;
	flowsim_apply_view(s->c, s->p, state, -1);
	return true;
}

/* ---- composition ---- */

/* Per micro-batch on the busiest stage: forward and backward seconds of one layer. */
struct layer_times {
	double matmul_f, attention_f; /* forward */
	double passes;                /* forward + backward (2x) + recomputed forward */
};

/* Matmuls at the workload's precision (FP8 at its own peak and efficiency, not twice BF16),
 * the routed experts' share times the routing imbalance (the busiest expert rank sets the
 * pace); the attention core in BF16. */
static struct layer_times layer_times(const struct platform *p, const struct workload *w,
				      const struct efficiency_spec *e)
{
	bool fp8 = w->training.precision == PRECISION_FP8;
	double matmul_rate = fp8 ? p->gpu.peak_fp8_flops * e->fp8_matmul : p->gpu.peak_flops * e->matmul;
	double tokens = tokens_local(w), tp = (double)w->parallelism.tp;
	double routed = workload_layer_routed_flops(w);
	double matmul = workload_layer_matmul_flops(w) + routed * (w->model.imbalance - 1);
	struct layer_times lt;
	lt.matmul_f = tokens * matmul / tp / matmul_rate;
	lt.attention_f = tokens * workload_layer_attention_flops(w) / tp / (p->gpu.peak_flops * e->attention);
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

static double optimizer_seconds(const struct platform *p, const struct workload *w, const struct efficiency_spec *e)
{
	if (e->optimizer_s > 0)
		return e->optimizer_s;
	/* Adam on the DP shard: read and write fp32 master, m and v, read the gradient, write
	 * the bf16 weight: about 28 bytes a parameter through HBM. */
	double params = workload_memory_per_gpu(w).weights_bytes / 2 / (double)w->parallelism.dp;
	double hbm = p->gpu.hbm_bandwidth_bytes_per_s > 0 ? p->gpu.hbm_bandwidth_bytes_per_s : 2e12;
	return params * 28 / hbm;
}

/* Pipeline fill and drain: (pp - 1) / v micro-batches for 1F1B (v = 1) and interleaving;
 * DualPipe's bidirectional schedule leaves (pp/2 - 1) x (F&B + B - 3W) (DeepSeek-V3, Table 2),
 * taken here as (pp/2 - 1) forward passes [assumed: F&B as long as F + B, B and W alike]. */
static double fill_drain(const struct workload *w, const struct layer_times *lt, double layers,
			 double per_micro_batch)
{
	const struct parallelism_spec *par = &w->parallelism;
	if (par->schedule == SCHEDULE_DUALPIPE)
		return ((double)par->pp / 2 - 1) * layers * (lt->matmul_f + lt->attention_f);
	return (double)(par->pp - 1) / (double)par->virtual_stages * per_micro_batch;
}

void steptime_compose(const struct platform *p, const struct workload *w, const struct efficiency_spec *e,
		      const struct collective_times *ct, struct step_result *r)
{
	const struct parallelism_spec *par = &w->parallelism;
	struct layer_times lt = layer_times(p, w, e);
	double layers = (double)workload_stage_layers(w);
	double m = (double)workload_micro_batches(w);
	double compute = layers * lt.passes * (lt.matmul_f + lt.attention_f);
	double tp = layers * collectives_per_layer(w) * ct->tp_allreduce_s * (1 - e->tp_overlap);
	double cp_ep = layers * (cp_exposed_per_layer(w, &lt, ct->cp_ring_step_s) +
				 collectives_per_layer(w) * ct->ep_alltoall_s * (1 - e->ep_overlap));
	double per_micro_batch = compute + tp + cp_ep;
	memset(r, 0, sizeof *r);
	r->micro_batches = (long)m;
	r->collectives = *ct;
	r->parts.compute_s = m * compute;
	r->parts.tp_exposed_s = m * tp;
	r->parts.cp_ep_exposed_s = m * cp_ep;
	r->parts.pp_bubble_s = fill_drain(w, &lt, layers, per_micro_batch) + 2 * (double)(par->pp - 1) * ct->pp_send_s;
	r->parts.dp_exposed_s = (1 - e->dp_overlap) * ct->dp_allreduce_s;
	r->parts.optimizer_s = optimizer_seconds(p, w, e);
	const struct step_breakdown *b = &r->parts;
	r->step_time_s = b->compute_s + b->tp_exposed_s + b->cp_ep_exposed_s + b->pp_bubble_s + b->dp_exposed_s +
			 b->optimizer_s;
	r->tokens_per_s = w->training.global_batch / r->step_time_s;
	r->flops_per_gpu = workload_flops_per_token(w) * r->tokens_per_s / (double)w->job.gpus;
	r->mfu = r->flops_per_gpu / p->gpu.peak_flops;
}

/* ---- cache ---- */


/* Whether a degradation touches the job: a NIC of one of its domains, or the uplinks of a
 * leaf group holding one of its nodes (others cannot change its step). */
static bool degradation_matters(struct steptime *s, const struct placement *pl, const struct link_degradation *d)
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

/* Where the job's nodes sit, as far as the step can tell. Behind oversubscribed leaves, the
 * leaf group of each rank. Behind non-blocking leaves (SimGrid bundles a leaf's uplinks, so
 * any pattern of flows fits them) only pods differ, and what a pod's uplinks carry follows
 * how many of the job's nodes it holds: those counts are the key, in steps of 5% of a pod,
 * so that swapping failed nodes for spares in other pods re-simulates the step only when a
 * pod's share of the job has moved by that much (an approximation: a 100K-GPU run swaps
 * tens of nodes a day and each simulation of its step takes over a second). */
static uint64_t placement_key(struct steptime *s, const struct placement *pl)
{
	const struct platform *p = s->p;
	uint64_t h = 14695981039346656037ULL;
	if (p->fabric.leaf_oversubscription > 1 || p->counts.pods <= 1) {
		for (long i = 0; i < pl->node_count; i++)
			h = mix(h, (uint64_t)platform_node_leaf(p, pl->nodes[i]));
		return h;
	}
	memset(s->pod_nodes, 0, (size_t)p->counts.pods * sizeof *s->pod_nodes);
	for (long i = 0; i < pl->node_count; i++)
		s->pod_nodes[s->node_pod[pl->nodes[i]]]++;
	long step = (p->fabric.leaf_nodes * p->fabric.spine_leaves + 19) / 20;
	for (long pod = 0; pod < p->counts.pods; pod++)
		h = mix(h, (uint64_t)(s->pod_nodes[pod] / step));
	return h;
}

/* What can change the step: the leaf group of each of the job's nodes, the degradations that
 * touch the job, and the data-parallel size. A degraded NIC or leaf uplink is keyed by its
 * kind, rail and the share left, not by where it is: in a fabric of equal leaf groups one
 * slow NIC slows its rail's rings the same wherever it sits, so a run with a few dozen
 * degradations simulates a handful of distinct steps (exact for uniform leaf groups, an
 * approximation for a partial group at the end of a hall). Per-degradation hashes are
 * summed, so their order does not matter. */
static uint64_t cache_key(struct steptime *s, const struct placement *pl, uint64_t placed,
			  const struct cluster_state *state)
{
	uint64_t degradations = 0;
	for (size_t i = 0; state && i < state->degraded_count; i++)
		if (degradation_matters(s, pl, &state->degraded[i]))
			degradations += degradation_hash(&state->degraded[i]) | 1;
	return mix(mix(placed, (uint64_t)s->w->parallelism.dp), degradations);
}

static const struct step_result *cache_find(struct steptime *s, uint64_t key)
{
	for (size_t i = 0; i < CACHE_SIZE; i++)
		if (s->cache[i].used && s->cache[i].key == key)
			return &s->cache[i].result;
	return NULL;
}

bool steptime_compute(struct steptime *s, const struct placement *pl, const struct cluster_state *state,
		      struct step_result *out, struct ts_error *err)
{
	uint64_t placed = placement_key(s, pl);
	uint64_t key = cache_key(s, pl, placed, state), healthy_key = cache_key(s, pl, placed, NULL);
	const struct step_result *hit = cache_find(s, key);
	if (hit) {
		*out = *hit;
		s->hits++;
		return true;
	}
	struct step_result healthy;
	if (key != healthy_key && !steptime_compute(s, pl, NULL, &healthy, err))
		return false; /* degraded: from the healthy step, simulated first if need be */
	struct collective_times ct;
	s->pl = pl;
	bool ok = key == healthy_key ? simulate_healthy(s, &ct, err)
				     : simulate_degraded(s, state, &healthy.collectives, &ct, err);
	s->pl = NULL;
	if (!ok)
		return false;
	steptime_compose(s->p, s->w, &s->w->efficiency, &ct, out);
	s->simulations++;
	struct cache_entry *slot = &s->cache[s->next_slot++ % CACHE_SIZE];
	*slot = (struct cache_entry){true, key, *out};
	return true;
}
