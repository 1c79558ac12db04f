/* yaml_doc: libyaml's document API copied into a located tree (duplicate keys rejected,
 * which libyaml itself allows), and the table-driven decoder used by every schema. */
#include "yaml_doc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "humanize.h"

/* Aliases can make a document arbitrarily deep (or recursive); nothing we read needs more. */
#define YDOC_MAX_DEPTH 64
#define PATH_MAX_LEN 256

static void node_free(struct ydoc_node *node);

/* Frees what a node holds (text, children), leaving the node itself. */
static void node_clear(struct ydoc_node *node)
{
	free(node->text);
	free(node->origin);
	for (size_t i = 0; i < node->count && node->entries; i++) {
		node_free(node->entries[i].key);
		node_free(node->entries[i].value);
	}
	for (size_t i = 0; i < node->count && node->items; i++)
		node_free(node->items[i]);
	free(node->entries);
	free(node->items);
}

static void node_free(struct ydoc_node *node)
{
	if (!node)
		return;
	node_clear(node);
	free(node);
}

void ydoc_destroy(struct ydoc *doc)
{
	if (!doc)
		return;
	node_free(doc->root);
	free(doc->file);
	free(doc);
}

bool ydoc_error(const struct ydoc *doc, const struct ydoc_node *node, struct ts_error *err,
		const char *fmt, ...)
{
	char message[ERROR_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	if (node && node->origin)
		return error_set(err, node->origin, 0, 0, "%s", message);
	return error_set(err, doc->file, node ? node->line : 1, node ? node->column : 1, "%s", message);
}

/* Copy state while converting libyaml's document into our tree. */
struct convert {
	yaml_document_t *src;
	const char *file;
	struct ts_error *err;
};

static struct ydoc_node *convert_node(struct convert *c, yaml_node_t *src, int depth);

static bool is_null_scalar(const yaml_node_t *src)
{
	const char *text = (const char *)src->data.scalar.value;
	if (src->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !text[0] || !strcmp(text, "~") || !strcmp(text, "null") || !strcmp(text, "Null") ||
	       !strcmp(text, "NULL");
}

static bool convert_scalar(struct ydoc_node *dst, const yaml_node_t *src)
{
	if (is_null_scalar(src)) {
		dst->type = YDOC_NULL;
		return true;
	}
	dst->type = YDOC_SCALAR;
	dst->quoted = src->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	dst->text = strndup((const char *)src->data.scalar.value, src->data.scalar.length);
	return dst->text != NULL;
}

static bool convert_seq(struct convert *c, struct ydoc_node *dst, yaml_node_t *src, int depth)
{
	size_t n = (size_t)(src->data.sequence.items.top - src->data.sequence.items.start);
	dst->type = YDOC_SEQ;
	dst->items = calloc(n ? n : 1, sizeof *dst->items);
	if (!dst->items)
		return false;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *item = yaml_document_get_node(c->src, src->data.sequence.items.start[i]);
		dst->items[i] = convert_node(c, item, depth + 1);
		if (!dst->items[i])
			return false;
		dst->count++;
	}
	return true;
}

static bool duplicate_key(struct convert *c, const struct ydoc_node *map, const struct ydoc_node *key)
{
	for (size_t i = 0; i < map->count; i++) {
		const struct ydoc_node *prev = map->entries[i].key;
		if (prev->text && key->text && !strcmp(prev->text, key->text)) {
			error_set(c->err, c->file, key->line, key->column,
				  "duplicate key '%s' (first given at line %d); each key may appear once",
				  key->text, prev->line);
			return true;
		}
	}
	return false;
}

static bool convert_entry(struct convert *c, struct ydoc_node *dst, const yaml_node_pair_t *pair, int depth)
{
	yaml_node_t *ksrc = yaml_document_get_node(c->src, pair->key);
	yaml_node_t *vsrc = yaml_document_get_node(c->src, pair->value);
	struct ydoc_node *key = convert_node(c, ksrc, depth + 1);
	if (!key)
		return false;
	if (key->type != YDOC_SCALAR) {
		error_set(c->err, c->file, key->line, key->column, "mapping key must be a plain name");
		node_free(key);
		return false;
	}
	if (duplicate_key(c, dst, key)) {
		node_free(key);
		return false;
	}
	struct ydoc_node *value = convert_node(c, vsrc, depth + 1);
	if (!value) {
		node_free(key);
		return false;
	}
	dst->entries[dst->count].key = key;
	dst->entries[dst->count].value = value;
	dst->count++;
	return true;
}

static bool convert_map(struct convert *c, struct ydoc_node *dst, yaml_node_t *src, int depth)
{
	size_t n = (size_t)(src->data.mapping.pairs.top - src->data.mapping.pairs.start);
	dst->type = YDOC_MAP;
	dst->entries = calloc(n ? n : 1, sizeof *dst->entries);
	if (!dst->entries)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!convert_entry(c, dst, &src->data.mapping.pairs.start[i], depth))
			return false;
	}
	return true;
}

