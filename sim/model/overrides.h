/* overrides: which document each --set assignment belongs to, and applying them to a
 * parsed document before it is decoded (so overrides are validated like the file). */
#ifndef TRAINSIM_OVERRIDES_H
#define TRAINSIM_OVERRIDES_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "yaml_doc.h"

/* Command-line overrides, "dotted.key=value" each (trainsim run --set). An override applies
 * to the platform or the workload by the top-level key it names ("fabric.leaf.nodes=32"),
 * or by an explicit "platform." or "workload." prefix; it is validated as the file is. */
struct overrides {
	const char *const *items;
	size_t count;
};

enum override_target { OVERRIDE_NONE, OVERRIDE_PLATFORM, OVERRIDE_WORKLOAD };

/* Which document "key=value" is for; `*rest` points past an explicit prefix. */
enum override_target overrides_target(const char *assignment, const char **rest);

/* Apply to doc every override for `target`. */
bool overrides_apply(struct ydoc *doc, const struct overrides *o, enum override_target target, struct ts_error *err);

/* Every override must name a key of one of the two schemas. */
bool overrides_check(const struct overrides *o, struct ts_error *err);

#endif
