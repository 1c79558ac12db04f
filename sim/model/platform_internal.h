/* platform_internal: what platform.c, platform_decode.c and platform_check.c share.
 * Not for use outside the platform module. */
#ifndef TRAINSIM_PLATFORM_INTERNAL_H
#define TRAINSIM_PLATFORM_INTERNAL_H

#include "platform.h"
#include "yaml_doc.h"

/* A YF_CUSTOM handler that keeps the node itself (at dst), for a section or list decoded
 * once the table pass is done. */
bool platform_keep_node(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			struct ts_error *err);

/* Decode the whole document into p (structure, units, ranges; no cross-checks). */
bool platform_decode(const struct ydoc *doc, struct platform *p, struct ts_error *err);

/* Site names unique, and hall names unique within a site (needed before WAN links name sites). */
bool platform_check_names(const struct ydoc *doc, const struct platform *p, struct ts_error *err);

/* Cross-check a decoded platform and fill its derived indexes and counts. */
bool platform_check(const struct ydoc *doc, struct platform *p, struct ts_error *err);

/* The bring_up section and operations.technicians.grow (platform_bringup.c). */
bool platform_decode_bring_up(const struct ydoc *doc, const struct ydoc_node *node, struct platform *p,
			      struct ts_error *err);
bool platform_decode_crew_growth(const struct ydoc *doc, const struct ydoc_node *node, struct platform *p,
				 struct ts_error *err);
/* Derives each delivery's racks from its halls and resolves the dead-on-arrival part. */
bool platform_check_bring_up(const struct ydoc *doc, struct platform *p, struct ts_error *err);
void platform_free_bring_up(struct platform *p);

/* A class's `escalation` mapping as decoded (platform_policies.c). */
struct escalation_entry {
	bool present;
	double automated_s;
	double fixes;
};

/* Custom decoders of operations.retire, operations.spares.borrowed and a class's escalation
 * (dst: struct retire_policy, struct borrowed_pool, struct escalation_entry). */
bool platform_decode_retire(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			    struct ts_error *err);
bool platform_decode_borrowed(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			      struct ts_error *err);
bool platform_decode_escalation(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
				struct ts_error *err);
/* The policy keys of class fc (decoded from `node`, named `path`) fit the class. */
bool platform_check_class_policies(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
				   const struct failure_class *fc, struct ts_error *err);
/* The costs section (platform_costs.c), once operations.spares.parts is decoded. */
bool platform_decode_costs(const struct ydoc *doc, const struct ydoc_node *node, struct platform *p,
			   struct ts_error *err);

#endif
