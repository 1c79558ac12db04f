/* yaml_decode: the table-driven decoder every schema uses (see yaml_doc.h): each mapping
 * decoded from a table of keys with their kind, unit, range and presence flag; unknown keys
 * refused with the closest known one suggested, numbers parsed strictly. */
#include "yaml_doc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"

const char *ydoc_path_join(char *buf, size_t size, const char *parent, const char *key)
{
	if (parent && parent[0])
		snprintf(buf, size, "%s.%s", parent, key);
	else
		snprintf(buf, size, "%s", key);
	return buf;
}

/* Levenshtein distance, bounded to short keys (schema keys are short). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return SIZE_MAX;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *ydoc_closest_key(const char *key, const struct yfield *fields)
{
	const char *best = NULL;
	size_t best_distance = SIZE_MAX;
	for (const struct yfield *f = fields; f->kind != YF_END; f++) {
		size_t d = edit_distance(key, f->key);
		if (d < best_distance) {
			best_distance = d;
			best = f->key;
		}
	}
	size_t limit = strlen(key) / 2 + 1;
	return best_distance <= (limit < 3 ? limit : 3) ? best : NULL;
}

static const char *type_name(enum ydoc_type type)
{
	static const char *const names[] = {"nothing", "a single value", "a mapping", "a list"};
	return names[type];
}

static bool expect_scalar(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			  const char *what, struct ts_error *err)
{
	if (node->type == YDOC_SCALAR)
		return true;
	return ydoc_error(doc, node, err, "%s is %s; expected %s", path, type_name(node->type), what);
}

/* Range message in the value's own units: "expected 1 or more", "at most 5 kW", ... */
static bool range_error(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			enum unit_kind unit, double min, double max, struct ts_error *err)
{
	char lo[48], hi[48];
	humanize(unit, min, lo, sizeof lo);
	humanize(unit, max, hi, sizeof hi);
	if (isinf(max))
		return ydoc_error(doc, node, err, "%s is %s; expected %s or more", path, node->text, lo);
	return ydoc_error(doc, node, err, "%s is %s; expected between %s and %s", path, node->text, lo, hi);
}

static bool in_range(double v, double min, double max)
{
	return (min == 0 && max == 0) || (v >= min && v <= max);
}

bool ydoc_quantity(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
		   enum unit_kind unit, double min, double max, double *out, struct ts_error *err)
{
	char what[96];
	snprintf(what, sizeof what, "a %s such as %s", units_kind_name(unit), units_kind_example(unit));
	if (!expect_scalar(doc, node, path, what, err))
		return false;
	char why[256];
	double v;
	if (!units_parse(unit, node->text, &v, why, sizeof why))
		return ydoc_error(doc, node, err, "%s: %s", path, why);
	if (!in_range(v, min, max))
		return range_error(doc, node, path, unit, min, max, err);
	*out = v;
	return true;
}

bool ydoc_int(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
	      double min, double max, long *out, struct ts_error *err)
{
	if (!expect_scalar(doc, node, path, "a whole number", err))
		return false;
	double v;
	char why[256];
	bool parsed = units_parse(UNIT_COUNT, node->text, &v, why, sizeof why);
	if (!parsed || v != floor(v) || fabs(v) > (double)LONG_MAX / 2)
		return ydoc_error(doc, node, err, "%s is '%s'; expected a whole number", path, node->text);
	if (!in_range(v, min, max))
		return range_error(doc, node, path, UNIT_COUNT, min, max, err);
	*out = (long)v;
	return true;
}

static bool decode_string(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			  char **dst, struct ts_error *err)
{
	if (!expect_scalar(doc, node, path, "a name or text", err))
		return false;
	char *copy = strdup(node->text);
	if (!copy)
		return ydoc_error(doc, node, err, "out of memory");
	free(*dst);
	*dst = copy;
	return true;
}

static bool decode_bool(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			bool *dst, struct ts_error *err)
{
	if (node->type == YDOC_SCALAR && !node->quoted) {
		if (!strcmp(node->text, "true") || !strcmp(node->text, "yes")) {
			*dst = true;
			return true;
		}
		if (!strcmp(node->text, "false") || !strcmp(node->text, "no")) {
			*dst = false;
			return true;
		}
	}
	return ydoc_error(doc, node, err, "%s is '%s'; expected true or false", path,
			  node->type == YDOC_SCALAR ? node->text : type_name(node->type));
}

