/* steptime: collectives simulated in SimGrid once, changes of placement and links from
 * their bottleneck links, compute from FLOPs, composed by the pipeline schedule; results
 * cached by what can change them (see steptime.h). */
#include "steptime.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linkload.h"

#define CACHE_SIZE 512

struct cache_entry {
	bool used;
	uint64_t key;
	struct step_result result;
};

enum collective_id { COLL_TP, COLL_CP, COLL_PP, COLL_DP, COLL_EP, COLL_COUNT };

struct steptime {
	const struct platform *p;
	const struct workload *w;
	const struct sg_cluster *c;
	const struct placement *pl; /* for the step being computed */
	struct flowset flows;    /* between GPUs: the step being computed */
	struct flowset *by_rank; /* [id * (nics + 1) + rail + 1]: each collective's flows between ranks
				  * in each rail view, built once (the workload alone decides them) */
	bool *by_rank_built;
	struct flowset *building; /* where the flow builders add */
	struct cache_entry cache[CACHE_SIZE];
	size_t next_slot, hits, simulations, models;
	bool inside_actor;
	long *pod_nodes; /* scratch for placement_key: the job's nodes in each pod */
	long *node_pod;  /* pod of each platform node (placement_key runs at every restart) */
	unsigned char *rank_rail; /* rail of each rank (the flow builders ask for every rank) */
	struct linkload *load;
	const struct placement *keyed; /* the placement (and its version) last_placed is for */
	unsigned long keyed_version;
	uint64_t last_placed;
	/* The step SimGrid simulated (the first placement asked for, healthy links), and the
	 * bottleneck time linkload finds for each collective of it: every other step is this one
	 * plus the change in bottleneck time (see steptime.h). */
	bool based;
	uint64_t base_key;
	struct step_result base;
	double base_bottleneck_s[COLL_COUNT];
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
	s->pod_nodes = calloc((size_t)p->counts.pods + 1, sizeof *s->pod_nodes);
	s->node_pod = malloc((size_t)p->counts.nodes * sizeof *s->node_pod);
	s->rank_rail = malloc((size_t)w->job.gpus + 1);
	size_t views = (size_t)COLL_COUNT * (size_t)(p->node.nics + 1);
	s->by_rank = calloc(views, sizeof *s->by_rank);
	s->by_rank_built = calloc(views, sizeof *s->by_rank_built);
	if (!s->pod_nodes || !s->node_pod || !s->rank_rail || !s->by_rank || !s->by_rank_built) {
		steptime_destroy(s);
		return error_set(err, "", 0, 0, "out of memory");
	}
	if (!linkload_create(p, c, &s->load, err)) {
		steptime_destroy(s);
		return false;
	}
	for (long n = 0; n < p->counts.nodes; n++)
		s->node_pod[n] = platform_leaf_pod(p, platform_node_leaf(p, n));
	for (long r = 0; r < w->job.gpus; r++)
		s->rank_rail[r] = (unsigned char)placement_rank_rail(p, r);
	*out = s;
	return true;
}

void steptime_destroy(struct steptime *s)
{
	if (!s)
		return;
	flowset_finish(&s->flows);
	for (long k = 0; s->by_rank && k < COLL_COUNT * (s->p->node.nics + 1); k++)
		flowset_finish(&s->by_rank[k]);
	free(s->by_rank);
	free(s->by_rank_built);
	linkload_destroy(s->load);
	free(s->pod_nodes);
	free(s->node_pod);
	free(s->rank_rail);
	free(s);
}

void steptime_set_inside_actor(struct steptime *s, bool inside)
{
	s->inside_actor = inside;
}

void steptime_forget_placements(struct steptime *s)
{
	s->keyed = NULL;
}

size_t steptime_cache_hits(const struct steptime *s)
{
	return s->hits;
}

size_t steptime_simulations(const struct steptime *s)
{
	return s->simulations;
}

