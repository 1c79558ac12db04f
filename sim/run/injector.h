/* injector: the actor that makes components fail when the failure processes (faults) say,
 * and hands each failure to whoever owns what it breaks: the job (software faults), the
 * power system (PDUs, replayed grid outages), the links (degrading, flapping) or the
 * hardware (anything that goes down). */
#ifndef TRAINSIM_INJECTOR_H
#define TRAINSIM_INJECTOR_H

#include "failure_log.h"
#include "faults.h"
#include "hardware.h"
#include "links.h"
#include "powerstate.h"

struct injector {
	struct run_ctx *ctx;
	struct hardware *hw;
	struct power_state *power;
	struct link_state *links;
	struct faults faults;
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
