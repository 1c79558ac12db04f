/* crew: repair crews and their tickets (see crew.h). */
#include "crew.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <xbt/log.h>

#include "grow.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_crew, trainsim, "repair crews: tickets, technicians, parts");

bool crews_init(struct crews *c, struct run_ctx *ctx, crews_repaired_fn repaired, void *repaired_data)
{
	const struct platform *p = ctx->p;
	size_t parts = p->operations.part_count;
	*c = (struct crews){.ctx = ctx, .repaired = repaired, .repaired_data = repaired_data};
	c->sites = calloc(p->site_count, sizeof *c->sites);
	c->parts = calloc(parts ? parts : 1, sizeof *c->parts);
	c->holding = calloc((size_t)p->counts.nodes, sizeof *c->holding);
	if (!c->sites || !c->parts || !c->holding)
		return false;
	for (size_t s = 0; s < p->site_count; s++) {
		c->sites[s].part_waits = calloc(parts ? parts : 1, sizeof *c->sites[s].part_waits);
		if (!c->sites[s].part_waits || !runctx_inbox_init(&c->sites[s].inbox))
			return false;
	}
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
	for (size_t s = 0; c->sites && s < c->ctx->p->site_count; s++) {
		runctx_inbox_finish(&c->sites[s].inbox);
		free(c->sites[s].active);
		free(c->sites[s].part_waits);
	}
	free(c->parts);
	free(c->sites);
	free(c->holding);
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
	double *more = grow_array(s->arrivals, &s->arrival_capacity, s->arrival_count, sizeof *more, 16);
	if (!more)
		runctx_abort_out_of_memory(c->ctx);
	s->arrivals = more;
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

/* Ticket t starts (+1) or stops (-1) holding its nodes down. */
static void count_holding(struct crews *c, const struct ticket *t, long delta)
{
	if (!t->holds_nodes || t->detached)
		return;
	for (long n = t->nodes.first; n < t->nodes.first + t->nodes.count; n++)
		c->holding[n] += delta;
}

static long site_of(const struct platform *p, long node)
{
	return p->halls[platform_node_hall(p, node)].site;
}

struct ticket *crews_open(struct crews *c, long class_index, long component, struct node_range nodes, bool holds)
{
	struct run_ctx *ctx = c->ctx;
	struct ticket *t = calloc(1, sizeof *t);
	if (!t)
		runctx_abort_out_of_memory(ctx);
	const struct failure_class *fc = &ctx->p->failures[class_index];
	*t = (struct ticket){.class_index = class_index, .component = component, .nodes = nodes, .holds_nodes = holds,
			     .pdu = -1, .part = fc->part_index, .automated = fc->escalates, .opened_s = simgrid_get_clock()};
	t->open_next = c->open;
	c->open = t;
	count_holding(c, t, +1);
	long site = site_of(ctx->p, nodes.first);
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

/* Acceptance and dead-on-arrival tickets, which no failure class describes. */
static struct ticket *open_bring_up(struct crews *c, enum ticket_kind kind, long component, struct node_range nodes,
				    long part)
{
	struct run_ctx *ctx = c->ctx;
	struct ticket *t = calloc(1, sizeof *t);
	if (!t)
		runctx_abort_out_of_memory(ctx);
	/* bring-up holds its nodes itself: no standby node may take a slot from such a ticket */
	*t = (struct ticket){.kind = kind, .class_index = -1, .component = component, .nodes = nodes,
			     .pdu = -1, .part = part, .opened_s = simgrid_get_clock()};
	t->open_next = c->open;
	c->open = t;
	runctx_send(ctx, &c->sites[site_of(ctx->p, nodes.first)].inbox, MSG_TICKET, -1, t);
	return t;
}

struct ticket *crews_open_acceptance(struct crews *c, long rack, struct node_range nodes)
{
	return open_bring_up(c, TICKET_ACCEPTANCE, rack, nodes, -1);
}

struct ticket *crews_open_dead_on_arrival(struct crews *c, long node)
{
	return open_bring_up(c, TICKET_DEAD_ON_ARRIVAL, node, (struct node_range){node, 1},
			     c->ctx->p->bring_up.doa_part_index);
}

void crews_retire(struct crews *c, long class_index, long node)
{
	struct ticket *t = calloc(1, sizeof *t);
	if (!t)
		runctx_abort_out_of_memory(c->ctx);
	*t = (struct ticket){.kind = TICKET_RETIRED, .class_index = class_index, .component = node,
			     .nodes = {node, 1}, .holds_nodes = true, .pdu = -1, .part = -1,
			     .opened_s = simgrid_get_clock()};
	t->open_next = c->open;
	c->open = t;
	count_holding(c, t, +1);
}

long crews_technicians(const struct crews *c, double now)
{
	const struct operations *ops = &c->ctx->p->operations;
	long n = ops->technicians_per_site;
	for (size_t i = 0; i < ops->crew_change_count && ops->crew_changes[i].at_s <= now - c->ctx->origin_s; i++)
		n = ops->crew_changes[i].per_site;
	return n;
}

/* The engine time of the next change of crew size after `now`, or INFINITY. */
static double next_crew_change(const struct crews *c, double now)
{
	const struct operations *ops = &c->ctx->p->operations;
	for (size_t i = 0; i < ops->crew_change_count; i++)
		if (c->ctx->origin_s + ops->crew_changes[i].at_s > now + TIME_EPSILON)
			return c->ctx->origin_s + ops->crew_changes[i].at_s;
	return INFINITY;
}

/* Whether a ticket needs a technician's hands (a failure class may be automated, and an
 * escalating one is until its automated repair fails). */
static bool needs_hands(const struct crews *c, const struct ticket *t)
{
	return t->kind != TICKET_REPAIR || (!t->automated && c->ctx->p->failures[t->class_index].needs_technician);
}

static double hands_on_s(struct crews *c, const struct ticket *t)
{
	const struct platform *p = c->ctx->p;
	const struct operations *ops = &p->operations;
	struct rng rng;
	rng_init(&rng, c->ctx->seed, ticket_stream(t));
	if (t->kind == TICKET_ACCEPTANCE)
		return rng_lognormal(&rng, p->bring_up.acceptance_s, p->bring_up.acceptance_sigma);
	if (t->kind == TICKET_DEAD_ON_ARRIVAL)
		return p->bring_up.doa_repair_s; /* the technician is on site: no travel or diagnosis */
	const struct failure_class *fc = &p->failures[t->class_index];
	if (t->automated)
		return fc->automated_s;
	double repair = rng_lognormal(&rng, fc->repair_mean_s, fc->repair_sigma);
	return (fc->needs_technician ? ops->travel_s + ops->diagnosis_s : 0) + repair;
}

/* Unattended time after the hands-on part: acceptance's burn-in under full power, or the
 * burn-in after a repair. */
static double burn_in_s(const struct crews *c, const struct ticket *t)
{
	const struct platform *p = c->ctx->p;
	return t->kind == TICKET_ACCEPTANCE ? p->bring_up.burn_in_s : p->operations.burn_in_s;
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
			XBT_DEBUG("ticket on node %ld waits for part %s", t->nodes.first, p->operations.parts[t->part].name);
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

/* A repair's start on the repairs track; an acceptance's on the bring-up track. */
static void start_event(struct crews *c, const struct ticket *t)
{
	if (t->kind == TICKET_ACCEPTANCE)
		runctx_event(c->ctx, events_make(EVENT_ACCEPTANCE, COMPONENT_RACK, t->component, -1));
	else if (t->automated)
		runctx_event(c->ctx, events_make(EVENT_AUTO_REPAIR, COMPONENT_NODE, t->nodes.first, t->class_index));
	else if (t->kind == TICKET_REPAIR)
		runctx_event(c->ctx, events_make(EVENT_REPAIR_START, COMPONENT_NODE, t->nodes.first, t->class_index));
	else
		runctx_event(c->ctx, events_make(EVENT_REPAIR_START, COMPONENT_NODE, t->nodes.first, -1));
}

/* Ticket t of `crew` leaves (-1) or enters (+1) phase QUEUED or PART_WAIT: the counts
 * dispatch and crew_next_event go by. */
static void count_waiting(struct crews *c, struct crew *crew, struct ticket *t, long delta)
{
	if (t->phase == TICKET_QUEUED) {
		crew->queued += delta;
		crew->queued_free += needs_hands(c, t) ? 0 : delta;
	} else if (t->phase == TICKET_PART_WAIT) {
		crew->part_waits[t->part] += delta;
		if (delta > 0) {
			t->wait_prev = NULL;
			t->wait_next = c->part_waiting;
			if (c->part_waiting)
				c->part_waiting->wait_prev = t;
			c->part_waiting = t;
		} else {
			*(t->wait_prev ? &t->wait_prev->wait_next : &c->part_waiting) = t->wait_next;
			if (t->wait_next)
				t->wait_next->wait_prev = t->wait_prev;
		}
	}
}

/* t starts WORKING: into the tickets in hand, in arrival order (a handful). */
static void add_active(struct crews *c, struct crew *crew, struct ticket *t)
{
	struct ticket **more = grow_array(crew->active, &crew->active_capacity, crew->active_count, sizeof *more, 16);
	if (!more)
		runctx_abort_out_of_memory(c->ctx);
	crew->active = more;
	size_t i = crew->active_count++;
	while (i > 0 && crew->active[i - 1]->seq > t->seq) {
		crew->active[i] = crew->active[i - 1];
		i--;
	}
	crew->active[i] = t;
}

/* Start what can start now: automated repairs, and technicians on shift take queued tickets
 * in order, if their part is in stock (else the ticket waits for one). The walk over the
 * queue stops once nothing further can start: no technician free and no queued ticket left
 * that needs none. */
static void dispatch(struct crews *c, struct crew *crew, double now)
{
	bool shift = on_shift(c->ctx, now), unlimited = c->ctx->cf->unlimited_technicians;
	long technicians = crews_technicians(c, now), free_left = crew->queued_free;
	for (struct ticket *t = crew->tickets; t && crew->queued > 0; t = t->next) {
		bool hands_free = unlimited || (shift && crew->technicians_busy < technicians);
		if (!hands_free && free_left == 0)
			break;
		if (t->phase != TICKET_QUEUED)
			continue;
		bool hands = needs_hands(c, t);
		free_left -= !hands;
		if (hands && !hands_free)
			continue;
		count_waiting(c, crew, t, -1);
		if (t->part >= 0 && !t->automated && !take_part(c, t, now)) { /* automation uses no part */
			count_waiting(c, crew, t, +1); /* now in PART_WAIT */
			continue;
		}
		crew->technicians_busy += hands;
		t->phase = TICKET_WORKING;
		t->phase_end_s = now + hands_on_s(c, t);
		add_active(c, crew, t);
		start_event(c, t);
		XBT_DEBUG("%s of %s on node %ld starts (%ld of %ld technicians busy), done at %.0f s",
			  t->kind == TICKET_ACCEPTANCE ? "acceptance" : "repair",
			  t->kind == TICKET_REPAIR ? c->ctx->p->failures[t->class_index].name
			  : t->kind == TICKET_ACCEPTANCE ? "a delivered rack" : "a node dead on arrival",
			  t->nodes.first, crew->technicians_busy, technicians, t->phase_end_s - c->ctx->origin_s);
	}
}

static void close_ticket(struct crews *c, struct ticket *t, double now)
{
	t->phase = TICKET_DONE;
	if (t->kind != TICKET_ACCEPTANCE) { /* the owner says when a rack is accepted */
		struct event e = events_make(EVENT_REPAIRED, COMPONENT_NODE, t->nodes.first, t->class_index);
		e.flag = t->detached;
		runctx_event(c->ctx, e);
	}
	for (struct ticket **link = &c->open; *link; link = &(*link)->open_next)
		if (*link == t) {
			*link = t->open_next;
			break;
		}
	count_holding(c, t, -1);
	c->repaired(c->repaired_data, t, now);
}

/* An automated repair ended: it fixed the fault with its class's chance (a draw keyed by the
 * ticket, as its repair time is), else the ticket escalates: it queues again, in its place,
 * for a technician. Returns whether it fixed the fault. */
static bool automated_fixed(struct crews *c, struct ticket *t)
{
	struct rng rng;
	rng_init(&rng, c->ctx->seed, ticket_stream(t) ^ 0x455343414c41ULL); /* "ESCALA" */
	bool fixed = rng_uniform(&rng) < c->ctx->p->failures[t->class_index].automated_fixes;
	t->automated = false;
	struct event e = events_make(EVENT_AUTO_REPAIR_END, COMPONENT_NODE, t->nodes.first, t->class_index);
	e.flag = !fixed;
	runctx_event(c->ctx, e);
	XBT_DEBUG("automated repair on node %ld %s", t->nodes.first, fixed ? "fixed it" : "did not fix it: escalated");
	return fixed;
}

/* Whether some ticket waits for a part now in stock. */
static bool part_wait_ends(const struct crews *c, const struct crew *crew)
{
	for (size_t i = 0; i < c->ctx->p->operations.part_count; i++)
		if (crew->part_waits[i] > 0 && c->parts[i].stock > 0)
			return true;
	return false;
}

static void unlink_ticket(struct crew *crew, struct ticket *t)
{
	*(t->prev ? &t->prev->next : &crew->tickets) = t->next;
	*(t->next ? &t->next->prev : &crew->last) = t->prev;
}

/* Moves tickets whose phase ended: part in stock -> queued; swap done -> burn-in -> back in
 * service; an automated repair that did not fix the fault back to the queue, in its place.
 * The tickets in hand are visited in arrival order, as every ticket's events must be. */
static void advance(struct crews *c, struct crew *crew, double now)
{
	for (struct ticket *t = crew->tickets; t && part_wait_ends(c, crew); t = t->next)
		if (t->phase == TICKET_PART_WAIT && c->parts[t->part].stock > 0) {
			count_waiting(c, crew, t, -1);
			t->phase = TICKET_QUEUED;
			count_waiting(c, crew, t, +1);
		}
	size_t kept = 0;
	for (size_t i = 0; i < crew->active_count; i++) {
		struct ticket *t = crew->active[i];
		if (t->phase == TICKET_WORKING && t->phase_end_s <= now + TIME_EPSILON) {
			crew->technicians_busy -= needs_hands(c, t);
			bool escalated = t->automated && !automated_fixed(c, t);
			t->phase = escalated ? TICKET_QUEUED : TICKET_BURN_IN;
			t->phase_end_s = now + burn_in_s(c, t);
			count_waiting(c, crew, t, +1);
		}
		if (t->phase == TICKET_BURN_IN && t->phase_end_s <= now + TIME_EPSILON)
			close_ticket(c, t, now);
		if (t->phase == TICKET_DONE) {
			unlink_ticket(crew, t);
			free(t);
		} else if (t->phase != TICKET_QUEUED)
			crew->active[kept++] = t;
	}
	crew->active_count = kept;
}

/* When the crew next has something to do without being told. */
static double crew_next_event(const struct crews *c, const struct crew *crew, double now)
{
	double next = INFINITY;
	for (size_t i = 0; i < crew->active_count; i++)
		next = fmin(next, crew->active[i]->phase_end_s);
	for (size_t i = 0; i < c->ctx->p->operations.part_count; i++)
		if (crew->part_waits[i] > 0 && c->parts[i].arrival_count)
			next = fmin(next, c->parts[i].arrivals[0]);
	if (crew->queued > 0 && !on_shift(c->ctx, now))
		next = fmin(next, next_shift(c->ctx, now));
	if (crew->queued > 0)
		next = fmin(next, next_crew_change(c, now));
	return next;
}

/* Tickets are served first come, first served: a new one goes last. */
static void queue_ticket(struct crews *c, struct crew *crew, struct ticket *t)
{
	t->next = NULL;
	t->prev = crew->last;
	*(crew->last ? &crew->last->next : &crew->tickets) = t;
	crew->last = t;
	t->seq = crew->next_seq++;
	count_waiting(c, crew, t, +1);
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
		if (runctx_receive(c->ctx, &crew->inbox, next - now, &m) && m.kind == MSG_TICKET)
			queue_ticket(c, crew, m.ticket);
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

long crews_detach_node(struct crews *c, long slot, long down, bool borrowed)
{
	long held = 0;
	bool retired = false;
	if (c->holding[slot] != down)
		return -1; /* held by fewer tickets than hold it down, or by one of several nodes */
	for (struct ticket *t = c->open; t; t = t->open_next) {
		if (!holds_slot(t, slot))
			continue;
		if (t->nodes.count > 1)
			return -1;
		held++;
		retired |= t->kind == TICKET_RETIRED;
	}
	if (held != down)
		return -1; /* also dark for want of power: that needs the power back */
	bool first = !retired; /* a retired node never comes back to stand in for the standby */
	for (struct ticket *t = c->open; t; t = t->open_next) {
		if (!holds_slot(t, slot))
			continue;
		count_holding(c, t, -1);
		t->detached = true;
		t->returns_standby = first && !borrowed;
		t->returns_borrowed = first && borrowed;
		first = false;
	}
	return held;
}

bool crews_part_wait_hits(const struct crews *c, const struct job_nodes *j)
{
	for (const struct ticket *t = c->part_waiting; t; t = t->wait_next)
		if (!t->detached && jobnodes_hit(j, t->nodes))
			return true;
	return false;
}
