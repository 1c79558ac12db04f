/* platform_internal: what platform.c, platform_decode.c and platform_check.c share.
 * Not for use outside the platform module. */
#ifndef TRAINSIM_PLATFORM_INTERNAL_H
#define TRAINSIM_PLATFORM_INTERNAL_H

#include "platform.h"
#include "yaml_doc.h"

/* Decode the whole document into p (structure, units, ranges; no cross-checks). */
bool platform_decode(const struct ydoc *doc, struct platform *p, struct ts_error *err);

/* Site names unique, and hall names unique within a site (needed before WAN links name sites). */
bool platform_check_names(const struct ydoc *doc, const struct platform *p, struct ts_error *err);

/* Cross-check a decoded platform and fill its derived indexes and counts. */
bool platform_check(const struct ydoc *doc, struct platform *p, struct ts_error *err);

#endif
