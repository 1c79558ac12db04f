/* platform_policies: the operations policies of the closest peer (AIReSim): retiring a node
 * after repeated failures (operations.retire), a borrowed spare pool
 * (operations.spares.borrowed), repair escalation (a class's `escalation`) and how fast nodes
 * not running the job fail (operations.idle_failure_factor, or a class's own). Kept apart
 * from platform_decode.c, which holds the tables that name these decoders. */
#include "platform_internal.h"

#include <math.h>
#include <stddef.h>

static const struct yfield retire_fields[] = {
	{"failures", YF_INT, offsetof(struct retire_policy, failures), true, .min = 1, .max = 100},
	{"within", YF_QUANTITY, offsetof(struct retire_policy, within_s), false, UNIT_TIME, 1, 20 * 365 * 86400.0},
	{0}};

bool platform_decode_retire(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			    struct ts_error *err)
{
	struct retire_policy *r = dst;
	r->within_s = INFINITY; /* without a window, failures count over the whole run */
	return ydoc_decode(doc, node, path, retire_fields, r, err);
}

static const struct yfield borrowed_fields[] = {
	{"nodes", YF_INT, offsetof(struct borrowed_pool, nodes), true, .min = 1, .max = 1e6},
	{"preemption", YF_QUANTITY, offsetof(struct borrowed_pool, preemption_s), true, UNIT_TIME, 0, 7 * 86400.0},
	{0}};

bool platform_decode_borrowed(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			      struct ts_error *err)
{
	return ydoc_decode(doc, node, path, borrowed_fields, dst, err);
}

static const struct yfield escalation_fields[] = {
	{"automated", YF_QUANTITY, offsetof(struct escalation_entry, automated_s), true, UNIT_TIME, 0, 86400},
	{"fixes", YF_QUANTITY, offsetof(struct escalation_entry, fixes), true, UNIT_FRACTION, 0, 1},
	{0}};

bool platform_decode_escalation(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
				struct ts_error *err)
{
	struct escalation_entry *e = dst;
	e->present = true;
	return ydoc_decode(doc, node, path, escalation_fields, e, err);
}

/* The failure of a component inside one node (or one NVLink domain) is the one a node's load
 * can make more or less likely; racks, switches, links and the job fail at their own rate. */
static bool per_node_part(enum component per)
{
	return per == COMPONENT_GPU || per == COMPONENT_NODE || per == COMPONENT_DOMAIN || per == COMPONENT_NIC;
}

bool platform_check_class_policies(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
				   const struct failure_class *fc, struct ts_error *err)
{
	if (fc->escalates && !fc->needs_technician)
		return ydoc_error(doc, ydoc_map_get(node, "escalation"), err, "%s.escalation: the manual repair after an "
				  "automated one that did not fix the fault needs a technician; expected technician: true",
				  path);
	if (fc->escalates && fc->takes_down == COMPONENT_JOB)
		return ydoc_error(doc, ydoc_map_get(node, "escalation"), err, "%s.escalation: a class that takes down "
				  "the job has no repair to escalate; expected a class that takes hardware down", path);
	if (fc->idle_factor >= 0 && !per_node_part(fc->per))
		return ydoc_error(doc, ydoc_map_get(node, "idle_failure_factor"), err, "%s.idle_failure_factor applies "
				  "to parts of nodes; expected per: gpu, node, domain or nic", path);
	return true;
}

double platform_class_idle_factor(const struct platform *p, const struct failure_class *fc)
{
	if (!per_node_part(fc->per))
		return 1;
	return fc->idle_factor >= 0 ? fc->idle_factor : p->operations.idle_failure_factor;
}
