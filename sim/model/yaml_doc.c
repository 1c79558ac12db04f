/* yaml_doc: libyaml's event stream built into a located tree (depth limited, aliases
 * expanded as copies, duplicate keys rejected, which libyaml itself allows), and the
 * table-driven decoder used by every schema. */
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
#include "grow.h"

/* Levels of nesting below the root, written or made by aliases; nothing we read needs more. */
#define YDOC_MAX_DEPTH 64
/* Nodes a document may hold with its aliases expanded. Our largest platform and workload
 * files hold about 420 nodes, so 100,000 leaves more than 200 times that; it also bounds
 * what aliases can make of a small file (eight levels of ten aliases in 500 bytes name
 * 10^8 nodes) to about 10 MB and a few milliseconds. Written nodes count as well as
 * copies, so no mix of the two gets past it; a file big enough to reach it without
 * aliases (about a megabyte of YAML) is not a platform or a workload anyway. */
#define YDOC_MAX_NODES 100000

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

/* ---- building the tree from libyaml's events ----
 * libyaml's document API builds the whole document before we can look at it: a file
 * nested 100,000 levels deep takes minutes in its scanner before any limit of ours
 * applies, and its aliases share nodes that we would then copy without bound. Reading
 * events instead lets every limit apply while parsing, at the node that breaks it. */

/* Names to values, for a mapping's keys and the document's anchors: a file can hold
 * 100,000 of either, too many to compare each with all the earlier ones. Open
 * addressing, at most half full; the table keeps the names' pointers, not copies. */
struct strtab {
	struct strtab_slot {
		const char *name; /* NULL: free */
		void *value;
	} *slots;
	size_t size; /* 0 or a power of two */
	size_t used;
};

static size_t name_hash(const char *name)
{
	uint64_t h = 14695981039346656037u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return (size_t)h;
}

/* The slot holding `name`, or the free one where it would go (t->size > 0). */
static struct strtab_slot *strtab_slot(const struct strtab *t, const char *name)
{
	size_t i = name_hash(name) & (t->size - 1);
	while (t->slots[i].name && strcmp(t->slots[i].name, name))
		i = (i + 1) & (t->size - 1);
	return &t->slots[i];
}

/* The value stored under `name`, or NULL. */
static void *strtab_get(const struct strtab *t, const char *name)
{
	return t->size ? strtab_slot(t, name)->value : NULL;
}

/* Stores non-NULL `value` under `name`, which is not in the table yet. false when out of memory. */
static bool strtab_put(struct strtab *t, const char *name, void *value)
{
	if (2 * (t->used + 1) > t->size) {
		struct strtab bigger = {.size = t->size ? 2 * t->size : 16, .used = t->used};
		if (!(bigger.slots = calloc(bigger.size, sizeof *bigger.slots)))
			return false;
		for (size_t i = 0; i < t->size; i++) {
			if (t->slots[i].name)
				*strtab_slot(&bigger, t->slots[i].name) = t->slots[i];
		}
		free(t->slots);
		*t = bigger;
	}
	*strtab_slot(t, name) = (struct strtab_slot){name, value};
	t->used++;
	return true;
}

/* A node carrying an anchor (&name), kept while the document is read. */
struct anchor {
	struct ydoc_node *node;
	bool open; /* still being built: an alias to it now would be recursive */
	char name[];
};

/* State while one document is read. */
struct builder {
	yaml_parser_t *parser;
	const char *file;
	struct ts_error *err;
	struct strtab anchors; /* name -> struct anchor, owned */
	size_t nodes; /* made so far, alias copies included: at most YDOC_MAX_NODES */
	FILE *input;      /* the input, a file or ... */
	const char *text; /* ... text, read again to locate an encoding error */
};

