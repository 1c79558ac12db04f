/* humanize: SI doubles back into short human text ("400 Gb/s", "2.5 h", "1.2 GW") for
 * messages and reports. The inverse of units, for display only. */
#ifndef TRAINSIM_HUMANIZE_H
#define TRAINSIM_HUMANIZE_H

#include <stddef.h>

#include "units.h"

/* Format `value` (SI, as units_parse returns it) of `kind` into buf with 3-4 significant
 * digits and the largest fitting prefix. Bandwidth is shown in bits per second. Returns buf. */
const char *humanize(enum unit_kind kind, double value, char *buf, size_t size);

/* A long span as planners count it, to follow a figure in days: "" under four weeks,
 * " = 5.4 weeks" under two months, " = 7.3 months" under two years, " = 2.3 years" beyond
 * (a month is 30.44 days, a year 365.25). Returns buf. */
const char *humanize_span_note(double span_s, char *buf, size_t size);

/* "2024-03-01 14:05" UTC for seconds since 1970. */
const char *humanize_date(double epoch_s, char *buf, size_t size);

#endif
