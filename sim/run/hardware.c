/* hardware: node slots down and SimGrid hosts (see hardware.h). */
#include "hardware.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_failures, trainsim, "failures and the hardware they take down");

bool hardware_init(struct hardware *h, struct run_ctx *ctx, struct crews *crews, const struct job_nodes *job)
{
	size_t nodes = (size_t)ctx->p->counts.nodes;
	*h = (struct hardware){.ctx = ctx, .crews = crews, .job = job};
	h->node_down = calloc(nodes, sizeof *h->node_down);
	h->down_list = malloc(nodes * sizeof *h->down_list);
	h->down_at = malloc(nodes * sizeof *h->down_at);
	h->picked = calloc(nodes, sizeof *h->picked);
	h->picked_list = malloc(nodes * sizeof *h->picked_list);
	if (!h->node_down || !h->down_list || !h->down_at || !h->picked || !h->picked_list)
		return false;
	for (size_t n = 0; n < nodes; n++)
		h->down_at[n] = -1;
	long ring = ctx->p->operations.retire.failures;
	if (ring <= 0)
		return true;
	h->failure_times = calloc(nodes * (size_t)ring, sizeof *h->failure_times);
	h->failures_seen = calloc(nodes, sizeof *h->failures_seen);
	h->retired = calloc(nodes, sizeof *h->retired);
	return h->failure_times && h->failures_seen && h->retired;
}

void hardware_finish(struct hardware *h)
{
	free(h->node_down);
	free(h->down_list);
	free(h->down_at);
	free(h->picked);
	free(h->picked_list);
	free(h->failure_times);
	free(h->failures_seen);
	free(h->retired);
	h->node_down = h->down_list = h->down_at = h->picked_list = h->failures_seen = NULL;
	h->picked = h->retired = NULL;
	h->failure_times = NULL;
}

void hardware_power_on_all(struct hardware *h)
{
	for (long d = 0; d < h->ctx->p->counts.domains; d++)
		if (!sg_host_is_on(sg_platform_domain_host(h->ctx->c, d)))
			sg_host_turn_on(sg_platform_domain_host(h->ctx->c, d));
}

/* A domain's SimGrid host is on when none of its nodes is down. */
static void update_host(struct hardware *h, long node)
{
	long per = h->ctx->p->counts.nodes_per_domain, d = node / per;
	bool down = false;
	for (long n = d * per; n < (d + 1) * per; n++)
		down |= h->node_down[n] > 0;
	sg_host_t host = sg_platform_domain_host(h->ctx->c, d);
	if (down && sg_host_is_on(host))
		sg_host_turn_off(host);
	else if (!down && !sg_host_is_on(host))
		sg_host_turn_on(host);
}

/* Keeps the list of nodes down as node n goes down or comes back. */
static void list_down(struct hardware *h, long n)
{
	bool down = h->node_down[n] > 0, listed = h->down_at[n] >= 0;
	if (down && !listed) {
		h->down_at[n] = h->down_count;
		h->down_list[h->down_count++] = n;
	} else if (!down && listed) {
		long last = h->down_list[--h->down_count];
		h->down_list[h->down_at[n]] = last;
		h->down_at[last] = h->down_at[n];
		h->down_at[n] = -1;
	}
}

void hardware_down(struct hardware *h, struct node_range r, int delta)
{
	h->changes++;
	for (long n = r.first; n < r.first + r.count; n++) {
		h->node_down[n] += delta;
		list_down(h, n);
		update_host(h, n);
	}
}

struct node_range hardware_failure_nodes(const struct platform *p, const struct failure_class *fc, long component)
{
	struct node_range r = components_nodes(p, fc->per, component);
	if (fc->takes_down == fc->per)
		return r;
	struct node_range around = components_around(p, fc->takes_down, r.first);
	return around.count > r.count ? around : r;
}

void hardware_count_failure(struct hardware *h, long class_index, long component)
{
	const struct failure_class *fc = &h->ctx->p->failures[class_index];
	runctx_event(h->ctx, events_make(EVENT_FAILURE, fc->per, component, class_index));
	XBT_DEBUG("%s failure of %s %ld", fc->name, platform_component_name(fc->per), component);
}

/* A correlated strike on `share` of group r's nodes: that many distinct nodes drawn from a
 * stream of its own (class and time) by Floyd's sampling, into h->picked_list. Returns how
 * many. */
