/* crew: repair crews, one per site, and the tickets they work. A ticket is opened for each
 * failure that needs repair; it queues, waits for a technician on shift (or for automation),
 * for its spare part if none is in stock (each use orders a replacement with its lead
 * time), then for the hands-on repair and burn-in, and closes. What a closed ticket brings
 * back (nodes, a PDU, a link's full bandwidth) is its owner's business: the crews call the
 * `repaired` hook and know nothing of nodes, power or links. */
#ifndef TRAINSIM_CREW_H
#define TRAINSIM_CREW_H

#include <stdbool.h>

#include <simgrid/forward.h>

#include "components.h"
#include "jobnodes.h"
#include "rng.h"
#include "runctx.h"

enum ticket_phase { TICKET_QUEUED, TICKET_WORKING, TICKET_PART_WAIT, TICKET_BURN_IN, TICKET_DONE };

/* What a ticket is for: a failure's repair, a delivered rack's acceptance, the repair of a
 * node found dead on arrival (these two have no failure class: class_index -1), or a retired
 * node, which no crew ever works: it holds its node down for good. */
enum ticket_kind { TICKET_REPAIR, TICKET_ACCEPTANCE, TICKET_DEAD_ON_ARRIVAL, TICKET_RETIRED };

struct ticket {
	enum ticket_kind kind;
	long class_index, component; /* component: the rack (acceptance) or node (dead on arrival) */
	struct node_range nodes;
	bool holds_nodes;    /* keeps its nodes down until closed (not for a PDU or a degraded link) */
	long pdu;            /* the PDU it resets or replaces, or -1 */
	bool degrades;       /* its link runs degraded until closed */
	long part;           /* index into operations.parts, or -1 */
	bool automated;      /* in its automated repair, before any escalation to a technician */
	bool detached;       /* its hardware left the job's slot for a standby or borrowed node */
	bool returns_standby;/* once repaired, that hardware joins the standby pool */
	bool returns_borrowed;/* once repaired, a node goes back to the work it was borrowed from */
	bool waited_for_part;
	enum ticket_phase phase;
	double phase_end_s;  /* when WORKING or BURN_IN ends */
	double opened_s;
	struct ticket *next, *prev; /* in its crew's list */
	unsigned long seq;   /* its place in the crew's queue (first come, first served) */
	struct ticket *open_next; /* in the list of open tickets */
	struct ticket *wait_next, *wait_prev; /* in the list of tickets in PART_WAIT */
};

/* A part's stock and the replacement orders on their way (arrival times, FIFO). */
struct part_stock {
	long stock;
	double *arrivals;
	size_t arrival_count, arrival_capacity;
};

struct crews;

/* A starved crew holds thousands of tickets and wakes tens of thousands of times: what it
 * does at a wake-up follows from counts and from its few tickets in hand, not from a walk
 * over every ticket. */
struct crew {
	struct crews *crews;
	long site;
	struct inbox inbox;
	struct ticket *tickets, *last; /* every open ticket of the site, in arrival order */
	unsigned long next_seq;
	struct ticket **active;        /* the tickets WORKING or in BURN_IN, in arrival order */
	size_t active_count, active_capacity;
	long queued;                   /* tickets QUEUED */
	long queued_free;              /* of those, how many need no technician */
	long *part_waits;              /* per part: tickets in PART_WAIT for it */
	long technicians_busy;
};

/* Called when a ticket closes (it has left the open list; the crew frees it afterwards). */
typedef void (*crews_repaired_fn)(void *data, struct ticket *t, double now);

struct crews {
	struct run_ctx *ctx;
	struct crew *sites;      /* one per site */
	struct part_stock *parts;/* one per operations.parts entry */
	struct ticket *open;     /* every open ticket, newest first */
	struct ticket *part_waiting; /* the open tickets in PART_WAIT (the job asks at every wait) */
	long *holding;           /* per node: open tickets that hold it down and are not detached
				  * (a job asking for a standby node at every wake-up then need
				  * not walk every ticket for nodes no single repair holds) */
	crews_repaired_fn repaired;
	void *repaired_data;
};

/* false on out of memory. */
bool crews_init(struct crews *c, struct run_ctx *ctx, crews_repaired_fn repaired, void *repaired_data);
void crews_finish(struct crews *c);

/* Start one crew actor per site (named for replica `replica` of the process, for logs). */
void crews_start(struct crews *c, long replica);

/* Open a ticket for class `class_index`'s failure of `component` spanning `nodes` and send it
 * to the crew of their site; `holds`: the nodes stay down until it closes. */
struct ticket *crews_open(struct crews *c, long class_index, long component, struct node_range nodes, bool holds);

/* Open the acceptance of rack `rack` (its nodes `nodes`, held down until it closes), or the
 * repair of node `node` found dead on arrival; each goes to the crew of its site. */
struct ticket *crews_open_acceptance(struct crews *c, long rack, struct node_range nodes);
struct ticket *crews_open_dead_on_arrival(struct crews *c, long node);

/* Hold retired node `node` down for good (its retirement by class `class_index`'s failure):
 * a ticket in the open list that no crew works, so that a standby node may still take the
 * slot it leaves (and is then kept: nothing comes back to the pool). */
void crews_retire(struct crews *c, long class_index, long node);

/* Technicians per site at engine time `now` (operations.technicians.grow). */
long crews_technicians(const struct crews *c, double now);

/* A standby (or, `borrowed`, a borrowed) node from outside the platform may take the job's
 * slot `slot` only when what holds it down is `down` open single-node tickets and nothing
 * else (a rack or switch down needs its own repair; a dark rack needs the power back). If
 * so, those tickets are detached from the slot (the first, once closed, returns a node to the
 * standby pool or to the lender, unless one is a retirement: then the node that took the slot
 * is kept) and their count returned; else -1. */
long crews_detach_node(struct crews *c, long slot, long down, bool borrowed);

/* Does a ticket of a node the job needs wait for a part? */
bool crews_part_wait_hits(const struct crews *c, const struct job_nodes *j);

#endif
