/* overrides: routing --set assignments by their top-level key. */
#include "overrides.h"

#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "workload.h"

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

enum override_target overrides_target(const char *assignment, const char **rest)
{
	*rest = assignment;
	if (has_prefix(assignment, "platform.")) {
		*rest = assignment + strlen("platform.");
		return OVERRIDE_PLATFORM;
	}
	if (has_prefix(assignment, "workload.")) {
		*rest = assignment + strlen("workload.");
		return OVERRIDE_WORKLOAD;
	}
	char top[64];
	size_t n = strcspn(assignment, ".=");
	snprintf(top, sizeof top, "%.*s", (int)(n < sizeof top ? n : sizeof top - 1), assignment);
	if (!strcmp(top, "name") || !strcmp(top, "description"))
		return OVERRIDE_NONE; /* in both schemas: needs a prefix */
	if (platform_schema_has(top))
		return OVERRIDE_PLATFORM;
	if (workload_schema_has(top))
		return OVERRIDE_WORKLOAD;
	return OVERRIDE_NONE;
}

bool overrides_apply(struct ydoc *doc, const struct overrides *o, enum override_target target, struct ts_error *err)
{
	for (size_t i = 0; o && i < o->count; i++) {
		const char *rest;
		if (overrides_target(o->items[i], &rest) == target && !ydoc_override(doc, rest, o->items[i], err))
			return false;
	}
	return true;
}

bool overrides_check(const struct overrides *o, struct ts_error *err)
{
	for (size_t i = 0; o && i < o->count; i++) {
		const char *rest;
		if (overrides_target(o->items[i], &rest) == OVERRIDE_NONE) {
			char origin[300];
			snprintf(origin, sizeof origin, "--set %s", o->items[i]);
			return error_set(err, origin, 0, 0, "'%.*s' is not a key of the platform (gpu, node, nvlink, rack, "
					 "fabric, sites, wan, reliability, operations, power) or the workload (model, "
					 "training, parallelism, efficiency, checkpoint, restart, job, schedule); prefix "
					 "name and description with platform. or workload.", (int)strcspn(o->items[i], "="),
					 o->items[i]);
		}
	}
	return true;
}
