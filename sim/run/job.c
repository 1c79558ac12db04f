/* job: the training job (see job.h). Its time is accounted where it is spent (`spend`);
 * the categories add up to the wall-clock, which runsim asserts. */
#include "job.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <xbt/log.h>

#include "checkpoint.h"
#include "grow.h"
#include "runplan.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_job, trainsim, "the training job's decisions");

bool job_init(struct job *job, struct run_ctx *ctx, struct steptime *st, double healthy_step_s)
{
	const struct workload *w = ctx->w;
	*job = (struct job){.ctx = ctx, .st = st, .healthy_step_s = healthy_step_s, .step_time_s = healthy_step_s,
			    .state = -1, .dp_active = w->parallelism.dp, .rollback_to_s = INFINITY, .last_cause = -1,
			    .slots_found = -1};
	if (!placement_init(&job->pl, ctx->p, w) || !jobnodes_init(&job->nodes, ctx->p->counts.nodes))
		return false;
	job->dropped = calloc((size_t)job->pl.node_count, sizeof *job->dropped);
	job->replica_lost = calloc((size_t)w->parallelism.dp, sizeof *job->replica_lost);
	job->slot_of = malloc((size_t)ctx->p->counts.nodes * sizeof *job->slot_of);
	job->scratch = malloc((size_t)job->pl.node_count * sizeof *job->scratch);
	if (!job->dropped || !job->replica_lost || !job->slot_of || !job->scratch)
		return false;
	for (long n = 0; n < ctx->p->counts.nodes; n++)
		job->slot_of[n] = -1;
	for (size_t i = 0; i < ctx->p->failure_count; i++)
		job->keeps_checkpoints |= ctx->p->failures[i].silent_s > 0;
	for (long i = 0; i < job->pl.node_count; i++) {
		jobnodes_set(&job->nodes, job->pl.nodes[i], true);
		jobnodes_place(&job->nodes, job->pl.nodes[i], true);
		job->slot_of[job->pl.nodes[i]] = i;
	}
	return true;
}

void job_finish(struct job *job)
{
	free(job->saved);
	free(job->dropped);
	free(job->replica_lost);
	free(job->slot_of);
	free(job->scratch);
	jobnodes_finish(&job->nodes);
	placement_finish(&job->pl);
}

void job_connect(struct job *job, struct hardware *hw, struct spares *spares, struct crews *crews,
		 struct power_state *power, struct link_state *links, const struct bringup *bringup)
{
	job->bringup = bringup;
	job->hw = hw;
	job->spares = spares;
	job->crews = crews;
	job->power = power;
	job->links = links;
}

/* ---- time ---- */

/* Publishes the job's state when it changes (a `state` event: the timeline's job track). */
static void enter_state_at(struct job *job, double at, enum time_category c)
{
	if (job->state == (int)c)
		return;
	job->state = (int)c;
	jobnodes_set_running(&job->nodes, c == TIME_PRODUCTIVE || c == TIME_CHECKPOINT); /* idle_failure_factor */
	struct event e = events_make(EVENT_STATE, COMPONENT_JOB, 0, -1);
	e.state = (int)c;
	events_publish(&job->ctx->events, at, e);
}

static void enter_state(struct job *job, enum time_category c)
{
	enter_state_at(job, simgrid_get_clock(), c);
}

static void spend(struct job *job, enum time_category c)
{
	double now = simgrid_get_clock();
	job->out.time_s[c] += now - job->last_s;
	job->last_s = now;
}

/* Time left before the horizon; none once the replica has met its work bound (the job
 * stops at its next wake-up, as at a horizon). */
static double horizon_left(const struct job *job)
{
	if (job->ctx->events.published >= job->ctx->max_events)
		return 0;
	return job->ctx->origin_s + job->ctx->horizon_s - simgrid_get_clock();
}

static void job_event(struct job *job, enum event_kind kind, long cause)
{
	runctx_event(job->ctx, events_make(kind, COMPONENT_JOB, 0, cause));
}

