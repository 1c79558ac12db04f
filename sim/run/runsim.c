/* runsim: one replica of a run: its state, the training job and the failure injector (the
 * crews, the power system and links are in runsim_crew.c, runsim_power.c, runsim_links.c).
 * SimGrid runs actors one at a time in one thread, so shared state needs no locks; the
 * actors still tell each other what happened through mailboxes, as the design asks. */
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

#include "checkpoint.h"
#include "faults.h"
#include "placement.h"
#include "power.h"
#include "rng.h"

static const char *const category_names[] = {"productive", "lost", "detection", "restart", "waiting_technician",
					      "waiting_parts", "checkpoint", "degraded", "power"};

const char *runsim_category_name(enum time_category c)
{
	return c < TIME_CATEGORY_COUNT ? category_names[c] : "?";
}

/* ---- events file ---- */

/* An event at engine time `at` (the job logs its checkpoints once it knows they happened, so
 * rows are not always in time order; the events file is sorted when it is merged). */
void rs_event_at(struct run *run, double at, const char *kind, const char *component, long index,
		     const char *cause, const char *detail)
{
	if (!run->o->events)
		return;
	fprintf(run->o->events, "%.3f,%s,%s,%ld,%s,%s\n", at - run->origin_s, kind, component, index, cause ? cause : "",
		detail ? detail : "");
}

void rs_event(struct run *run, const char *kind, const char *component, long index, const char *cause,
		  const char *detail)
{
	rs_event_at(run, simgrid_get_clock(), kind, component, index, cause, detail);
}

/* ---- messages ---- */

void rs_send(sg_mailbox_t to, enum message_kind kind, long class_index, struct ticket *t)
{
	struct message *m = malloc(sizeof *m);
	assert(m);
	*m = (struct message){kind, class_index, t};
	sg_comm_detach(sg_mailbox_put_init(to, m, 0), free); /* detached: the sender never waits */
}

/* Short-lived actors own their data; it is freed however they end (killed at the end of
 * the run included). */
void rs_free_on_exit(int failed, void *data)
{
	(void)failed;
	free(data);
}


/* Wait up to `timeout` seconds (INFINITY: until a message); true and *m (to free) when a
 * message came first. */
bool rs_inbox_wait(struct inbox *in, double timeout, struct message **m)
{
	if (timeout <= 0)
		return false;
	void *data = NULL;
	sg_comm_t comm = sg_mailbox_get_async(in->mailbox, &data);
	sg_error_t e = isinf(timeout) ? sg_comm_wait(comm) : sg_comm_wait_for(comm, timeout);
	if (e != SG_OK)
		return false;
	*m = data;
	return true;
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
void rs_component_nodes(const struct platform *p, enum component c, long index, long *first, long *count)
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
	case COMPONENT_DOMAIN: rs_component_nodes(p, c, platform_node_domain(p, node), first, count); break;
	case COMPONENT_SWITCH:
	case COMPONENT_LINK: leaf_range(p, platform_node_leaf(p, node), first, count); break;
	case COMPONENT_RACK:
	case COMPONENT_PDU: rs_component_nodes(p, COMPONENT_RACK, platform_node_rack(p, node), first, count); break;
	case COMPONENT_HALL: rs_component_nodes(p, c, platform_node_hall(p, node), first, count); break;
	default: *first = node, *count = 1; break;
	}
}

