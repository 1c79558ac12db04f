/* links: fabric links that fail without going down: a link that degrades runs slower until
 * its ticket is closed (the job runs on at the step time of the degraded cluster), and a
 * link that flaps stops the job at each flap until operators isolate it, after which it is
 * repaired as down. */
#ifndef TRAINSIM_LINKS_H
#define TRAINSIM_LINKS_H

#include "crew.h"
#include "failure_log.h"
#include "flowsim.h"
#include "hardware.h"

struct link_state {
	struct run_ctx *ctx;
	struct hardware *hw;
	struct crews *crews;
	const struct job_nodes *job;
	struct cluster_state state;  /* the links degraded now, as the step model takes them */
	struct ticket **mended_by;   /* the ticket that will mend each */
	size_t capacity;
};

void links_init(struct link_state *ls, struct run_ctx *ctx, struct hardware *hw, struct crews *crews,
		const struct job_nodes *job);
void links_finish(struct link_state *ls);

/* Class `class_index` degraded link `component`: it runs slower until repaired. */
void links_degrade(struct link_state *ls, long class_index, long component);

/* Ticket t that degraded a link closed: full bandwidth again. */
void links_mend(struct link_state *ls, struct ticket *t);

/* Link ev->component starts flapping (class ev->class_index). */
void links_start_flapping(struct link_state *ls, const struct failure_event *ev);

#endif
