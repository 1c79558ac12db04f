/* runsim: the job, failure injector and repair crew actors and the state they share.
 * SimGrid runs actors one at a time in one thread, so shared state needs no locks; the
 * actors still tell each other what happened through mailboxes, as the design asks. */
#include "runsim.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/comm.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>

#include "checkpoint.h"
#include "faults.h"
#include "placement.h"
#include "rng.h"

static const char *const category_names[] = {"productive", "lost", "detection", "restart", "waiting_technician",
					      "waiting_parts", "checkpoint", "degraded", "power"};

const char *runsim_category_name(enum time_category c)
{
	return c < TIME_CATEGORY_COUNT ? category_names[c] : "?";
}

/* Crews compare deadlines with the engine clock, which has rounded through a timer: a
 * microsecond of slack keeps a deadline from being missed by one ulp. */
#define TIME_EPSILON 1e-6

enum ticket_phase { TICKET_QUEUED, TICKET_WORKING, TICKET_PART_WAIT, TICKET_BURN_IN, TICKET_DONE };

struct ticket {
	long class_index, component;
	long first_node, node_count;
	long part;           /* index into operations.parts, or -1 */
	bool detached;       /* its hardware left the job's slot for a standby */
	bool returns_standby;/* once repaired, that hardware joins the standby pool */
	bool waited_for_part;
	enum ticket_phase phase;
	double phase_end_s;  /* when WORKING or BURN_IN ends */
	double opened_s;
	struct ticket *next; /* in the crew's list */
	struct ticket *open_next; /* in the run's list of open tickets */
};

enum message_kind { MSG_FAILURE, MSG_RESTORED, MSG_TICKET, MSG_TIMER };

struct message {
	enum message_kind kind;
	long class_index;
	struct ticket *ticket;
	long token; /* MSG_TIMER: which wait it ends */
};

/* A part's stock and the replacement orders on their way (arrival times, FIFO). */
struct part_stock {
	long stock;
	double *arrivals;
	size_t arrival_count, arrival_capacity;
};

struct run;

struct crew {
	struct run *run;
	long site;
	sg_mailbox_t mailbox;
	struct ticket *tickets; /* every open ticket of the site */
	long technicians_busy;
	struct rng rng;
};

struct run {
	const struct platform *p;
	const struct workload *w;
	const struct sg_cluster *c;
	struct steptime *st;
	const struct run_options *o;
	struct run_result *r;
	struct faults faults;
	struct placement pl;
	long *node_down;         /* open failures holding each node slot down */
	bool *in_job;            /* node slot used by the job */
	bool *internal_spare;    /* a platform node free to be swapped in */
	long standby;            /* standby nodes outside the platform (operations.spares.hot_nodes) */
	bool *spare_eligible;    /* a designated hot spare or a node the job once used */
	struct ticket *open_tickets;
	struct part_stock *parts;
	struct crew *crews;
	sg_mailbox_t job_mailbox;
	sg_actor_t injector;
	sg_actor_t *crew_actors;
	double step_time_s, healthy_step_s;
	double epoch_s;          /* schedule.start, for shifts */
	double origin_s;         /* engine clock when this replica started: its time 0 */
	bool job_done;
	struct ts_error *err;
	bool failed;
};

/* ---- events file ---- */

static void event(struct run *run, const char *kind, const char *component, long index, const char *cause,
		  const char *detail)
{
	if (!run->o->events)
		return;
	fprintf(run->o->events, "%.3f,%s,%s,%ld,%s,%s\n", simgrid_get_clock() - run->origin_s, kind, component, index,
		cause ? cause : "", detail ? detail : "");
}

/* ---- messages ---- */

static void send_token(sg_mailbox_t to, enum message_kind kind, long class_index, struct ticket *t, long token)
{
	struct message *m = malloc(sizeof *m);
	assert(m);
	*m = (struct message){kind, class_index, t, token};
	sg_comm_detach(sg_mailbox_put_init(to, m, 0), free); /* detached: the sender never waits */
}

static void send(sg_mailbox_t to, enum message_kind kind, long class_index, struct ticket *t)
{
	send_token(to, kind, class_index, t, 0);
}

