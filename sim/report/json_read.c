/* json_read: a recursive-descent reader over bytes in memory, tracking line and column so each
 * error points where the text went wrong; plus lookup, comparison and rendering of the tree. */
#include "json_read.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct reader {
	const char *name;
	const unsigned char *text;
	size_t size, pos;
	int line, column; /* of text[pos], 1-based */
	int depth;
	struct ts_error *err;
};

#define END_OF_FILE (-1)

static int peek(const struct reader *r)
{
	return r->pos < r->size ? r->text[r->pos] : END_OF_FILE;
}

/* UTF-8 continuation bytes do not move the column: a column is a character, as in libyaml. */
static void advance(struct reader *r)
{
	unsigned char c = r->text[r->pos++];
	if (c == '\n') {
		r->line++;
		r->column = 1;
	} else if ((c & 0xC0) != 0x80) {
		r->column++;
	}
}

static void skip_space(struct reader *r)
{
	int c;
	while ((c = peek(r)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		advance(r);
}

static bool fail(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct reader *r, const char *fmt, ...)
{
	char message[ERROR_MESSAGE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	return error_set(r->err, r->name, r->line, r->column, "%s", message);
}

/* "unexpected ']' inside an object; expected , or }": what is at the cursor, where, and what
 * would have been valid there. */
static bool unexpected(struct reader *r, const char *where, const char *expected)
{
	int c = peek(r);
	char what[32];
	if (c == END_OF_FILE)
		snprintf(what, sizeof what, "end of file");
	else if (c < 0x20 || c == 0x7F)
		snprintf(what, sizeof what, "control character U+%04X", (unsigned)c);
	else if (c >= 0x80)
		snprintf(what, sizeof what, "non-ASCII character");
	else
		snprintf(what, sizeof what, "'%c'", c);
	return fail(r, "unexpected %s%s; expected %s", what, where, expected);
}

/* ---- growing storage ---- */

/* Room for one more element in an array of `count` grown by doubling from 4. */
static bool grow(void **array, size_t count, size_t element_size)
{
	if (count != 0 && (count < 4 || (count & (count - 1)) != 0))
		return true;
	size_t capacity = count ? 2 * count : 4;
	void *bigger = realloc(*array, capacity * element_size);
	if (!bigger)
		return false;
	*array = bigger;
	return true;
}

struct text_buffer {
	char *data;
	size_t length;
};

static bool buffer_append(struct text_buffer *b, const char *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!grow((void **)&b->data, b->length, 1))
			return false;
		b->data[b->length++] = bytes[i];
	}
	return true;
}

/* ---- strings ---- */

/* Length of the valid UTF-8 sequence at s (at most `avail` bytes), or 0: no overlong forms,
 * no surrogates, nothing above U+10FFFF (RFC 3629). */
static size_t utf8_length(const unsigned char *s, size_t avail)
{
	static const struct { unsigned char lead_min, lead_max, second_min, second_max; size_t length; } forms[] = {
		{0xC2, 0xDF, 0x80, 0xBF, 2}, {0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
		{0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3}, {0xF0, 0xF0, 0x90, 0xBF, 4},
		{0xF1, 0xF3, 0x80, 0xBF, 4}, {0xF4, 0xF4, 0x80, 0x8F, 4}};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		if (s[0] < forms[i].lead_min || s[0] > forms[i].lead_max)
			continue;
		size_t n = forms[i].length;
		if (avail < n || s[1] < forms[i].second_min || s[1] > forms[i].second_max)
			return 0;
		for (size_t k = 2; k < n; k++)
			if ((s[k] & 0xC0) != 0x80)
				return 0;
		return n;
	}
	return 0;
}

static size_t utf8_encode(unsigned long code, char out[4])
{
	if (code < 0x80) {
		out[0] = (char)code;
		return 1;
	}
	if (code < 0x800) {
		out[0] = (char)(0xC0 | (code >> 6));
		out[1] = (char)(0x80 | (code & 0x3F));
		return 2;
	}
	if (code < 0x10000) {
		out[0] = (char)(0xE0 | (code >> 12));
		out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
		out[2] = (char)(0x80 | (code & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (code >> 18));
	out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
	out[3] = (char)(0x80 | (code & 0x3F));
	return 4;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The four hex digits after "\u" (the cursor is on the 'u'). */
static bool read_hex4(struct reader *r, unsigned long *code)
{
	advance(r);
	*code = 0;
	for (int i = 0; i < 4; i++) {
		int digit = hex_value(peek(r));
		if (digit < 0)
			return unexpected(r, " in a \\u escape", "4 hex digits");
		*code = *code * 16 + (unsigned long)digit;
		advance(r);
	}
	return true;
}

/* A \uXXXX escape, joining a UTF-16 surrogate pair into one code point. */
static bool read_unicode_escape(struct reader *r, unsigned long *code)
{
	int line = r->line, column = r->column - 1; /* at the backslash */
	unsigned long low;
	if (!read_hex4(r, code))
		return false;
	if (*code >= 0xDC00 && *code <= 0xDFFF)
		return error_set(r->err, r->name, line, column, "unpaired low surrogate \\u%04lX; expected a high "
				 "surrogate \\uD800-\\uDBFF before it", *code);
	if (*code == 0)
		return error_set(r->err, r->name, line, column, "\\u0000 in a string; expected text without NUL "
				 "characters");
	if (*code < 0xD800 || *code > 0xDBFF)
		return true;
	if (peek(r) != '\\' || r->pos + 1 >= r->size || r->text[r->pos + 1] != 'u')
		return error_set(r->err, r->name, line, column, "unpaired high surrogate \\u%04lX; expected a low "
				 "surrogate \\uDC00-\\uDFFF after it", *code);
	advance(r);
	if (!read_hex4(r, &low))
		return false;
	if (low < 0xDC00 || low > 0xDFFF)
		return error_set(r->err, r->name, line, column, "unpaired high surrogate \\u%04lX; expected a low "
				 "surrogate \\uDC00-\\uDFFF after it", *code);
	*code = 0x10000 + ((*code - 0xD800) << 10) + (low - 0xDC00);
	return true;
}

/* One escape; the cursor is on the backslash. */
static bool read_escape(struct reader *r, struct text_buffer *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	advance(r);
	int c = peek(r);
	const char *at = c == END_OF_FILE || c == 0 ? NULL : strchr(from, c);
	if (at) {
		advance(r);
		return buffer_append(b, &to[at - from], 1) || fail(r, "out of memory");
	}
	if (c != 'u')
		return unexpected(r, " after \\ in a string", "one of \" \\ / b f n r t u");
	unsigned long code;
	char bytes[4];
	if (!read_unicode_escape(r, &code))
		return false;
	return buffer_append(b, bytes, utf8_encode(code, bytes)) || fail(r, "out of memory");
}

/* One character that stands for itself: ASCII, or a whole valid UTF-8 sequence. */
static bool read_plain(struct reader *r, struct text_buffer *b)
{
	size_t n = 1;
	if (r->text[r->pos] >= 0x80 && !(n = utf8_length(r->text + r->pos, r->size - r->pos)))
		return fail(r, "invalid UTF-8 in a string; expected UTF-8 text");
	if (!buffer_append(b, (const char *)r->text + r->pos, n))
		return fail(r, "out of memory");
	while (n--)
		advance(r);
	return true;
}

/* A string; the cursor is on the opening quote. *out is a new NUL-terminated copy. */
static bool read_string(struct reader *r, char **out)
{
	struct text_buffer b = {NULL, 0};
	bool ok = true;
	int c;
	advance(r);
	while (ok && (c = peek(r)) != '"') {
		if (c == END_OF_FILE || c < 0x20)
			ok = unexpected(r, " inside a string", c == END_OF_FILE ? "a closing \"" : "an escape such as \\n");
		else if (c == '\\')
			ok = read_escape(r, &b);
		else
			ok = read_plain(r, &b);
	}
	ok = ok && (buffer_append(&b, "", 1) || fail(r, "out of memory"));
	if (!ok) {
		free(b.data);
		return false;
	}
	advance(r);
	*out = b.data;
	return true;
}

/* ---- numbers and words ---- */

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool skip_digits(struct reader *r)
{
	if (!is_digit(peek(r)))
		return unexpected(r, " in a number", "a digit");
	while (is_digit(peek(r)))
		advance(r);
	return true;
}

/* Walks the JSON number grammar, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, which is
 * stricter than strtod (no "+1", ".5", "1.", hex, inf or nan). */
static bool scan_number(struct reader *r)
{
	if (peek(r) == '-')
		advance(r);
	if (peek(r) == '0') {
		advance(r);
		if (is_digit(peek(r)))
			return unexpected(r, " in a number", ". or an exponent after a leading 0");
	} else if (!skip_digits(r)) {
		return false;
	}
	if (peek(r) == '.') {
		advance(r);
		if (!skip_digits(r))
			return false;
	}
	if (peek(r) == 'e' || peek(r) == 'E') {
		advance(r);
		if (peek(r) == '+' || peek(r) == '-')
			advance(r);
		return skip_digits(r);
	}
	return true;
}

static bool read_number(struct reader *r, struct json_value *v)
{
	size_t start = r->pos;
	if (!scan_number(r))
		return false;
	size_t length = r->pos - start;
	char *text = malloc(length + 1);
	if (!text)
		return fail(r, "out of memory");
	memcpy(text, r->text + start, length);
	text[length] = '\0';
	char *end;
	errno = 0;
	v->number = strtod(text, &end);
	bool whole = end == text + length, huge = errno == ERANGE && isinf(v->number);
	if (!whole || huge)
		error_set(r->err, r->name, v->line, v->column, "number %s %s; expected a number of magnitude below "
			  "1.8e308", text, huge ? "is out of range" : "could not be read");
	free(text);
	return whole && !huge;
}

static bool read_word(struct reader *r, struct json_value *v)
{
	static const struct { const char *word; enum json_value_type type; bool boolean; } words[] = {
		{"true", JSON_VALUE_BOOL, true}, {"false", JSON_VALUE_BOOL, false}, {"null", JSON_VALUE_NULL, false}};
	size_t start = r->pos, length = 0;
	while ((peek(r) | 0x20) >= 'a' && (peek(r) | 0x20) <= 'z' && length < 16) {
		advance(r);
		length++;
	}
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (length == strlen(words[i].word) && !memcmp(r->text + start, words[i].word, length)) {
			v->type = words[i].type;
			v->boolean = words[i].boolean;
			return true;
		}
	}
	return error_set(r->err, r->name, v->line, v->column, "unexpected '%.*s'; expected a value (true, false, "
			 "null, a number, a string, an array or an object)", (int)length, (const char *)r->text + start);
}

/* ---- containers ---- */

static bool read_value(struct reader *r, const char *where, struct json_value **out);

static void after_close(struct reader *r)
{
	r->depth--;
	advance(r);
}

/* Past an opening bracket; *more is false when `close` follows at once (an empty container). */
static bool enter(struct reader *r, char close, bool *more)
{
	if (++r->depth > JSON_VALUE_MAX_DEPTH)
		return fail(r, "nested deeper than %d levels; expected flatter data", JSON_VALUE_MAX_DEPTH);
	advance(r);
	skip_space(r);
	*more = peek(r) != close;
	if (!*more)
		after_close(r);
	return true;
}

/* After an item: true and *more set on ',', true on the closing bracket, else an error. */
static bool after_item(struct reader *r, char close, const char *where, const char *expected, bool *more)
{
	skip_space(r);
	int c = peek(r);
	if (c != ',' && c != close)
		return unexpected(r, where, expected);
	*more = c == ',';
	if (!*more) {
		after_close(r);
	} else {
		advance(r);
		skip_space(r);
	}
	return true;
}

static bool read_array(struct reader *r, struct json_value *v)
{
	bool more;
	if (!enter(r, ']', &more))
		return false;
	while (more) {
		if (!grow((void **)&v->items, v->count, sizeof *v->items))
			return fail(r, "out of memory");
		v->items[v->count] = NULL;
		if (!read_value(r, " inside an array", &v->items[v->count++]) ||
		    !after_item(r, ']', " inside an array", ", or ]", &more))
			return false;
	}
	return true;
}

static bool check_new_key(struct reader *r, const struct json_value *object, const char *key, int line, int column)
{
	for (size_t i = 0; i < object->count; i++) {
		if (!strcmp(object->members[i].key, key))
			return error_set(r->err, r->name, line, column, "duplicate key '%s' (first given at line %d); "
					 "each key may appear once", key, object->members[i].value->line);
	}
	return true;
}

/* "key": value, appended to the object before the value is read so that a failure part-way
 * leaves everything reachable for json_value_destroy. */
static bool read_member(struct reader *r, struct json_value *v, const char *expected)
{
	int line = r->line, column = r->column;
	char *key;
	if (peek(r) != '"')
		return unexpected(r, " inside an object", expected);
	if (!read_string(r, &key))
		return false;
	bool ok = check_new_key(r, v, key, line, column) &&
		  (grow((void **)&v->members, v->count, sizeof *v->members) || fail(r, "out of memory"));
	if (!ok) {
		free(key);
		return false;
	}
	v->members[v->count++] = (struct json_member){key, NULL};
	skip_space(r);
	if (peek(r) != ':')
		return unexpected(r, " inside an object", ": after the key");
	advance(r);
	return read_value(r, " inside an object", &v->members[v->count - 1].value);
}

static bool read_object(struct reader *r, struct json_value *v)
{
	bool more;
	const char *expected = "a \"key\" or }"; /* only the first key may be a closing brace */
	if (!enter(r, '}', &more))
		return false;
	while (more) {
		if (!read_member(r, v, expected) || !after_item(r, '}', " inside an object", ", or }", &more))
			return false;
		expected = "a \"key\"";
	}
	return true;
}

/* Any value, after optional space. *out is set to the new node even when reading it fails
 * part-way, so the caller's tree owns it. */
static bool read_value(struct reader *r, const char *where, struct json_value **out)
{
	skip_space(r);
	int c = peek(r);
	if (c == END_OF_FILE || !(c == '{' || c == '[' || c == '"' || c == '-' || is_digit(c) ||
				   ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
		return unexpected(r, where, "a value");
	struct json_value *v = *out = calloc(1, sizeof *v);
	if (!v)
		return fail(r, "out of memory");
	v->line = r->line;
	v->column = r->column;
	v->type = c == '{' ? JSON_VALUE_OBJECT : c == '[' ? JSON_VALUE_ARRAY : c == '"' ? JSON_VALUE_STRING
		: JSON_VALUE_NUMBER;
	if (c == '{')
		return read_object(r, v);
	if (c == '[')
		return read_array(r, v);
	if (c == '"')
		return read_string(r, &v->string);
	if (c == '-' || is_digit(c))
		return read_number(r, v);
	return read_word(r, v);
}

/* ---- entry points ---- */

bool json_value_read_string(const char *name, const char *text, size_t size, struct json_value **out,
			    struct ts_error *err)
{
	struct reader r = {name, (const unsigned char *)text, size, 0, 1, 1, 0, err};
	struct json_value *root = NULL;
	*out = NULL;
	skip_space(&r);
	if (peek(&r) == END_OF_FILE)
		return fail(&r, "file is empty; expected a JSON value");
	bool ok = read_value(&r, "", &root);
	if (ok) {
		skip_space(&r);
		ok = peek(&r) == END_OF_FILE || unexpected(&r, " after the JSON value", "end of file");
	}
	if (!ok) {
		json_value_destroy(root);
		return false;
	}
	*out = root;
	return true;
}

bool json_value_read_file(const char *path, struct json_value **out, struct ts_error *err)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return error_set(err, path, 0, 0, "cannot read: %s", strerror(errno));
	struct text_buffer b = {NULL, 0};
	char chunk[8192];
	size_t n;
	bool ok = true;
	while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ok = buffer_append(&b, chunk, n) || error_set(err, path, 0, 0, "out of memory");
	if (ok && ferror(f))
		ok = error_set(err, path, 0, 0, "cannot read: %s", strerror(errno));
	fclose(f);
	ok = ok && json_value_read_string(path, b.data ? b.data : "", b.length, out, err);
	free(b.data);
	return ok;
}

void json_value_destroy(struct json_value *value)
{
	if (!value)
		return;
	for (size_t i = 0; value->members && i < value->count; i++) {
		free(value->members[i].key);
		json_value_destroy(value->members[i].value);
	}
	for (size_t i = 0; value->items && i < value->count; i++)
		json_value_destroy(value->items[i]);
	free(value->members);
	free(value->items);
	free(value->string);
	free(value);
}

/* ---- lookup ---- */

const struct json_value *json_value_member(const struct json_value *object, const char *key)
{
	if (!object || object->type != JSON_VALUE_OBJECT)
		return NULL;
	for (size_t i = 0; i < object->count; i++) {
		if (!strcmp(object->members[i].key, key))
			return object->members[i].value;
	}
	return NULL;
}

/* Item `index` (all digits, length n) of an array, or NULL. */
static const struct json_value *array_item(const struct json_value *array, const char *index, size_t n)
{
	size_t i = 0;
	if (array->type != JSON_VALUE_ARRAY || n == 0 || n > 9 || strspn(index, "0123456789") < n)
		return NULL;
	for (size_t k = 0; k < n; k++)
		i = i * 10 + (size_t)(index[k] - '0');
	return i < array->count ? array->items[i] : NULL;
}

const struct json_value *json_value_get(const struct json_value *value, const char *path)
{
	char key[256];
	while (value && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof key)
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		value = value->type == JSON_VALUE_ARRAY ? array_item(value, key, n) : json_value_member(value, key);
		path += n + (path[n] == '.');
	}
	return value;
}

bool json_value_number(const struct json_value *value, double *out)
{
	if (!value || value->type != JSON_VALUE_NUMBER)
		return false;
	*out = value->number;
	return true;
}

bool json_value_string(const struct json_value *value, const char **out)
{
	if (!value || value->type != JSON_VALUE_STRING)
		return false;
	*out = value->string;
	return true;
}

bool json_value_bool(const struct json_value *value, bool *out)
{
	if (!value || value->type != JSON_VALUE_BOOL)
		return false;
	*out = value->boolean;
	return true;
}

static bool members_equal(const struct json_value *a, const struct json_value *b)
{
	for (size_t i = 0; i < a->count; i++) {
		if (strcmp(a->members[i].key, b->members[i].key) ||
		    !json_value_equal(a->members[i].value, b->members[i].value))
			return false;
	}
	return true;
}

bool json_value_equal(const struct json_value *a, const struct json_value *b)
{
	if (!a || !b || a->type != b->type)
		return a == b;
	switch (a->type) {
	case JSON_VALUE_NULL: return true;
	case JSON_VALUE_BOOL: return a->boolean == b->boolean;
	case JSON_VALUE_NUMBER: return a->number == b->number;
	case JSON_VALUE_STRING: return !strcmp(a->string, b->string);
	case JSON_VALUE_OBJECT: return a->count == b->count && members_equal(a, b);
	case JSON_VALUE_ARRAY: break;
	}
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++) {
		if (!json_value_equal(a->items[i], b->items[i]))
			return false;
	}
	return true;
}

const char *json_value_type_name(enum json_value_type type)
{
	static const char *const names[] = {"null", "a boolean", "a number", "a string", "an array", "an object"};
	return names[type];
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

/* The shortest %g that reads back as the same double. */
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

static void render_value(struct render *out, const struct json_value *v)
{
	bool object = v->type == JSON_VALUE_OBJECT;
	switch (v->type) {
	case JSON_VALUE_NULL: render_text(out, "null"); return;
	case JSON_VALUE_BOOL: render_text(out, v->boolean ? "true" : "false"); return;
	case JSON_VALUE_NUMBER: render_number(out, v->number); return;
	case JSON_VALUE_STRING: render_string(out, v->string); return;
	case JSON_VALUE_ARRAY:
	case JSON_VALUE_OBJECT: break;
	}
	render_text(out, object ? "{" : "[");
	for (size_t i = 0; i < v->count; i++) {
		render_text(out, i ? ", " : "");
		if (object) {
			render_string(out, v->members[i].key);
			render_text(out, ": ");
		}
		render_value(out, object ? v->members[i].value : v->items[i]);
	}
	render_text(out, object ? "}" : "]");
}

const char *json_value_format(const struct json_value *value, char *buf, size_t size)
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
