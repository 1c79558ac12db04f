/* power: rack and PDU loads from the GPUs' power states, and the chance that a load peak
 * trips a PDU breaker. Pure functions of the platform's `power` section; the run
 * simulation (runsim) decides when peaks happen and what a trip takes down. */
#ifndef TRAINSIM_POWER_H
#define TRAINSIM_POWER_H

#include <stdbool.h>

#include "platform.h"

enum power_peak {
	PEAK_STEP,    /* every GPU of the job ramping up together at the start of a step's compute */
	PEAK_RESTART  /* the whole job relaunching: every GPU from idle to busy at once */
};

/* Sustained draw of one rack, all its GPUs busy (capped when the platform caps) or idle. */
double power_rack_load_w(const struct platform *p, bool busy);

/* The brief peak of one busy rack (smoothing limits it to the sustained draw). */
double power_rack_peak_w(const struct platform *p, enum power_peak peak);

/* Whether `pdus_up` PDUs can carry `load_w` (each takes an equal share). */
bool power_rack_carried(const struct platform *p, double load_w, long pdus_up);

/* Chance that one PDU's breaker trips at one peak of `peak_w` on its rack, shared by
 * `pdus_up` PDUs: the trip point is normal around trip_at x rating. */
double power_trip_probability(const struct platform *p, double peak_w, long pdus_up);

/* Step-time factor of GPU power capping (1 without capping). */
double power_cap_slowdown(const struct platform *p);

#endif
