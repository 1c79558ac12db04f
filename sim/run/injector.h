/* injector: the actor that makes components fail when the failure processes (faults) say,
 * and hands each failure to whoever owns what it breaks: the job (software faults), the
 * power system (PDUs, replayed grid outages), the links (degrading, flapping) or the
 * hardware (anything that goes down). A failure of a class found late (silent) is handed
 * over when found, with the time it struck; a recurring defect's fix is announced when found. */
#ifndef TRAINSIM_INJECTOR_H
#define TRAINSIM_INJECTOR_H

#include "failure_log.h"
#include "faults.h"
#include "hardware.h"
#include "links.h"
#include "powerstate.h"

/* A failure that struck at `ev.time_s` and is found at `found_s` (replica times). */
struct late_failure {
	struct failure_event ev;
	double found_s;
};

struct injector {
	struct run_ctx *ctx;
	struct hardware *hw;
	struct power_state *power;
	struct link_state *links;
	struct faults faults;
	struct late_failure *late; /* found later, earliest first */
	size_t late_count, late_capacity;
	struct inbox inbox;        /* woken when a repair makes a failure due sooner */
	double waits_until_s;      /* engine time it sleeps until (INFINITY: not asleep) */
	double *rack_installed_s;  /* per rack, its delivery (NULL: no bring-up) */
};

/* Failures drawn from the replica's seed, or replayed from `log` (NULL: drawn). false on out
 * of memory. */
bool injector_init(struct injector *in, struct run_ctx *ctx, struct hardware *hw, struct power_state *power,
		   struct link_state *links, const struct failure_log *log);
void injector_finish(struct injector *in);

void injector_start(struct injector *in);

/* Component `component` of class `class_index` is back in service at engine time `now`: its
 * age starts again. */
void injector_renew(struct injector *in, long class_index, long component, double now);

#endif
