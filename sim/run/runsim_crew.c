/* runsim_crew: a repair crew per site: tickets, technicians on shifts, travel, diagnosis,
 * spare parts with lead times, burn-in. */
#include "runsim_internal.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/comm.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>

/* ---- repair crews ---- */

/* t is the engine clock; the replica's calendar starts at schedule.start. */
static bool on_shift(const struct run *run, double t)
{
	if (run->p->operations.shift == SHIFT_24X7)
		return true;
	double s = run->epoch_s + t - run->origin_s;
	long day = (long)floor(s / 86400);
	long weekday = (day + 3) % 7; /* 1970-01-01 was a Thursday; 0 = Monday */
	double hour = fmod(s, 86400) / 3600;
	return weekday < 5 && hour >= 8 && hour < 17;
}

/* The next moment from t that a shift is on (t itself if on). */
static double next_shift(const struct run *run, double t)
{
	if (on_shift(run, t))
		return t;
	double offset = run->epoch_s - run->origin_s; /* calendar seconds = clock + offset */
	double next = floor((t + offset) / 3600) * 3600 + 3600; /* shifts start on the hour */
	while (!on_shift(run, next - offset + 1e-3))
		next += 3600;
	return next - offset + 1e-3; /* a millisecond into the shift, whatever the rounding */
}

static void order_part(struct run *run, long part, double now)
{
	struct part_stock *s = &run->parts[part];
	if (s->arrival_count == s->arrival_capacity) {
		s->arrival_capacity = s->arrival_capacity ? 2 * s->arrival_capacity : 16;
		s->arrivals = realloc(s->arrivals, s->arrival_capacity * sizeof *s->arrivals);
		assert(s->arrivals);
	}
	s->arrivals[s->arrival_count++] = now + run->p->operations.parts[part].lead_time_s;
}

/* Parts whose orders arrived by now go into stock. */
static void receive_parts(struct run *run, double now)
{
	for (size_t i = 0; i < run->p->operations.part_count; i++) {
		struct part_stock *s = &run->parts[i];
		size_t arrived = 0;
		while (arrived < s->arrival_count && s->arrivals[arrived] <= now + TIME_EPSILON)
			arrived++;
		if (arrived) {
			s->stock += (long)arrived;
			memmove(s->arrivals, s->arrivals + arrived, (s->arrival_count - arrived) * sizeof *s->arrivals);
			s->arrival_count -= arrived;
			rs_event(run, "part-arrival", "part", (long)i, run->p->operations.parts[i].name, NULL);
		}
	}
}

static double hands_on_s(struct run *run, struct crew *crew, const struct failure_class *fc)
{
	const struct operations *ops = &run->p->operations;
	double repair = rng_lognormal(&crew->rng, fc->repair_mean_s, fc->repair_sigma);
	return (fc->needs_technician ? ops->travel_s + ops->diagnosis_s : 0) + repair;
}

/* Start what can start now: automated repairs, and technicians on shift take queued tickets
 * in order, if their part is in stock (else the ticket waits for one). */
static void dispatch(struct run *run, struct crew *crew, double now)
{
	bool shift = on_shift(run, now);
	for (struct ticket *t = crew->tickets; t; t = t->next) {
		if (t->phase != TICKET_QUEUED)
			continue;
		const struct failure_class *fc = &run->p->failures[t->class_index];
		bool hands = fc->needs_technician;
		if (hands && (!shift || crew->technicians_busy >= run->p->operations.technicians_per_site))
			continue;
		if (t->part >= 0) {
			if (run->parts[t->part].stock == 0) {
				if (!t->waited_for_part) { /* each ticket short of a part orders one, once */
					order_part(run, t->part, now);
					rs_event(run, "part-wait", "node", t->first_node, fc->name, run->p->operations.parts[t->part].name);
				}
				t->waited_for_part = true;
				t->phase = TICKET_PART_WAIT;
				continue;
			}
			run->parts[t->part].stock--;
			if (!t->waited_for_part)
				order_part(run, t->part, now); /* replenish what we take (already ordered if we waited) */
		}
		crew->technicians_busy += hands;
		t->phase = TICKET_WORKING;
		t->phase_end_s = now + hands_on_s(run, crew, fc);
		rs_event(run, "repair-start", "node", t->first_node, fc->name, NULL);
	}
}