static struct ydoc_node *convert_node(struct convert *c, yaml_node_t *src, int depth)
{
	if (depth > YDOC_MAX_DEPTH) {
		error_set(c->err, c->file, (int)src->start_mark.line + 1, (int)src->start_mark.column + 1,
			  "document nested deeper than %d levels (recursive alias?)", YDOC_MAX_DEPTH);
		return NULL;
	}
	struct ydoc_node *dst = calloc(1, sizeof *dst);
	if (!dst) {
		error_set(c->err, c->file, 0, 0, "out of memory");
		return NULL;
	}
	dst->line = (int)src->start_mark.line + 1;
	dst->column = (int)src->start_mark.column + 1;
	bool ok = false;
	if (src->type == YAML_SCALAR_NODE)
		ok = convert_scalar(dst, src);
	else if (src->type == YAML_SEQUENCE_NODE)
		ok = convert_seq(c, dst, src, depth);
	else if (src->type == YAML_MAPPING_NODE)
		ok = convert_map(c, dst, src, depth);
	if (!ok) {
		if (!c->err || !c->err->message[0])
			error_set(c->err, c->file, dst->line, dst->column, "out of memory");
		node_free(dst);
		return NULL;
	}
	return dst;
}

static bool parser_error(const yaml_parser_t *parser, const char *file, struct ts_error *err)
{
	const yaml_mark_t *mark = &parser->problem_mark;
	const char *problem = parser->problem ? parser->problem : "malformed YAML";
	if (parser->context)
		return error_set(err, file, (int)mark->line + 1, (int)mark->column + 1,
				 "malformed YAML: %s %s; expected valid YAML", problem, parser->context);
	return error_set(err, file, (int)mark->line + 1, (int)mark->column + 1,
			 "malformed YAML: %s; expected valid YAML", problem);
}

/* Loads the single document of an initialised parser into *out. */
static bool load_with_parser(yaml_parser_t *parser, const char *file, struct ydoc **out, struct ts_error *err)
{
	yaml_document_t document;
	if (!yaml_parser_load(parser, &document))
		return parser_error(parser, file, err);
	yaml_node_t *root = yaml_document_get_root_node(&document);
	if (!root) {
		yaml_document_delete(&document);
		return error_set(err, file, 1, 1, "file is empty; expected a YAML mapping");
	}
	struct convert c = {.src = &document, .file = file, .err = err};
	struct ydoc *doc = calloc(1, sizeof *doc);
	if (doc) {
		doc->file = strdup(file);
		doc->root = convert_node(&c, root, 0);
	}
	yaml_document_delete(&document);
	if (!doc || !doc->file || !doc->root) {
		if (!err || !err->message[0])
			error_set(err, file, 0, 0, "out of memory");
		ydoc_destroy(doc);
		return false;
	}
	yaml_document_t next;
	if (!yaml_parser_load(parser, &next)) {
		ydoc_destroy(doc);
		return parser_error(parser, file, err);
	}
	bool several = yaml_document_get_root_node(&next) != NULL;
	yaml_document_delete(&next);
	if (several) {
		ydoc_destroy(doc);
		return error_set(err, file, (int)parser->mark.line, 1,
				 "more than one YAML document; expected exactly one");
	}
	*out = doc;
	return true;
}

bool ydoc_load_string(const char *name, const char *text, struct ydoc **out, struct ts_error *err)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return error_set(err, name, 0, 0, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	bool ok = load_with_parser(&parser, name, out, err);
	yaml_parser_delete(&parser);
	return ok;
}

bool ydoc_load_file(const char *path, struct ydoc **out, struct ts_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_set(err, path, 0, 0, "cannot open file: %s", strerror(errno));
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		fclose(f);
		return error_set(err, path, 0, 0, "out of memory");
	}
	yaml_parser_set_input_file(&parser, f);
	bool ok = load_with_parser(&parser, path, out, err);
	if (!ok && ferror(f))
		error_set(err, path, 0, 0, "cannot read file: %s", strerror(errno ? errno : EIO));
	yaml_parser_delete(&parser);
	fclose(f);
	return ok;
}