/* Waiting with a timeout is a message too: a short-lived timer actor sleeps until then and
 * posts MSG_TIMER (SimGrid 3.32's C API frees a communication whose wait timed out, so a
 * receive cannot simply be retried). A timer for an earlier wait arrives stale and is
 * dropped by its token. */
struct timer {
	sg_mailbox_t to;
	double at;
	long token;
};

static void timer_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct timer *t = sg_actor_self_get_data();
	sg_actor_sleep_until(t->at);
	send_token(t->to, MSG_TIMER, -1, NULL, t->token);
	free(t);
}

struct inbox {
	sg_mailbox_t mailbox;
	sg_host_t host;
	long token;
};

/* Wait up to `timeout` seconds (INFINITY: until a message); true and *m (to free) when a
 * message came first. */
static bool inbox_wait(struct inbox *in, double timeout, struct message **m)
{
	if (timeout <= 0)
		return false;
	long token = ++in->token;
	if (!isinf(timeout)) {
		struct timer *t = malloc(sizeof *t);
		assert(t);
		*t = (struct timer){in->mailbox, simgrid_get_clock() + timeout, token};
		sg_actor_t a = sg_actor_init("timer", in->host);
		sg_actor_set_data(a, t);
		sg_actor_start(a, timer_actor, 0, NULL);
	}
	for (;;) {
		struct message *msg = sg_mailbox_get(in->mailbox);
		if (msg->kind != MSG_TIMER) {
			*m = msg;
			return true;
		}
		bool mine = msg->token == token;
		free(msg);
		if (mine)
			return false;
	}
}

/* ---- nodes and hosts ---- */

static void leaf_range(const struct platform *p, long leaf, long *first, long *count)
{
	long node = 0;
	for (size_t h = 0; h < p->hall_count; h++)
		if (p->halls[h].first_leaf <= leaf)
			node = p->halls[h].first_node + (leaf - p->halls[h].first_leaf) * p->fabric.leaf_nodes;
	*first = node;
	*count = platform_leaf_nodes(p, leaf);
}

/* The nodes a component spans (a GPU, NIC or NIC fiber: its node; a leaf switch or uplink
 * fiber: its leaf group; a rack or PDU: the rack; ...). */
static void component_nodes(const struct platform *p, enum component c, long index, long *first, long *count)
{
	long nic_fibers = p->counts.nodes * p->node.nics;
	bool rail = p->fabric.topology == FABRIC_RAIL_OPTIMIZED;
	*first = index;
	*count = 1;
	switch (c) {
	case COMPONENT_GPU: *first = index / p->node.gpus; break;
	case COMPONENT_NIC: *first = index / p->node.nics; break;
	case COMPONENT_DOMAIN: *first = index * p->counts.nodes_per_domain, *count = p->counts.nodes_per_domain; break;
	case COMPONENT_LINK:
		if (index < nic_fibers)
			*first = index / p->node.nics;
		else
			leaf_range(p, (index - nic_fibers) / p->fabric.leaf_uplinks, first, count);
		break;
	case COMPONENT_SWITCH: leaf_range(p, rail ? index / p->node.nics : index, first, count); break;
	case COMPONENT_RACK: *first = index * p->rack.nodes, *count = p->rack.nodes; break;
	case COMPONENT_PDU: *first = platform_pdu_rack(p, index) * p->rack.nodes, *count = p->rack.nodes; break;
	case COMPONENT_HALL: *first = p->halls[index].first_node, *count = p->halls[index].nodes; break;
	default: break;
	}
}

/* The component of kind `c` that holds node `node`, as a node range. */
static void container_nodes(const struct platform *p, enum component c, long node, long *first, long *count)
{
	switch (c) {
	case COMPONENT_DOMAIN: component_nodes(p, c, platform_node_domain(p, node), first, count); break;
	case COMPONENT_SWITCH:
	case COMPONENT_LINK: leaf_range(p, platform_node_leaf(p, node), first, count); break;
	case COMPONENT_RACK:
	case COMPONENT_PDU: component_nodes(p, COMPONENT_RACK, platform_node_rack(p, node), first, count); break;
	case COMPONENT_HALL: component_nodes(p, c, platform_node_hall(p, node), first, count); break;
	default: *first = node, *count = 1; break;
	}
}

