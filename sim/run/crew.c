/* crew: repair crews and their tickets (see crew.h). */
#include "crew.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_crew, trainsim, "repair crews: tickets, technicians, parts");

bool crews_init(struct crews *c, struct run_ctx *ctx, crews_repaired_fn repaired, void *repaired_data)
{
	const struct platform *p = ctx->p;
	size_t parts = p->operations.part_count;
	*c = (struct crews){.ctx = ctx, .repaired = repaired, .repaired_data = repaired_data};
	c->sites = calloc(p->site_count, sizeof *c->sites);
	c->parts = calloc(parts ? parts : 1, sizeof *c->parts);
	if (!c->sites || !c->parts)
		return false;
	for (size_t s = 0; s < p->site_count; s++)
		if (!runctx_inbox_init(&c->sites[s].inbox))
			return false;
	for (size_t i = 0; i < parts; i++)
		c->parts[i].stock = p->operations.parts[i].stock;
	return true;
}

void crews_finish(struct crews *c)
{
	while (c->open) { /* every ticket a crew holds is open */
		struct ticket *t = c->open;
		c->open = t->open_next;
		free(t);
	}
	for (size_t i = 0; c->parts && i < c->ctx->p->operations.part_count; i++)
		free(c->parts[i].arrivals);
	for (size_t s = 0; c->sites && s < c->ctx->p->site_count; s++)
		runctx_inbox_finish(&c->sites[s].inbox);
	free(c->parts);
	free(c->sites);
}

/* ---- shifts ---- */

/* t is the engine clock; the replica's calendar starts at schedule.start. */
static bool on_shift(const struct run_ctx *ctx, double t)
{
	if (ctx->p->operations.shift == SHIFT_24X7)
		return true;
	double s = ctx->epoch_s + t - ctx->origin_s;
	long day = (long)floor(s / 86400);
	long weekday = (day + 3) % 7; /* 1970-01-01 was a Thursday; 0 = Monday */
	double hour = fmod(s, 86400) / 3600;
	return weekday < 5 && hour >= 8 && hour < 17;
}

/* The next moment from t that a shift is on (t itself if on). */
static double next_shift(const struct run_ctx *ctx, double t)
{
	if (on_shift(ctx, t))
		return t;
	double offset = ctx->epoch_s - ctx->origin_s; /* calendar seconds = clock + offset */
	double next = floor((t + offset) / 3600) * 3600 + 3600; /* shifts start on the hour */
	while (!on_shift(ctx, next - offset + 1e-3))
		next += 3600;
	return next - offset + 1e-3; /* a millisecond into the shift, whatever the rounding */
}

/* ---- parts ---- */

static void order_part(struct crews *c, long part, double now)
{
	struct part_stock *s = &c->parts[part];
	if (s->arrival_count == s->arrival_capacity) {
		size_t capacity = s->arrival_capacity ? 2 * s->arrival_capacity : 16;
		double *more = realloc(s->arrivals, capacity * sizeof *more);
		if (!more)
			runctx_abort_out_of_memory(c->ctx);
		s->arrivals = more;
		s->arrival_capacity = capacity;
	}
	s->arrivals[s->arrival_count++] = now + c->ctx->p->operations.parts[part].lead_time_s;
}

/* Parts whose orders arrived by now go into stock. */
static void receive_parts(struct crews *c, double now)
{
	for (size_t i = 0; i < c->ctx->p->operations.part_count; i++) {
		struct part_stock *s = &c->parts[i];
		size_t arrived = 0;
		while (arrived < s->arrival_count && s->arrivals[arrived] <= now + TIME_EPSILON)
			arrived++;
		if (arrived) {
			s->stock += (long)arrived;
			memmove(s->arrivals, s->arrivals + arrived, (s->arrival_count - arrived) * sizeof *s->arrivals);
			s->arrival_count -= arrived;
			struct event e = events_make(EVENT_PART_ARRIVAL, SUBJECT_PART, (long)i, -1);
			e.part = (long)i;
			runctx_event(c->ctx, e);
		}
	}
}

/* ---- tickets ---- */