static long pick_share(struct hardware *h, long class_index, struct node_range r, double share)
{
	long want = (long)llround(share * (double)r.count);
	want = want < 1 ? 1 : want;
	double now = simgrid_get_clock() - h->ctx->origin_s;
	uint64_t t;
	memcpy(&t, &now, sizeof t);
	struct rng rng;
	rng_init(&rng, h->ctx->seed, ((0x48495453ULL + (uint64_t)class_index) * 0x9e3779b97f4a7c15ULL) ^ t); /* "HITS" */
	for (long k = 0; k < want; k++) {
		long j = r.count - want + k, pick = (long)rng_below(&rng, (uint64_t)(j + 1));
		long node = r.first + (h->picked[r.first + pick] ? j : pick);
		h->picked[node] = true;
		h->picked_list[k] = node;
	}
	for (long k = 0; k < want; k++)
		h->picked[h->picked_list[k]] = false;
	return want;
}

static void group_event(struct hardware *h, long class_index, struct node_range r, long hit)
{
	struct event e = events_make(EVENT_GROUP_DOWN, COMPONENT_NODE, r.first, class_index);
	e.values[0] = (double)hit;
	e.values[1] = (double)r.count;
	runctx_event(h->ctx, e);
}

/* ---- retiring nodes that fail too often ---- */

bool hardware_strikes(const struct hardware *h, const struct failure_class *fc, long component)
{
	if (!h->retired || fc->per == COMPONENT_JOB || fc->takes_down == COMPONENT_JOB)
		return true;
	struct node_range r = hardware_failure_nodes(h->ctx->p, fc, component);
	for (long n = r.first; n < r.first + r.count; n++)
		if (!h->retired[n])
			return true;
	return false;
}

void hardware_slot_renewed(struct hardware *h, long node)
{
	if (h->retired) {
		h->retired[node] = false;
		h->failures_seen[node] = 0;
	}
}

/* Node `node` failed alone: counted, and retired if that makes retire.failures within
 * retire.within (a ring holds its last failures: the slot written next is the oldest). The
 * retired node stays down, held by a ticket no crew works. Returns whether it retired. */
static bool retire_on_failure(struct hardware *h, long class_index, long node)
{
	const struct retire_policy *rp = &h->ctx->p->operations.retire;
	if (!h->retired || h->retired[node])
		return false;
	double now = simgrid_get_clock() - h->ctx->origin_s, *ring = h->failure_times + node * rp->failures;
	ring[h->failures_seen[node]++ % rp->failures] = now;
	if (h->failures_seen[node] < rp->failures)
		return false;
	double oldest = ring[h->failures_seen[node] % rp->failures];
	if (now - oldest > rp->within_s)
		return false;
	h->retired[node] = true;
	hardware_down(h, (struct node_range){node, 1}, +1);
	crews_retire(h->crews, class_index, node);
	struct event e = events_make(EVENT_RETIRED, COMPONENT_NODE, node, class_index);
	e.values[0] = (double)rp->failures;
	e.values[1] = now - oldest;
	runctx_event(h->ctx, e);
	XBT_DEBUG("node %ld retired: %ld failures in %.0f s", node, rp->failures, now - oldest);
	return true;
}

/* One node down until repaired, unless this failure retires it. */
static void take_down_node(struct hardware *h, long class_index, long component, long node)
{
	struct node_range one = {node, 1};
	if (retire_on_failure(h, class_index, node))
		return;
	hardware_down(h, one, +1);
	crews_open(h->crews, class_index, component, one, true);
}

void hardware_take_down(struct hardware *h, long class_index, long component, double since_s)
{
	const struct failure_class *fc = &h->ctx->p->failures[class_index];
	struct node_range r = hardware_failure_nodes(h->ctx->p, fc, component);
	long hit = fc->hits < 1 ? pick_share(h, class_index, r, fc->hits) : 0;
	bool job = false;
	for (long k = 0; k < hit; k++)
		job |= jobnodes_hit(h->job, (struct node_range){h->picked_list[k], 1});
	if (hit == 0)
		job = jobnodes_hit(h->job, r);
	if (job) {
		XBT_DEBUG("%s takes down nodes among %ld..%ld: the job stops", fc->name, r.first, r.first + r.count - 1);
		runctx_send_failure(h->ctx, class_index, since_s);
	}
	if (hit == 0 && r.count == 1) {
		take_down_node(h, class_index, component, r.first);
		return;
	}
	if (hit == 0) { /* a group at once: a switch, rack, hall, site */
		hardware_down(h, r, +1);
		crews_open(h->crews, class_index, component, r, true);
		group_event(h, class_index, r, r.count);
		return;
	}
	for (long k = 0; k < hit; k++) /* each node hit its own repair */
		take_down_node(h, class_index, component, h->picked_list[k]);
	group_event(h, class_index, r, hit);
}
