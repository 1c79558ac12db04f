/* runsim_power: the power system in a run: PDUs with redundancy, breaker trips on step peaks
 * and restart inrush, grid transients against UPS ride-through, power-cycle breakage. */
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

/* ---- power: PDUs, racks and halls ---- */

/* Each node power-cycled breaks with the power section's probability (geometric skips:
 * one draw per broken node, not one per node). */
static void power_cycle(struct run *run, long first, long count)
{
	double p = run->p->power.cycle_break_probability;
	if (!run->p->power.present || p <= 0)
		return;
	long n = first - 1;
	for (;;) {
		n += 1 + (p >= 1 ? 0 : (long)floor(log(rng_uniform(&run->power_rng)) / log1p(-p)));
		if (n >= first + count)
			return;
		rs_count_failure(run, run->p->power.cycle_class, n);
		rs_take_down(run, run->p->power.cycle_class, n);
	}
}

static void job_rack_histogram(struct run *run, long rack, int delta)
{
	if (run->rack_in_job[rack])
		run->job_racks_by_up[run->rack_pdus_up[rack]] += delta;
}

/* A rack is powered while its PDUs still up can carry its load; a rack going dark takes
 * its nodes down (and stops the job if it runs there) until a PDU comes back. */
void rs_rack_power_update(struct run *run, long rack, long class_index)
{
	const struct platform *p = run->p;
	long first = rack * p->rack.nodes, count = p->rack.nodes;
	bool busy = rs_job_hit(run, first, count);
	bool carried = power_rack_carried(p, power_rack_load_w(p, busy), run->rack_pdus_up[rack]);
	if (!carried && !run->rack_dark[rack]) {
		run->rack_dark[rack] = true;
		rs_event(run, "rack-dark", "rack", rack, p->failures[class_index].name, NULL);
		if (busy)
			rs_send(run->job_mailbox, MSG_FAILURE, class_index, NULL);
		rs_nodes_down(run, first, count, +1);
	} else if (carried && run->rack_dark[rack]) {
		run->rack_dark[rack] = false;
		rs_event(run, "rack-powered", "rack", rack, p->failures[class_index].name, NULL);
		rs_nodes_down(run, first, count, -1);
		power_cycle(run, first, count);
		rs_send(run->job_mailbox, MSG_RESTORED, class_index, NULL);
	}
}

void rs_pdu_change(struct run *run, long pdu, int delta)
{
	long rack = platform_pdu_rack(run->p, pdu);
	bool was_up = run->pdu_down[pdu] == 0;
	run->pdu_down[pdu] += delta;
	bool is_up = run->pdu_down[pdu] == 0;
	if (was_up != is_up) {
		job_rack_histogram(run, rack, -1);
		run->rack_pdus_up[rack] += is_up ? 1 : -1;
		job_rack_histogram(run, rack, +1);
	}
}

/* A PDU failed or tripped: a technician must replace or reset it; its rack stays up if the
 * other PDUs carry the load (redundancy). */
void rs_pdu_down(struct run *run, long class_index, long pdu)
{
	long rack = platform_pdu_rack(run->p, pdu);
	rs_event(run, "pdu-down", "pdu", pdu, run->p->failures[class_index].name, NULL);
	rs_pdu_change(run, pdu, +1);
	struct ticket *t = rs_open_ticket(run, class_index, pdu, rack * run->p->rack.nodes, run->p->rack.nodes, false);
	t->pdu = pdu;
	rs_rack_power_update(run, rack, class_index);
}

static void pdu_trip(struct run *run, long pdu)
{
	long trip = run->p->power.trip_class;
	rs_count_failure(run, trip, pdu);
	rs_pdu_down(run, trip, pdu);
}

/* Peaks on the job's racks trip breakers: which racks' PDUs may trip at `peak`, one peak
 * each. Only racks whose trip chance is not negligible are scanned. */
void rs_peak_trips(struct run *run, enum power_peak peak)
{
	const struct platform *p = run->p;
	if (!p->power.present)
		return;
	double peak_w = power_rack_peak_w(p, peak);
	for (long up = 1; up <= p->rack.pdus; up++) {
		double chance = power_trip_probability(p, peak_w, up);
		if (!run->job_racks_by_up[up] || chance < 1e-12)
			continue;
		for (long rack = 0; rack < p->counts.racks; rack++) {
			if (!run->rack_in_job[rack] || run->rack_pdus_up[rack] != up || run->rack_dark[rack])
				continue;
			long first = platform_rack_first_pdu(p, rack);
			for (long i = 0; i < p->rack.pdus; i++)
				if (run->pdu_down[first + i] == 0 && rng_uniform(&run->power_rng) < chance)
					pdu_trip(run, first + i);
		}
	}
}

/* Rate (per second) at which synchronized step peaks trip some PDU of the job's racks. */
double rs_step_trip_rate(const struct run *run)
{
	const struct platform *p = run->p;
	if (!p->power.present)
		return 0;
	double peak_w = power_rack_peak_w(p, PEAK_STEP), rate = 0;
	for (long up = 1; up <= p->rack.pdus; up++) {
		double chance = power_trip_probability(p, peak_w, up);
		if (chance >= 1e-15 && run->job_racks_by_up[up])
			rate += (double)(run->job_racks_by_up[up] * up) * -log1p(-fmin(chance, 1 - 1e-12));
	}
	return rate / run->step_time_s;
}