struct ticket *crews_open(struct crews *c, long class_index, long component, struct node_range nodes, bool holds)
{
	struct run_ctx *ctx = c->ctx;
	struct ticket *t = calloc(1, sizeof *t);
	if (!t)
		runctx_abort_out_of_memory(ctx);
	const struct failure_class *fc = &ctx->p->failures[class_index];
	*t = (struct ticket){.class_index = class_index, .component = component, .nodes = nodes, .holds_nodes = holds,
			     .pdu = -1, .part = fc->part_index, .opened_s = simgrid_get_clock()};
	t->open_next = c->open;
	c->open = t;
	long site = ctx->p->halls[platform_node_hall(ctx->p, nodes.first)].site;
	runctx_event(ctx, events_make(EVENT_TICKET, COMPONENT_NODE, nodes.first, class_index));
	XBT_DEBUG("ticket %s on nodes %ld..%ld to the crew of site %ld", fc->name, nodes.first,
		  nodes.first + nodes.count - 1, site);
	runctx_send(ctx, &c->sites[site].inbox, MSG_TICKET, class_index, t);
	return t;
}

/* A stream of its own for each ticket, from its class, component and opening time: removing
 * another cause (trainsim explain) then leaves this repair's duration as it was (common random
 * numbers), which one stream per crew, drawn in ticket order, would not. */
static uint64_t ticket_stream(const struct ticket *t)
{
	uint64_t opened;
	memcpy(&opened, &t->opened_s, sizeof opened);
	uint64_t h = 0x7469636b6574ULL; /* "ticket" */
	const uint64_t parts[3] = {(uint64_t)t->class_index, (uint64_t)t->component, opened};
	for (int i = 0; i < 3; i++) {
		h ^= parts[i] + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
		h *= 0xbf58476d1ce4e5b9ULL;
	}
	return h;
}

static double hands_on_s(struct crews *c, const struct ticket *t, const struct failure_class *fc)
{
	const struct operations *ops = &c->ctx->p->operations;
	struct rng rng;
	rng_init(&rng, c->ctx->seed, ticket_stream(t));
	double repair = rng_lognormal(&rng, fc->repair_mean_s, fc->repair_sigma);
	return (fc->needs_technician ? ops->travel_s + ops->diagnosis_s : 0) + repair;
}

/* A queued ticket whose part is out of stock orders one (once) and waits for it. Returns
 * whether the part is there (taken from stock, and a replacement ordered). */
static bool take_part(struct crews *c, struct ticket *t, double now)
{
	const struct platform *p = c->ctx->p;
	if (c->ctx->cf->parts_in_stock)
		return true;
	if (c->parts[t->part].stock == 0) {
		if (!t->waited_for_part) { /* each ticket short of a part orders one, once */
			order_part(c, t->part, now);
			struct event e = events_make(EVENT_PART_WAIT, COMPONENT_NODE, t->nodes.first, t->class_index);
			e.part = t->part;
			runctx_event(c->ctx, e);
			XBT_DEBUG("ticket %s on node %ld waits for part %s", p->failures[t->class_index].name, t->nodes.first,
				  p->operations.parts[t->part].name);
		}
		t->waited_for_part = true;
		t->phase = TICKET_PART_WAIT;
		return false;
	}
	c->parts[t->part].stock--;
	if (!t->waited_for_part)
		order_part(c, t->part, now); /* replenish what we take (already ordered if we waited) */
	return true;
}

/* Start what can start now: automated repairs, and technicians on shift take queued tickets
 * in order, if their part is in stock (else the ticket waits for one). */
static void dispatch(struct crews *c, struct crew *crew, double now)
{
	const struct platform *p = c->ctx->p;
	bool shift = on_shift(c->ctx, now);
	for (struct ticket *t = crew->tickets; t; t = t->next) {
		if (t->phase != TICKET_QUEUED)
			continue;
		const struct failure_class *fc = &p->failures[t->class_index];
		bool hands = fc->needs_technician, unlimited = c->ctx->cf->unlimited_technicians;
		if (hands && !unlimited && (!shift || crew->technicians_busy >= p->operations.technicians_per_site))
			continue;
		if (t->part >= 0 && !take_part(c, t, now))
			continue;
		crew->technicians_busy += hands;
		t->phase = TICKET_WORKING;
		t->phase_end_s = now + hands_on_s(c, t, fc);
		runctx_event(c->ctx, events_make(EVENT_REPAIR_START, COMPONENT_NODE, t->nodes.first, t->class_index));
		XBT_DEBUG("repair of %s on node %ld starts (%ld of %ld technicians busy), done at %.0f s", fc->name,
			  t->nodes.first, crew->technicians_busy, p->operations.technicians_per_site,
			  t->phase_end_s - c->ctx->origin_s);
	}
}