static bool mark_error(struct builder *b, const yaml_mark_t *mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Locates err at a libyaml mark (0-based line and column: we print them 1-based). */
static bool mark_error(struct builder *b, const yaml_mark_t *mark, const char *fmt, ...)
{
	char message[ERROR_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	return error_set(b->err, b->file, (int)mark->line + 1, (int)mark->column + 1, "%s", message);
}

/* Bytes in the UTF-8 sequence that `lead` starts (1 for ASCII or a stray byte). */
static size_t utf8_width(int lead)
{
	return (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 1;
}

/* libyaml gives an encoding error (bytes that are not UTF-8) as a byte offset alone, its
 * problem_mark left at the start of the file: the line and column (in characters, as libyaml
 * counts them) of that byte, from the input read again up to it. A bad trailing byte is
 * reported at the character it was to complete, which is where the bad text starts. */
static yaml_mark_t offset_mark(const struct builder *b, size_t offset)
{
	yaml_mark_t mark = {0}, lead_mark = {0};
	size_t lead_at = 0, lead_width = 1;
	if (b->input && ferror(b->input))
		return mark; /* a read error, not an encoding error: keep the stream's error for the caller */
	if (b->input)
		rewind(b->input);
	for (size_t i = 0; i < offset; i++) {
		int c = b->text ? (unsigned char)b->text[i] : getc(b->input);
		if (c == EOF)
			break;
		if ((c & 0xC0) != 0x80) {
			lead_mark = mark;
			lead_at = i;
			lead_width = utf8_width(c);
		}
		if (c == '\n') {
			mark.line++;
			mark.column = 0;
		} else if ((c & 0xC0) != 0x80) {
			mark.column++;
		}
	}
	return lead_at + lead_width > offset ? lead_mark : mark;
}

static bool parser_error(const struct builder *b)
{
	const yaml_parser_t *parser = b->parser;
	yaml_mark_t mark = parser->problem_mark;
	if (parser->error == YAML_READER_ERROR)
		mark = offset_mark(b, parser->problem_offset);
	const char *problem = parser->problem ? parser->problem : "malformed YAML";
	if (parser->context)
		return error_set(b->err, b->file, (int)mark.line + 1, (int)mark.column + 1,
				 "malformed YAML: %s %s; expected valid YAML", problem, parser->context);
	return error_set(b->err, b->file, (int)mark.line + 1, (int)mark.column + 1,
			 "malformed YAML: %s; expected valid YAML", problem);
}

static bool next_event(struct builder *b, yaml_event_t *event)
{
	return yaml_parser_parse(b->parser, event) || parser_error(b);
}

/* Reads one event that needs no content (stream and document starts and ends). */
static bool next_event_type(struct builder *b, yaml_event_type_t *type, yaml_mark_t *mark)
{
	yaml_event_t event;
	if (!next_event(b, &event))
		return false;
	*type = event.type;
	*mark = event.start_mark;
	yaml_event_delete(&event);
	return true;
}

/* Root is depth 0; a collection's children are one deeper. */
static bool check_depth(struct builder *b, const yaml_mark_t *mark, int depth)
{
	if (depth <= YDOC_MAX_DEPTH)
		return true;
	return mark_error(b, mark, "document nested deeper than %d levels; expected at most %d", YDOC_MAX_DEPTH,
			  YDOC_MAX_DEPTH);
}

/* Counts one more node, made for the node or alias (`alias`) at `mark`. */
static bool count_node(struct builder *b, const yaml_mark_t *mark, bool alias)
{
	if (++b->nodes <= YDOC_MAX_NODES)
		return true;
	if (alias)
		return mark_error(b, mark, "aliases expand this document past %d nodes; expected a document "
				  "without alias bombs", YDOC_MAX_NODES);
	return mark_error(b, mark, "document has more than %d nodes; expected at most %d", YDOC_MAX_NODES,
			  YDOC_MAX_NODES);
}

/* A new node at `mark` (standing for an alias when `alias`), or NULL (err filled) when it
 * would be too deep or one too many. */
static struct ydoc_node *new_located_node(struct builder *b, const yaml_mark_t *mark, int depth, bool alias)
{
	if (!check_depth(b, mark, depth) || !count_node(b, mark, alias))
		return NULL;
	struct ydoc_node *node = calloc(1, sizeof *node);
	if (!node) {
		mark_error(b, mark, "out of memory");
		return NULL;
	}
	node->line = (int)mark->line + 1;
	node->column = (int)mark->column + 1;
	return node;
}

static bool is_null_scalar(const yaml_event_t *event)
{
	const char *text = (const char *)event->data.scalar.value;
	if (event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !text[0] || !strcmp(text, "~") || !strcmp(text, "null") || !strcmp(text, "Null") ||
	       !strcmp(text, "NULL");
}

static bool build_scalar(struct builder *b, struct ydoc_node *dst, const yaml_event_t *event)
{
	if (is_null_scalar(event)) {
		dst->type = YDOC_NULL;
		return true;
	}
	dst->type = YDOC_SCALAR;
	dst->quoted = event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	dst->text = strndup((const char *)event->data.scalar.value, event->data.scalar.length);
	return dst->text || mark_error(b, &event->start_mark, "out of memory");
}

static struct ydoc_node *build_node(struct builder *b, const yaml_event_t *event, int depth);

/* Reads the next node, at `depth`, into *out; or, when the next event is `end` (the end
 * of the collection being read), sets *out to NULL and returns true. */
static bool read_node(struct builder *b, int depth, yaml_event_type_t end, struct ydoc_node **out)
{
	yaml_event_t event;
	*out = NULL;
	if (!next_event(b, &event))
		return false;
	bool ok = event.type == end || (*out = build_node(b, &event, depth)) != NULL;
	yaml_event_delete(&event);
	return ok;
}

static bool build_seq(struct builder *b, struct ydoc_node *seq, int depth)
{
	size_t capacity = 0;
	seq->type = YDOC_SEQ;
	for (;;) {
		struct ydoc_node *item;
		if (!read_node(b, depth + 1, YAML_SEQUENCE_END_EVENT, &item))
			return false;
		if (!item)
			return true;
		struct ydoc_node **items = grow_array(seq->items, &capacity, seq->count, sizeof *items, 4);
		if (!items) {
			node_free(item);
			return error_set(b->err, b->file, seq->line, seq->column, "out of memory");
		}
		seq->items = items;
		seq->items[seq->count++] = item;
	}
}

/* A key must be a scalar given once in its mapping; `keys` holds the mapping's keys so far
 * (text -> key node), so the duplicate is found at its second occurrence, as it is read. */
static bool check_key(struct builder *b, struct strtab *keys, struct ydoc_node *key)
{
	if (key->type != YDOC_SCALAR)
		return error_set(b->err, b->file, key->line, key->column, "mapping key must be a plain name");
	const struct ydoc_node *first = strtab_get(keys, key->text);
	if (first)
		return error_set(b->err, b->file, key->line, key->column,
				 "duplicate key '%s' (first given at line %d); each key may appear once", key->text,
				 first->line);
	return strtab_put(keys, key->text, key) ||
	       error_set(b->err, b->file, key->line, key->column, "out of memory");
}

/* Appends key: value to map, which then owns both; false (map untouched) when out of memory. */
static bool add_entry(struct builder *b, struct ydoc_node *map, size_t *capacity, struct ydoc_node *key,
		      struct ydoc_node *value)
{
	struct ydoc_entry *entries = grow_array(map->entries, capacity, map->count, sizeof *entries, 4);
	if (!entries)
		return error_set(b->err, b->file, key->line, key->column, "out of memory");
	map->entries = entries;
	map->entries[map->count++] = (struct ydoc_entry){key, value};
	return true;
}

static bool build_map(struct builder *b, struct ydoc_node *map, int depth)
{
	size_t capacity = 0;
	struct strtab keys = {0};
	bool ok;
	map->type = YDOC_MAP;
	for (;;) {
		struct ydoc_node *key, *value = NULL;
		if (!(ok = read_node(b, depth + 1, YAML_MAPPING_END_EVENT, &key)) || !key)
			break;
		if (!check_key(b, &keys, key) || !read_node(b, depth + 1, YAML_NO_EVENT, &value) ||
		    !add_entry(b, map, &capacity, key, value)) {
			node_free(key); /* may be in keys, which is not read again */
			node_free(value);
			ok = false;
			break;
		}
	}
	free(keys.slots);
	return ok;
}

static const char *event_anchor(const yaml_event_t *event)
{
	if (event->type == YAML_SCALAR_EVENT)
		return (const char *)event->data.scalar.anchor;
	if (event->type == YAML_SEQUENCE_START_EVENT)
		return (const char *)event->data.sequence_start.anchor;
	if (event->type == YAML_MAPPING_START_EVENT)
		return (const char *)event->data.mapping_start.anchor;
	return NULL;
}

/* Records `node`, about to be built, under anchor `name`. libyaml's own loader refused an
 * anchor given twice (YAML would let the later one win); so do we, saying so plainly. */
static struct anchor *open_anchor(struct builder *b, const char *name, struct ydoc_node *node)
{
	const struct anchor *first = strtab_get(&b->anchors, name);
	if (first) {
		error_set(b->err, b->file, node->line, node->column,
			  "anchor '&%s' is given again (first at line %d); expected each anchor once", name,
			  first->node->line);
		return NULL;
	}
	size_t length = strlen(name);
	struct anchor *a = malloc(sizeof *a + length + 1);
	if (!a) {
		error_set(b->err, b->file, node->line, node->column, "out of memory");
		return NULL;
	}
	*a = (struct anchor){.node = node, .open = true};
	memcpy(a->name, name, length + 1);
	if (!strtab_put(&b->anchors, a->name, a)) {
		free(a);
		error_set(b->err, b->file, node->line, node->column, "out of memory");
		return NULL;
	}
	return a;
}

static void free_anchors(struct builder *b)
{
	for (size_t i = 0; i < b->anchors.size; i++)
		free(b->anchors.slots[i].value);
	free(b->anchors.slots);
}

static struct ydoc_node *copy_node(struct builder *b, const struct ydoc_node *src, const yaml_mark_t *mark,
				   int depth);

/* Copies src's children into dst (of the same type), one level deeper. */
static bool copy_children(struct builder *b, struct ydoc_node *dst, const struct ydoc_node *src,
			  const yaml_mark_t *mark, int depth)
{
	if (src->type == YDOC_SEQ && !(dst->items = calloc(src->count ? src->count : 1, sizeof *dst->items)))
		return mark_error(b, mark, "out of memory");
	if (src->type == YDOC_MAP && !(dst->entries = calloc(src->count ? src->count : 1, sizeof *dst->entries)))
		return mark_error(b, mark, "out of memory");
	for (; dst->count < src->count; dst->count++) {
		if (src->type == YDOC_SEQ) {
			if (!(dst->items[dst->count] = copy_node(b, src->items[dst->count], mark, depth + 1)))
				return false;
			continue;
		}
		const struct ydoc_entry *e = &src->entries[dst->count];
		struct ydoc_entry *copy = &dst->entries[dst->count];
		copy->key = copy_node(b, e->key, mark, depth + 1);
		copy->value = copy->key ? copy_node(b, e->value, mark, depth + 1) : NULL;
		if (!copy->value) {
			node_free(copy->key);
			copy->key = NULL;
			return false;
		}
	}
	return true;
}

/* A deep copy of src standing for an alias at `mark`: copies keep the anchored node's
 * line and column, as libyaml's shared nodes did, so errors point at the definition. */
static struct ydoc_node *copy_node(struct builder *b, const struct ydoc_node *src, const yaml_mark_t *mark,
				   int depth)
{
	struct ydoc_node *dst = new_located_node(b, mark, depth, true);
	if (!dst)
		return NULL;
	dst->type = src->type;
	dst->line = src->line;
	dst->column = src->column;
	dst->quoted = src->quoted;
	bool ok = src->text ? (dst->text = strdup(src->text)) != NULL || mark_error(b, mark, "out of memory")
			    : copy_children(b, dst, src, mark, depth);
	if (!ok) {
		node_free(dst);
		return NULL;
	}
	return dst;
}

/* An alias (*name) becomes a copy of its anchored node, which must be complete: an alias
 * inside its own anchor would repeat forever. */
static struct ydoc_node *build_alias(struct builder *b, const yaml_event_t *event, int depth)
{
	const struct anchor *a = strtab_get(&b->anchors, (const char *)event->data.alias.anchor);
	if (!a)
		mark_error(b, &event->start_mark, "malformed YAML: found undefined alias; expected valid YAML");
	else if (a->open)
		mark_error(b, &event->start_mark, "document nested deeper than %d levels (recursive alias?)",
			   YDOC_MAX_DEPTH);
	else
		return copy_node(b, a->node, &event->start_mark, depth);
	return NULL;
}

/* Builds the node that `event` starts, reading the events of its children. */
static struct ydoc_node *build_node(struct builder *b, const yaml_event_t *event, int depth)
{
	if (event->type == YAML_ALIAS_EVENT)
		return build_alias(b, event, depth);
	struct ydoc_node *node = new_located_node(b, &event->start_mark, depth, false);
	if (!node)
		return NULL;
	const char *name = event_anchor(event);
	struct anchor *anchor = name ? open_anchor(b, name, node) : NULL;
	bool ok = !name || anchor;
	if (ok && event->type == YAML_SCALAR_EVENT)
		ok = build_scalar(b, node, event);
	else if (ok && event->type == YAML_SEQUENCE_START_EVENT)
		ok = build_seq(b, node, depth);
	else if (ok)
		ok = build_map(b, node, depth);
	if (!ok) {
		node_free(node); /* the anchor table may still point here; nothing reads it after an error */
		return NULL;
	}
	if (anchor)
		anchor->open = false;
	return node;
}

/* The stream of an initialised parser: exactly one document, its root into doc. */
static bool read_stream(struct builder *b, struct ydoc *doc)
{
	yaml_event_type_t type;
	yaml_mark_t mark;
	if (!next_event_type(b, &type, &mark) || !next_event_type(b, &type, &mark))
		return false; /* the stream start, then a document start or the stream end */
	if (type == YAML_STREAM_END_EVENT)
		return error_set(b->err, b->file, 1, 1, "file is empty; expected a YAML mapping");
	if (!read_node(b, 0, YAML_NO_EVENT, &doc->root) || !next_event_type(b, &type, &mark) ||
	    !next_event_type(b, &type, &mark))
		return false; /* the root, the document end, then what follows it */
	if (type == YAML_DOCUMENT_START_EVENT)
		return mark_error(b, &mark, "more than one YAML document; expected exactly one");
	return true;
}

/* Loads the single document of an initialised parser, reading `input` or `text`, into *out. */
static bool load_with_parser(yaml_parser_t *parser, FILE *input, const char *text, const char *file,
			     struct ydoc **out, struct ts_error *err)
{
	struct builder b = {.parser = parser, .file = file, .err = err, .input = input, .text = text};
	struct ydoc *doc = calloc(1, sizeof *doc);
	bool ok = doc && (doc->file = strdup(file));
	if (!ok)
		error_set(err, file, 0, 0, "out of memory");
	ok = ok && read_stream(&b, doc);
	free_anchors(&b);
	if (!ok) {
		ydoc_destroy(doc);
		return false;
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
	bool ok = load_with_parser(&parser, NULL, text, name, out, err);
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
	bool ok = load_with_parser(&parser, f, NULL, path, out, err);
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
		/* digits only: strtoul alone would also take " 1", "+1" and "-0" as indices */
		char *end;
		errno = 0;
		unsigned long i = strtoul(part, &end, 10);
		bool digits = part[0] && strspn(part, "0123456789") == strlen(part);
		return (!digits || errno || i >= node->count) ? NULL : node->items[i];
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

bool ydoc_override(struct ydoc *doc, const char *assignment, const char *item, struct ts_error *err)
{
	char origin[YDOC_PATH_MAX + 16], path[YDOC_PATH_MAX];
	snprintf(origin, sizeof origin, "--set %.*s", YDOC_PATH_MAX, item ? item : assignment);
	const char *eq = strchr(assignment, '=');
	if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof path)
		return error_set(err, origin, 0, 0, "expected KEY=VALUE with a dotted key such as fabric.leaf.nodes=32");
	snprintf(path, sizeof path, "%.*s", (int)(eq - assignment), assignment);
	if (path[0] == '.' || path[strlen(path) - 1] == '.' || strstr(path, "..")) /* strtok would skip it */
		return error_set(err, origin, 0, 0, "'%s' has an empty key between its dots; expected a dotted key "
				 "such as fabric.leaf.nodes=32", path);
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
	char buf[YDOC_PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	const struct ydoc_node *node = doc->root;
	char *save = NULL;
	for (char *part = strtok_r(buf, ".", &save); part && node; part = strtok_r(NULL, ".", &save))
		node = path_step(node, part);
	return node;
}

bool ydoc_error_at(const struct ydoc *doc, const char *path, struct ts_error *err, const char *fmt, ...)
{
	char buf[YDOC_PATH_MAX], message[ERROR_MESSAGE_MAX];
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
