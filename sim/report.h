/* report: everything trainsim prints for people (text) and programs (JSON). The only
 * module besides main that writes to a stream. */
#ifndef TRAINSIM_REPORT_H
#define TRAINSIM_REPORT_H

#include <stdio.h>

#include "describe.h"

/* Human summary of a platform description. */
void report_describe_text(FILE *out, const struct platform_description *d);

/* One JSON object describing the platform (keys documented in platforms/README.md). */
void report_describe_json(FILE *out, const struct platform_description *d);

#endif
