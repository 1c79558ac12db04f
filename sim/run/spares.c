/* spares: spare nodes (see spares.h). */
#include "spares.h"

#include <stdlib.h>

bool spares_init(struct spares *s, const struct platform *p, const struct workload *w, const struct placement *pl)
{
	size_t nodes = (size_t)p->counts.nodes;
	*s = (struct spares){.standby = p->operations.hot_spare_nodes, .borrowed = p->operations.borrowed.nodes};
	s->free = calloc(nodes, sizeof *s->free);
	s->eligible = calloc(nodes, sizeof *s->eligible);
	if (!s->free || !s->eligible)
		return false;
	for (long i = 0; i < pl->node_count; i++)
		s->eligible[pl->nodes[i]] = true;
	for (long i = 0; i < w->job.hot_spare_nodes; i++)
		s->free[pl->node_count + i] = s->eligible[pl->node_count + i] = true;
	s->free_count = w->job.hot_spare_nodes;
	return true;
}

void spares_finish(struct spares *s)
{
	free(s->free);
	free(s->eligible);
	s->free = s->eligible = NULL;
}

long spares_take_node(struct spares *s, const struct hardware *h)
{
	for (long n = 0; s->free_count > 0 && n < h->ctx->p->counts.nodes; n++)
		if (s->free[n] && hardware_down_count(h, n) == 0) {
			s->free[n] = false;
			s->free_count--;
			s->eligible[n] = true;
			return n;
		}
	return -1;
}

void spares_node_back(struct spares *s, const struct hardware *h, const struct job_nodes *j, long node)
{
	if (hardware_down_count(h, node) == 0 && !jobnodes_placed(j, node) && s->eligible[node] && !s->free[node]) {
		s->free[node] = true;
		s->free_count++;
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
