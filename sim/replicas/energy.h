/* energy: what a replica's job draws from the grid, before the facility's overhead (PUE).
 * Its own module because the summary reports it and the cost model prices it, and neither
 * should depend on the other for it. */
#ifndef TRAINSIM_ENERGY_H
#define TRAINSIM_ENERGY_H

#include "platform.h"
#include "runsim.h"
#include "workload.h"

/* The job's nodes' IT energy over replica r, in MWh: busy power while they train (productive,
 * lost and degraded time), idle power for the rest of the wall-clock. */
double energy_replica_mwh(const struct platform *p, const struct workload *w, const struct run_result *r);

#endif
