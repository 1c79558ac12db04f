/* injector: failures as the failure processes draw them (see injector.h). */
#include "injector.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <xbt/log.h>

#include "bringup.h"
#include "grow.h"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_injector, trainsim, "the failure injector");

bool injector_init(struct injector *in, struct run_ctx *ctx, struct hardware *hw, struct power_state *power,
		   struct link_state *links, const struct failure_log *log)
{
	*in = (struct injector){.ctx = ctx, .hw = hw, .power = power, .links = links, .waits_until_s = INFINITY};
	return bringup_rack_arrivals(ctx, &in->rack_installed_s) && runctx_inbox_init(&in->inbox) &&
	       faults_init(&in->faults, ctx->p, log, ctx->seed, ctx->failure_scale, ctx->cf->class_off,
			   in->rack_installed_s);
}

void injector_finish(struct injector *in)
{
	faults_finish(&in->faults);
	free(in->late);
	free(in->rack_installed_s);
	runctx_inbox_finish(&in->inbox);
}

/* A renewed component's clock (or a bad one's extra failures) may fall due before the time
 * the injector sleeps until: wake it, so that failure strikes on time. */
void injector_renew(struct injector *in, long class_index, long component, double now)
{
	faults_renew(&in->faults, class_index, component, now - in->ctx->origin_s);
	if (in->ctx->origin_s + faults_peek(&in->faults) < in->waits_until_s)
		runctx_send(in->ctx, &in->inbox, MSG_PACE, class_index, NULL);
}

/* `since_s`: replica time the failure struck when found late (0: struck now). */
static void inject(struct injector *in, const struct failure_event *ev, double since_s)
{
	const struct platform *p = in->ctx->p;
	const struct failure_class *fc = &p->failures[ev->class_index];
	if (ev->class_index == p->power.grid_class) { /* replayed from a log: a median outage */
		runctx_event(in->ctx, events_make(EVENT_GRID_EVENT, COMPONENT_HALL, ev->component, ev->class_index));
		powerstate_grid_event(in->power, ev->component,
				      fmax(p->power.grid_median_s, p->halls[ev->component].ups_ride_through_s + 1));
		return;
	}
	if (!hardware_strikes(in->hw, fc, ev->component))
		return; /* a retired node is out of service: nothing of it fails any more */
	hardware_count_failure(in->hw, ev->class_index, ev->component);
	if (fc->takes_down == COMPONENT_JOB) {
		/* a software fault of the job, or of a component: then only one the job uses */
		bool hits = fc->per == COMPONENT_JOB || jobnodes_hit(in->hw->job, components_nodes(p, fc->per, ev->component));
		XBT_DEBUG("%s %s", fc->name, hits ? "stops the job" : "strikes outside the job");
		if (hits)
			runctx_send_failure(in->ctx, ev->class_index, since_s > 0 ? in->ctx->origin_s + since_s : 0);
	} else if (fc->takes_down == COMPONENT_PDU)
		powerstate_pdu_down(in->power, ev->class_index, ev->component);
	else if (fc->effect == EFFECT_DEGRADE)
		links_degrade(in->links, ev->class_index, ev->component);
	else if (fc->effect == EFFECT_FLAP)
		links_start_flapping(in->links, ev);
	else
		hardware_take_down(in->hw, ev->class_index, ev->component, since_s > 0 ? in->ctx->origin_s + since_s : 0);
}

/* A failure of a silent class: found an exponential time later (a draw of its own). */
static void defer(struct injector *in, const struct failure_event *ev)
{
	const struct failure_class *fc = &in->ctx->p->failures[ev->class_index];
	uint64_t t;
	memcpy(&t, &ev->time_s, sizeof t);
	struct rng rng;
	rng_init(&rng, in->ctx->seed, ((0x534c4e54ULL + (uint64_t)ev->class_index) * 0x9e3779b97f4a7c15ULL) ^ t);
	struct late_failure late = {*ev, ev->time_s + rng_exponential(&rng, 1 / fc->silent_s)};
	struct late_failure *more = grow_array(in->late, &in->late_capacity, in->late_count, sizeof *more, 8);
	if (!more)
		runctx_abort_out_of_memory(in->ctx);
	in->late = more;
	size_t i = in->late_count++;
	while (i > 0 && in->late[i - 1].found_s > late.found_s) { /* kept in order: a few at a time */
		in->late[i] = in->late[i - 1];
		i--;
	}
	in->late[i] = late;
}

