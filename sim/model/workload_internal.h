/* workload_internal: what workload.c, workload_decode.c and workload_check.c share. */
#ifndef TRAINSIM_WORKLOAD_INTERNAL_H
#define TRAINSIM_WORKLOAD_INTERNAL_H

#include "workload.h"
#include "yaml_doc.h"

bool workload_decode(const struct ydoc *doc, struct workload *w, struct ts_error *err);
bool workload_check(const struct ydoc *doc, const struct platform *p, struct workload *w, struct ts_error *err);

#endif
