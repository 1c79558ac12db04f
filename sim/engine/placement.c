/* placement: rank -> GPU through the job's node list, so that swapping in a spare node is
 * one entry changed. */
#include "placement.h"

#include <stdlib.h>

bool placement_init(struct placement *pl, const struct platform *p, const struct workload *w)
{
	pl->node_count = w->job.gpus / p->node.gpus;
	pl->nodes = calloc((size_t)pl->node_count, sizeof *pl->nodes);
	if (!pl->nodes)
		return false;
	for (long i = 0; i < pl->node_count; i++)
		pl->nodes[i] = i;
	return true;
}

void placement_finish(struct placement *pl)
{
	if (pl)
		free(pl->nodes);
}

long placement_rank(const struct workload *w, long tp, long cp, long dp, long pp)
{
	const struct parallelism_spec *par = &w->parallelism;
	return tp + par->tp * (cp + par->cp * (dp + par->dp * pp));
}

long placement_rank_gpu(const struct placement *pl, const struct platform *p, long rank)
{
	return pl->nodes[rank / p->node.gpus] * p->node.gpus + rank % p->node.gpus;
}

long placement_gpu(const struct placement *pl, const struct platform *p, const struct workload *w, long tp, long cp,
		   long dp, long pp)
{
	return placement_rank_gpu(pl, p, placement_rank(w, tp, cp, dp, pp));
}

long placement_rank_rail(const struct platform *p, long rank)
{
	return placement_rail(p, rank % p->node.gpus);
}

long placement_rail(const struct platform *p, long gpu)
{
	return (gpu % p->node.gpus) * p->node.nics / p->node.gpus;
}
