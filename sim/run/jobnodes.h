/* jobnodes: which node slots the job occupies, as the rest of the run sees it. Only the job
 * changes it (placing, swapping in spares, shrinking); failures, power and links ask it
 * whether they hit the job. */
#ifndef TRAINSIM_JOBNODES_H
#define TRAINSIM_JOBNODES_H

#include <stdbool.h>

#include "components.h"

struct job_nodes {
	bool *in_job;   /* per platform node: the job runs on it */
	bool *placed;   /* per platform node: it is one of the job's slots (running, or left out
			   of a shrunk job): never a free spare */
	long count;
	bool running;   /* the job is training or saving (not stopped, waiting or relaunching) */
};

/* false on out of memory. */
bool jobnodes_init(struct job_nodes *j, long platform_nodes);
void jobnodes_finish(struct job_nodes *j);

void jobnodes_set(struct job_nodes *j, long node, bool in_job);
bool jobnodes_has(const struct job_nodes *j, long node);
void jobnodes_place(struct job_nodes *j, long node, bool placed);
bool jobnodes_placed(const struct job_nodes *j, long node);
/* Does the job use any node of r? */
bool jobnodes_hit(const struct job_nodes *j, struct node_range r);
void jobnodes_set_running(struct job_nodes *j, bool running);
/* Is some node of r running the job now (the job uses it and trains or saves)? */
bool jobnodes_busy(const struct job_nodes *j, struct node_range r);

#endif
