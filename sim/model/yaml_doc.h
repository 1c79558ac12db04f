/* yaml_doc: a YAML file read with libyaml into a small tree whose every node knows its
 * 1-based line and column, plus table-driven decoding of mappings into C structs with
 * strict types, units, ranges, unknown-key and duplicate-key errors. */
#ifndef TRAINSIM_YAML_DOC_H
#define TRAINSIM_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "units.h"

/* Longest dotted path in messages and --set keys. */
#define YDOC_PATH_MAX 256

enum ydoc_type { YDOC_NULL, YDOC_SCALAR, YDOC_MAP, YDOC_SEQ };

struct ydoc_node;

struct ydoc_entry {
	struct ydoc_node *key; /* always a scalar */
	struct ydoc_node *value;
};

struct ydoc_node {
	enum ydoc_type type;
	int line;   /* 1-based */
	int column; /* 1-based */
	char *text; /* YDOC_SCALAR: the scalar's text */
	bool quoted;
	size_t count;               /* entries (map) or items (seq) */
	struct ydoc_entry *entries; /* YDOC_MAP */
	struct ydoc_node **items;   /* YDOC_SEQ */
	char *origin;               /* set by an override: the "--set key=value" it came from */
};

struct ydoc {
	char *file; /* name used in messages */
	struct ydoc_node *root;
};

/* Read and parse the YAML file at `path`. On success *out owns a new document (free with
 * ydoc_destroy); aliases in it are copies of their anchored nodes. On failure returns false
 * with err located in the file: unreadable file, malformed YAML, several documents,
 * duplicate keys, nesting deeper than 64 levels, more than 100,000 nodes once aliases are
 * expanded, and anchors that are undefined, repeated or used inside themselves. */
bool ydoc_load_file(const char *path, struct ydoc **out, struct ts_error *err);

/* Same, from text in memory; `name` is used as the file name in messages. */
bool ydoc_load_string(const char *name, const char *text, struct ydoc **out, struct ts_error *err);

/* Apply one override "dotted.path=value" (from --set): the scalar at the path is replaced,
 * or added with the maps leading to it. Errors about that value then name the override
 * instead of a file line. false (err filled) when the path runs through a non-mapping or the
 * text has no '='. */
bool ydoc_override(struct ydoc *doc, const char *assignment, const char *item, struct ts_error *err);

/* Free a document; accepts NULL. */
void ydoc_destroy(struct ydoc *doc);

/* The value under `key` in a mapping node, or NULL (also NULL when node is not a map). */
const struct ydoc_node *ydoc_map_get(const struct ydoc_node *map, const char *key);

/* The node at a dotted path from the root ("fabric.leaf.nodes"; "sites.0.name" indexes a
 * sequence), or NULL. */
const struct ydoc_node *ydoc_find(const struct ydoc *doc, const char *path);

/* Locate err at `node` (or at the document start when node is NULL) with a message. */
bool ydoc_error(const struct ydoc *doc, const struct ydoc_node *node, struct ts_error *err,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Locate err at the node at a dotted path, or at its nearest ancestor that exists. */
bool ydoc_error_at(const struct ydoc *doc, const char *path, struct ts_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- Table-driven decoding ---- */

enum yfield_kind {
	YF_END = 0,   /* sentinel: a table ends with {0} */
	YF_INT,       /* whole number into `long`, range [min, max] */
	YF_QUANTITY,  /* number with a unit of `unit` into `double` (SI), range [min, max] */
	YF_STRING,    /* scalar copied into a `char *` the caller frees */
	YF_BOOL,      /* true/false into `bool` */
	YF_CHOICE,    /* one of `choices` (NULL-terminated), index into `int` */
	YF_MAP,       /* nested mapping decoded with `fields`, offsets relative to the same base */
	YF_CUSTOM,    /* `custom` handler decodes the node into base + offset */
};

struct yfield;

/* A custom decoder: `dst` is base + offset; `path` names the node in messages. */
typedef bool (*yfield_custom_fn)(const struct ydoc *doc, const struct ydoc_node *node,
				 const char *path, void *dst, struct ts_error *err);

struct yfield {
	const char *key;
	enum yfield_kind kind;
	size_t offset;
	bool required;
	enum unit_kind unit;
	double min, max; /* inclusive range for YF_INT and YF_QUANTITY; both 0 = no check */
	const char *const *choices;
	const struct yfield *fields;
	yfield_custom_fn custom;
	bool has_presence;      /* if set, a bool at presence_offset says the key was given */
	size_t presence_offset;
};

/* Decode mapping `node` (named `path` in messages, "" for the root) into `base` using
 * the table `fields`. Rejects unknown keys (suggesting the closest known one), missing
 * required keys, wrong node types, bad numbers or units and values out of range. */
bool ydoc_decode(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
		 const struct yfield *fields, void *base, struct ts_error *err);

/* Join "parent" and "key" into a dotted path in buf ("key" when parent is ""). */
const char *ydoc_path_join(char *buf, size_t size, const char *parent, const char *key);

/* The known key closest to `key` by edit distance (NULL if none is close). */
const char *ydoc_closest_key(const char *key, const struct yfield *fields);

/* Decode one scalar as a quantity / whole number, with range check, for custom decoders. */
bool ydoc_quantity(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
		   enum unit_kind unit, double min, double max, double *out, struct ts_error *err);
bool ydoc_int(const struct ydoc *doc, const struct ydoc_node *node, const char *path,
	      double min, double max, long *out, struct ts_error *err);

#endif