static void close_ticket(struct crews *c, struct ticket *t, double now)
{
	t->phase = TICKET_DONE;
	struct event e = events_make(EVENT_REPAIRED, COMPONENT_NODE, t->nodes.first, t->class_index);
	e.flag = t->detached;
	runctx_event(c->ctx, e);
	for (struct ticket **link = &c->open; *link; link = &(*link)->open_next)
		if (*link == t) {
			*link = t->open_next;
			break;
		}
	c->repaired(c->repaired_data, t, now);
}

/* Moves tickets whose phase ended: swap done -> burn-in -> back in service. */
static void advance(struct crews *c, struct crew *crew, double now)
{
	for (struct ticket *t = crew->tickets; t; t = t->next) {
		if (t->phase == TICKET_PART_WAIT && c->parts[t->part].stock > 0)
			t->phase = TICKET_QUEUED;
		if (t->phase == TICKET_WORKING && t->phase_end_s <= now + TIME_EPSILON) {
			crew->technicians_busy -= c->ctx->p->failures[t->class_index].needs_technician;
			t->phase = TICKET_BURN_IN;
			t->phase_end_s = now + c->ctx->p->operations.burn_in_s;
		}
		if (t->phase == TICKET_BURN_IN && t->phase_end_s <= now + TIME_EPSILON)
			close_ticket(c, t, now);
	}
	struct ticket **link = &crew->tickets;
	while (*link) {
		struct ticket *t = *link;
		if (t->phase == TICKET_DONE) {
			*link = t->next;
			free(t);
		} else
			link = &t->next;
	}
}

/* When the crew next has something to do without being told. */
static double crew_next_event(const struct crews *c, const struct crew *crew, double now)
{
	double next = INFINITY;
	bool queued = false;
	for (const struct ticket *t = crew->tickets; t; t = t->next) {
		if (t->phase == TICKET_WORKING || t->phase == TICKET_BURN_IN)
			next = fmin(next, t->phase_end_s);
		queued |= t->phase == TICKET_QUEUED;
		if (t->phase == TICKET_PART_WAIT && c->parts[t->part].arrival_count)
			next = fmin(next, c->parts[t->part].arrivals[0]);
	}
	if (queued && !on_shift(c->ctx, now))
		next = fmin(next, next_shift(c->ctx, now));
	return next;
}

static void crew_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct crew *crew = sg_actor_self_get_data();
	struct crews *c = crew->crews;
	runctx_inbox_own(&crew->inbox);
	for (;;) {
		double now = simgrid_get_clock();
		receive_parts(c, now);
		advance(c, crew, now);
		dispatch(c, crew, now);
		double next = crew_next_event(c, crew, now);
		struct message m;
		if (next <= now) /* never spin at one instant */
			next = now + TIME_EPSILON;
		if (runctx_receive(c->ctx, &crew->inbox, next - now, &m) && m.kind == MSG_TICKET) {
			m.ticket->next = crew->tickets;
			crew->tickets = m.ticket;
		}
	}
}

void crews_start(struct crews *c, long replica)
{
	char name[64];
	for (size_t s = 0; s < c->ctx->p->site_count; s++) {
		struct crew *crew = &c->sites[s];
		snprintf(name, sizeof name, "crew%zu.%ld", s, replica);
		crew->crews = c;
		crew->site = (long)s;
		runctx_start_actor(c->ctx, name, crew_actor, crew);
	}
}

/* ---- the job's questions ---- */

static bool holds_slot(const struct ticket *t, long slot)
{
	return t->holds_nodes && !t->detached && slot >= t->nodes.first && slot < t->nodes.first + t->nodes.count;
}

long crews_detach_node(struct crews *c, long slot, long down)
{
	long held = 0;
	for (struct ticket *t = c->open; t; t = t->open_next) {
		if (!holds_slot(t, slot))
			continue;
		if (t->nodes.count > 1)
			return -1;
		held++;
	}
	if (held != down)
		return -1; /* also dark for want of power: that needs the power back */
	bool first = true;
	for (struct ticket *t = c->open; t; t = t->open_next) {
		if (!holds_slot(t, slot))
			continue;
		t->detached = true;
		t->returns_standby = first;
		first = false;
	}
	return held;
}

bool crews_part_wait_hits(const struct crews *c, const struct job_nodes *j)
{
	for (const struct ticket *t = c->open; t; t = t->open_next)
		if (t->phase == TICKET_PART_WAIT && !t->detached && jobnodes_hit(j, t->nodes))
			return true;
	return false;
}