/* A failure reached the job (one found late marks how far back the job must go). */
static void note_failure(struct job *job, const struct message *m)
{
	long class_index = m->class_index;
	const struct failure_class *fc = &job->ctx->p->failures[class_index];
	if (m->since_s > 0) {
		job->rollback_to_s = fmin(job->rollback_to_s, m->since_s);
		job->last_cause = class_index;
	}
	job_event(job, EVENT_INTERRUPTION, class_index);
	double d = fc->detection_s;
	job->detection_s = fmax(job->detection_s, d > 0 ? d : job->ctx->w->restart.detection_s);
	job->pending_failures++;
	XBT_DEBUG("interrupted by %s (detection %.0f s)", fc->name, job->detection_s);
}

/* ---- waiting ---- */

/* Wait `seconds` outside training in state `c`, or less: a failure hitting the job (counted)
 * or the horizon ends it early. true unless a failure came. Never inferred from clock
 * arithmetic (the engine clock grows over replicas, and its rounding with it). */
static bool job_wait(struct job *job, double seconds, enum time_category c)
{
	double end = simgrid_get_clock() + seconds;
	double horizon = job->ctx->origin_s + job->ctx->horizon_s;
	bool cut = horizon < end;
	enter_state(job, c);
	for (;;) {
		double left = (cut ? horizon : end) - simgrid_get_clock();
		struct message m;
		if (!runctx_receive(job->ctx, job->ctx->job_inbox, left, &m)) {
			spend(job, c);
			return true;
		}
		enum message_kind kind = m.kind;
		if (kind == MSG_FAILURE)
			note_failure(job, &m);
		if (kind == MSG_PACE)
			job->pace_changed = true;
		if (kind == MSG_FAILURE || (kind == MSG_PACE && c == TIME_PRODUCTIVE)) {
			spend(job, c);
			return kind != MSG_FAILURE;
		}
	}
}

/* The step for the job's nodes and the links as they are now (steptime: from the step
 * simulated at load, changed by its bottleneck links; no simulated time passes). false when
 * the run must stop on an error. */
static bool refresh_step(struct job *job, enum time_category c)
{
	struct run_ctx *ctx = job->ctx;
	struct step_result step;
	runctx_yield(ctx);
	if (!steptime_compute(job->st, &job->pl, &job->links->state, &step, ctx->err)) {
		ctx->failed = true;
		return false;
	}
	spend(job, c);
	/* shrunk: the global batch is kept, so each replica left takes more micro-batches */
	double shrink = (double)ctx->w->parallelism.dp / (double)job->dp_active;
	job->step_time_s = runplan_paced_step_s(ctx->p, step.step_time_s) * shrink;
	job->pace_changed = false;
	XBT_DEBUG("step computed again: %.4g s (healthy %.4g s)", job->step_time_s, job->healthy_step_s);
	return true;
}

/* ---- progress ---- */