/* A domain's SimGrid host is on when none of its nodes is down. */
static void update_host(struct run *run, long node)
{
	long per = run->p->counts.nodes_per_domain, d = node / per;
	bool down = false;
	for (long n = d * per; n < (d + 1) * per; n++)
		down |= run->node_down[n] > 0;
	sg_host_t h = sg_platform_domain_host(run->c, d);
	if (down && sg_host_is_on(h))
		sg_host_turn_off(h);
	else if (!down && !sg_host_is_on(h))
		sg_host_turn_on(h);
}

static void nodes_down(struct run *run, long first, long count, int delta)
{
	for (long n = first; n < first + count; n++) {
		run->node_down[n] += delta;
		update_host(run, n);
	}
}

static bool job_hit(const struct run *run, long first, long count)
{
	for (long n = first; n < first + count; n++)
		if (run->in_job[n])
			return true;
	return false;
}

/* ---- the failure injector ---- */

static long site_of_node(const struct platform *p, long node)
{
	return p->halls[platform_node_hall(p, node)].site;
}

/* The nodes a failure takes down: what its class says, at least the failed part's own. */
static void failure_nodes(const struct platform *p, const struct failure_class *fc, long component, long *first,
			  long *count)
{
	component_nodes(p, fc->per, component, first, count);
	if (fc->takes_down == fc->per)
		return;
	long f, n;
	container_nodes(p, fc->takes_down, *first, &f, &n);
	if (n > *count)
		*first = f, *count = n;
}

static void inject(struct run *run, const struct failure_event *ev)
{
	const struct failure_class *fc = &run->p->failures[ev->class_index];
	run->r->failures++;
	event(run, "failure", platform_component_name(fc->per), ev->component, fc->name, NULL);
	if (fc->takes_down == COMPONENT_JOB) {
		send(run->job_mailbox, MSG_FAILURE, ev->class_index, NULL);
		return;
	}
	long first, count;
	failure_nodes(run->p, fc, ev->component, &first, &count);
	if (job_hit(run, first, count))
		send(run->job_mailbox, MSG_FAILURE, ev->class_index, NULL);
	nodes_down(run, first, count, +1);
	struct ticket *t = calloc(1, sizeof *t);
	assert(t);
	*t = (struct ticket){.class_index = ev->class_index, .component = ev->component, .first_node = first,
			     .node_count = count, .part = -1, .opened_s = simgrid_get_clock()};
	for (size_t i = 0; fc->part && i < run->p->operations.part_count; i++)
		if (!strcmp(fc->part, run->p->operations.parts[i].name))
			t->part = (long)i;
	t->open_next = run->open_tickets;
	run->open_tickets = t;
	run->r->tickets++;
	send(run->crews[site_of_node(run->p, first)].mailbox, MSG_TICKET, ev->class_index, t);
}

static void injector_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct run *run = sg_actor_self_get_data();
	struct failure_event ev;
	while (!run->job_done && faults_next(&run->faults, &ev)) {
		if (ev.time_s > run->o->horizon_s)
			break;
		sg_actor_sleep_until(run->origin_s + ev.time_s);
		if (!run->job_done)
			inject(run, &ev);
	}
}

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
			event(run, "part-arrival", "part", (long)i, run->p->operations.parts[i].name, NULL);
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
					event(run, "part-wait", "node", t->first_node, fc->name, run->p->operations.parts[t->part].name);
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
		event(run, "repair-start", "node", t->first_node, fc->name, NULL);
	}
}

