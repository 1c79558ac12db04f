/* powerstate: PDUs, racks, halls and the grid during a run (see powerstate.h). */
#include "powerstate.h"

#include <math.h>
#include <stdlib.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>
#include <xbt/log.h>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(trainsim_power, trainsim, "the power system: PDUs, racks, halls, the grid");

bool powerstate_init(struct power_state *ps, struct run_ctx *ctx, struct hardware *hw, struct crews *crews,
		     const struct job_nodes *job)
{
	const struct platform *p = ctx->p;
	*ps = (struct power_state){.ctx = ctx, .hw = hw, .crews = crews, .job = job};
	ps->pdu_down = calloc((size_t)p->counts.pdus, sizeof *ps->pdu_down);
	ps->rack_pdus_up = calloc((size_t)p->counts.racks, sizeof *ps->rack_pdus_up);
	ps->rack_dark = calloc((size_t)p->counts.racks, sizeof *ps->rack_dark);
	ps->rack_in_job = calloc((size_t)p->counts.racks, sizeof *ps->rack_in_job);
	ps->rack_job_nodes = calloc((size_t)p->counts.racks, sizeof *ps->rack_job_nodes);
	ps->hall_dark = calloc(p->hall_count, sizeof *ps->hall_dark);
	if (!ps->pdu_down || !ps->rack_pdus_up || !ps->rack_dark || !ps->rack_in_job || !ps->rack_job_nodes || !ps->hall_dark)
		return false;
	for (long r = 0; r < p->counts.racks; r++)
		ps->rack_pdus_up[r] = p->rack.pdus;
	rng_init(&ps->rng, ctx->seed, 3000);
	return true;
}

void powerstate_finish(struct power_state *ps)
{
	free(ps->pdu_down);
	free(ps->rack_pdus_up);
	free(ps->rack_dark);
	free(ps->rack_in_job);
	free(ps->rack_job_nodes);
	free(ps->hall_dark);
}

bool powerstate_node_dark(const struct power_state *ps, long node)
{
	const struct platform *p = ps->ctx->p;
	return ps->rack_dark[platform_node_rack(p, node)] || ps->hall_dark[platform_node_hall(p, node)];
}

/* Each node power-cycled breaks with the power section's probability (geometric skips:
 * one draw per broken node, not one per node). */
static void power_cycle(struct power_state *ps, struct node_range r)
{
	const struct platform *p = ps->ctx->p;
	double chance = p->power.cycle_break_probability;
	if (!p->power.present || chance <= 0 || !runctx_class_on(ps->ctx, p->power.cycle_class))
		return;
	long n = r.first - 1;
	for (;;) {
		n += 1 + (chance >= 1 ? 0 : (long)floor(log(rng_uniform(&ps->rng)) / log1p(-chance)));
		if (n >= r.first + r.count)
			return;
		hardware_count_failure(ps->hw, p->power.cycle_class, n);
		hardware_take_down(ps->hw, p->power.cycle_class, n, 0);
	}
}

static void job_rack_histogram(struct power_state *ps, long rack, int delta)
{
	if (ps->rack_in_job[rack])
		ps->job_racks_by_up[ps->rack_pdus_up[rack]] += delta;
}

/* A rack is powered while its PDUs still up can carry its load; a rack going dark takes
 * its nodes down (and stops the job if it runs there) until a PDU comes back. */
static void rack_power_update(struct power_state *ps, long rack, long class_index)
{
	const struct platform *p = ps->ctx->p;
	struct node_range r = components_nodes(p, COMPONENT_RACK, rack);
	bool busy = jobnodes_hit(ps->job, r);
	bool carried = power_rack_carried(p, power_rack_load_w(p, busy), ps->rack_pdus_up[rack]);
	if (!carried && !ps->rack_dark[rack]) {
		ps->rack_dark[rack] = true;
		ps->dark++;
		runctx_event(ps->ctx, events_make(EVENT_RACK_DARK, COMPONENT_RACK, rack, class_index));
		XBT_DEBUG("rack %ld dark: %ld PDUs up cannot carry it%s", rack, ps->rack_pdus_up[rack],
			  busy ? "; the job stops" : "");
		if (busy)
			runctx_send(ps->ctx, ps->ctx->job_inbox, MSG_FAILURE, class_index, NULL);
		hardware_down(ps->hw, r, +1);
	} else if (carried && ps->rack_dark[rack]) {
		ps->rack_dark[rack] = false;
		ps->dark--;
		runctx_event(ps->ctx, events_make(EVENT_RACK_POWERED, COMPONENT_RACK, rack, class_index));
		hardware_down(ps->hw, r, -1);
		power_cycle(ps, r);
		runctx_send(ps->ctx, ps->ctx->job_inbox, MSG_RESTORED, class_index, NULL);
	}
}

static void pdu_change(struct power_state *ps, long pdu, int delta)
{
	long rack = platform_pdu_rack(ps->ctx->p, pdu);
	bool was_up = ps->pdu_down[pdu] == 0;
	ps->pdu_down[pdu] += delta;
	bool is_up = ps->pdu_down[pdu] == 0;
	if (was_up != is_up) {
		job_rack_histogram(ps, rack, -1);
		ps->rack_pdus_up[rack] += is_up ? 1 : -1;
		job_rack_histogram(ps, rack, +1);
	}
}

