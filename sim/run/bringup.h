/* bringup: capacity that arrives during the run (the platform's bring_up section). The
 * racks of a delivery are not in service at the start: their nodes are held down until the
 * rack is delivered and passes acceptance (a crew ticket: a technician's checks, then an
 * unattended burn-in), and a node found dead on arrival until its own repair. The job sees
 * such nodes as down like failed ones (it takes spares, starts smaller or waits); it asks
 * here whether a node is still being brought up, to account that wait as bring-up. */
#ifndef TRAINSIM_BRINGUP_H
#define TRAINSIM_BRINGUP_H

#include <stdbool.h>

#include "crew.h"
#include "hardware.h"
#include "spares.h"

/* A rack's arrival: engine-independent time from the replica's start. */
struct arrival {
	double at_s;
	long rack;
};

struct bringup {
	struct run_ctx *ctx;
	struct hardware *hw;
	struct crews *crews;
	struct spares *spares;
	const struct job_nodes *job;
	bool *pending;            /* per node: not yet in service */
	long pending_count;
	struct arrival *arrivals; /* every delivered rack, in arrival order */
	long arrival_count;
};

/* Which racks arrive when (none when the platform has no bring_up section or the run's
 * counterfactual switches it off). false on out of memory. */
bool bringup_init(struct bringup *b, struct run_ctx *ctx, struct hardware *hw, struct crews *crews,
		  struct spares *spares, const struct job_nodes *job);
void bringup_finish(struct bringup *b);

/* *rack_s: per rack, when it is delivered from the replica's start (0: in service from the
 * start), a new array the caller frees; NULL when nothing is delivered during the run (no
 * bring_up section, or the counterfactual without bring-up). false on out of memory. */
bool bringup_rack_arrivals(const struct run_ctx *ctx, double **rack_s);

/* Hold every node still to come down (once every host is on, before the actors start). */
void bringup_hold(struct bringup *b);

/* Start the actor that delivers racks at their times and opens their acceptance. */
void bringup_start(struct bringup *b);

/* An acceptance or dead-on-arrival ticket closed: the nodes that work go into service. */
void bringup_ticket_closed(struct bringup *b, const struct ticket *t);

static inline bool bringup_node_pending(const struct bringup *b, long node)
{
	return b->pending_count > 0 && b->pending[node];
}

#endif