static void close_ticket(struct run *run, struct ticket *t, double now)
{
	t->phase = TICKET_DONE;
	faults_renew(&run->faults, t->class_index, t->component, now - run->origin_s);
	event(run, "repaired", "node", t->first_node, run->p->failures[t->class_index].name,
	      t->detached ? "to the standby pool" : NULL);
	for (struct ticket **link = &run->open_tickets; *link; link = &(*link)->open_next)
		if (*link == t) {
			*link = t->open_next;
			break;
		}
	if (t->detached) {
		run->standby += t->returns_standby;
		return;
	}
	nodes_down(run, t->first_node, t->node_count, -1);
	for (long n = t->first_node; n < t->first_node + t->node_count; n++)
		if (run->node_down[n] == 0 && !run->in_job[n] && run->spare_eligible[n])
			run->internal_spare[n] = true;
	send(run->job_mailbox, MSG_RESTORED, t->class_index, NULL);
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

static void crew_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct crew *crew = sg_actor_self_get_data();
	struct run *run = crew->run;
	struct inbox in = {crew->mailbox, sg_platform_control_host(run->c), 0};
	for (;;) {
		double now = simgrid_get_clock();
		receive_parts(run, now);
		advance(run, crew, now);
		dispatch(run, crew, now);
		double next = crew_next_event(run, crew, now);
		struct message *m;
		if (next <= now) /* never spin at one instant */
			next = now + TIME_EPSILON;
		if (inbox_wait(&in, next - now, &m)) {
			if (m->kind == MSG_TICKET) {
				m->ticket->next = crew->tickets;
				crew->tickets = m->ticket;
			}
			free(m);
		}
	}
}

/* ---- the training job ---- */

struct job {
	struct run *run;
	struct inbox in;
	double committed_steps;   /* saved in the last checkpoint */
	double since_steps;       /* trained since */
	double uncommitted_s;     /* running time since the last checkpoint, at the healthy pace */
	double uncommitted_slow_s;/* its excess from degraded hardware */
	double last_s;            /* clock at the last accounting */
	long pending_failures;    /* failures seen since the job last ran */
	double detection_s;       /* longest detection among them */
};

static void spend(struct job *job, enum time_category c)
{
	double now = simgrid_get_clock();
	job->run->r->time_s[c] += now - job->last_s;
	job->last_s = now;
}

static double horizon_left(const struct job *job)
{
	return job->run->origin_s + job->run->o->horizon_s - simgrid_get_clock();
}

/* Counts a failure that reached the job. */
static void note_failure(struct job *job, long class_index)
{
	struct run *run = job->run;
	run->r->interruptions++;
	run->r->interruptions_by_class[class_index]++;
	double d = run->p->failures[class_index].detection_s;
	job->detection_s = fmax(job->detection_s, d > 0 ? d : run->w->restart.detection_s);
	job->pending_failures++;
}

enum wait_end { WAIT_DONE, WAIT_FAILURE, WAIT_HORIZON };

/* Wait `seconds` in state `c`, or less: a failure hitting the job (counted) or the horizon
 * ends it early. Says which, so callers never infer it from clock arithmetic (the engine
 * clock grows over replicas, and its rounding with it). */
static enum wait_end job_wait_until(struct job *job, double seconds, enum time_category c)
{
	double end = simgrid_get_clock() + seconds;
	double horizon = job->run->origin_s + job->run->o->horizon_s;
	bool cut = horizon < end;
	for (;;) {
		double left = (cut ? horizon : end) - simgrid_get_clock();
		struct message *m;
		if (!inbox_wait(&job->in, left, &m)) {
			spend(job, c);
			return cut ? WAIT_HORIZON : WAIT_DONE;
		}
		bool failure = m->kind == MSG_FAILURE;
		if (failure)
			note_failure(job, m->class_index);
		free(m);
		if (failure) {
			spend(job, c);
			return WAIT_FAILURE;
		}
	}
}

/* The same, true unless a failure came. */
static bool job_wait(struct job *job, double seconds, enum time_category c)
{
	return job_wait_until(job, seconds, c) != WAIT_FAILURE;
}

/* The work since the last checkpoint is gone: its time was lost, not productive. */
static void lose_work(struct job *job)
{
	struct run *run = job->run;
	run->r->time_s[TIME_PRODUCTIVE] -= job->uncommitted_s;
	run->r->time_s[TIME_DEGRADED] -= job->uncommitted_slow_s;
	run->r->time_s[TIME_LOST] += job->uncommitted_s + job->uncommitted_slow_s;
	job->uncommitted_s = job->uncommitted_slow_s = 0;
	job->since_steps = 0;
}

