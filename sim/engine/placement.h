/* placement: where the job's ranks sit. Megatron's rank order (TP fastest, then CP, then
 * DP, then PP) over the job's nodes in order: TP inside a node or NVLink domain, DP
 * replicas of a stage on neighbouring nodes, PP stages across the cluster; a GPU's rail is
 * its NIC index, so each DP ring stays on one rail. */
#ifndef TRAINSIM_PLACEMENT_H
#define TRAINSIM_PLACEMENT_H

#include <stdbool.h>

#include "platform.h"
#include "workload.h"

struct placement {
	long node_count;
	long *nodes;           /* the platform node holding the job's i-th node (swapped when a spare comes in) */
	unsigned long version; /* bumped by whoever changes `nodes`: steptime recomputes where the job
				* sits (a pass over its thousands of nodes) only when it moves */
};

/* Place the job on the platform's first nodes. false on out of memory. */
bool placement_init(struct placement *pl, const struct platform *p, const struct workload *w);
void placement_finish(struct placement *pl);

/* Megatron rank of (tp, cp, dp, pp), and the platform GPU of a rank. */
long placement_rank(const struct workload *w, long tp, long cp, long dp, long pp);
long placement_rank_gpu(const struct placement *pl, const struct platform *p, long rank);

/* Platform GPU of rank (tp, cp, dp, pp). */
long placement_gpu(const struct placement *pl, const struct platform *p, const struct workload *w, long tp, long cp,
		   long dp, long pp);

/* Rail of a rank: its GPU's index in its node decides it, wherever the node is. */
long placement_rank_rail(const struct platform *p, long rank);

/* Rail (NIC index within its node) a GPU's scale-out traffic uses. */
long placement_rail(const struct platform *p, long gpu);

#endif
