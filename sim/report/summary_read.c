/* summary_read: jansson does the parsing; this file turns its errors into located ones, walks
 * the accepted text again to locate a value (jansson keeps no positions), and renders values
 * for messages. */
#include "summary_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every number a double (an integer and a real of the same value are equal, as the writer
 * may print either); duplicate keys rejected; any top-level value, so that compare can say
 * "the document is an array" in its own words. */
#define SUMMARY_READ_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL)

struct summary_doc {
	json_t *root;
	char *text; /* what root was read from, NUL-terminated */
	size_t size;
};

/* ---- positions ---- */

/* Line and column of byte `offset` in `text`, 1-based; UTF-8 continuation bytes do not move
 * the column (a column is a character, as jansson and libyaml count it). */
static void position_of(const char *text, size_t offset, int *line, int *column)
{
	*line = 1;
	*column = 1;
	for (size_t i = 0; i < offset; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n') {
			++*line;
			*column = 1;
		} else if ((c & 0xC0) != 0x80) {
			++*column;
		}
	}
}

/* The token jansson names in "... near '<token>'" ends at `at`: its start, or false when
 * the message names none (jansson names tokens of at most 20 bytes). */
static bool named_token_start(const char *text, const json_error_t *e, size_t at, size_t *start)
{
	for (const char *near = strstr(e->text, " near '"); near; near = strstr(near + 1, " near '")) {
		const char *token = near + strlen(" near '");
		size_t n = strlen(token);
		if (n > 0 && token[--n] == '\'' && n <= at && !memcmp(text + at - n, token, n)) {
			*start = at - n;
			return true;
		}
	}
	return false;
}

/* Byte offset to report for a jansson error. jansson gives the position just past what it
 * read: the named token's start is more useful; a byte that is not UTF-8 was not counted, so
 * the position is that byte; "near end of file" is where something is missing, unless the
 * "end" was a NUL byte jansson read; otherwise the last byte read. */
static size_t error_offset(const char *text, const json_error_t *e)
{
	size_t at = e->position > 0 ? (size_t)e->position : 0, start;
	const char *eof = " near end of file";
	size_t length = strlen(e->text), eof_length = strlen(eof);
	if (json_error_code(e) == json_error_invalid_utf8)
		return at;
	if (named_token_start(text, e, at, &start))
		return start;
	if (length >= eof_length && !strcmp(e->text + length - eof_length, eof))
		return at > 0 && text[at - 1] == '\0' ? at - 1 : at;
	return at > 0 ? at - 1 : 0;
}

/* ---- reading ---- */

/* The whole of `f` into a new NUL-terminated buffer; false with errno set on failure. */
static bool read_all(FILE *f, char **text, size_t *size)
{
	size_t capacity = 8192, used = 0, n;
	char *buf = malloc(capacity), *bigger;
	errno = 0;
	while (buf && (n = fread(buf + used, 1, capacity - used - 1, f)) > 0) {
		used += n;
		if (capacity - used > 1)
			continue;
		capacity *= 2;
		if (!(bigger = realloc(buf, capacity)))
			free(buf);
		buf = bigger;
	}
	if (!buf || ferror(f)) {
		int saved = buf ? errno : ENOMEM;
		free(buf);
		errno = saved ? saved : EIO;
		return false;
	}
	buf[used] = '\0';
	*text = buf;
	*size = used;
	return true;
}

/* Parses doc->text; the error located in `name` on failure. */
static bool parse(struct summary_doc *doc, const char *name, struct ts_error *err)
{
	json_error_t e;
	int line, column;
	doc->root = json_loadb(doc->text, doc->size, SUMMARY_READ_FLAGS, &e);
	if (doc->root)
		return true;
	if (json_error_code(&e) == json_error_out_of_memory)
		return error_set(err, name, 0, 0, "out of memory");
	position_of(doc->text, error_offset(doc->text, &e), &line, &column);
	return error_set(err, name, line, column, "%s", e.text);
}

/* Takes `text` (malloc'd, NUL-terminated) into a new document. */
static bool adopt(const char *name, char *text, size_t size, struct summary_doc **out, struct ts_error *err)
{
	struct summary_doc *doc = calloc(1, sizeof *doc);
	if (!doc) {
		free(text);
		return error_set(err, name, 0, 0, "out of memory");
	}
	doc->text = text;
	doc->size = size;
	if (!parse(doc, name, err)) {
		summary_read_destroy(doc);
		return false;
	}
	*out = doc;
	return true;
}

