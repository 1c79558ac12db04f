/* hardware: which node slots are down, and what a failure does to them. A slot is down
 * while open failures or power outages hold it (a count, since several can); an NVLink
 * domain's SimGrid host is on while none of its nodes is down. A failure that takes
 * hardware down stops the job if it runs there and opens a repair ticket. */
#ifndef TRAINSIM_HARDWARE_H
#define TRAINSIM_HARDWARE_H

#include <stdbool.h>

#include "components.h"
#include "crew.h"
#include "jobnodes.h"
#include "runctx.h"

struct hardware {
	struct run_ctx *ctx;
	struct crews *crews;          /* repair tickets for failures */
	const struct job_nodes *job;  /* whom a failure hits */
	long *node_down;              /* per node slot: what holds it down */
	long *down_list;              /* the nodes down now, in no order */
	long *down_at;                /* each node's place in down_list, or -1 */
	long down_count;
	unsigned long changes;        /* counts hardware_down calls: a cached answer about which nodes
				       * are up holds while it stays the same */
	bool *picked;                 /* scratch: nodes a correlated strike picked */
	long *picked_list;            /* the same, as a list */
	/* operations.retire (NULL without it): per node, the times of its last failures (a ring of
	 * retire.failures entries), how many it has had, and whether it is retired */
	double *failure_times;
	long *failures_seen;
	bool *retired;
};

/* false on out of memory. */
bool hardware_init(struct hardware *h, struct run_ctx *ctx, struct crews *crews, const struct job_nodes *job);
void hardware_finish(struct hardware *h);

/* Every host on: a replica starts with the whole cluster up. */
void hardware_power_on_all(struct hardware *h);

/* The nodes down now (down_list[0 .. down_count), in no particular order). */
static inline long hardware_down_nodes(const struct hardware *h, const long **nodes)
{
	*nodes = h->down_list;
	return h->down_count;
}

/* `delta` more (or fewer) holds on each node of r. */
void hardware_down(struct hardware *h, struct node_range r, int delta);
static inline long hardware_down_count(const struct hardware *h, long node)
{
	return h->node_down[node];
}

/* The nodes a failure of class fc on `component` takes down: what its class says, at least
 * the failed part's own. */
struct node_range hardware_failure_nodes(const struct platform *p, const struct failure_class *fc, long component);

/* A failure happened (counted whether or not it stops anything). */
void hardware_count_failure(struct hardware *h, long class_index, long component);

/* Does a failure of class fc on `component` strike anything in service? Not when every node
 * it would take down is retired (out of service for good, powered off). */
bool hardware_strikes(const struct hardware *h, const struct failure_class *fc, long component);

/* A node from outside the platform (standby or borrowed) took slot `node`: the slot holds a
 * node with no failures counted and not retired. */
void hardware_slot_renewed(struct hardware *h, long node);

/* A hardware failure that takes its nodes down until repaired: all it spans, or the class's
 * `hits` share of them drawn at random (each then its own ticket). `since_s`: engine time
 * it struck when found late (the job rolls back past it), 0 when found now. A failure that
 * takes one node down alone counts against it (operations.retire): at its retire.failures-th
 * within retire.within the node is retired instead of repaired: held down for good. */
void hardware_take_down(struct hardware *h, long class_index, long component, double since_s);

#endif