/* The work since the last checkpoint is gone: its time was lost, not productive. */
static void lose_work(struct job *job)
{
	double *t = job->out.time_s;
	t[TIME_PRODUCTIVE] -= job->uncommitted_s;
	t[TIME_DEGRADED] -= job->uncommitted_slow_s;
	t[TIME_LOST] += job->uncommitted_s + job->uncommitted_slow_s;
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
	double slow = elapsed * (1 - job->healthy_step_s / job->step_time_s);
	job->out.time_s[TIME_PRODUCTIVE] += elapsed - slow;
	job->out.time_s[TIME_DEGRADED] += slow;
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
	struct plan pl = {simgrid_get_clock(), save_left_s, 0, job->interval_steps, job->save_s, job->step_time_s,
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

/* Every checkpoint, for a failure found late: when it was saved, what it holds, and the
 * productive time up to it. */
static void remember_checkpoint(struct job *job, double at)
{
	struct saved_checkpoint *more = grow_array(job->saved, &job->saved_capacity, job->saved_count, sizeof *more, 64);
	if (!more)
		runctx_abort_out_of_memory(job->ctx);
	job->saved = more;
	job->saved[job->saved_count++] = (struct saved_checkpoint){at, job->committed_steps,
								   job->out.time_s[TIME_PRODUCTIVE]};
}

/* A failure found late struck at rollback_to_s: every checkpoint saved since holds its
 * damage, so the job goes back to the last one before it (or to the start), and the training
 * since was lost. */
static void roll_back(struct job *job)
{
	double since = job->rollback_to_s;
	if (isinf(since))
		return;
	job->rollback_to_s = INFINITY;
	size_t k = job->saved_count;
	while (k > 0 && job->saved[k - 1].at_s > since)
		k--;
	double steps = k ? job->saved[k - 1].steps : 0, productive = k ? job->saved[k - 1].productive_s : 0;
	double lost = job->out.time_s[TIME_PRODUCTIVE] - productive;
	if (steps >= job->committed_steps || lost <= 0)
		return; /* it struck after the last checkpoint: the usual loss */
	struct event e = events_make(EVENT_ROLLBACK, COMPONENT_JOB, 0, job->last_cause);
	e.values[0] = lost;
	e.values[1] = simgrid_get_clock() - since;
	runctx_event(job->ctx, e);
	XBT_DEBUG("a failure found late: back %zu checkpoints, %.0f s of training lost", job->saved_count - k, lost);
	job->out.time_s[TIME_PRODUCTIVE] = productive;
	job->out.time_s[TIME_LOST] += lost;
	job->committed_steps = steps;
	job->saved_count = k;
}

static void save_done(struct job *job, double at)
{
	commit_work(job);
	if (job->keeps_checkpoints)
		remember_checkpoint(job, at);
	job->out.checkpoints++;
	enter_state_at(job, at, TIME_PRODUCTIVE);
}

/* Follows the plan to engine time `until`, accounting training, saves and checkpoints as they
 * happened. Returns the time left of a save under way at `until` (0: training). */
static double follow_plan(struct job *job, const struct plan *pl, double until)
{
	double t = pl->start_s, left = pl->remaining, chunk = pl->first_steps, save = pl->save_left_s;
	for (;;) {
		if (save > 0) {
			if (until < t + save) {
				job->out.time_s[TIME_CHECKPOINT] += until - t;
				return t + save - until;
			}
			job->out.time_s[TIME_CHECKPOINT] += save;
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
		events_publish(&job->ctx->events, t, events_make(EVENT_CHECKPOINT, COMPONENT_JOB, 0, -1));
		enter_state_at(job, t, TIME_CHECKPOINT);
		save = pl->save_s;
		if (save <= 0) /* a save that takes no time (explain's counterfactual) is done at once */
			save_done(job, t);
		chunk = fmin(pl->interval_steps, left);
	}
}

/* ---- on_failure: shrink ---- */

/* Marks the DP replicas job node slot i holds ranks of (Megatron order: TP, CP, DP, PP). */
/* The node's ranks i*g .. (i+1)*g - 1 fall in TP x CP groups first .. last (a group's
 * ranks are consecutive), and group q belongs to DP replica q mod dp: one group or two for a
 * node, where walking its ranks costs a division each (12,000 slots at every recovery). */
static void node_groups(const struct job *job, long i, long *first, long *last)
{
	const struct parallelism_spec *par = &job->ctx->w->parallelism;
	long g = job->ctx->p->node.gpus, group = par->tp * par->cp;
	*first = i * g / group;
	*last = ((i + 1) * g - 1) / group;
}

static void node_replicas(const struct job *job, long i, bool *lost)
{
	long dp = job->ctx->w->parallelism.dp, first, last;
	node_groups(job, i, &first, &last);
	for (long q = first; q <= last && q < first + dp; q++)
		lost[q % dp] = true;
}

static bool node_in_lost_replica(const struct job *job, long i, const bool *lost)
{
	long dp = job->ctx->w->parallelism.dp, first, last;
	node_groups(job, i, &first, &last);
	for (long q = first; q <= last && q < first + dp; q++)
		if (lost[q % dp])
			return true;
	return false;
}

/* The least share of its DP replicas the job may run with: half under `on_failure: shrink`,
 * and `start_with` while capacity is still being brought up (1: never fewer than all). */
static double least_share(const struct job *job)
{
	const struct job_spec *spec = &job->ctx->w->job;
	double least = spec->on_failure == ON_FAILURE_SHRINK ? 0.5 : 1;
	if (job->bringup->pending_count > 0 && spec->start_with < least)
		least = spec->start_with;
	return least;
}

/* The job runs on without the DP replicas of its nodes still down (and those already left
 * out), if that leaves at least its least share of them (see least_share). */
static bool try_shrink(struct job *job)
{
	long dp = job->ctx->w->parallelism.dp;
	double least = least_share(job);
	if (least >= 1)
		return false;
	memset(job->replica_lost, 0, (size_t)dp * sizeof *job->replica_lost);
	for (long i = 0; i < job->pl.node_count; i++)
		if (job->dropped[i] || hardware_down_count(job->hw, job->pl.nodes[i]))
			node_replicas(job, i, job->replica_lost);
	long lost = 0;
	for (long d = 0; d < dp; d++)
		lost += job->replica_lost[d];
	if ((double)(dp - lost) < least * (double)dp - 1e-9 || lost == 0 || lost == dp)
		return false;
	for (long i = 0; i < job->pl.node_count; i++) {
		job->dropped[i] = node_in_lost_replica(job, i, job->replica_lost);
		jobnodes_set(&job->nodes, job->pl.nodes[i], !job->dropped[i]);
	}
	struct event e = events_make(EVENT_SHRINK, COMPONENT_JOB, 0, -1);
	e.values[0] = (double)job->dp_active;
	e.values[1] = (double)(dp - lost);
	runctx_event(job->ctx, e);
	XBT_DEBUG("shrinks from %ld to %ld DP replicas", job->dp_active, dp - lost);
	job->dp_active = dp - lost;
	job->pace_changed = true;
	job->placement_changes++;
	return true;
}

/* The DP replicas left out whose nodes are all up again (marked in replica_lost: those still
 * out). Returns how many. */
static long replicas_ready(struct job *job)
{
	long dp = job->ctx->w->parallelism.dp, ready = 0;
	memset(job->replica_lost, 0, (size_t)dp * sizeof *job->replica_lost);
	for (long i = 0; i < job->pl.node_count; i++)
		if (job->dropped[i] && hardware_down_count(job->hw, job->pl.nodes[i]))
			node_replicas(job, i, job->replica_lost);
	for (long d = 0; d < dp; d++)
		ready += !job->replica_lost[d];
	return ready - job->dp_active;
}

/* A smaller job grows once `grow_by` of its DP replicas more (or all it left out) are ready. */
static bool can_grow(struct job *job)
{
	long dp = job->ctx->w->parallelism.dp;
	if (job->dp_active == dp)
		return false;
	long ready = replicas_ready(job);
	return ready > 0 && (job->dp_active + ready == dp || (double)ready >= job->ctx->w->job.grow_by * (double)dp - 1e-9);
}

/* Takes back the replicas can_grow found ready (those not in replica_lost). */
static void grow(struct job *job)
{
	long dp = job->ctx->w->parallelism.dp, active = 0;
	for (long i = 0; i < job->pl.node_count; i++) {
		job->dropped[i] = node_in_lost_replica(job, i, job->replica_lost);
		jobnodes_set(&job->nodes, job->pl.nodes[i], !job->dropped[i]);
	}
	for (long d = 0; d < dp; d++)
		active += !job->replica_lost[d];
	struct event e = events_make(EVENT_GROW, COMPONENT_JOB, 0, -1);
	e.values[0] = (double)job->dp_active;
	e.values[1] = (double)active;
	runctx_event(job->ctx, e);
	job->dp_active = active;
	job->pace_changed = true;
	job->placement_changes++;
}

/* ---- training ---- */

enum job_event { JOB_TIMEOUT, JOB_FAILURE, JOB_PACE, JOB_GROW };

/* Wait until engine time `until` or a failure or change of pace, whichever comes first. */
static enum job_event wait_job_event(struct job *job, double until)
{
	for (;;) {
		struct message m;
		if (!runctx_receive(job->ctx, job->ctx->job_inbox, until - simgrid_get_clock(), &m))
			return JOB_TIMEOUT;
		enum message_kind kind = m.kind;
		if (kind == MSG_FAILURE)
			note_failure(job, &m);
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

/* The plan's stretch ended at `until` with `ev`: the run finished, or a step peak tripped a PDU. */
static void stretch_ended(struct job *job, enum job_event ev, double until, double finish, double trip)
{
	double horizon = job->ctx->origin_s + job->ctx->horizon_s;
	if (ev == JOB_TIMEOUT && until == finish) {
		job->since_steps = job->total_steps - job->committed_steps; /* exactly, whatever the rounding */
		commit_work(job);
		job->out.finished = true;
		XBT_DEBUG("trained the whole token budget");
	} else if (ev == JOB_TIMEOUT && until == trip && until < horizon)
		powerstate_step_trip(job->power);
}

/* Train (and save) until something happens. False when the job stopped: a failure, or the
 * repairs a shrunk job waited for (it relaunches at full size). */
static bool train(struct job *job, double *save_left_s)
{
	if (job->pace_changed && !refresh_step(job, TIME_DEGRADED))
		return true; /* ctx->failed is set */
	struct plan pl = plan_from_now(job, *save_left_s);
	double finish = plan_finish_s(&pl), rate = powerstate_step_trip_rate(job->power, job->step_time_s);
	double trip = rate > 0 ? pl.start_s + rng_exponential(&job->power->rng, rate) : INFINITY;
	double horizon = job->ctx->origin_s + job->ctx->horizon_s;
	double until = fmin(fmin(finish, trip), horizon);
	enter_state(job, *save_left_s > 0 ? TIME_CHECKPOINT : TIME_PRODUCTIVE);
	enum job_event ev = wait_job_event(job, until);
	double now = simgrid_get_clock();
	*save_left_s = follow_plan(job, &pl, now);
	job->last_s = now;
	if (ev == JOB_FAILURE)
		return false;
	if (ev == JOB_GROW) {
		XBT_DEBUG("nodes it left out are back: relaunch larger");
		return false;
	}
	stretch_ended(job, ev, until, finish, trip);
	return true;
}

/* ---- recovery ---- */

/* A node from outside the platform takes the slot of a failed node (only for failures of
 * that one node; a rack or switch down needs its own repair): from the pool `*pool`. */
static bool take_slot(struct job *job, long slot, long *pool, bool borrowed)
{
	if (*pool <= 0)
		return false;
	long held = crews_detach_node(job->crews, slot, hardware_down_count(job->hw, slot), borrowed);
	if (held < 0)
		return false;
	(*pool)--;
	hardware_down(job->hw, (struct node_range){slot, 1}, -(int)held);
	hardware_slot_renewed(job->hw, slot);
	return true;
}

static bool try_standby(struct job *job, long slot)
{
	return take_slot(job, slot, &job->spares->standby, false);
}

/* The last resort: a node borrowed from other work, which the job has once that work is
 * preempted there (it waits until borrowed_ready_s; see wait_borrowed). */
static bool try_borrowed(struct job *job, long slot)
{
	if (!take_slot(job, slot, &job->spares->borrowed, true))
		return false;
	double preemption = job->ctx->p->operations.borrowed.preemption_s;
	job->borrowed_ready_s = fmax(job->borrowed_ready_s, simgrid_get_clock() + preemption);
	struct event e = events_make(EVENT_BORROWED, COMPONENT_NODE, slot, -1);
	e.values[0] = preemption;
	runctx_event(job->ctx, e);
	XBT_DEBUG("borrows a node for slot node %ld: preempted in %.0f s", slot, preemption);
	return true;
}

static bool try_internal_spare(struct job *job, long i)
{
	long n = spares_take_node(job->spares, job->hw);
	if (n < 0)
		return false;
	jobnodes_set(&job->nodes, job->pl.nodes[i], false);
	jobnodes_place(&job->nodes, job->pl.nodes[i], false);
	powerstate_node_swapped(job->power, job->pl.nodes[i], n);
	job->slot_of[job->pl.nodes[i]] = -1;
	job->pl.nodes[i] = n;
	job->pl.version++;
	job->slot_of[n] = i;
	jobnodes_set(&job->nodes, n, true);
	jobnodes_place(&job->nodes, n, true);
	job->placement_changes++;
	return true;
}

/* Replace every failed node of the job with a spare; false when some must wait for repair. */
static int by_slot(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* Everything failed_slots, replace_failed and try_shrink read that can change. */
static struct node_view node_view(const struct job *job)
{
	return (struct node_view){job->hw->changes, job->placement_changes, job->spares->free_count,
				  job->spares->standby, job->spares->borrowed};
}

static bool same_view(struct node_view a, struct node_view b)
{
	return a.hardware == b.hardware && a.placement == b.placement && a.spares_free == b.spares_free &&
	       a.standby == b.standby && a.borrowed == b.borrowed;
}

/* The job's slots whose nodes are down, in slot order (from the nodes down: a few, where
 * the job has thousands of slots; kept while nothing changes). Returns their count, in
 * job->scratch. */
static long failed_slots(struct job *job)
{
	struct node_view now = node_view(job);
	if (job->slots_found >= 0 && same_view(now, job->slots_seen))
		return job->slots_found;
	const long *down;
	long count = hardware_down_nodes(job->hw, &down), found = 0;
	if (count > job->pl.node_count / 16) { /* many down (a cluster being brought up): in order */
		for (long i = 0; i < job->pl.node_count; i++)
			if (hardware_down_count(job->hw, job->pl.nodes[i]))
				job->scratch[found++] = i;
	} else {
		for (long k = 0; k < count; k++)
			if (job->slot_of[down[k]] >= 0)
				job->scratch[found++] = job->slot_of[down[k]];
		qsort(job->scratch, (size_t)found, sizeof *job->scratch, by_slot);
	}
	job->slots_seen = now;
	job->slots_found = found;
	return found;
}

static bool replace_failed(struct job *job, bool *changed)
{
	bool complete = true;
	long failed = failed_slots(job);
	for (long k = 0; k < failed; k++) {
		long i = job->scratch[k], n = job->pl.nodes[i];
		if (job->dropped[i])
			continue;
		if (try_internal_spare(job, i) || try_standby(job, n) || try_borrowed(job, n)) {
			*changed = true;
			runctx_event(job->ctx, events_make(EVENT_SPARE_SWAP, COMPONENT_NODE, n, -1));
			XBT_DEBUG("spare swapped in for node %ld", n);
		} else
			complete = false;
	}
	return complete;
}

/* Is some node the job waits for still being brought up? */
static bool waits_for_bring_up(struct job *job)
{
	if (job->bringup->pending_count == 0)
		return false;
	long failed = failed_slots(job);
	for (long k = 0; k < failed; k++)
		if (!job->dropped[job->scratch[k]] && bringup_node_pending(job->bringup, job->pl.nodes[job->scratch[k]]))
			return true;
	return false;
}

/* While the job waits: is some node it needs still to come, dark for want of power, or
 * waiting for a part? */
static enum time_category waiting_for(struct job *job)
{
	if (waits_for_bring_up(job))
		return TIME_BRING_UP;
	bool dark = job->ctx->p->power.present && powerstate_any_dark(job->power);
	for (long i = 0; dark && i < job->pl.node_count; i++)
		if (powerstate_node_dark(job->power, job->pl.nodes[i]))
			return TIME_POWER;
	if (crews_part_wait_hits(job->crews, &job->nodes))
		return TIME_WAIT_PARTS;
	return TIME_WAIT_TECH;
}

/* Wait until a repair or a failure message changes something. */
static void wait_for_repair(struct job *job)
{
	enum time_category c = waiting_for(job);
	struct message m;
	enter_state(job, c);
	XBT_DEBUG("waits for %s", jobstate_name(c));
	if (runctx_receive(job->ctx, job->ctx->job_inbox, horizon_left(job), &m)) {
		if (m.kind == MSG_FAILURE)
			note_failure(job, &m);
		job->pace_changed |= m.kind == MSG_PACE;
	}
	spend(job, c);
}

/* Borrowed nodes are the job's once their preemption is done: the job waits for that, as for
 * hardware (waiting_technician). false when a failure came meanwhile. */
static bool wait_borrowed(struct job *job)
{
	double left = job->borrowed_ready_s - simgrid_get_clock();
	return left <= 0 || job_wait(job, left, TIME_WAIT_TECH);
}

/* Healthy nodes for every slot: spares, repairs, or fewer DP replicas. false at the horizon. */
static bool gather_nodes(struct job *job, bool *changed)
{
	if (can_grow(job))
		grow(job);
	while (horizon_left(job) > 0) {
		if (!job->stuck || !same_view(node_view(job), job->stuck_seen)) {
			if (replace_failed(job, changed) || try_shrink(job)) {
				job->stuck = false;
				break;
			}
			job->stuck = true; /* nothing fills the slots until something of the view changes */
			job->stuck_seen = node_view(job);
		}
		wait_for_repair(job);
	}
	return horizon_left(job) > 0;
}

/* After failures: detect, get healthy nodes, compute the step again if the cluster changed,
 * relaunch and load the checkpoint. Failures on the way start it over. */
static void recover(struct job *job)
{
	const struct workload *w = job->ctx->w;
	while (horizon_left(job) > 0) {
		roll_back(job); /* a failure found late while recovering */
		double detect = job->detection_s;
		job->detection_s = 0;
		job->pending_failures = 0;
		job_event(job, EVENT_DETECTION, -1);
		if (!job_wait(job, detect, TIME_DETECTION))
			continue;
		bool changed = false;
		if (!gather_nodes(job, &changed))
			return;
		if (!wait_borrowed(job))
			continue; /* a failure while borrowed nodes were preempted: start over */
		if ((changed || job->pace_changed) && !refresh_step(job, TIME_RESTART))
			return;
		powerstate_peak_trips(job->power, PEAK_RESTART); /* every GPU of the job ramps up at once */
		double restart = w->restart.relaunch_s + workload_checkpoint_bytes(w) / w->checkpoint.read_bytes_per_s;
		job_event(job, EVENT_RESTART, -1);
		XBT_DEBUG("relaunches: %.0f s to load the checkpoint and start", restart);
		if (job_wait(job, restart, TIME_RESTART))
			return;
	}
}

/* Before the first step: every slot on a node in service, which capacity still being brought
 * up can make a wait (spent as bring-up; the job may start smaller, see least_share), and the
 * step computed again if it starts elsewhere or smaller. Failures meanwhile stop nothing that
 * runs. false at the horizon. */
static bool launch(struct job *job)
{
	bool changed = false;
	if (failed_slots(job) == 0)
		return true;
	bool ok = gather_nodes(job, &changed);
	while (ok && !wait_borrowed(job))
		ok = gather_nodes(job, &changed);
	ok = ok && (!(changed || job->pace_changed) || refresh_step(job, TIME_BRING_UP));
	job->detection_s = 0;
	job->pending_failures = 0;
	return ok;
}

static void job_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct job *job = sg_actor_self_get_data();
	struct run_ctx *ctx = job->ctx;
	runctx_inbox_own(ctx->job_inbox);
	job->total_steps = workload_steps(ctx->w);
	double interval_s = checkpoint_interval_s(ctx->p, ctx->w);
	job->interval_steps = isinf(interval_s) ? INFINITY : fmax(1, floor(interval_s / job->healthy_step_s));
	job->save_s = ctx->cf->free_checkpoints ? 0 : checkpoint_save_s(ctx->w);
	job->last_s = ctx->origin_s;
	double save_left_s = 0;
	bool launched = launch(job);
	while (launched && horizon_left(job) > 0 && !ctx->failed && !job->out.finished) {
		if (!train(job, &save_left_s)) {
			save_left_s = 0;
			lose_work(job);
			roll_back(job);
			recover(job);
		}
	}
	job->out.progress = (job->committed_steps + job->since_steps) / job->total_steps;
	ctx->job_done = true;
	sg_actor_kill_all(); /* injector, crews and helpers */
}

void job_start(struct job *job)
{
	runctx_start_actor(job->ctx, "job", job_actor, job);
}