/* One step of a dotted path: a key in a map, or a decimal index in a sequence. */
static const struct ydoc_node *path_step(const struct ydoc_node *node, const char *part)
{
	if (node && node->type == YDOC_SEQ) {
		char *end;
		unsigned long i = strtoul(part, &end, 10);
		return (*end || i >= node->count) ? NULL : node->items[i];
	}
	return ydoc_map_get(node, part);
}

/* ---- overrides ---- */

static struct ydoc_node *new_node(enum ydoc_type type, const char *origin)
{
	struct ydoc_node *n = calloc(1, sizeof *n);
	if (n && !(n->origin = strdup(origin))) {
		free(n);
		return NULL;
	}
	if (n)
		n->type = type;
	return n;
}

/* The value under `key` in map `node`, added (as an empty map) when missing. */
static struct ydoc_node *map_child(struct ydoc_node *node, const char *key, const char *origin)
{
	for (size_t i = 0; i < node->count; i++)
		if (!strcmp(node->entries[i].key->text, key))
			return node->entries[i].value;
	struct ydoc_entry *entries = realloc(node->entries, (node->count + 1) * sizeof *entries);
	if (!entries)
		return NULL;
	node->entries = entries;
	struct ydoc_node *k = new_node(YDOC_SCALAR, origin), *v = new_node(YDOC_MAP, origin);
	if (!k || !v || !(k->text = strdup(key))) {
		node_free(k);
		node_free(v);
		return NULL;
	}
	entries[node->count++] = (struct ydoc_entry){k, v};
	return v;
}

/* Turn `node` into the scalar `text`, dropping what it held. */
static bool make_scalar(struct ydoc_node *node, const char *text, const char *origin)
{
	char *copy = strdup(text), *where = strdup(origin);
	if (!copy || !where) {
		free(copy);
		free(where);
		return false;
	}
	node_clear(node);
	*node = (struct ydoc_node){.type = YDOC_SCALAR, .text = copy, .origin = where};
	return true;
}

bool ydoc_override(struct ydoc *doc, const char *assignment, struct ts_error *err)
{
	char origin[PATH_MAX_LEN + 16], path[PATH_MAX_LEN];
	snprintf(origin, sizeof origin, "--set %s", assignment);
	const char *eq = strchr(assignment, '=');
	if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof path)
		return error_set(err, origin, 0, 0, "expected KEY=VALUE with a dotted key such as fabric.leaf.nodes=32");
	snprintf(path, sizeof path, "%.*s", (int)(eq - assignment), assignment);
	struct ydoc_node *node = doc->root;
	char *save = NULL;
	for (char *part = strtok_r(path, ".", &save); part; part = strtok_r(NULL, ".", &save)) {
		if (node->type == YDOC_SEQ) {
			node = (struct ydoc_node *)path_step(node, part);
			if (!node)
				return error_set(err, origin, 0, 0, "'%s' is not an index of that list", part);
			continue;
		}
		if (node->type != YDOC_MAP)
			return error_set(err, origin, 0, 0, "'%s' is inside a single value, not a mapping", part);
		node = map_child(node, part, origin);
		if (!node)
			return error_set(err, origin, 0, 0, "out of memory");
	}
	return make_scalar(node, eq + 1, origin) || error_set(err, origin, 0, 0, "out of memory");
}

const struct ydoc_node *ydoc_map_get(const struct ydoc_node *map, const char *key)
{
	if (!map || map->type != YDOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->count; i++) {
		if (!strcmp(map->entries[i].key->text, key))
			return map->entries[i].value;
	}
	return NULL;
}

const struct ydoc_node *ydoc_find(const struct ydoc *doc, const char *path)
{
	char buf[PATH_MAX_LEN];
	snprintf(buf, sizeof buf, "%s", path);
	const struct ydoc_node *node = doc->root;
	char *save = NULL;
	for (char *part = strtok_r(buf, ".", &save); part && node; part = strtok_r(NULL, ".", &save))
		node = path_step(node, part);
	return node;
}

bool ydoc_error_at(const struct ydoc *doc, const char *path, struct ts_error *err, const char *fmt, ...)
{
	char buf[PATH_MAX_LEN], message[ERROR_MESSAGE_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	const struct ydoc_node *node = ydoc_find(doc, buf);
	while (!node && strrchr(buf, '.')) {
		*strrchr(buf, '.') = '\0';
		node = ydoc_find(doc, buf);
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	return ydoc_error(doc, node, err, "%s", message);
}

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
		char sub[PATH_MAX_LEN];
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