static void commit_work(struct job *job)
{
	job->committed_steps += job->since_steps;
	job->since_steps = 0;
	job->uncommitted_s = job->uncommitted_slow_s = 0;
}

/* Train until the next checkpoint (or the end); false when a failure interrupts. */
static bool train_segment(struct job *job, double interval_steps, double total_steps)
{
	struct run *run = job->run;
	double steps = fmin(interval_steps - job->since_steps, total_steps - job->committed_steps - job->since_steps);
	double start = simgrid_get_clock(), seconds = steps * run->step_time_s;
	enum wait_end end = job_wait_until(job, seconds, TIME_PRODUCTIVE);
	bool done = end != WAIT_FAILURE;
	double elapsed = simgrid_get_clock() - start;
	double trained = end == WAIT_DONE ? steps : fmin(steps, floor(elapsed / run->step_time_s));
	/* the slow part of running on degraded hardware is its own category */
	double slow = elapsed * (1 - run->healthy_step_s / run->step_time_s);
	run->r->time_s[TIME_PRODUCTIVE] -= slow;
	run->r->time_s[TIME_DEGRADED] += slow;
	job->uncommitted_s += elapsed - slow;
	job->uncommitted_slow_s += slow;
	job->since_steps += trained;
	return done;
}

/* A standby node from outside the platform takes the slot of a failed node (only for
 * failures of that one node; a rack or switch down needs its own repair). */
static bool try_standby(struct job *job, long slot)
{
	struct run *run = job->run;
	if (run->standby <= 0)
		return false;
	for (struct ticket *t = run->open_tickets; t; t = t->open_next)
		if (!t->detached && slot >= t->first_node && slot < t->first_node + t->node_count && t->node_count > 1)
			return false;
	bool first = true;
	for (struct ticket *t = run->open_tickets; t; t = t->open_next) {
		if (t->detached || slot < t->first_node || slot >= t->first_node + t->node_count)
			continue;
		t->detached = true;
		t->returns_standby = first;
		first = false;
		run->node_down[slot]--;
	}
	if (run->node_down[slot] != 0)
		return false; /* held down by something without a ticket: cannot happen */
	run->standby--;
	update_host(run, slot);
	return true;
}

static bool try_internal_spare(struct job *job, long index)
{
	struct run *run = job->run;
	for (long n = 0; n < run->p->counts.nodes; n++) {
		if (run->internal_spare[n] && run->node_down[n] == 0) {
			run->internal_spare[n] = false;
			run->spare_eligible[n] = true;
			run->in_job[run->pl.nodes[index]] = false;
			run->pl.nodes[index] = n;
			run->in_job[n] = true;
			return true;
		}
	}
	return false;
}

/* Replace every failed node of the job with a spare; false when some must wait for repair. */
static bool replace_failed(struct job *job, bool *changed)
{
	struct run *run = job->run;
	bool complete = true;
	for (long i = 0; i < run->pl.node_count; i++) {
		long n = run->pl.nodes[i];
		if (run->node_down[n] == 0)
			continue;
		if (try_internal_spare(job, i) || try_standby(job, n)) {
			run->r->spare_swaps++;
			*changed = true;
			event(run, "spare-swap", "node", n, NULL, NULL);
		} else
			complete = false;
	}
	return complete;
}

/* While the job waits for repairs: is some node it needs waiting for a part? */
static enum time_category waiting_for(const struct job *job)
{
	const struct run *run = job->run;
	for (const struct ticket *t = run->open_tickets; t; t = t->open_next)
		if (t->phase == TICKET_PART_WAIT && !t->detached && job_hit(run, t->first_node, t->node_count))
			return TIME_WAIT_PARTS;
	return TIME_WAIT_TECH;
}

/* Wait until a repair or a failure message changes something. */
static void wait_for_repair(struct job *job)
{
	enum time_category c = waiting_for(job);
	struct message *m;
	if (inbox_wait(&job->in, horizon_left(job), &m)) {
		if (m->kind == MSG_FAILURE)
			note_failure(job, m->class_index);
		free(m);
	}
	spend(job, c);
}

