/* jobnodes: the job's node slots (see jobnodes.h). */
#include "jobnodes.h"

#include <stdlib.h>

bool jobnodes_init(struct job_nodes *j, long platform_nodes)
{
	j->count = platform_nodes;
	j->in_job = calloc((size_t)(platform_nodes ? platform_nodes : 1), sizeof *j->in_job);
	j->placed = calloc((size_t)(platform_nodes ? platform_nodes : 1), sizeof *j->placed);
	return j->in_job && j->placed;
}

void jobnodes_finish(struct job_nodes *j)
{
	free(j->in_job);
	free(j->placed);
	j->in_job = j->placed = NULL;
}

void jobnodes_set(struct job_nodes *j, long node, bool in_job)
{
	j->in_job[node] = in_job;
}

bool jobnodes_has(const struct job_nodes *j, long node)
{
	return j->in_job[node];
}

void jobnodes_place(struct job_nodes *j, long node, bool placed)
{
	j->placed[node] = placed;
}

bool jobnodes_placed(const struct job_nodes *j, long node)
{
	return j->placed[node];
}

bool jobnodes_hit(const struct job_nodes *j, struct node_range r)
{
	for (long n = r.first; n < r.first + r.count; n++)
		if (j->in_job[n])
			return true;
	return false;
}

bool jobnodes_busy(const struct job_nodes *j, struct node_range r)
{
	return j->running && jobnodes_hit(j, r);
}

void jobnodes_set_running(struct job_nodes *j, bool running)
{
	j->running = running;
}
