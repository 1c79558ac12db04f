/* sensitivity: the one-at-a-time study (see sensitivity.h): pure functions of the platform
 * document and of the rows' results, so the default set and the order can be tested alone. */
#include "sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defaults.h"

bool sensitivity_key_parse(const char *arg, struct sensitivity_key *k, char *why, size_t size)
{
	const char *eq = strchr(arg, '='), *comma = eq ? strchr(eq, ',') : NULL;
	*k = (struct sensitivity_key){0};
	if (!eq || eq == arg || !comma || comma == eq + 1 || !comma[1] || strchr(comma + 1, ',')) {
		snprintf(why, size, "'%s' is not KEY=LOW,HIGH, such as operations.technicians.per_site=2,8", arg);
		return false;
	}
	size_t key = (size_t)(eq - arg), low = (size_t)(comma - eq - 1), high = strlen(comma + 1);
	if (key >= sizeof k->key || low >= sizeof k->low || high >= sizeof k->high) {
		snprintf(why, size, "'%.64s...' is too long", arg);
		return false;
	}
	memcpy(k->key, arg, key);
	memcpy(k->low, eq + 1, low);
	memcpy(k->high, comma + 1, high);
	return true;
}

bool sensitivity_scale(const char *text, double factor, char *out, size_t size)
{
	char *end;
	double x = strtod(text, &end);
	if (end == text || !(x >= 0) || !isfinite(x) || text[0] == '+' || text[0] == '-')
		return false;
	bool whole = !*end && !strpbrk(text, ".eE");
	double y = x * factor;
	if (whole)
		y = ceil(y - 1e-9);
	int n = snprintf(out, size, whole ? "%.0f%s" : "%.6g%s", y, end);
	return n > 0 && (size_t)n < size;
}

/* ---- the default set ---- */

struct collector {
	struct sensitivity_key *keys;
	size_t count, max;
};

/* One row for the scalar at `node`, named `path`, if it is a number that scaling changes. */
static void add_default(struct collector *c, const struct ydoc_node *node, const char *path)
{
	struct sensitivity_key k = {0};
	if (c->count == c->max || !node || node->type != YDOC_SCALAR || strlen(path) >= sizeof k.key ||
	    strlen(node->text) >= sizeof k.base)
		return;
	snprintf(k.key, sizeof k.key, "%s", path);
	snprintf(k.base, sizeof k.base, "%s", node->text);
	if (!sensitivity_scale(node->text, SENSITIVITY_LOW, k.low, sizeof k.low) ||
	    !sensitivity_scale(node->text, SENSITIVITY_HIGH, k.high, sizeof k.high))
		return;
	if (!strcmp(k.low, k.base) && !strcmp(k.high, k.base))
		return;
	c->keys[c->count++] = k;
}

/* The keys of `names` present under the mapping at `path`. */
static void add_children(struct collector *c, const struct ydoc_node *map, const char *path,
			 const char *const *names)
{
	char child[YDOC_PATH_MAX];
	for (const char *const *n = names; *n; n++)
		add_default(c, ydoc_map_get(map, *n), ydoc_path_join(child, sizeof child, path, *n));
}

/* operations.spares.parts.NAME.{stock, lead_time}, for each part. */
static void add_parts(struct collector *c, const struct ydoc_node *parts)
{
	static const char *const names[] = {"stock", "lead_time", NULL};
	char path[YDOC_PATH_MAX];
	for (size_t i = 0; parts && parts->type == YDOC_MAP && i < parts->count; i++) {
		snprintf(path, sizeof path, "operations.spares.parts.%s", parts->entries[i].key->text);
		add_children(c, parts->entries[i].value, path, names);
	}
}

static void add_operations(struct collector *c, const struct ydoc *doc)
{
	static const char *const technicians[] = {"per_site", "travel", "diagnosis", NULL};
	static const char *const spares[] = {"hot_nodes", "lead_time", NULL};
	static const char *const operations[] = {"burn_in", NULL};
	add_children(c, ydoc_find(doc, "operations.technicians"), "operations.technicians", technicians);
	add_children(c, ydoc_find(doc, "operations.spares"), "operations.spares", spares);
	add_parts(c, ydoc_find(doc, "operations.spares.parts"));
	add_children(c, ydoc_find(doc, "operations"), "operations", operations);
}

static void add_reliability(struct collector *c, const struct ydoc *doc)
{
	static const char *const names[] = {"rate", "mtbf", "repair", "detection", NULL};
	const struct ydoc_node *classes = ydoc_find(doc, "reliability");
	char path[YDOC_PATH_MAX];
	for (size_t i = 0; classes && classes->type == YDOC_MAP && i < classes->count; i++) {
		snprintf(path, sizeof path, "reliability.%s", classes->entries[i].key->text);
		add_children(c, classes->entries[i].value, path, names);
	}
}

size_t sensitivity_default_keys(const struct ydoc *doc, struct sensitivity_key *keys, size_t max)
{
	struct collector c = {keys, 0, max};
	add_operations(&c, doc);
	add_reliability(&c, doc);
	return c.count;
}

bool sensitivity_platform_doc(const char *path, const struct overrides *o, struct ydoc **doc, struct ts_error *err)
{
	bool ok = path ? ydoc_load_file(path, doc, err)
		       : ydoc_load_string(default_platform_name, default_platform_yaml, doc, err);
	if (ok && !overrides_apply(*doc, o, OVERRIDE_PLATFORM, err)) {
		ydoc_destroy(*doc);
		*doc = NULL;
		return false;
	}
	return ok;
}

void sensitivity_fill_base(const struct ydoc *doc, struct sensitivity_key *k)
{
	const char *key = k->key;
	if (!strncmp(key, "platform.", 9))
		key += 9;
	const struct ydoc_node *n = ydoc_find(doc, key);
	k->base[0] = '\0';
	if (n && n->type == YDOC_SCALAR && strlen(n->text) < sizeof k->base)
		snprintf(k->base, sizeof k->base, "%s", n->text);
}

/* ---- the tornado order ---- */

double sensitivity_swing(const struct sensitivity_row *r)
{
	bool low = !isnan(r->p50_low_s), high = !isnan(r->p50_high_s);
	if (low && high)
		return fabs(r->p50_high_s - r->p50_low_s);
	return low || high ? INFINITY : 0;
}

/* An insertion sort: stable, and qsort has no context pointer in C17. */
void sensitivity_order(const struct sensitivity_row *rows, size_t n, size_t *order)
{
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		double swing = sensitivity_swing(&rows[i]);
		for (; j > 0 && swing > sensitivity_swing(&rows[order[j - 1]]); j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}