/* After failures: detect, get healthy nodes, re-simulate the step if the cluster changed,
 * relaunch and load the checkpoint. Failures on the way start it over. */
static bool recover(struct job *job)
{
	struct run *run = job->run;
	while (horizon_left(job) > 0) {
		double detect = job->detection_s;
		job->detection_s = 0;
		job->pending_failures = 0;
		event(run, "detection", "job", 0, NULL, NULL);
		if (!job_wait(job, detect, TIME_DETECTION))
			continue;
		bool changed = false;
		while (!replace_failed(job, &changed) && horizon_left(job) > 0)
			wait_for_repair(job);
		if (horizon_left(job) <= 0)
			return true;
		if (changed) {
			struct step_result step;
			if (!steptime_compute(run->st, &run->pl, NULL, &step, run->err)) {
				run->failed = true;
				return false;
			}
			run->step_time_s = step.step_time_s;
			spend(job, TIME_RESTART);
		}
		double restart = run->w->restart.relaunch_s + workload_checkpoint_bytes(run->w) / run->w->checkpoint.read_bytes_per_s;
		event(run, "restart", "job", 0, NULL, NULL);
		if (job_wait(job, restart, TIME_RESTART))
			return true;
	}
	return true;
}

static void job_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct job *job = sg_actor_self_get_data();
	struct run *run = job->run;
	double total = workload_steps(run->w);
	double interval_s = checkpoint_interval_s(run->p, run->w);
	double interval_steps = isinf(interval_s) ? INFINITY : fmax(1, floor(interval_s / run->healthy_step_s));
	double save_s = checkpoint_save_s(run->w);
	while (horizon_left(job) > 0 && !run->failed) {
		if (!train_segment(job, interval_steps, total)) {
			lose_work(job);
			recover(job);
			continue;
		}
		if (job->committed_steps + job->since_steps >= total) {
			commit_work(job);
			run->r->finished = true;
			break;
		}
		if (horizon_left(job) <= 0)
			break;
		event(run, "checkpoint", "job", 0, NULL, NULL);
		if (job_wait(job, save_s, TIME_CHECKPOINT)) {
			commit_work(job);
			run->r->checkpoints++;
		} else {
			lose_work(job);
			recover(job);
		}
	}
	run->r->progress = (job->committed_steps + job->since_steps) / total;
	run->job_done = true;
	sg_actor_kill_all(); /* injector, crews and pending timers */
}

/* ---- setup ---- */

static bool run_init(struct run *run)
{
	const struct platform *p = run->p;
	size_t nodes = (size_t)p->counts.nodes, sites = p->site_count, parts = p->operations.part_count;
	run->node_down = calloc(nodes, sizeof *run->node_down);
	run->in_job = calloc(nodes, sizeof *run->in_job);
	run->internal_spare = calloc(nodes, sizeof *run->internal_spare);
	run->spare_eligible = calloc(nodes, sizeof *run->spare_eligible);
	run->parts = calloc(parts ? parts : 1, sizeof *run->parts);
	run->crews = calloc(sites, sizeof *run->crews);
	run->crew_actors = calloc(sites, sizeof *run->crew_actors);
	run->r->interruptions_by_class = calloc(p->failure_count ? p->failure_count : 1, sizeof(long));
	if (!run->node_down || !run->in_job || !run->internal_spare || !run->spare_eligible || !run->parts || !run->crews ||
	    !run->crew_actors || !run->r->interruptions_by_class || !placement_init(&run->pl, p, run->w))
		return false;
	for (long i = 0; i < run->pl.node_count; i++)
		run->in_job[run->pl.nodes[i]] = run->spare_eligible[run->pl.nodes[i]] = true;
	for (long i = 0; i < run->w->job.hot_spare_nodes; i++)
		run->internal_spare[run->pl.node_count + i] = run->spare_eligible[run->pl.node_count + i] = true;
	run->standby = p->operations.hot_spare_nodes;
	for (size_t i = 0; i < parts; i++)
		run->parts[i].stock = p->operations.parts[i].stock;
	run->epoch_s = run->w->schedule.start_epoch_s;
	return true;
}