/* A domain's SimGrid host is on when none of its nodes is down. */
void rs_update_host(struct run *run, long node)
{
	if (run->hosts_frozen) {
		run->hosts_stale = true;
		return;
	}
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

void rs_nodes_down(struct run *run, long first, long count, int delta)
{
	for (long n = first; n < first + count; n++) {
		run->node_down[n] += delta;
		rs_update_host(run, n);
	}
}

bool rs_job_hit(const struct run *run, long first, long count)
{
	for (long n = first; n < first + count; n++)
		if (run->in_job[n])
			return true;
	return false;
}

/* ---- the failure injector ---- */

long rs_site_of_node(const struct platform *p, long node)
{
	return p->halls[platform_node_hall(p, node)].site;
}

/* The nodes a failure takes down: what its class says, at least the failed part's own. */
void rs_failure_nodes(const struct platform *p, const struct failure_class *fc, long component, long *first,
			  long *count)
{
	rs_component_nodes(p, fc->per, component, first, count);
	if (fc->takes_down == fc->per)
		return;
	long f, n;
	container_nodes(p, fc->takes_down, *first, &f, &n);
	if (n > *count)
		*first = f, *count = n;
}

void rs_count_failure(struct run *run, long class_index, long component)
{
	const struct failure_class *fc = &run->p->failures[class_index];
	run->r->failures++;
	rs_event(run, "failure", platform_component_name(fc->per), component, fc->name, NULL);
}

/* A ticket to the crew of the site holding the nodes; `holds`: the nodes stay down until it
 * is closed. */
struct ticket *rs_open_ticket(struct run *run, long class_index, long component, long first, long count,
				  bool holds)
{
	struct ticket *t = calloc(1, sizeof *t);
	assert(t);
	const struct failure_class *fc = &run->p->failures[class_index];
	*t = (struct ticket){.class_index = class_index, .component = component, .first_node = first,
			     .node_count = count, .holds_nodes = holds, .pdu = -1, .part = -1,
			     .opened_s = simgrid_get_clock()};
	for (size_t i = 0; fc->part && i < run->p->operations.part_count; i++)
		if (!strcmp(fc->part, run->p->operations.parts[i].name))
			t->part = (long)i;
	t->open_next = run->open_tickets;
	run->open_tickets = t;
	run->r->tickets++;
	rs_send(run->crews[rs_site_of_node(run->p, first)].mailbox, MSG_TICKET, class_index, t);
	return t;
}

/* A hardware failure that takes its nodes down until repaired. */
void rs_take_down(struct run *run, long class_index, long component)
{
	const struct failure_class *fc = &run->p->failures[class_index];
	long first, count;
	rs_failure_nodes(run->p, fc, component, &first, &count);
	if (rs_job_hit(run, first, count))
		rs_send(run->job_mailbox, MSG_FAILURE, class_index, NULL);
	rs_nodes_down(run, first, count, +1);
	rs_open_ticket(run, class_index, component, first, count, true);
}

static void inject(struct run *run, const struct failure_event *ev)
{
	const struct platform *p = run->p;
	const struct failure_class *fc = &p->failures[ev->class_index];
	if (ev->class_index == p->power.grid_class) { /* replayed from a log: a median outage */
		rs_event(run, "grid-event", "hall", ev->component, fc->name, NULL);
		rs_grid_event(run, ev->component, fmax(p->power.grid_median_s, p->halls[ev->component].ups_ride_through_s + 1));
		return;
	}
	rs_count_failure(run, ev->class_index, ev->component);
	if (fc->takes_down == COMPONENT_JOB)
		rs_send(run->job_mailbox, MSG_FAILURE, ev->class_index, NULL);
	else if (fc->takes_down == COMPONENT_PDU)
		rs_pdu_down(run, ev->class_index, ev->component);
	else if (fc->effect == EFFECT_DEGRADE)
		rs_degrade(run, ev->class_index, ev->component);
	else if (fc->effect == EFFECT_FLAP)
		rs_start_flapper(run, ev);
	else
		rs_take_down(run, ev->class_index, ev->component);
}

static void injector_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct run *run = sg_actor_self_get_data();
	struct failure_event ev;
	while (!run->job_done && faults_next(&run->faults, &ev)) {
		if (ev.time_s > run->horizon_s)
			break;
		sg_actor_sleep_until(run->origin_s + ev.time_s);
		if (!run->job_done)
			inject(run, &ev);
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
	bool pace_changed;        /* a link degraded or mended: re-simulate the step */
	double total_steps, interval_steps, save_s;
	bool *dropped;            /* on_failure: shrink: job node i's DP replica is left out */
	bool *replica_lost;       /* scratch: DP replicas to leave out */
	long dp_active;           /* DP replicas running (parallelism.dp unless shrunk) */
	int state;                /* the category it is spending time in, for the events file */
};

/* Logs the job's state when it changes (a `state` row: the timeline's job track). */
static void enter_state_at(struct job *job, double at, enum time_category c)
{
	if (job->state == (int)c)
		return;
	job->state = (int)c;
	rs_event_at(job->run, at, "state", "job", 0, runsim_category_name(c), NULL);
}

static void enter_state(struct job *job, enum time_category c)
{
	enter_state_at(job, simgrid_get_clock(), c);
}

static void spend(struct job *job, enum time_category c)
{
	double now = simgrid_get_clock();
	job->run->r->time_s[c] += now - job->last_s;
	job->last_s = now;
}

static double horizon_left(const struct job *job)
{
	return job->run->origin_s + job->run->horizon_s - simgrid_get_clock();
}

/* Counts a failure that reached the job. */
static void note_failure(struct job *job, long class_index)
{
	struct run *run = job->run;
	run->r->interruptions++;
	run->r->interruptions_by_class[class_index]++;
	rs_event(run, "interruption", "job", 0, run->p->failures[class_index].name, NULL);
	double d = run->p->failures[class_index].detection_s;
	job->detection_s = fmax(job->detection_s, d > 0 ? d : run->w->restart.detection_s);
	job->pending_failures++;
}

enum wait_end { WAIT_DONE, WAIT_FAILURE, WAIT_HORIZON, WAIT_PACE };

/* Wait `seconds` in state `c`, or less: a failure hitting the job (counted) or the horizon
 * ends it early, and so does a change of pace while training. Says which, so callers never
 * infer it from clock arithmetic (the engine clock grows over replicas, and its rounding
 * with it). */
static enum wait_end job_wait_until(struct job *job, double seconds, enum time_category c)
{
	double end = simgrid_get_clock() + seconds;
	double horizon = job->run->origin_s + job->run->horizon_s;
	bool cut = horizon < end;
	enter_state(job, c);
	for (;;) {
		double left = (cut ? horizon : end) - simgrid_get_clock();
		struct message *m;
		if (!rs_inbox_wait(&job->in, left, &m)) {
			spend(job, c);
			return cut ? WAIT_HORIZON : WAIT_DONE;
		}
		enum message_kind kind = m->kind;
		if (kind == MSG_FAILURE)
			note_failure(job, m->class_index);
		free(m);
		if (kind == MSG_PACE)
			job->pace_changed = true;
		if (kind == MSG_FAILURE || (kind == MSG_PACE && c == TIME_PRODUCTIVE)) {
			spend(job, c);
			return kind == MSG_FAILURE ? WAIT_FAILURE : WAIT_PACE;
		}
	}
}

/* The same outside training, true unless a failure came. */
static bool job_wait(struct job *job, double seconds, enum time_category c)
{
	return job_wait_until(job, seconds, c) != WAIT_FAILURE;
}

static bool any_job_host_off(const struct run *run)
{
	for (long i = 0; i < run->pl.node_count; i++)
		if (!sg_host_is_on(sg_platform_node_host(run->c, run->pl.nodes[i])))
			return true;
	return false;
}

/* Re-simulate the step for the job's nodes and the links as they are now (SimGrid time
 * passes meanwhile, spent as `c`). Hosts stay on while the flows run. false when the run
 * must stop on an error. */
static bool refresh_step(struct job *job, enum time_category c)
{
	struct run *run = job->run;
	struct step_result step;
	run->hosts_frozen = true;
	bool ok = steptime_compute(run->st, &run->pl, &run->state, &step, run->err);
	run->hosts_frozen = false;
	if (run->hosts_stale) {
		run->hosts_stale = false;
		for (long d = 0; d < run->p->counts.domains; d++)
			rs_update_host(run, d * run->p->counts.nodes_per_domain);
	}
	spend(job, c);
	if (!ok && !any_job_host_off(run)) {
		run->failed = true;
		return false;
	}
	if (ok) {
		/* shrunk: the global batch is kept, so each replica left takes more micro-batches */
		double shrink = (double)run->w->parallelism.dp / (double)job->dp_active;
		run->step_time_s = step.step_time_s * power_cap_slowdown(run->p) * shrink;
		job->pace_changed = false;
	}
	run->err->message[0] = '\0';
	return true;
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

/* `elapsed` seconds of training at the current pace: the part beyond the healthy pace is
 * time lost to degraded hardware, the rest productive (until a failure makes it lost). */
static void account_training(struct job *job, double elapsed)
{
	struct run *run = job->run;
	double slow = elapsed * (1 - run->healthy_step_s / run->step_time_s);
	run->r->time_s[TIME_PRODUCTIVE] += elapsed - slow;
	run->r->time_s[TIME_DEGRADED] += slow;
	job->uncommitted_s += elapsed - slow;
	job->uncommitted_slow_s += slow;
}

/* What the job will do from a moment on if nothing happens: finish a save under way, train
 * to the next checkpoint, save, and so on in whole intervals until the last step (no save
 * after it). The job waits once for the first event that changes this plan (a failure, a
 * change of pace, a PDU trip, the end, the horizon) and then works out which checkpoints
 * happened meanwhile: one wait per event instead of two per checkpoint. */
struct plan {
	double start_s;        /* engine clock at which it starts */
	double save_left_s;    /* a save under way: its time left (0: none) */
	double first_steps;    /* steps to train before the first save */
	double interval_steps;
	double save_s, step_s;
	double remaining;      /* steps left in the run, from the start */
};

static struct plan plan_from_now(const struct job *job, double save_left_s)
{
	const struct run *run = job->run;
	struct plan pl = {simgrid_get_clock(), save_left_s, 0, job->interval_steps, job->save_s, run->step_time_s,
			  job->total_steps - job->committed_steps - job->since_steps};
	pl.first_steps = fmin(save_left_s > 0 ? pl.interval_steps : pl.interval_steps - job->since_steps, pl.remaining);
	return pl;
}

/* Engine time at which the plan trains its last step. */
static double plan_finish_s(const struct plan *pl)
{
	double after = pl->remaining - pl->first_steps; /* steps after the first save */
	double saves = after > 1e-9 ? ceil(after / pl->interval_steps - 1e-9) : 0;
	return pl->start_s + pl->save_left_s + pl->remaining * pl->step_s + saves * pl->save_s;
}

static void save_done(struct job *job, double at)
{
	commit_work(job);
	job->run->r->checkpoints++;
	enter_state_at(job, at, TIME_PRODUCTIVE);
}

/* Follows the plan to engine time `until`, accounting training, saves and checkpoints as they
 * happened. Returns the time left of a save under way at `until` (0: training). */
static double follow_plan(struct job *job, const struct plan *pl, double until)
{
	struct run *run = job->run;
	double t = pl->start_s, left = pl->remaining, chunk = pl->first_steps, save = pl->save_left_s;
	for (;;) {
		if (save > 0) {
			if (until < t + save) {
				run->r->time_s[TIME_CHECKPOINT] += until - t;
				return t + save - until;
			}
			run->r->time_s[TIME_CHECKPOINT] += save;
			t += save;
			save_done(job, t);
		}
		double end = t + chunk * pl->step_s;
		if (until < end || left - chunk <= 1e-9) { /* ends in this stretch of training */
			double elapsed = fmin(until, end) - t;
			account_training(job, elapsed);
			job->since_steps += until >= end ? chunk : fmin(chunk, elapsed / pl->step_s);
			return 0;
		}
		account_training(job, end - t);
		job->since_steps += chunk;
		left -= chunk;
		t = end;
		rs_event_at(run, t, "checkpoint", "job", 0, NULL, NULL);
		enter_state_at(job, t, TIME_CHECKPOINT);
		save = pl->save_s;
		chunk = fmin(pl->interval_steps, left);
	}
}

enum job_event { JOB_TIMEOUT, JOB_FAILURE, JOB_PACE, JOB_GROW };

static bool can_grow(const struct job *job);

/* Wait until engine time `until` or a failure or change of pace, whichever comes first. */
static enum job_event wait_job_event(struct job *job, double until)
{
	for (;;) {
		struct message *m;
		if (!rs_inbox_wait(&job->in, until - simgrid_get_clock(), &m))
			return JOB_TIMEOUT;
		enum message_kind kind = m->kind;
		if (kind == MSG_FAILURE)
			note_failure(job, m->class_index);
		free(m);
		if (kind == MSG_FAILURE)
			return JOB_FAILURE;
		if (kind == MSG_PACE) {
			job->pace_changed = true;
			return JOB_PACE;
		}
		if (kind == MSG_RESTORED && can_grow(job))
			return JOB_GROW;
	}
}

/* Train (and save) until something happens. False when the job stopped: a failure, or the
 * repairs a shrunk job waited for (it relaunches at full size). */
static bool train(struct job *job, double *save_left_s)
{
	struct run *run = job->run;
	if (job->pace_changed && !refresh_step(job, TIME_DEGRADED))
		return true; /* run->failed is set */
	struct plan pl = plan_from_now(job, *save_left_s);
	double finish = plan_finish_s(&pl), rate = rs_step_trip_rate(run);
	double trip = rate > 0 ? pl.start_s + rng_exponential(&run->power_rng, rate) : INFINITY;
	double horizon = run->origin_s + run->horizon_s;
	double until = fmin(fmin(finish, trip), horizon);
	enter_state(job, *save_left_s > 0 ? TIME_CHECKPOINT : TIME_PRODUCTIVE);
	enum job_event ev = wait_job_event(job, until);
	double now = simgrid_get_clock();
	*save_left_s = follow_plan(job, &pl, now);
	job->last_s = now;
	if (ev == JOB_FAILURE)
		return false;
	if (ev == JOB_GROW) {
		rs_event(run, "grow", "job", 0, NULL, NULL);
		return false;
	}
	if (ev == JOB_TIMEOUT && until == finish) {
		job->since_steps = job->total_steps - job->committed_steps; /* exactly, whatever the rounding */
		commit_work(job);
		run->r->finished = true;
	} else if (ev == JOB_TIMEOUT && until == trip && until < horizon)
		rs_step_trip(run);
	return true;
}

/* A standby node from outside the platform takes the slot of a failed node (only for
 * failures of that one node; a rack or switch down needs its own repair). */
static bool try_standby(struct job *job, long slot)
{
	struct run *run = job->run;
	if (run->standby <= 0)
		return false;
	long held = 0;
	for (struct ticket *t = run->open_tickets; t; t = t->open_next) {
		if (!t->holds_nodes || t->detached || slot < t->first_node || slot >= t->first_node + t->node_count)
			continue;
		if (t->node_count > 1)
			return false;
		held++;
	}
	if (held != run->node_down[slot])
		return false; /* also dark for want of power: that needs the power back */
	bool first = true;
	for (struct ticket *t = run->open_tickets; t; t = t->open_next) {
		if (!t->holds_nodes || t->detached || slot < t->first_node || slot >= t->first_node + t->node_count)
			continue;
		t->detached = true;
		t->returns_standby = first;
		first = false;
		run->node_down[slot]--;
	}
	run->standby--;
	rs_update_host(run, slot);
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
		if (run->node_down[n] == 0 || job->dropped[i])
			continue;
		if (try_internal_spare(job, i) || try_standby(job, n)) {
			run->r->spare_swaps++;
			*changed = true;
			rs_event(run, "spare-swap", "node", n, NULL, NULL);
		} else
			complete = false;
	}
	return complete;
}

/* While the job waits: is some node it needs dark for want of power, or waiting for a part? */
static enum time_category waiting_for(const struct job *job)
{
	const struct run *run = job->run;
	const struct platform *p = run->p;
	for (long i = 0; p->power.present && i < run->pl.node_count; i++) {
		long n = run->pl.nodes[i];
		if (run->rack_dark[platform_node_rack(p, n)] || run->hall_dark[platform_node_hall(p, n)])
			return TIME_POWER;
	}
	for (const struct ticket *t = run->open_tickets; t; t = t->open_next)
		if (t->phase == TICKET_PART_WAIT && !t->detached && rs_job_hit(run, t->first_node, t->node_count))
			return TIME_WAIT_PARTS;
	return TIME_WAIT_TECH;
}

/* Wait until a repair or a failure message changes something. */
static void wait_for_repair(struct job *job)
{
	enum time_category c = waiting_for(job);
	struct message *m;
	enter_state(job, c);
	if (rs_inbox_wait(&job->in, horizon_left(job), &m)) {
		if (m->kind == MSG_FAILURE)
			note_failure(job, m->class_index);
		job->pace_changed |= m->kind == MSG_PACE;
		free(m);
	}
	spend(job, c);
}

/* ---- on_failure: shrink ---- */

/* Marks the DP replicas job node i holds ranks of (Megatron order: TP, CP, DP, PP). */
static void node_replicas(const struct run *run, long i, bool *lost)
{
	const struct parallelism_spec *par = &run->w->parallelism;
	long g = run->p->node.gpus, group = par->tp * par->cp;
	for (long r = i * g; r < (i + 1) * g; r++)
		lost[(r / group) % par->dp] = true;
}

static bool node_in_lost_replica(const struct run *run, long i, const bool *lost)
{
	const struct parallelism_spec *par = &run->w->parallelism;
	long g = run->p->node.gpus, group = par->tp * par->cp;
	for (long r = i * g; r < (i + 1) * g; r++)
		if (lost[(r / group) % par->dp])
			return true;
	return false;
}

/* The job runs on without the DP replicas of its nodes still down (and those already left
 * out), if that leaves at least half of them: the policy `on_failure: shrink`. */
static bool try_shrink(struct job *job)
{
	struct run *run = job->run;
	long dp = run->w->parallelism.dp;
	if (run->w->job.on_failure != ON_FAILURE_SHRINK)
		return false;
	memset(job->replica_lost, 0, (size_t)dp * sizeof *job->replica_lost);
	for (long i = 0; i < run->pl.node_count; i++)
		if (job->dropped[i] || run->node_down[run->pl.nodes[i]])
			node_replicas(run, i, job->replica_lost);
	long lost = 0;
	for (long d = 0; d < dp; d++)
		lost += job->replica_lost[d];
	if (2 * (dp - lost) < dp || lost == 0)
		return false;
	for (long i = 0; i < run->pl.node_count; i++) {
		job->dropped[i] = node_in_lost_replica(run, i, job->replica_lost);
		run->in_job[run->pl.nodes[i]] = !job->dropped[i];
	}
	char detail[64];
	snprintf(detail, sizeof detail, "dp %ld -> %ld", job->dp_active, dp - lost);
	rs_event(run, "shrink", "job", 0, NULL, detail);
	job->dp_active = dp - lost;
	job->pace_changed = true;
	return true;
}

/* A shrunk job grows back once every node it left out is up again. */
static bool can_grow(const struct job *job)
{
	const struct run *run = job->run;
	if (job->dp_active == run->w->parallelism.dp)
		return false;
	for (long i = 0; i < run->pl.node_count; i++)
		if (job->dropped[i] && run->node_down[run->pl.nodes[i]])
			return false;
	return true;
}

static void grow(struct job *job)
{
	struct run *run = job->run;
	for (long i = 0; i < run->pl.node_count; i++) {
		job->dropped[i] = false;
		run->in_job[run->pl.nodes[i]] = true;
	}
	job->dp_active = run->w->parallelism.dp;
	job->pace_changed = true;
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
		rs_event(run, "detection", "job", 0, NULL, NULL);
		if (!job_wait(job, detect, TIME_DETECTION))
			continue;
		bool changed = false;
		if (can_grow(job))
			grow(job);
		while (!replace_failed(job, &changed) && !try_shrink(job) && horizon_left(job) > 0)
			wait_for_repair(job);
		if (horizon_left(job) <= 0)
			return true;
		if (changed)
			rs_update_job_racks(run);
		if ((changed || job->pace_changed) && !refresh_step(job, TIME_RESTART))
			return false;
		rs_peak_trips(run, PEAK_RESTART); /* every GPU of the job ramps up at once */
		double restart = run->w->restart.relaunch_s + workload_checkpoint_bytes(run->w) / run->w->checkpoint.read_bytes_per_s;
		rs_event(run, "restart", "job", 0, NULL, NULL);
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
	job->total_steps = workload_steps(run->w);
	double interval_s = checkpoint_interval_s(run->p, run->w);
	job->interval_steps = isinf(interval_s) ? INFINITY : fmax(1, floor(interval_s / run->healthy_step_s));
	job->save_s = checkpoint_save_s(run->w);
	double save_left_s = 0;
	while (horizon_left(job) > 0 && !run->failed && !run->r->finished) {
		if (!train(job, &save_left_s)) {
			save_left_s = 0;
			lose_work(job);
			recover(job);
		}
	}
	run->r->progress = (job->committed_steps + job->since_steps) / job->total_steps;
	run->job_done = true;
	sg_actor_kill_all(); /* injector, crews and helpers */
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
	run->pdu_down = calloc((size_t)p->counts.pdus, sizeof *run->pdu_down);
	run->rack_pdus_up = calloc((size_t)p->counts.racks, sizeof *run->rack_pdus_up);
	run->rack_dark = calloc((size_t)p->counts.racks, sizeof *run->rack_dark);
	run->rack_in_job = calloc((size_t)p->counts.racks, sizeof *run->rack_in_job);
	run->hall_dark = calloc(p->hall_count, sizeof *run->hall_dark);
	if (!run->node_down || !run->in_job || !run->internal_spare || !run->spare_eligible || !run->parts || !run->crews ||
	    !run->crew_actors || !run->r->interruptions_by_class || !run->pdu_down || !run->rack_pdus_up ||
	    !run->rack_dark || !run->rack_in_job || !run->hall_dark || !placement_init(&run->pl, p, run->w))
		return false;
	for (long r = 0; r < p->counts.racks; r++)
		run->rack_pdus_up[r] = p->rack.pdus;
	rs_update_job_racks(run);
	rng_init(&run->power_rng, run->o->seed, 3000);
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
	free(run->pdu_down);
	free(run->rack_pdus_up);
	free(run->rack_dark);
	free(run->rack_in_job);
	free(run->hall_dark);
	free(run->state.degraded);
	free(run->degraded_by);
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
	sg_actor_t a = sg_actor_init("job", control);
	sg_actor_set_data(a, job);
	sg_actor_start(a, job_actor, 0, NULL);
	run->injector = sg_actor_init("injector", control);
	sg_actor_set_data(run->injector, run);
	sg_actor_start(run->injector, injector_actor, 0, NULL);
	sg_actor_t grid = sg_actor_init("grid", control);
	sg_actor_set_data(grid, run);
	sg_actor_start(grid, rs_grid_actor, 0, NULL);
	for (size_t s = 0; s < run->p->site_count; s++) {
		struct crew *crew = &run->crews[s];
		snprintf(name, sizeof name, "crew%zu.%ld", s, replica);
		crew->run = run;
		crew->site = (long)s;
		crew->mailbox = sg_mailbox_by_name(name);
		rng_init(&crew->rng, run->o->seed, 2000 + s);
		run->crew_actors[s] = sg_actor_init(name, control);
		sg_actor_set_data(run->crew_actors[s], crew);
		sg_actor_start(run->crew_actors[s], rs_crew_actor, 0, NULL);
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
	/* GPU power capping slows every step, healthy ones included: part of the plan, not a loss */
	run.step_time_s = run.healthy_step_s = out->step_time_s = step.step_time_s * power_cap_slowdown(p);
	/* A cluster that fails faster than the job can save would loop for ever: give up at ten
	 * times the failure-free training time (at least a year) and say so. */
	double give_up = fmax(10 * workload_steps(w) * run.step_time_s, 365 * 86400.0);
	run.horizon_s = fmin(o->horizon_s, give_up);
	struct job job = {.run = &run, .state = -1, .dp_active = w->parallelism.dp};
	job.dropped = calloc((size_t)run.pl.node_count, sizeof *job.dropped);
	job.replica_lost = calloc((size_t)w->parallelism.dp, sizeof *job.replica_lost);
	if (!job.dropped || !job.replica_lost) {
		free(job.dropped);
		free(job.replica_lost);
		run_free(&run);
		return error_set(err, "", 0, 0, "out of memory setting up the run");
	}
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
	out->gave_up = !out->finished && o->horizon_s > give_up;
	double sum = 0;
	for (int i = 0; i < TIME_CATEGORY_COUNT; i++)
		sum += out->time_s[i];
	assert(fabs(sum - out->wallclock_s) <= 1e-6 * fmax(1, out->wallclock_s));
	bool failed = run.failed;
	free(job.dropped);
	free(job.replica_lost);
	run_free(&run);
	return !failed;
}

void runsim_result_finish(struct run_result *r)
{
	if (r)
		free(r->interruptions_by_class);
}
