/* powerstate: the power system during a run: PDUs down (failed or tripped), racks dark
 * when the PDUs left cannot carry them, halls dark when a grid transient outlasts their UPS,
 * breaker trips on the job's synchronized step peaks and restart inrush, and nodes broken
 * by a power cycle. The load and trip arithmetic is in model/power.c. */
#ifndef TRAINSIM_POWERSTATE_H
#define TRAINSIM_POWERSTATE_H

#include <stdbool.h>

#include "crew.h"
#include "hardware.h"
#include "placement.h"
#include "power.h"
#include "rng.h"

/* Racks carry at most this many PDUs (rack.pdus is validated against it). */
#define POWER_MAX_RACK_PDUS 64

struct power_state {
	struct run_ctx *ctx;
	struct hardware *hw;
	struct crews *crews;
	const struct job_nodes *job;
	long *pdu_down;          /* per PDU: failures and trips holding it down */
	long *rack_pdus_up;
	bool *rack_dark;
	long *hall_dark;         /* outages under way per hall */
	long dark;               /* racks dark plus outages under way: 0 most of the time */
	bool *rack_in_job;
	long *rack_job_nodes;    /* the job's nodes in each rack */
	long job_racks_by_up[POWER_MAX_RACK_PDUS + 1]; /* the job's racks by their count of PDUs up */
	struct rng rng;
};

/* false on out of memory. */
bool powerstate_init(struct power_state *ps, struct run_ctx *ctx, struct hardware *hw, struct crews *crews,
		     const struct job_nodes *job);
void powerstate_finish(struct power_state *ps);

/* The job runs on the nodes of pl (its first placement). */
void powerstate_job_moved(struct power_state *ps, const struct placement *pl);

/* One of the job's slots moved from node `from` to node `to` (a spare swapped in). */
void powerstate_node_swapped(struct power_state *ps, long from, long to);

/* A PDU failed (or tripped): a technician must replace or reset it; its rack stays up if the
 * other PDUs carry the load. */
void powerstate_pdu_down(struct power_state *ps, long class_index, long pdu);

/* A PDU's ticket closed: it is back, and its rack with it if that was all it lacked. */
void powerstate_pdu_repaired(struct power_state *ps, long class_index, long pdu);

/* Peaks on the job's racks trip breakers: the whole job relaunching (PEAK_RESTART). */
void powerstate_peak_trips(struct power_state *ps, enum power_peak peak);

/* Rate (per second) at which the job's synchronized step peaks trip some PDU, at a step of
 * `step_s` seconds; and one such trip, drawn in proportion to each PDU's chance. */
double powerstate_step_trip_rate(const struct power_state *ps, double step_s);
void powerstate_step_trip(struct power_state *ps);

/* A grid transient of `duration_s` at hall `hall`: dark until the grid is back and the hall
 * restarted if its UPS cannot ride it through. */
void powerstate_grid_event(struct power_state *ps, long hall, double duration_s);

/* Start the grid actor: transients per site as a Poisson process. */
void powerstate_start(struct power_state *ps);

/* Is node `node` dark for want of power? Is anything dark at all? */
bool powerstate_node_dark(const struct power_state *ps, long node);
static inline bool powerstate_any_dark(const struct power_state *ps)
{
	return ps->dark > 0;
}

#endif