/* One step peak tripped a PDU: which one, in proportion to each PDU's chance. */
void rs_step_trip(struct run *run)
{
	const struct platform *p = run->p;
	double peak_w = power_rack_peak_w(p, PEAK_STEP), total = 0;
	double weight[65] = {0};
	for (long up = 1; up <= p->rack.pdus; up++) {
		double chance = power_trip_probability(p, peak_w, up);
		if (chance >= 1e-15)
			weight[up] = (double)(run->job_racks_by_up[up] * up) * -log1p(-fmin(chance, 1 - 1e-12));
		total += weight[up];
	}
	double pick = rng_uniform(&run->power_rng) * total;
	long up = 1;
	while (up < p->rack.pdus && pick >= weight[up])
		pick -= weight[up++];
	long nth = (long)rng_below(&run->power_rng, (uint64_t)(run->job_racks_by_up[up] * up));
	for (long rack = 0; rack < p->counts.racks; rack++) {
		if (!run->rack_in_job[rack] || run->rack_pdus_up[rack] != up)
			continue;
		long first = platform_rack_first_pdu(p, rack);
		for (long i = 0; i < p->rack.pdus; i++)
			if (run->pdu_down[first + i] == 0 && nth-- == 0) {
				pdu_trip(run, first + i);
				return;
			}
	}
}

/* The racks the job runs in (after placement changes). */
void rs_update_job_racks(struct run *run)
{
	const struct platform *p = run->p;
	for (long r = 0; r < p->counts.racks; r++)
		job_rack_histogram(run, r, -1), run->rack_in_job[r] = false;
	for (long i = 0; i < run->pl.node_count; i++)
		run->rack_in_job[platform_node_rack(p, run->pl.nodes[i])] = true;
	for (long r = 0; r < p->counts.racks; r++)
		job_rack_histogram(run, r, +1);
}

struct outage {
	struct run *run;
	long hall;
	double until;
};

static void outage_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct outage *o = sg_actor_self_get_data();
	sg_actor_on_exit(rs_free_on_exit, o);
	struct run *run = o->run;
	const struct hall *h = &run->p->halls[o->hall];
	sg_actor_sleep_until(o->until);
	run->hall_dark[o->hall]--;
	rs_event(run, "power-restored", "hall", o->hall, "grid_outage", NULL);
	rs_nodes_down(run, h->first_node, h->nodes, -1);
	power_cycle(run, h->first_node, h->nodes);
	rs_send(run->job_mailbox, MSG_RESTORED, run->p->power.grid_class, NULL);
}

/* The grid dropped for `duration_s`: halls whose UPS cannot ride through it go dark until
 * the grid is back and the hall restarted. */
void rs_grid_event(struct run *run, long hall, double duration_s)
{
	const struct platform *p = run->p;
	const struct hall *h = &p->halls[hall];
	char detail[64];
	snprintf(detail, sizeof detail, "%.3gs vs ride-through %.3gs", duration_s, h->ups_ride_through_s);
	if (duration_s <= h->ups_ride_through_s) {
		rs_event(run, "grid-ride-through", "hall", hall, "grid_outage", detail);
		return;
	}
	rs_count_failure(run, p->power.grid_class, hall);
	rs_event(run, "power-outage", "hall", hall, "grid_outage", detail);
	run->hall_dark[hall]++;
	if (rs_job_hit(run, h->first_node, h->nodes))
		rs_send(run->job_mailbox, MSG_FAILURE, p->power.grid_class, NULL);
	rs_nodes_down(run, h->first_node, h->nodes, +1);
	struct outage *o = malloc(sizeof *o);
	assert(o);
	*o = (struct outage){run, hall, simgrid_get_clock() + duration_s + p->power.hall_restart_s};
	sg_actor_t a = sg_actor_init("outage", sg_platform_control_host(run->c));
	sg_actor_set_data(a, o);
	sg_actor_start(a, outage_actor, 0, NULL);
}

/* Grid transients: a Poisson process per site (superposed), durations lognormal. */
void rs_grid_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct run *run = sg_actor_self_get_data();
	const struct power_spec *pw = &run->p->power;
	double rate = pw->grid_events_per_s * run->o->failure_scale * (double)run->p->site_count;
	if (rate <= 0)
		return;
	struct rng rng;
	rng_init(&rng, run->o->seed, 3001);
	double mean = pw->grid_median_s * exp(pw->grid_sigma * pw->grid_sigma / 2);
	for (double t = rng_exponential(&rng, rate); t <= run->horizon_s; t += rng_exponential(&rng, rate)) {
		sg_actor_sleep_until(run->origin_s + t);
		long site = (long)rng_below(&rng, run->p->site_count);
		double duration = rng_lognormal(&rng, mean, pw->grid_sigma);
		const struct site *s = &run->p->sites[site];
		for (long h = s->first_hall; h < s->first_hall + s->halls; h++)
			rs_grid_event(run, h, duration);
	}
}