/* idle_failure_factor: a drawn failure of a part of a node not running the job strikes with
 * the class's idle factor only, decided by a draw of its own (class, component, time), so the
 * thinning leaves every other draw as it was (common random numbers); a factor of 1 draws
 * nothing. A replayed log is what happened: all of it strikes. */
static bool strikes_idle(struct injector *in, const struct failure_event *ev)
{
	const struct platform *p = in->ctx->p;
	const struct failure_class *fc = &p->failures[ev->class_index];
	double factor = platform_class_idle_factor(p, fc);
	if (factor >= 1 || in->faults.log || jobnodes_busy(in->hw->job, components_nodes(p, fc->per, ev->component)))
		return true;
	uint64_t t;
	memcpy(&t, &ev->time_s, sizeof t);
	struct rng rng;
	rng_init(&rng, in->ctx->seed, ((0x49444c45ULL + (uint64_t)ev->class_index) * 0x9e3779b97f4a7c15ULL) ^
					      ((uint64_t)ev->component << 20) ^ t); /* "IDLE" */
	return rng_uniform(&rng) < factor;
}

enum next_thing { NEXT_NONE, NEXT_FAILURE, NEXT_LATE, NEXT_FOUND };

/* What happens next (replica time into *at): a failure strikes, a late one is found, or a
 * recurring defect's cause is found. */
static enum next_thing next_thing(const struct injector *in, double *at, long *found_class)
{
	double failure = faults_peek(&in->faults), late = in->late_count ? in->late[0].found_s : INFINITY, found;
	if (!faults_next_found(&in->faults, found_class, &found))
		found = INFINITY;
	*at = fmin(failure, fmin(late, found));
	if (isinf(*at))
		return NEXT_NONE;
	return found <= *at ? NEXT_FOUND : late <= *at ? NEXT_LATE : NEXT_FAILURE;
}

static void handle(struct injector *in, enum next_thing what, long found_class)
{
	if (what == NEXT_FOUND) {
		faults_take_found(&in->faults, found_class);
		runctx_event(in->ctx, events_make(EVENT_ROOT_CAUSE, COMPONENT_JOB, 0, found_class));
		XBT_DEBUG("the cause of %s is found: it strikes no more", in->ctx->p->failures[found_class].name);
	} else if (what == NEXT_LATE) {
		struct late_failure late = in->late[0];
		memmove(in->late, in->late + 1, --in->late_count * sizeof *in->late);
		inject(in, &late.ev, late.ev.time_s);
	} else {
		struct failure_event ev;
		if (!faults_next(&in->faults, &ev))
			return;
		if (!faults_installed(&in->faults, &ev))
			return; /* its rack is not delivered yet */
		if (!strikes_idle(in, &ev)) {
			faults_spare(&in->faults, &ev);
			return;
		}
		faults_struck(&in->faults, &ev);
		if (in->ctx->p->failures[ev.class_index].silent_s > 0)
			defer(in, &ev);
		else
			inject(in, &ev, 0);
	}
}

static void injector_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct injector *in = sg_actor_self_get_data();
	runctx_inbox_own(&in->inbox);
	double at;
	long found_class = -1;
	while (!in->ctx->job_done && next_thing(in, &at, &found_class) != NEXT_NONE && at <= in->ctx->horizon_s) {
		struct message woken;
		in->waits_until_s = in->ctx->origin_s + at;
		bool renewed = runctx_receive(in->ctx, &in->inbox, in->waits_until_s - simgrid_get_clock(), &woken);
		in->waits_until_s = INFINITY;
		if (in->ctx->job_done)
			break;
		if (renewed)
			continue; /* look again at what is next */
		/* what is next now: a repair meanwhile may have made something else due, or (a bad
		 * component fixed) the one we woke for later */
		enum next_thing what = next_thing(in, &at, &found_class);
		if (in->ctx->origin_s + at <= simgrid_get_clock() + TIME_EPSILON)
			handle(in, what, found_class);
	}
	runctx_yield(in->ctx);
}

void injector_start(struct injector *in)
{
	runctx_start_actor(in->ctx, "injector", injector_actor, in);
}