size_t steptime_models(const struct steptime *s)
{
	return s->models;
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

static long rank_at(const struct steptime *s, long tp, long cp, long dp, long pp)
{
	return placement_rank(s->w, tp, cp, dp, pp);
}

/* Adds a flow between two ranks when the source is on `rail` (-1: any rail). */
static bool add_on_rail(struct steptime *s, long rail, long src, long dst, double bytes)
{
	if (rail >= 0 && s->rank_rail[src] != rail)
		return true;
	return flowset_add(s->building, src, dst, bytes);
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
					if (!add_on_rail(s, rail, rank_at(s, t, cp, dp, pp), rank_at(s, (t + 1) % par->tp, cp, dp, pp),
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
					if (!add_on_rail(s, rail, rank_at(s, t, c, dp, pp), rank_at(s, t, (c + 1) % par->cp, dp, pp),
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
					if (!add_on_rail(s, rail, rank_at(s, t, c, dp, pp), rank_at(s, t, c, dp, pp + 1), bytes))
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
					if (!add_on_rail(s, rail, rank_at(s, t, c, d, pp), rank_at(s, t, c, (d + 1) % par->dp, pp),
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
							if (a != b && !add_on_rail(s, rail, rank_at(s, t, c, g + a, pp),
										   rank_at(s, t, c, g + b, pp), bytes))
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

/* Each collective: how its flows are built, the rail its healthy step is simulated on (rail 0
 * stands for every rail: they are alike; the TP ring runs on every GPU at once inside the
 * NVLink domains), and how many of its steps one collective_times entry holds. */
static flow_builder collective_builder(enum collective_id id)
{
	static const flow_builder builders[COLL_COUNT] = {build_tp, build_cp, build_pp, build_dp, build_ep};
	return builders[id];
}

static long collective_rail(enum collective_id id)
{
	return id == COLL_TP ? -1 : 0;
}

static bool collective_present(const struct workload *w, enum collective_id id)
{
	const struct parallelism_spec *par = &w->parallelism;
	const long size[COLL_COUNT] = {par->tp, par->cp, par->pp, par->dp, par->ep};
	return size[id] > 1;
}

/* collective_times holds whole rings for TP and DP (reduce-scatter + all-gather: 2(n-1) ring
 * steps) and the expert all-to-all times the routing imbalance (the busiest rank receives
 * `imbalance` times the mean through a NIC the even exchange fills as much inbound as
 * outbound); one simulated step of flows is the time per unit. */
static double collective_units(const struct workload *w, enum collective_id id)
{
	const struct parallelism_spec *par = &w->parallelism;
	switch (id) {
	case COLL_TP: return 2 * (double)(par->tp - 1);
	case COLL_DP: return 2 * (double)(par->dp - 1);
	case COLL_EP: return w->model.imbalance;
	default: return 1;
	}
}

static double *collective_entry(struct collective_times *ct, enum collective_id id)
{
	double *entries[COLL_COUNT] = {&ct->tp_allreduce_s, &ct->cp_ring_step_s, &ct->pp_send_s, &ct->dp_allreduce_s,
				       &ct->ep_alltoall_s};
	return entries[id];
}

/* The collective's flows in the view of `rail`, between the GPUs of the placement in s->pl
 * (from its flows between ranks, built at the first call). */
static bool build_flows(struct steptime *s, enum collective_id id, long rail, struct ts_error *err)
{
	size_t k = (size_t)id * (size_t)(s->p->node.nics + 1) + (size_t)(rail + 1);
	struct flowset *ranks = &s->by_rank[k];
	if (!s->by_rank_built[k]) {
		s->building = ranks;
		if (!collective_builder(id)(s, rail))
			return error_set(err, "", 0, 0, "out of memory building the step's transfers");
		s->by_rank_built[k] = true;
	}
	flowset_clear(&s->flows);
	for (size_t i = 0; i < ranks->count; i++) {
		const struct flow *f = &ranks->flows[i];
		if (!flowset_add(&s->flows, placement_rank_gpu(s->pl, s->p, f->src_gpu),
				 placement_rank_gpu(s->pl, s->p, f->dst_gpu), f->bytes))
			return error_set(err, "", 0, 0, "out of memory building the step's transfers");
	}
	return true;
}

/* The rails whose view can differ from rail 0's: those of single degraded fibers or NICs
 * (a whole-bundle degradation is in every rail's view). */
static size_t degraded_rails(const struct platform *p, const struct cluster_state *state, long *rails)
{
	size_t n = 0;
	rails[n++] = 0;
	for (size_t i = 0; state && i < state->degraded_count; i++) {
		long r = state->degraded[i].rail;
		bool seen = r < 0 || r >= p->node.nics;
		for (size_t k = 0; k < n && !seen; k++)
			seen = rails[k] == r;
		if (!seen)
			rails[n++] = r;
	}
	return n;
}

/* The link views a collective's step is timed in: the TP ring in the view of all rails (it
 * crosses NICs only when a TP group spans NVLink domains), the others on each rail of
 * degraded_rails. */
static size_t views(enum collective_id id, size_t rail_count)
{
	return id == COLL_TP ? 1 : rail_count;
}

static long view_rail(enum collective_id id, const long *rails, size_t r)
{
	return id == COLL_TP ? collective_rail(id) : rails[r];
}

/* One step of every collective in SimGrid for the placement in s->pl, with the links as
 * `state` has them (NULL: healthy), each on the slowest of the rails whose view differs; and
 * (when `bottleneck_s` is not NULL) the bottleneck time linkload finds for each on rail 0. */
static bool simulate_collectives(struct steptime *s, const struct cluster_state *state, struct collective_times *ct,
				 double *bottleneck_s, struct ts_error *err)
{
	long *rails = malloc(((state ? state->degraded_count : 0) + 1) * sizeof *rails);
	if (!rails)
		return error_set(err, "", 0, 0, "out of memory");
	size_t rail_count = degraded_rails(s->p, state, rails);
	bool ok = true;
	memset(ct, 0, sizeof *ct);
	for (int id = 0; ok && id < COLL_COUNT; id++) {
		if (bottleneck_s)
			bottleneck_s[id] = 0;
		if (!collective_present(s->w, id))
			continue;
		double worst = 0;
		for (size_t r = 0; ok && r < views(id, rail_count); r++) {
			long rail = view_rail(id, rails, r);
			double step;
			flowsim_apply_view(s->c, s->p, state, rail);
			ok = build_flows(s, id, rail, err) && flowsim_run(s->c, &s->flows, s->inside_actor, &step, err);
			worst = fmax(worst, step);
			if (ok && bottleneck_s && r == 0)
				bottleneck_s[id] = linkload_bottleneck_s(s->load, &s->flows, state, rail);
		}
		*collective_entry(ct, id) = worst * collective_units(s->w, id);
	}
	flowsim_apply_view(s->c, s->p, state, -1); /* leave SimGrid with the cluster as it is */
	free(rails);
	return ok;
}

/* The step for the placement in s->pl and the links as `state` has them: each collective's
 * simulated step plus the change in its bottleneck time; the slowest rail sets the pace (a
 * ring is as slow as its slowest link). */
static bool model_collectives(struct steptime *s, const struct cluster_state *state, struct collective_times *ct,
			      struct ts_error *err)
{
	long *rails = malloc(((state ? state->degraded_count : 0) + 1) * sizeof *rails);
	if (!rails)
		return error_set(err, "", 0, 0, "out of memory");
	size_t rail_count = degraded_rails(s->p, state, rails);
	*ct = s->base.collectives;
	bool ok = true;
	for (int id = 0; ok && id < COLL_COUNT; id++) {
		if (!collective_present(s->w, id))
			continue;
		double worst = 0;
		for (size_t r = 0; ok && r < views(id, rail_count); r++) {
			long rail = view_rail(id, rails, r);
			ok = build_flows(s, id, rail, err);
			if (ok)
				worst = fmax(worst, linkload_bottleneck_s(s->load, &s->flows, state, rail));
		}
		double units = collective_units(s->w, id);
		double *entry = collective_entry(ct, id);
		*entry = fmax(0, *entry / units + worst - s->base_bottleneck_s[id]) * units;
	}
	free(rails);
	return ok;
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
	if (d->link.kind != SG_LINK_NIC && d->link.kind != SG_LINK_LEAF)
		return true;
	for (long n = 0; n < pl->node_count; n++) {
		long node = pl->nodes[n];
		if (d->link.kind == SG_LINK_NIC && platform_node_domain(s->p, node) == d->link.index)
			return true;
		if (d->link.kind == SG_LINK_LEAF && platform_node_leaf(s->p, node) == d->link.index)
			return true;
	}
	return false;
}

/* A degradation's identity for the cache: its kind, rail and the share left, and where it
 * is only for pod uplinks and WAN links. In a fabric of equal leaf groups one slow NIC or
 * leaf uplink slows its rail's rings the same wherever it sits (exact for uniform leaf
 * groups, an approximation for a partial group at the end of a hall), so a run with dozens
 * of degradations computes a handful of distinct steps. */
static uint64_t degradation_hash(const struct link_degradation *d)
{
	uint64_t factor, h = 14695981039346656037ULL;
	memcpy(&factor, &d->factor, sizeof factor);
	h = mix(mix(mix(h, (uint64_t)d->link.kind), (uint64_t)d->rail), factor);
	if (d->link.kind != SG_LINK_NIC && d->link.kind != SG_LINK_LEAF)
		h = mix(h, (uint64_t)d->link.index);
	return h;
}

/* Where the job's nodes sit, as far as the step can tell. Behind oversubscribed leaves, the
 * leaf group of each rank. Behind non-blocking leaves (SimGrid bundles a leaf's uplinks, so
 * any pattern of flows fits them) only pods differ, and what a pod's uplinks carry follows
 * how many of the job's nodes it holds: those counts are the key, in steps of 5% of a pod,
 * so that swapping failed nodes for spares in other pods computes the step again only when a
 * pod's share of the job has moved by that much (an approximation: a 100K-GPU run swaps
 * tens of nodes a day). */
static uint64_t placement_key_of(struct steptime *s, const struct placement *pl)
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

static uint64_t placement_key(struct steptime *s, const struct placement *pl)
{
	if (s->keyed != pl || s->keyed_version != pl->version) {
		s->last_placed = placement_key_of(s, pl);
		s->keyed = pl;
		s->keyed_version = pl->version;
	}
	return s->last_placed;
}

/* What can change the step: where the job's nodes sit (placement_key), the degradations
 * that touch the job, and the data-parallel size. Per-degradation hashes are summed, so their
 * order does not matter. */
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

/* The base: the healthy step of the first placement asked for, simulated in SimGrid. */
static bool simulate_base(struct steptime *s, uint64_t placed, struct ts_error *err)
{
	struct collective_times ct;
	if (!simulate_collectives(s, NULL, &ct, s->base_bottleneck_s, err))
		return false;
	steptime_compose(s->p, s->w, &s->w->efficiency, &ct, &s->base);
	s->base_key = cache_key(s, s->pl, placed, NULL);
	s->based = true;
	s->simulations++;
	return true;
}

bool steptime_simulate(struct steptime *s, const struct placement *pl, const struct cluster_state *state,
		       struct step_result *out, struct ts_error *err)
{
	struct collective_times ct;
	s->pl = pl;
	bool ok = simulate_collectives(s, state, &ct, NULL, err);
	s->pl = NULL;
	if (ok)
		steptime_compose(s->p, s->w, &s->w->efficiency, &ct, out);
	return ok;
}

bool steptime_compute(struct steptime *s, const struct placement *pl, const struct cluster_state *state,
		      struct step_result *out, struct ts_error *err)
{
	uint64_t placed = placement_key(s, pl);
	uint64_t key = cache_key(s, pl, placed, state);
	const struct step_result *hit = cache_find(s, key);
	if (hit) {
		*out = *hit;
		s->hits++;
		return true;
	}
	s->pl = pl;
	bool ok = s->based || simulate_base(s, placed, err);
	if (ok && key == s->base_key)
		*out = s->base;
	else if (ok) {
		struct collective_times ct;
		ok = model_collectives(s, state, &ct, err);
		if (ok)
			steptime_compose(s->p, s->w, &s->w->efficiency, &ct, out);
		s->models++;
	}
	s->pl = NULL;
	if (!ok)
		return false;
	s->cache[s->next_slot++ % CACHE_SIZE] = (struct cache_entry){true, key, *out};
	return true;
}