static void close_ticket(struct run *run, struct ticket *t, double now)
{
	t->phase = TICKET_DONE;
	faults_renew(&run->faults, t->class_index, t->component, now - run->origin_s);
	rs_event(run, "repaired", "node", t->first_node, run->p->failures[t->class_index].name,
	      t->detached ? "to the standby pool" : NULL);
	for (struct ticket **link = &run->open_tickets; *link; link = &(*link)->open_next)
		if (*link == t) {
			*link = t->open_next;
			break;
		}
	if (t->pdu >= 0) {
		rs_pdu_change(run, t->pdu, -1);
		rs_rack_power_update(run, platform_pdu_rack(run->p, t->pdu), t->class_index);
		return;
	}
	if (t->degrades) {
		rs_mend(run, t);
		return;
	}
	if (t->detached) {
		run->standby += t->returns_standby;
		return;
	}
	rs_nodes_down(run, t->first_node, t->node_count, -1);
	for (long n = t->first_node; n < t->first_node + t->node_count; n++)
		if (run->node_down[n] == 0 && !run->in_job[n] && run->spare_eligible[n])
			run->internal_spare[n] = true;
	rs_send(run->job_mailbox, MSG_RESTORED, t->class_index, NULL);
}

/* Moves tickets whose phase ended: swap done -> burn-in -> back in service. */
static void advance(struct run *run, struct crew *crew, double now)
{
	for (struct ticket *t = crew->tickets; t; t = t->next) {
		if (t->phase == TICKET_PART_WAIT && run->parts[t->part].stock > 0)
			t->phase = TICKET_QUEUED;
		if (t->phase == TICKET_WORKING && t->phase_end_s <= now + TIME_EPSILON) {
			crew->technicians_busy -= run->p->failures[t->class_index].needs_technician;
			t->phase = TICKET_BURN_IN;
			t->phase_end_s = now + run->p->operations.burn_in_s;
		}
		if (t->phase == TICKET_BURN_IN && t->phase_end_s <= now + TIME_EPSILON)
			close_ticket(run, t, now);
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
static double crew_next_event(const struct run *run, const struct crew *crew, double now)
{
	double next = INFINITY;
	bool queued = false;
	for (const struct ticket *t = crew->tickets; t; t = t->next) {
		if (t->phase == TICKET_WORKING || t->phase == TICKET_BURN_IN)
			next = fmin(next, t->phase_end_s);
		queued |= t->phase == TICKET_QUEUED;
		if (t->phase == TICKET_PART_WAIT && run->parts[t->part].arrival_count)
			next = fmin(next, run->parts[t->part].arrivals[0]);
	}
	if (queued && !on_shift(run, now))
		next = fmin(next, next_shift(run, now));
	return next;
}

void rs_crew_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct crew *crew = sg_actor_self_get_data();
	struct run *run = crew->run;
	struct inbox in = {crew->mailbox};
	for (;;) {
		double now = simgrid_get_clock();
		receive_parts(run, now);
		advance(run, crew, now);
		dispatch(run, crew, now);
		double next = crew_next_event(run, crew, now);
		struct message *m;
		if (next <= now) /* never spin at one instant */
			next = now + TIME_EPSILON;
		if (rs_inbox_wait(&in, next - now, &m)) {
			if (m->kind == MSG_TICKET) {
				m->ticket->next = crew->tickets;
				crew->tickets = m->ticket;
			}
			free(m);
		}
	}
}

