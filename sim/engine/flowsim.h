/* flowsim: a set of concurrent transfers between GPUs run in SimGrid on the real links, and
 * the time until the last one ends. Used for one step of each collective: every ring edge
 * of every group at once, so shared links (NICs, leaf and pod uplinks, WAN) are contended
 * as they are in reality.
 *
 * Link views: SimGrid's NIC link of a domain is the bundle of all its NICs. A "rail view"
 * sets every link to what one rail owns (its NICs, its share of the uplinks), so that the
 * flows of one rail see exactly their NIC: a degraded NIC on that rail then slows its ring
 * (the straggler) instead of being averaged over the bundle. */
#ifndef TRAINSIM_FLOWSIM_H
#define TRAINSIM_FLOWSIM_H

#include <stdbool.h>
#include <stddef.h>

#include "components.h"
#include "platform.h"
#include "sg_platform.h"

struct flow {
	long src_gpu, dst_gpu;
	double bytes;
};

struct flowset {
	struct flow *flows;
	size_t count, capacity;
};

/* Append a flow; false on out of memory. */
bool flowset_add(struct flowset *set, long src_gpu, long dst_gpu, double bytes);
void flowset_clear(struct flowset *set);
void flowset_finish(struct flowset *set);

/* A degraded link: `factor` of its capacity left on `rail` (or the whole bundle, rail -1). */
struct link_degradation {
	struct sg_link_ref link; /* direction ignored: a fiber pair degrades both ways */
	long rail;
	double factor;
};

/* The degradation of a NIC or fabric fiber (a component placed by the component table) left
 * with `fraction` of its bandwidth: its SimGrid bundle keeps 1 - (1 - fraction) / members. */
struct link_degradation flowsim_degradation(struct component_place place, double fraction);

struct cluster_state {
	struct link_degradation *degraded;
	size_t degraded_count;
};

/* Set every link's SimGrid bandwidth to the view of rail `rail` (-1: all rails together),
 * with the degradations of `state` applied. */
void flowsim_apply_view(const struct sg_cluster *c, const struct platform *p, const struct cluster_state *state,
			long rail);

/* Bytes per second link (kind, index) carries in the view of rail `rail` (-1: all rails) with
 * the degradations of `state` (NULL: healthy); NVLink (any index): its per-GPU bandwidth. */
double flowsim_link_capacity(const struct platform *p, const struct cluster_state *state, enum sg_link_kind kind,
			     long index, long rail);

/* Run the flows to completion in SimGrid; *makespan_s gets the time from their common start
 * to the end of the last. `inside`: called from an actor of a running simulation (the flows
 * then run beside it, and simulated time advances by the makespan); otherwise the engine is
 * run until they end. false (err filled) when a transfer fails. */
bool flowsim_run(const struct sg_cluster *c, const struct flowset *set, bool inside, double *makespan_s,
		 struct ts_error *err);

#endif