bool summary_read_file(const char *path, struct summary_doc **out, struct ts_error *err)
{
	char *text;
	size_t size;
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_set(err, path, 0, 0, "cannot read: %s", strerror(errno));
	bool ok = read_all(f, &text, &size);
	int saved = errno;
	fclose(f);
	if (!ok)
		return error_set(err, path, 0, 0, "cannot read: %s", strerror(saved));
	return adopt(path, text, size, out, err);
}

bool summary_read_string(const char *name, const char *text, size_t size, struct summary_doc **out,
			 struct ts_error *err)
{
	char *copy = malloc(size + 1);
	*out = NULL;
	if (!copy)
		return error_set(err, name, 0, 0, "out of memory");
	memcpy(copy, text, size);
	copy[size] = '\0';
	return adopt(name, copy, size, out, err);
}

void summary_read_destroy(struct summary_doc *doc)
{
	if (!doc)
		return;
	json_decref(doc->root);
	free(doc->text);
	free(doc);
}

const json_t *summary_read_root(const struct summary_doc *doc)
{
	return doc->root;
}

/* ---- lookup ---- */

/* Segment `segment` (length n) of a path as an array index; false unless all digits. */
static bool parse_index(const char *segment, size_t n, size_t *index)
{
	*index = 0;
	if (n == 0 || n > 9 || strspn(segment, "0123456789") < n)
		return false;
	for (size_t k = 0; k < n; k++)
		*index = *index * 10 + (size_t)(segment[k] - '0');
	return true;
}

static const json_t *child(const json_t *value, const char *segment, size_t n)
{
	char key[256];
	size_t index;
	if (json_is_array(value))
		return parse_index(segment, n, &index) ? json_array_get(value, index) : NULL;
	if (!json_is_object(value) || n >= sizeof key)
		return NULL;
	memcpy(key, segment, n);
	key[n] = '\0';
	return json_object_get(value, key);
}

const json_t *summary_read_get(const json_t *value, const char *path)
{
	while (value && *path) {
		size_t n = strcspn(path, ".");
		value = child(value, path, n);
		path += n + (path[n] == '.');
	}
	return value;
}

bool summary_read_number(const json_t *value, double *out)
{
	if (!json_is_number(value))
		return false;
	*out = json_number_value(value);
	return true;
}

const char *summary_read_type_name(const json_t *value)
{
	switch (json_typeof(value)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: break;
	}
	return "null";
}

/* ---- locating a value in the text ---- */

/* A walk over text jansson has accepted, so it is valid JSON: no checks beyond staying in
 * bounds, and nothing decoded except a key that holds an escape. */
struct cursor {
	const char *text;
	size_t size, pos;
};

static char at(const struct cursor *c)
{
	return c->pos < c->size ? c->text[c->pos] : '\0';
}

static void skip_space(struct cursor *c)
{
	while (at(c) == ' ' || at(c) == '\t' || at(c) == '\n' || at(c) == '\r')
		c->pos++;
}

/* From an opening quote to past the closing one. */
static void skip_string(struct cursor *c)
{
	for (c->pos++; c->pos < c->size && at(c) != '"'; c->pos++)
		c->pos += at(c) == '\\';
	c->pos++;
}

