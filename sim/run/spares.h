/* spares: the nodes that can take a failed node's place in the job: the workload's hot
 * spares (platform nodes after the job's), repaired nodes the job once used, standby nodes
 * outside the platform (operations.spares.hot_nodes) counted as a pool, and nodes borrowed
 * from other work (operations.spares.borrowed), a pool of their own. */
#ifndef TRAINSIM_SPARES_H
#define TRAINSIM_SPARES_H

#include <stdbool.h>

#include "hardware.h"
#include "placement.h"

struct spares {
	long *free_at;   /* per platform node: its place in free_list, or -1 (not free to be swapped in) */
	long *free_list; /* the free nodes, in no order: the job asks at every wake-up, and on a
			  * cluster being brought up every free spare may be down for weeks, so
			  * the search runs over these, not over every node */
	long free_count;
	bool none_up;               /* the last search found no free node up... */
	unsigned long none_up_seen; /* ...at this count of hardware changes */
	bool *eligible;  /* per platform node: a designated hot spare or a node the job once used */
	long standby;    /* standby nodes outside the platform */
	long borrowed;   /* nodes other work can still lend */
};

/* The job's nodes and its hot spares eligible, the hot spares free, the standby pool full.
 * false on out of memory. */
bool spares_init(struct spares *s, const struct platform *p, const struct workload *w, const struct placement *pl);
void spares_finish(struct spares *s);

/* A free platform spare that is up (it becomes used), or -1. */
long spares_take_node(struct spares *s, const struct hardware *h);

/* Repaired node `node` is free again if it is eligible, up and not one of the job's slots. */
void spares_node_back(struct spares *s, const struct hardware *h, const struct job_nodes *j, long node);

/* Detached ticket t closed: the repaired hardware that left the job's slot joins the standby
 * pool, or goes back to the lender in place of the borrowed node (a borrow-return event). */
void spares_detached_back(struct spares *s, struct run_ctx *ctx, const struct ticket *t);

#endif