void powerstate_pdu_down(struct power_state *ps, long class_index, long pdu)
{
	const struct platform *p = ps->ctx->p;
	long rack = platform_pdu_rack(p, pdu);
	runctx_event(ps->ctx, events_make(EVENT_PDU_DOWN, COMPONENT_PDU, pdu, class_index));
	pdu_change(ps, pdu, +1);
	struct ticket *t = crews_open(ps->crews, class_index, pdu, components_nodes(p, COMPONENT_RACK, rack), false);
	t->pdu = pdu;
	rack_power_update(ps, rack, class_index);
}

void powerstate_pdu_repaired(struct power_state *ps, long class_index, long pdu)
{
	pdu_change(ps, pdu, -1);
	rack_power_update(ps, platform_pdu_rack(ps->ctx->p, pdu), class_index);
}

static void pdu_trip(struct power_state *ps, long pdu)
{
	long trip = ps->ctx->p->power.trip_class;
	hardware_count_failure(ps->hw, trip, pdu);
	powerstate_pdu_down(ps, trip, pdu);
}

/* Only racks whose trip chance is not negligible are scanned. */
void powerstate_peak_trips(struct power_state *ps, enum power_peak peak)
{
	const struct platform *p = ps->ctx->p;
	if (!p->power.present || !runctx_class_on(ps->ctx, p->power.trip_class))
		return;
	double peak_w = power_rack_peak_w(p, peak);
	for (long up = 1; up <= p->rack.pdus; up++) {
		double chance = power_trip_probability(p, peak_w, up);
		if (!ps->job_racks_by_up[up] || chance < 1e-12)
			continue;
		for (long rack = 0; rack < p->counts.racks; rack++) {
			if (!ps->rack_in_job[rack] || ps->rack_pdus_up[rack] != up || ps->rack_dark[rack])
				continue;
			long first = platform_rack_first_pdu(p, rack);
			for (long i = 0; i < p->rack.pdus; i++)
				if (ps->pdu_down[first + i] == 0 && rng_uniform(&ps->rng) < chance)
					pdu_trip(ps, first + i);
		}
	}
}

/* Per step, the hazard of the job's racks with `up` PDUs up: each PDU's chance as a rate. */
static double step_trip_weight(const struct power_state *ps, double peak_w, long up)
{
	double chance = power_trip_probability(ps->ctx->p, peak_w, up);
	if (chance < 1e-15)
		return 0;
	return (double)(ps->job_racks_by_up[up] * up) * -log1p(-fmin(chance, 1 - 1e-12));
}

double powerstate_step_trip_rate(const struct power_state *ps, double step_s)
{
	const struct platform *p = ps->ctx->p;
	if (!p->power.present || !runctx_class_on(ps->ctx, p->power.trip_class))
		return 0;
	double peak_w = power_rack_peak_w(p, PEAK_STEP), rate = 0;
	for (long up = 1; up <= p->rack.pdus; up++)
		if (ps->job_racks_by_up[up])
			rate += step_trip_weight(ps, peak_w, up);
	return rate / step_s;
}

/* The nth PDU still up of the job's racks that have `up` PDUs up. */
static void trip_nth(struct power_state *ps, long up, long nth)
{
	const struct platform *p = ps->ctx->p;
	for (long rack = 0; rack < p->counts.racks; rack++) {
		if (!ps->rack_in_job[rack] || ps->rack_pdus_up[rack] != up)
			continue;
		long first = platform_rack_first_pdu(p, rack);
		for (long i = 0; i < p->rack.pdus; i++)
			if (ps->pdu_down[first + i] == 0 && nth-- == 0) {
				pdu_trip(ps, first + i);
				return;
			}
	}
}

void powerstate_step_trip(struct power_state *ps)
{
	const struct platform *p = ps->ctx->p;
	double peak_w = power_rack_peak_w(p, PEAK_STEP), total = 0;
	double weight[POWER_MAX_RACK_PDUS + 1] = {0};
	for (long up = 1; up <= p->rack.pdus; up++) {
		weight[up] = step_trip_weight(ps, peak_w, up);
		total += weight[up];
	}
	double pick = rng_uniform(&ps->rng) * total;
	long up = 1;
	while (up < p->rack.pdus && pick >= weight[up])
		pick -= weight[up++];
	long nth = (long)rng_below(&ps->rng, (uint64_t)(ps->job_racks_by_up[up] * up));
	XBT_DEBUG("a step peak trips a PDU of the job's racks with %ld PDUs up", up);
	trip_nth(ps, up, nth);
}