static bool ends_value(char ch)
{
	return ch == '\0' || ch == ',' || ch == ']' || ch == '}' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* From the start of a value to just past it: strings whole, brackets counted. */
static void skip_value(struct cursor *c)
{
	size_t depth = 0;
	do {
		char ch = at(c);
		if (ch == '"') {
			skip_string(c);
			continue;
		}
		depth += ch == '{' || ch == '[';
		depth -= (ch == '}' || ch == ']') && depth > 0;
		c->pos++;
	} while (c->pos < c->size && (depth > 0 || !ends_value(at(c))));
}

/* Whether the key string at the cursor (quotes included, `n` bytes) is `segment`: byte for
 * byte, or, when it holds an escape, once jansson has decoded it. */
static bool key_is(const struct cursor *c, size_t n, const char *segment, size_t length)
{
	const char *raw = c->text + c->pos;
	if (!memchr(raw, '\\', n))
		return n - 2 == length && !memcmp(raw + 1, segment, length);
	json_t *key = json_loadb(raw, n, JSON_DECODE_ANY, NULL);
	bool same = key && json_string_length(key) == length && !memcmp(json_string_value(key), segment, length);
	json_decref(key);
	return same;
}

/* At a member's key: past the key and its colon, to the member's value. */
static bool member_matches(struct cursor *c, const char *segment, size_t length)
{
	size_t start = c->pos;
	skip_string(c);
	struct cursor key = {c->text, c->size, start};
	bool same = key_is(&key, c->pos - start, segment, length);
	skip_space(c);
	c->pos++; /* the colon */
	skip_space(c);
	return same;
}

/* From the start of a container to the start of its member or item `segment`; false when
 * there is none (or the value is no container). */
static bool descend(struct cursor *c, const char *segment, size_t length)
{
	char open = at(c), close = open == '{' ? '}' : ']';
	size_t wanted = 0, index = 0;
	if (open != '{' && (open != '[' || !parse_index(segment, length, &wanted)))
		return false;
	c->pos++;
	skip_space(c);
	while (c->pos < c->size && at(c) != close) {
		bool found = open == '{' ? member_matches(c, segment, length) : index++ == wanted;
		if (found)
			return true;
		skip_value(c);
		skip_space(c);
		c->pos += at(c) == ',';
		skip_space(c);
	}
	return false;
}

bool summary_read_locate(const struct summary_doc *doc, const char *path, int *line, int *column)
{
	struct cursor c = {doc->text, doc->size, 0};
	skip_space(&c);
	while (*path) {
		size_t n = strcspn(path, ".");
		if (!descend(&c, path, n))
			return false;
		path += n + (path[n] == '.');
	}
	position_of(doc->text, c.pos, line, column);
	return true;
}

/* ---- rendering for messages ---- */

struct render {
	char *buf;
	size_t size, used;
};

static void render_text(struct render *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void render_text(struct render *out, const char *fmt, ...)
{
	if (out->used >= out->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out->buf + out->used, out->size - out->used, fmt, ap);
	va_end(ap);
	out->used += n > 0 ? (size_t)n : 0;
}

/* The shortest %g that reads back as the same double (jansson's own dump prints 17 digits
 * and a ".0": 6566162.3600000003, 86400.0). */
static void render_number(struct render *out, double x)
{
	char text[32];
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(text, sizeof text, "%.*g", digits, x);
		if (strtod(text, NULL) == x)
			break;
	}
	render_text(out, "%s", text);
}

static void render_string(struct render *out, const char *s)
{
	render_text(out, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			render_text(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			render_text(out, "\\u%04x", (unsigned)*s);
		else
			render_text(out, "%c", *s);
	}
	render_text(out, "\"");
}

static void render_value(struct render *out, const json_t *v);

static void render_container(struct render *out, const json_t *v)
{
	const char *key, *separator = "";
	json_t *item;
	size_t i;
	if (json_is_array(v)) {
		render_text(out, "[");
		json_array_foreach (v, i, item) {
			render_text(out, "%s", i ? ", " : "");
			render_value(out, item);
		}
		render_text(out, "]");
		return;
	}
	render_text(out, "{");
	json_object_foreach ((json_t *)v, key, item) {
		render_text(out, "%s", separator);
		render_string(out, key);
		render_text(out, ": ");
		render_value(out, item);
		separator = ", ";
	}
	render_text(out, "}");
}

static void render_value(struct render *out, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_NULL: render_text(out, "null"); return;
	case JSON_TRUE: render_text(out, "true"); return;
	case JSON_FALSE: render_text(out, "false"); return;
	case JSON_INTEGER:
	case JSON_REAL: render_number(out, json_number_value(v)); return;
	case JSON_STRING: render_string(out, json_string_value(v)); return;
	case JSON_ARRAY:
	case JSON_OBJECT: render_container(out, v); return;
	}
}

const char *summary_read_format(const json_t *value, char *buf, size_t size)
{
	struct render out = {buf, size, 0};
	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (value)
		render_value(&out, value);
	if (out.used >= size && size >= 4)
		memcpy(buf + size - 4, "...", 4);
	return buf;
}
