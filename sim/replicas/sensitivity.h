/* sensitivity: the one-at-a-time study of `trainsim sensitivity`, without SimGrid: which keys
 * move (given, or the default set read from the platform document), their low and high
 * values, and the tornado order of the rows by the swing of the P50. The command line runs
 * the baseline and each row's two points (the same seeds everywhere) and feeds them in. */
#ifndef TRAINSIM_SENSITIVITY_H
#define TRAINSIM_SENSITIVITY_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "overrides.h"
#include "yaml_doc.h"

#define SENSITIVITY_MAX_KEYS 64
#define SENSITIVITY_LOW 0.5    /* the default low value: half the baseline ... */
#define SENSITIVITY_HIGH 2.0   /* ... and the high one: twice it */

/* One row: a key as --set takes it and its two values (text as --set takes it). */
struct sensitivity_key {
	char key[YDOC_PATH_MAX];
	char low[64], high[64];
	char base[64];             /* the baseline's text ("" when the key was given without it) */
};

/* "KEY=LOW,HIGH" (--key) into *k; false with the reason in why[size]. */
bool sensitivity_key_parse(const char *arg, struct sensitivity_key *k, char *why, size_t size);

/* `text` (a number, then an optional unit: "2", "3d", "0.004/d", "5min") times `factor`
 * into out[size] with the same unit. A whole number without a unit stays whole: half is
 * rounded up (1 stays 1, 3 gives 2), double is exact. false when text does not start with a
 * non-negative number. */
bool sensitivity_scale(const char *text, double factor, char *out, size_t size);

/* The default rows of a platform document (--set already applied), in document order:
 * operations.technicians.{per_site, travel, diagnosis}, operations.spares.{hot_nodes,
 * lead_time}, operations.spares.parts.NAME.{stock, lead_time}, operations.burn_in, and each
 * reliability class's rate, mtbf, repair and detection, those present with a number, at
 * SENSITIVITY_LOW and SENSITIVITY_HIGH times their value. A key whose two values equal the
 * baseline (0, say) is left out. At most `max` rows; returns how many. */
size_t sensitivity_default_keys(const struct ydoc *doc, struct sensitivity_key *keys, size_t max);

/* The platform document at `path` (NULL: the built-in one) with the platform's --set items of
 * `o` applied, for sensitivity_default_keys and the baselines of given keys. On success *doc
 * (free with ydoc_destroy). */
bool sensitivity_platform_doc(const char *path, const struct overrides *o, struct ydoc **doc, struct ts_error *err);

/* The baseline text of k->key in doc, into k->base ("" when it is not a scalar there). */
void sensitivity_fill_base(const struct ydoc *doc, struct sensitivity_key *k);

/* What a row's two points gave: the P50 in seconds (NaN: no replica finished). */
struct sensitivity_row {
	double p50_low_s, p50_high_s;
	double cost_low, cost_high;  /* mean US dollars, NaN without costs */
};

/* |p50_high - p50_low|; infinite when one side has no P50 (no replica finished: that key can
 * stop the run), 0 when neither has. */
double sensitivity_swing(const struct sensitivity_row *r);

/* order[0 .. n): the rows by swing, largest first (ties in the given order). */
void sensitivity_order(const struct sensitivity_row *rows, size_t n, size_t *order);

#endif