void powerstate_job_moved(struct power_state *ps, const struct placement *pl)
{
	const struct platform *p = ps->ctx->p;
	for (long r = 0; r < p->counts.racks; r++)
		job_rack_histogram(ps, r, -1), ps->rack_in_job[r] = false, ps->rack_job_nodes[r] = 0;
	for (long i = 0; i < pl->node_count; i++)
		ps->rack_job_nodes[platform_node_rack(p, pl->nodes[i])]++;
	for (long r = 0; r < p->counts.racks; r++) {
		ps->rack_in_job[r] = ps->rack_job_nodes[r] > 0;
		job_rack_histogram(ps, r, +1);
	}
}

/* A rack's share of the job changed by `delta` nodes: it may join or leave the job's racks. */
static void rack_job_change(struct power_state *ps, long rack, int delta)
{
	job_rack_histogram(ps, rack, -1);
	ps->rack_job_nodes[rack] += delta;
	ps->rack_in_job[rack] = ps->rack_job_nodes[rack] > 0;
	job_rack_histogram(ps, rack, +1);
}

void powerstate_node_swapped(struct power_state *ps, long from, long to)
{
	const struct platform *p = ps->ctx->p;
	rack_job_change(ps, platform_node_rack(p, from), -1);
	rack_job_change(ps, platform_node_rack(p, to), +1);
}

/* ---- the grid ---- */

struct outage {
	struct power_state *ps;
	long hall;
	double until;
};

static void outage_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct outage *o = sg_actor_self_get_data();
	sg_actor_on_exit(runctx_free_on_exit, o);
	struct power_state *ps = o->ps;
	const struct hall *h = &ps->ctx->p->halls[o->hall];
	long grid = ps->ctx->p->power.grid_class;
	runctx_sleep_until(ps->ctx, o->until);
	ps->hall_dark[o->hall]--;
	ps->dark--;
	runctx_event(ps->ctx, events_make(EVENT_POWER_RESTORED, COMPONENT_HALL, o->hall, grid));
	struct node_range r = {h->first_node, h->nodes};
	hardware_down(ps->hw, r, -1);
	power_cycle(ps, r);
	runctx_send(ps->ctx, ps->ctx->job_inbox, MSG_RESTORED, grid, NULL);
	runctx_yield(ps->ctx);
}

static void grid_event_at(struct power_state *ps, enum event_kind kind, long hall, double duration_s)
{
	struct event e = events_make(kind, COMPONENT_HALL, hall, ps->ctx->p->power.grid_class);
	e.values[0] = duration_s;
	e.values[1] = ps->ctx->p->halls[hall].ups_ride_through_s;
	runctx_event(ps->ctx, e);
}

void powerstate_grid_event(struct power_state *ps, long hall, double duration_s)
{
	const struct platform *p = ps->ctx->p;
	const struct hall *h = &p->halls[hall];
	if (duration_s <= h->ups_ride_through_s) {
		grid_event_at(ps, EVENT_GRID_RIDE_THROUGH, hall, duration_s);
		return;
	}
	hardware_count_failure(ps->hw, p->power.grid_class, hall);
	grid_event_at(ps, EVENT_POWER_OUTAGE, hall, duration_s);
	ps->hall_dark[hall]++;
	ps->dark++;
	struct node_range r = {h->first_node, h->nodes};
	XBT_DEBUG("hall %ld dark for %.0f s (UPS rides through %.0f s)", hall, duration_s, h->ups_ride_through_s);
	if (jobnodes_hit(ps->job, r))
		runctx_send(ps->ctx, ps->ctx->job_inbox, MSG_FAILURE, p->power.grid_class, NULL);
	hardware_down(ps->hw, r, +1);
	struct outage *o = malloc(sizeof *o);
	if (!o)
		runctx_abort_out_of_memory(ps->ctx);
	*o = (struct outage){ps, hall, simgrid_get_clock() + duration_s + p->power.hall_restart_s};
	runctx_start_actor(ps->ctx, "outage", outage_actor, o);
}

/* Grid transients: a Poisson process per site (superposed), durations lognormal. */
static void grid_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct power_state *ps = sg_actor_self_get_data();
	const struct platform *p = ps->ctx->p;
	const struct power_spec *pw = &p->power;
	double rate = pw->grid_events_per_s * ps->ctx->failure_scale * (double)p->site_count;
	if (rate <= 0 || !runctx_class_on(ps->ctx, pw->grid_class))
		return;
	struct rng rng;
	rng_init(&rng, ps->ctx->seed, 3001);
	double mean = pw->grid_median_s * exp(pw->grid_sigma * pw->grid_sigma / 2);
	for (double t = rng_exponential(&rng, rate); t <= ps->ctx->horizon_s; t += rng_exponential(&rng, rate)) {
		runctx_sleep_until(ps->ctx, ps->ctx->origin_s + t);
		long site = (long)rng_below(&rng, p->site_count);
		double duration = rng_lognormal(&rng, mean, pw->grid_sigma);
		const struct site *s = &p->sites[site];
		for (long h = s->first_hall; h < s->first_hall + s->halls; h++)
			powerstate_grid_event(ps, h, duration);
	}
	runctx_yield(ps->ctx);
}

void powerstate_start(struct power_state *ps)
{
	runctx_start_actor(ps->ctx, "grid", grid_actor, ps);
}