static bool decode_choice(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			  const char *const *choices, int *dst, struct ts_error *err)
{
	if (node->type == YDOC_SCALAR) {
		for (int i = 0; choices[i]; i++) {
			if (!strcmp(node->text, choices[i])) {
				*dst = i;
				return true;
			}
		}
	}
	char list[256] = "";
	for (int i = 0; choices[i]; i++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", choices[i]);
	}
	return ydoc_error(doc, node, err, "%s is '%s'; expected one of %s", path,
			  node->type == YDOC_SCALAR ? node->text : type_name(node->type), list);
}

static bool decode_field(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			 const struct yfield *f, void *base, struct ts_error *err)
{
	char *dst = (char *)base + f->offset;
	switch (f->kind) {
	case YF_INT:
		return ydoc_int(doc, node, path, f->min, f->max, (long *)dst, err);
	case YF_QUANTITY:
		return ydoc_quantity(doc, node, path, f->unit, f->min, f->max, (double *)dst, err);
	case YF_STRING:
		return decode_string(doc, node, path, (char **)dst, err);
	case YF_BOOL:
		return decode_bool(doc, node, path, (bool *)dst, err);
	case YF_CHOICE:
		return decode_choice(doc, node, path, f->choices, (int *)dst, err);
	case YF_MAP:
		return ydoc_decode(doc, node, path, f->fields, base, err);
	case YF_CUSTOM:
		return f->custom(doc, node, path, dst, err);
	case YF_END:
		break;
	}
	return ydoc_error(doc, node, err, "%s: internal error: bad schema entry", path);
}

static const struct yfield *find_field(const struct yfield *fields, const char *key)
{
	for (const struct yfield *f = fields; f->kind != YF_END; f++) {
		if (!strcmp(f->key, key))
			return f;
	}
	return NULL;
}

static bool unknown_key(const struct ydoc *doc, const struct ydoc_node *key, const char *path,
			const struct yfield *fields, struct ts_error *err)
{
	const char *where = path[0] ? path : "the top level";
	const char *close = ydoc_closest_key(key->text, fields);
	if (close)
		return ydoc_error(doc, key, err, "unknown key '%s' in %s; did you mean '%s'?", key->text,
				  where, close);
	char list[512] = "";
	for (const struct yfield *f = fields; f->kind != YF_END; f++) {
		size_t used = strlen(list);
		snprintf(list + used, sizeof list - used, "%s%s", f == fields ? "" : ", ", f->key);
	}
	return ydoc_error(doc, key, err, "unknown key '%s' in %s; expected one of %s", key->text, where, list);
}

static bool check_required(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
			   const struct yfield *fields, struct ts_error *err)
{
	for (const struct yfield *f = fields; f->kind != YF_END; f++) {
		if (f->required && !ydoc_map_get(node, f->key))
			return ydoc_error(doc, node, err, "%s is missing required key '%s'",
					  path[0] ? path : "the top level", f->key);
	}
	return true;
}

bool ydoc_decode(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
		 const struct yfield *fields, void *base, struct ts_error *err)
{
	if (node->type != YDOC_MAP)
		return ydoc_error(doc, node, err, "%s is %s; expected a mapping of keys to values",
				  path[0] ? path : "the document", type_name(node->type));
	for (size_t i = 0; i < node->count; i++) {
		const struct ydoc_node *key = node->entries[i].key;
		const struct ydoc_node *value = node->entries[i].value;
		const struct yfield *f = find_field(fields, key->text);
		char sub[YDOC_PATH_MAX];
		if (!f)
			return unknown_key(doc, key, path, fields, err);
		ydoc_path_join(sub, sizeof sub, path, key->text);
		if (value->type == YDOC_NULL)
			return ydoc_error(doc, key, err, "%s has no value; expected a value or remove the key", sub);
		if (!decode_field(doc, value, sub, f, base, err))
			return false;
		if (f->has_presence)
			*(bool *)((char *)base + f->presence_offset) = true;
	}
	return check_required(doc, node, path, fields, err);
}
