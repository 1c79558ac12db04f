/* spares: the nodes that can take a failed node's place in the job: the workload's hot
 * spares (platform nodes after the job's), repaired nodes the job once used, and standby
 * nodes outside the platform (operations.spares.hot_nodes) counted as a pool. */
#ifndef TRAINSIM_SPARES_H
#define TRAINSIM_SPARES_H

#include <stdbool.h>

#include "hardware.h"
#include "placement.h"

struct spares {
	bool *free;      /* per platform node: free to be swapped in */
	long free_count; /* how many are (the job asks at every wake-up; most often none are) */
	bool *eligible;  /* per platform node: a designated hot spare or a node the job once used */
	long standby;    /* standby nodes outside the platform */
};

/* The job's nodes and its hot spares eligible, the hot spares free, the standby pool full.
 * false on out of memory. */
bool spares_init(struct spares *s, const struct platform *p, const struct workload *w, const struct placement *pl);
void spares_finish(struct spares *s);

/* A free platform spare that is up (it becomes used), or -1. */
long spares_take_node(struct spares *s, const struct hardware *h);

/* Repaired node `node` is free again if it is eligible, up and not one of the job's slots. */
void spares_node_back(struct spares *s, const struct hardware *h, const struct job_nodes *j, long node);

/* `count` standby nodes are back in the pool (repaired hardware that left the job's slot). */
void spares_return_standby(struct spares *s, long count);

#endif
