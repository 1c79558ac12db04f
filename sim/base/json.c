/* json: the writer keeps one "first member" flag per nesting level for the commas. */
#include "json.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

void json_init(struct json_writer *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->first[0] = true;
}

static void write_escaped(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", out);
		else if (*c < 0x20)
			fprintf(out, "\\u%04x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}

/* Comma, newline and indentation before a member, then its key. */
static void member(struct json_writer *w, const char *key)
{
	if (w->depth > 0) {
		fputs(w->first[w->depth] ? "\n" : ",\n", w->out);
		for (int i = 0; i < w->depth; i++)
			fputs("  ", w->out);
	}
	w->first[w->depth] = false;
	if (key) {
		write_escaped(w->out, key);
		fputs(": ", w->out);
	}
}

static void open_level(struct json_writer *w, const char *key, char bracket)
{
	member(w, key);
	fputc(bracket, w->out);
	assert(w->depth + 1 < JSON_MAX_DEPTH);
	w->depth++;
	w->first[w->depth] = true;
}

static void close_level(struct json_writer *w, char bracket)
{
	assert(w->depth > 0);
	bool empty = w->first[w->depth];
	w->depth--;
	if (!empty) {
		fputc('\n', w->out);
		for (int i = 0; i < w->depth; i++)
			fputs("  ", w->out);
	}
	fputc(bracket, w->out);
}

void json_begin_object(struct json_writer *w, const char *key)
{
	open_level(w, key, '{');
}

void json_end_object(struct json_writer *w)
{
	close_level(w, '}');
}

void json_begin_array(struct json_writer *w, const char *key)
{
	open_level(w, key, '[');
}

void json_end_array(struct json_writer *w)
{
	close_level(w, ']');
}

void json_string(struct json_writer *w, const char *key, const char *value)
{
	member(w, key);
	if (value)
		write_escaped(w->out, value);
	else
		fputs("null", w->out);
}

/* The fewest significant digits (15 to 17) that read back as the same double: 6e-07, not
 * 5.9999999999999997e-07. Deterministic: the same value always prints the same. */
static void shortest(FILE *out, double value)
{
	char text[32];
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(text, sizeof text, "%.*g", digits, value);
		if (strtod(text, NULL) == value)
			break;
	}
	fputs(text, out);
}

void json_number(struct json_writer *w, const char *key, double value)
{
	member(w, key);
	if (isfinite(value))
		shortest(w->out, value);
	else
		fputs("null", w->out);
}

void json_integer(struct json_writer *w, const char *key, long value)
{
	member(w, key);
	fprintf(w->out, "%ld", value);
}

void json_bool(struct json_writer *w, const char *key, bool value)
{
	member(w, key);
	fputs(value ? "true" : "false", w->out);
}

void json_finish(struct json_writer *w)
{
	fputc('\n', w->out);
}