static void run_free(struct run *run)
{
	while (run->open_tickets) { /* every ticket a crew holds is open */
		struct ticket *t = run->open_tickets;
		run->open_tickets = t->open_next;
		free(t);
	}
	for (size_t i = 0; run->parts && i < run->p->operations.part_count; i++)
		free(run->parts[i].arrivals);
	free(run->node_down);
	free(run->in_job);
	free(run->internal_spare);
	free(run->spare_eligible);
	free(run->parts);
	free(run->crews);
	free(run->crew_actors);
	placement_finish(&run->pl);
	faults_finish(&run->faults);
}

/* Several replicas may run one after another in one process: each gets fresh mailboxes (a
 * message left over from the last one must not reach this one) and all hosts back on. */
static void start_actors(struct run *run, struct job *job)
{
	static long replica;
	char name[64];
	sg_host_t control = sg_platform_control_host(run->c);
	replica++;
	for (long d = 0; d < run->p->counts.domains; d++)
		if (!sg_host_is_on(sg_platform_domain_host(run->c, d)))
			sg_host_turn_on(sg_platform_domain_host(run->c, d));
	snprintf(name, sizeof name, "job.%ld", replica);
	run->job_mailbox = sg_mailbox_by_name(name);
	job->in.mailbox = run->job_mailbox;
	job->in.host = control;
	sg_actor_t a = sg_actor_init("job", control);
	sg_actor_set_data(a, job);
	sg_actor_start(a, job_actor, 0, NULL);
	run->injector = sg_actor_init("injector", control);
	sg_actor_set_data(run->injector, run);
	sg_actor_start(run->injector, injector_actor, 0, NULL);
	for (size_t s = 0; s < run->p->site_count; s++) {
		struct crew *crew = &run->crews[s];
		snprintf(name, sizeof name, "crew%zu.%ld", s, replica);
		crew->run = run;
		crew->site = (long)s;
		crew->mailbox = sg_mailbox_by_name(name);
		rng_init(&crew->rng, run->o->seed, 2000 + s);
		run->crew_actors[s] = sg_actor_init(name, control);
		sg_actor_set_data(run->crew_actors[s], crew);
		sg_actor_start(run->crew_actors[s], crew_actor, 0, NULL);
	}
}

bool runsim_run(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
		struct steptime *st, const struct run_options *o, struct run_result *out, struct ts_error *err)
{
	memset(out, 0, sizeof *out);
	struct run run = {.p = p, .w = w, .c = c, .st = st, .o = o, .r = out, .err = err};
	bool ok = run_init(&run) && faults_init(&run.faults, p, o->seed, o->failure_scale);
	if (ok && o->failure_log)
		ok = faults_load_log(&run.faults, o->failure_log, err);
	struct step_result step;
	if (ok)
		ok = steptime_compute(st, &run.pl, NULL, &step, err);
	if (!ok) {
		if (!err->message[0])
			error_set(err, "", 0, 0, "out of memory setting up the run");
		run_free(&run);
		return false;
	}
	run.step_time_s = run.healthy_step_s = out->step_time_s = step.step_time_s;
	struct job job = {.run = &run};
	double start = simgrid_get_clock();
	run.origin_s = start;
	job.last_s = start;
	if (o->events)
		fprintf(o->events, "time_s,event,component,index,cause,detail\n");
	steptime_set_inside_actor(st, true);
	start_actors(&run, &job);
	simgrid_run();
	steptime_set_inside_actor(st, false);
	out->wallclock_s = simgrid_get_clock() - start;
	double sum = 0;
	for (int i = 0; i < TIME_CATEGORY_COUNT; i++)
		sum += out->time_s[i];
	assert(fabs(sum - out->wallclock_s) <= 1e-6 * fmax(1, out->wallclock_s));
	bool failed = run.failed;
	run_free(&run);
	return !failed;
}

void runsim_result_finish(struct run_result *r)
{
	if (r)
		free(r->interruptions_by_class);
}
