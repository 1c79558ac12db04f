/* spares: spare nodes (see spares.h). */
#include "spares.h"

#include <stdlib.h>

static void free_add(struct spares *s, long node)
{
	s->free_at[node] = s->free_count;
	s->free_list[s->free_count++] = node;
}

static void free_remove(struct spares *s, long node)
{
	long last = s->free_list[--s->free_count];
	s->free_list[s->free_at[node]] = last;
	s->free_at[last] = s->free_at[node];
	s->free_at[node] = -1;
}

bool spares_init(struct spares *s, const struct platform *p, const struct workload *w, const struct placement *pl)
{
	size_t nodes = (size_t)p->counts.nodes;
	*s = (struct spares){.standby = p->operations.hot_spare_nodes, .borrowed = p->operations.borrowed.nodes};
	s->free_at = malloc(nodes * sizeof *s->free_at);
	s->free_list = malloc(nodes * sizeof *s->free_list);
	s->eligible = calloc(nodes, sizeof *s->eligible);
	if (!s->free_at || !s->free_list || !s->eligible)
		return false;
	for (size_t i = 0; i < nodes; i++)
		s->free_at[i] = -1;
	for (long i = 0; i < pl->node_count; i++)
		s->eligible[pl->nodes[i]] = true;
	for (long i = 0; i < w->job.hot_spare_nodes; i++) {
		s->eligible[pl->node_count + i] = true;
		free_add(s, pl->node_count + i);
	}
	return true;
}

void spares_finish(struct spares *s)
{
	free(s->free_at);
	free(s->free_list);
	free(s->eligible);
	s->free_at = s->free_list = NULL;
	s->eligible = NULL;
}

/* The lowest-numbered free node that is up, as a scan over every node would find it. */
long spares_take_node(struct spares *s, const struct hardware *h)
{
	long best = -1;
	if (s->none_up && s->none_up_seen == h->changes)
		return -1; /* nothing came up or was freed since the last search */
	for (long k = 0; k < s->free_count; k++) {
		long n = s->free_list[k];
		if ((best < 0 || n < best) && hardware_down_count(h, n) == 0)
			best = n;
	}
	if (best >= 0) {
		free_remove(s, best);
		s->eligible[best] = true;
	}
	s->none_up = best < 0;
	s->none_up_seen = h->changes;
	return best;
}

void spares_node_back(struct spares *s, const struct hardware *h, const struct job_nodes *j, long node)
{
	if (hardware_down_count(h, node) == 0 && !jobnodes_placed(j, node) && s->eligible[node] && s->free_at[node] < 0) {
		free_add(s, node);
		s->none_up = false;
	}
}

void spares_detached_back(struct spares *s, struct run_ctx *ctx, const struct ticket *t)
{
	s->standby += t->returns_standby;
	if (!t->returns_borrowed)
		return;
	s->borrowed++;
	runctx_event(ctx, events_make(EVENT_BORROW_RETURN, COMPONENT_NODE, t->nodes.first, -1));
}
