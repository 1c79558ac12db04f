/* runsim_links: links that degrade (the job runs on, slower) or flap (each flap stops the
 * job until the link is isolated). */
#include "runsim_internal.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <simgrid/actor.h>
#include <simgrid/comm.h>
#include <simgrid/engine.h>
#include <simgrid/host.h>
#include <simgrid/mailbox.h>

/* ---- links: degradation and flapping ---- */

struct link_degradation runsim_link_degradation(const struct platform *p, long component, double fraction)
{
	long nic_fibers = p->counts.nodes * p->node.nics;
	if (component < nic_fibers) {
		long node = component / p->node.nics, per = p->counts.nodes_per_domain;
		/* one NIC of the rail's bundle in a multi-node domain */
		double left = 1 - (1 - fraction) / (double)per;
		return (struct link_degradation){{SG_LINK_NIC, platform_node_domain(p, node), true},
						  component % p->node.nics, left};
	}
	long leaf = (component - nic_fibers) / p->fabric.leaf_uplinks;
	double left = 1 - (1 - fraction) / (double)p->fabric.leaf_uplinks; /* one fiber of the bundle */
	return (struct link_degradation){{SG_LINK_LEAF, leaf, true}, -1, left};
}

/* A link runs slower until its ticket is closed; the job runs on, at the new step time. */
void rs_degrade(struct run *run, long class_index, long component)
{
	const struct failure_class *fc = &run->p->failures[class_index];
	if (run->state.degraded_count == run->degraded_capacity) {
		run->degraded_capacity = run->degraded_capacity ? 2 * run->degraded_capacity : 16;
		run->state.degraded = realloc(run->state.degraded, run->degraded_capacity * sizeof *run->state.degraded);
		run->degraded_by = realloc(run->degraded_by, run->degraded_capacity * sizeof *run->degraded_by);
		assert(run->state.degraded && run->degraded_by);
	}
	long first, count;
	rs_component_nodes(run->p, fc->per, component, &first, &count);
	struct ticket *t = rs_open_ticket(run, class_index, component, first, count, false);
	t->degrades = true;
	run->state.degraded[run->state.degraded_count] = runsim_link_degradation(run->p, component, fc->degraded_fraction);
	run->degraded_by[run->state.degraded_count++] = t;
	rs_event(run, "degraded", platform_component_name(fc->per), component, fc->name, NULL);
	if (rs_job_hit(run, first, count))
		rs_send(run->job_mailbox, MSG_PACE, class_index, NULL);
}

void rs_mend(struct run *run, struct ticket *t)
{
	for (size_t i = 0; i < run->state.degraded_count; i++)
		if (run->degraded_by[i] == t) {
			run->state.degraded[i] = run->state.degraded[run->state.degraded_count - 1];
			run->degraded_by[i] = run->degraded_by[--run->state.degraded_count];
			break;
		}
	rs_send(run->job_mailbox, MSG_PACE, t->class_index, NULL);
}

struct flapper {
	struct run *run;
	struct failure_event ev;
};

/* A flapping link: each flap times out the job's collectives; after the class's count of
 * flaps, operators isolate it and it is repaired like a link that went down. */
static void flapper_actor(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct flapper *f = sg_actor_self_get_data();
	sg_actor_on_exit(rs_free_on_exit, f);
	struct run *run = f->run;
	const struct failure_class *fc = &run->p->failures[f->ev.class_index];
	long first, count;
	rs_failure_nodes(run->p, fc, f->ev.component, &first, &count);
	for (long i = 1; i < fc->flaps; i++) {
		rs_event(run, "flap", platform_component_name(fc->per), f->ev.component, fc->name, NULL);
		if (rs_job_hit(run, first, count))
			rs_send(run->job_mailbox, MSG_FAILURE, f->ev.class_index, NULL);
		sg_actor_sleep_for(fc->flap_interval_s);
	}
	rs_event(run, "isolated", platform_component_name(fc->per), f->ev.component, fc->name, NULL);
	rs_take_down(run, f->ev.class_index, f->ev.component);
}

void rs_start_flapper(struct run *run, const struct failure_event *ev)
{
	struct flapper *f = malloc(sizeof *f);
	assert(f);
	*f = (struct flapper){run, *ev};
	sg_actor_t a = sg_actor_init("flapper", sg_platform_control_host(run->c));
	sg_actor_set_data(a, f);
	sg_actor_start(a, flapper_actor, 0, NULL);
}

