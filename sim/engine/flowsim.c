/* flowsim: one SimGrid actor per host involved puts its outgoing flows and gets its incoming
 * ones, each flow on its own mailbox; the engine runs until all are done. */
#include "flowsim.h"
#include "grow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <simgrid/actor.h>
#include <simgrid/host.h>
#include <simgrid/comm.h>
#include <simgrid/engine.h>
#include <simgrid/link.h>
#include <simgrid/mailbox.h>

bool flowset_add(struct flowset *set, long src_gpu, long dst_gpu, double bytes)
{
	struct flow *flows = grow_array(set->flows, &set->capacity, set->count, sizeof *flows, 256);
	if (!flows)
		return false;
	set->flows = flows;
	set->flows[set->count++] = (struct flow){src_gpu, dst_gpu, bytes};
	return true;
}

void flowset_clear(struct flowset *set)
{
	set->count = 0;
}

void flowset_finish(struct flowset *set)
{
	free(set->flows);
	set->flows = NULL;
	set->count = set->capacity = 0;
}

/* ---- link views ---- */

static double degradation_factor(const struct cluster_state *state, enum sg_link_kind kind, long index, long rail,
				 double *lost_fibers)
{
	double factor = 1;
	*lost_fibers = 0;
	for (size_t i = 0; state && i < state->degraded_count; i++) {
		const struct link_degradation *d = &state->degraded[i];
		if (d->link.kind != kind || d->link.index != index)
			continue;
		if (d->rail < 0)
			factor *= d->factor;
		else if (rail < 0 || d->rail == rail)
			*lost_fibers += 1 - d->factor;
	}
	return factor;
}

/* Capacity of one of our links in a view: the bundle (rail -1) or one rail's share, less
 * whole-bundle degradations (a factor) and single degraded fibers or NICs (a loss of
 * `unit` bytes per second each). */
static double view_capacity(double bundle, double unit, long rails, const struct cluster_state *state,
			    enum sg_link_kind kind, long index, long rail)
{
	double lost;
	double factor = degradation_factor(state, kind, index, rail, &lost);
	double share = rail < 0 ? bundle : bundle / (double)rails;
	double capacity = share * factor - lost * unit;
	return capacity > 1 ? capacity : 1; /* SimGrid needs a positive bandwidth */
}

double flowsim_link_capacity(const struct platform *p, const struct cluster_state *state, enum sg_link_kind kind,
			     long index, long rail)
{
	long rails = p->node.nics;
	double fiber = p->fabric.fiber_bandwidth_bytes_per_s;
	switch (kind) {
	case SG_LINK_NIC:
		return view_capacity(platform_domain_nic_bytes_per_s(p), p->node.nic_bandwidth_bytes_per_s, rails, state,
				     kind, index, rail);
	case SG_LINK_LEAF:
		return view_capacity(platform_leaf_uplink_bytes_per_s(p, index), fiber, rails, state, kind, index, rail);
	case SG_LINK_POD:
		return view_capacity(platform_pod_uplink_bytes_per_s(p, index), fiber, rails, state, kind, index, rail);
	case SG_LINK_WAN: {
		double bw = p->wan[index].bandwidth_bytes_per_s;
		return view_capacity(bw, bw, rails, state, kind, index, rail);
	}
	default:
		return p->nvlink.bandwidth_bytes_per_s;
	}
}

static void set_pair(const struct sg_cluster *c, const struct platform *p, const struct cluster_state *state,
		     enum sg_link_kind kind, long index, long rail)
{
	double bytes_per_s = flowsim_link_capacity(p, state, kind, index, rail);
	for (int up = 0; up < 2; up++) {
		sg_link_t link = sg_platform_link(c, (struct sg_link_ref){kind, index, up});
		if (link)
			sg_link_set_bandwidth(link, bytes_per_s);
	}
}

void flowsim_apply_view(const struct sg_cluster *c, const struct platform *p, const struct cluster_state *state,
			long rail)
{
	for (long d = 0; d < p->counts.domains; d++)
		set_pair(c, p, state, SG_LINK_NIC, d, rail);
	for (long l = 0; l < p->counts.leaves; l++)
		set_pair(c, p, state, SG_LINK_LEAF, l, rail);
	for (long pod = 0; p->fabric.has_core && pod < p->counts.pods; pod++)
		set_pair(c, p, state, SG_LINK_POD, pod, rail);
	for (size_t w = 0; w < p->wan_count; w++)
		set_pair(c, p, state, SG_LINK_WAN, (long)w, rail);
}

/* ---- running flows ---- */

/* What one host's actor does: the flows it sends and the flows it receives. */
struct host_task {
	sg_host_t host;
	size_t *out, *in;
	size_t out_count, in_count;
	const struct flowset *set;
	sg_mailbox_t *mailboxes;
	bool failed;
};

static void host_task_run(struct host_task *t)
{
	size_t n = t->out_count + t->in_count;
	sg_comm_t *comms = malloc((n ? n : 1) * sizeof *comms);
	void **received = malloc((t->in_count ? t->in_count : 1) * sizeof *received);
	if (!comms || !received) {
		t->failed = true;
		free(comms);
		free(received);
		return;
	}
	for (size_t i = 0; i < t->out_count; i++) {
		const struct flow *f = &t->set->flows[t->out[i]];
		comms[i] = sg_mailbox_put_async(t->mailboxes[t->out[i]], (void *)f, (long)ceil(f->bytes));
	}
	for (size_t i = 0; i < t->in_count; i++)
		comms[t->out_count + i] = sg_mailbox_get_async(t->mailboxes[t->in[i]], &received[i]);
	for (size_t i = 0; i < n; i++)
		if (sg_comm_wait(comms[i]) != SG_OK)
			t->failed = true;
	free(comms);
	free(received);
}

