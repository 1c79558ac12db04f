/* summary_read: a summary.json read with jansson, strictly (duplicate keys rejected, every
 * number a double), keeping the text so that a value of the wrong type in a valid document
 * can still be located; plus dotted-path lookup and one-line rendering for messages. */
#ifndef TRAINSIM_SUMMARY_READ_H
#define TRAINSIM_SUMMARY_READ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* A document and the text it was read from (opaque). */
struct summary_doc;

/* Read the JSON file at `path`. On success *out owns a new document (free with
 * summary_read_destroy). On failure returns false, leaves *out NULL and fills err:
 * "path: cannot read: <reason>" for an unreadable file, else jansson's message located
 * path:line:column at the offending token's start (at the end of the file when the text
 * stops early). Rejected: malformed JSON, duplicate keys in an object, numbers beyond the
 * range of a double, \u0000 in strings, invalid UTF-8, nesting deeper than jansson's 2048. */
bool summary_read_file(const char *path, struct summary_doc **out, struct ts_error *err);

/* Same, from `size` bytes of `text` (copied); `name` is the file name used in messages. */
bool summary_read_string(const char *name, const char *text, size_t size, struct summary_doc **out,
			 struct ts_error *err);

/* Free a document and every value in it; accepts NULL. */
void summary_read_destroy(struct summary_doc *doc);

/* The top-level value, owned by the document (any JSON value, not only an object). */
const json_t *summary_read_root(const struct summary_doc *doc);

/* The value at a dotted path under `value` ("distribution.wallclock_s.p50"; a segment of
 * digits indexes an array, "scenario.overrides.0"; "" is `value` itself), or NULL when a step
 * is absent or not a container. Keys containing '.' cannot be reached this way. */
const json_t *summary_read_get(const json_t *value, const char *path);

/* Where the value at `path` (as for summary_read_get, from the root) starts in the text:
 * true and *line, *column set 1-based (a column counts characters, not bytes), or false
 * when there is no such value. jansson keeps no positions; this walks the text again. */
bool summary_read_locate(const struct summary_doc *doc, const char *path, int *line, int *column);

/* true and *out set when `value` is a number (integer or real). */
bool summary_read_number(const json_t *value, double *out);

/* "null", "a boolean", "a number", "a string", "an array" or "an object", for messages. */
const char *summary_read_type_name(const json_t *value);

/* A compact one-line rendering for messages ({"a": [1, "x"]}; numbers in the fewest digits
 * that read back the same), cut with "..." to fit buf[size]; "" for NULL. Returns buf. */
const char *summary_read_format(const json_t *value, char *buf, size_t size);

#endif
