/* json_read: a small, strict JSON reader (RFC 8259) into a tree whose every value knows its
 * 1-based line and column; errors say file:line:column and what was expected. */
#ifndef TRAINSIM_JSON_READ_H
#define TRAINSIM_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Objects and arrays nested deeper than this are rejected rather than read recursively. */
#define JSON_VALUE_MAX_DEPTH 64

enum json_value_type { JSON_VALUE_NULL, JSON_VALUE_BOOL, JSON_VALUE_NUMBER, JSON_VALUE_STRING, JSON_VALUE_ARRAY,
		       JSON_VALUE_OBJECT };

struct json_value;

struct json_member {
	char *key;
	struct json_value *value;
};

struct json_value {
	enum json_value_type type;
	int line;   /* 1-based, where the value starts */
	int column; /* 1-based, counted in characters (UTF-8 sequences count once) */
	bool boolean;
	double number;
	char *string;                /* UTF-8, NUL-terminated (\u0000 is rejected) */
	size_t count;                /* members (object) or items (array) */
	struct json_member *members; /* JSON_VALUE_OBJECT, in file order */
	struct json_value **items;   /* JSON_VALUE_ARRAY */
};

/* Read the JSON document in the file at `path`. On success *out owns a new tree (free with
 * json_value_destroy). On failure returns false, leaves *out NULL and fills err located in the
 * file: unreadable file, malformed JSON, trailing text after the value, nesting deeper than
 * JSON_VALUE_MAX_DEPTH, numbers out of range, invalid UTF-8, and duplicate keys in an object
 * (rejected, as our YAML loader does: a summary with two "p50" is a bug, not a choice). */
bool json_value_read_file(const char *path, struct json_value **out, struct ts_error *err);

/* Same, from `size` bytes of `text`; `name` is the file name used in messages. */
bool json_value_read_string(const char *name, const char *text, size_t size, struct json_value **out,
			    struct ts_error *err);

/* Free a tree; accepts NULL. */
void json_value_destroy(struct json_value *value);

/* The value at a dotted path under `value` ("distribution.wallclock_s.p50"; a segment of
 * digits indexes an array, "overrides.0"), or NULL when a step is absent or not a container.
 * Keys that contain '.' cannot be reached this way. The result is owned by the tree. */
const struct json_value *json_value_get(const struct json_value *value, const char *path);

/* The member `key` of an object, or NULL (also when `object` is not an object). */
const struct json_value *json_value_member(const struct json_value *object, const char *key);

/* Typed getters: true and *out set when `value` is non-NULL and of that type. */
bool json_value_number(const struct json_value *value, double *out);
bool json_value_string(const struct json_value *value, const char **out);
bool json_value_bool(const struct json_value *value, bool *out);

/* Whether two trees hold the same data: same types, numbers ==, strings byte for byte,
 * arrays item by item, objects with the same keys and values in the same order. */
bool json_value_equal(const struct json_value *a, const struct json_value *b);

/* "null", "a number", "an object", ... for messages. */
const char *json_value_type_name(enum json_value_type type);

/* A compact one-line rendering for messages (strings quoted, objects as {...}), cut with
 * "..." to fit buf[size]. Returns buf. */
const char *json_value_format(const struct json_value *value, char *buf, size_t size);

#endif