static void host_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	host_task_run(sg_actor_self_get_data());
}

struct run_plan {
	struct host_task *tasks;  /* one per domain involved */
	long *task_of_domain;     /* index into tasks, or -1 */
	size_t task_count;
	size_t *slots;            /* flow indices, out then in, carved per task */
	sg_mailbox_t *mailboxes;
};

static void plan_free(struct run_plan *plan)
{
	free(plan->tasks);
	free(plan->task_of_domain);
	free(plan->slots);
	free(plan->mailboxes);
}

static long task_for(struct run_plan *plan, const struct sg_cluster *c, long domain)
{
	if (plan->task_of_domain[domain] < 0) {
		plan->task_of_domain[domain] = (long)plan->task_count;
		plan->tasks[plan->task_count++].host = sg_platform_domain_host(c, domain);
	}
	return plan->task_of_domain[domain];
}

/* Counts flows per task, then carves each task's out and in lists from one array. */
static bool plan_build(struct run_plan *plan, const struct sg_cluster *c, const struct platform *p,
		       const struct flowset *set)
{
	size_t domains = (size_t)p->counts.domains, n = set->count;
	plan->tasks = calloc(n * 2 + 1, sizeof *plan->tasks);
	plan->task_of_domain = malloc(domains * sizeof *plan->task_of_domain);
	plan->slots = malloc((2 * n + 1) * sizeof *plan->slots);
	plan->mailboxes = malloc((n + 1) * sizeof *plan->mailboxes);
	if (!plan->tasks || !plan->task_of_domain || !plan->slots || !plan->mailboxes)
		return false;
	for (size_t d = 0; d < domains; d++)
		plan->task_of_domain[d] = -1;
	long per_domain = p->nvlink.domain_gpus;
	for (size_t i = 0; i < n; i++) {
		plan->tasks[task_for(plan, c, set->flows[i].src_gpu / per_domain)].out_count++;
		plan->tasks[task_for(plan, c, set->flows[i].dst_gpu / per_domain)].in_count++;
	}
	size_t *next = plan->slots;
	for (size_t t = 0; t < plan->task_count; t++) {
		struct host_task *task = &plan->tasks[t];
		task->out = next;
		task->in = next + task->out_count;
		next += task->out_count + task->in_count;
		task->out_count = task->in_count = 0;
		task->set = set;
		task->mailboxes = plan->mailboxes;
	}
	for (size_t i = 0; i < n; i++) {
		struct host_task *src = &plan->tasks[plan->task_of_domain[set->flows[i].src_gpu / per_domain]];
		struct host_task *dst = &plan->tasks[plan->task_of_domain[set->flows[i].dst_gpu / per_domain]];
		src->out[src->out_count++] = i;
		dst->in[dst->in_count++] = i;
		char name[32];
		snprintf(name, sizeof name, "flow%zu", i);
		plan->mailboxes[i] = sg_mailbox_by_name(name);
	}
	return true;
}

/* An actor per task, for this run of flows alone: outside a simulation the engine is run
 * until they end; inside one, the caller joins them. */
static bool run_own_actors(struct host_task *tasks, size_t count, bool inside)
{
	sg_actor_t *actors = inside ? calloc(count, sizeof *actors) : NULL;
	if (inside && !actors)
		return false;
	for (size_t t = 0; t < count; t++) {
		sg_actor_t actor = sg_actor_init("flows", tasks[t].host);
		sg_actor_set_data(actor, &tasks[t]);
		sg_actor_start(actor, host_actor, 0, NULL);
		if (inside) {
			sg_actor_ref(actor); /* keep it joinable even if it ends before we join */
			actors[t] = actor;
		}
	}
	if (!inside)
		simgrid_run();
	for (size_t t = 0; inside && t < count; t++) {
		sg_actor_join(actors[t], -1);
		sg_actor_unref(actors[t]);
	}
	free(actors);
	return true;
}

bool flowsim_run(const struct sg_cluster *c, const struct flowset *set, bool inside, double *makespan_s,
		 struct ts_error *err)
{
	*makespan_s = 0;
	if (set->count == 0)
		return true;
	const struct platform *p = sg_platform_model(c);
	struct run_plan plan = {0};
	if (!plan_build(&plan, c, p, set)) {
		plan_free(&plan);
		return error_set(err, "", 0, 0, "out of memory planning %zu transfers", set->count);
	}
	/* SimGrid refuses (with an exception C cannot catch) to start an actor on a host that is
	 * off: a flow to or from a failed domain fails here, before anything starts. */
	for (size_t t = 0; t < plan.task_count; t++)
		if (!sg_host_is_on(plan.tasks[t].host)) {
			plan_free(&plan);
			return error_set(err, "", 0, 0, "a simulated transfer failed (a host or link is down)");
		}
	double start = simgrid_get_clock();
	if (!run_own_actors(plan.tasks, plan.task_count, inside)) {
		plan_free(&plan);
		return error_set(err, "", 0, 0, "out of memory starting %zu transfers", set->count);
	}
	*makespan_s = simgrid_get_clock() - start;
	bool failed = false;
	for (size_t t = 0; t < plan.task_count; t++)
		failed |= plan.tasks[t].failed;
	plan_free(&plan);
	if (failed)
		return error_set(err, "", 0, 0, "a simulated transfer failed (a host or link is down)");
	return true;
}

struct link_degradation flowsim_degradation(struct component_place place, double fraction)
{
	double left = 1 - (1 - fraction) / (double)place.members;
	if (place.object == OBJECT_NIC_LINK)
		return (struct link_degradation){{SG_LINK_NIC, place.index, true}, place.rail, left};
	return (struct link_degradation){{SG_LINK_LEAF, place.index, true}, -1, left};
}
