/* error: filling and formatting located input errors (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

bool error_set(struct ts_error *err, const char *file, int line, int column, const char *fmt, ...)
{
	if (!err)
		return false;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	err->column = column;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return false;
}

void error_clear(struct ts_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

const char *error_format(const struct ts_error *err, char *buf, size_t size)
{
	if (!err->file[0])
		snprintf(buf, size, "%s", err->message);
	else if (err->line <= 0)
		snprintf(buf, size, "%s: %s", err->file, err->message);
	else if (err->column <= 0)
		snprintf(buf, size, "%s:%d: %s", err->file, err->line, err->message);
	else
		snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->column, err->message);
	return buf;
}

/* How many characters of a long line an excerpt shows, around the column. */
#define EXCERPT_WIDTH 100

/* Line `wanted` (1-based) of `path`, whole and without its line break, malloc'd; NULL if
 * it is not there. Read with getline: a fixed buffer would split a long line and count
 * each piece as a line. */
static char *read_line(const char *path, int wanted)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *line = NULL;
	size_t capacity = 0;
	ssize_t length = getline(&line, &capacity, f);
	for (int n = 1; length >= 0 && n < wanted; n++)
		length = getline(&line, &capacity, f);
	fclose(f);
	if (length < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

/* Byte offset `chars` characters after byte `at` of UTF-8 `text`, or its end. Columns count
 * characters (libyaml's do), so a cut must not split one. */
static size_t skip_chars(const char *text, size_t at, size_t chars)
{
	for (; text[at] && chars; chars--) {
		at++;
		while (((unsigned char)text[at] & 0xC0) == 0x80)
			at++;
	}
	return at;
}

static size_t count_chars(const char *text)
{
	size_t n = 0;
	for (size_t at = 0; text[at]; at = skip_chars(text, at, 1))
		n++;
	return n;
}

/* The characters of a line of `chars` that an excerpt shows, [*first, *first + *shown):
 * the whole line, or EXCERPT_WIDTH of them with the caret near the middle. */
static void excerpt_window(size_t chars, size_t caret, size_t *first, size_t *shown)
{
	*first = 0;
	if (chars > EXCERPT_WIDTH && caret > EXCERPT_WIDTH / 2)
		*first = caret - EXCERPT_WIDTH / 2;
	if (chars > EXCERPT_WIDTH && *first > chars - EXCERPT_WIDTH)
		*first = chars - EXCERPT_WIDTH;
	*shown = chars - *first < EXCERPT_WIDTH ? chars - *first : EXCERPT_WIDTH;
}

/* Ends buf[size], `used` bytes written, with the caret: a space per character of
 * line[from, to) before it, or a tab where the line has one, so it lines up. */
static void put_caret(char *buf, size_t size, size_t used, const char *line, size_t from, size_t to)
{
	if (used >= size)
		return;
	for (size_t at = from; at < to && used + 2 < size; at = skip_chars(line, at, 1))
		buf[used++] = line[at] == '\t' ? '\t' : ' ';
	if (used + 1 < size)
		buf[used++] = '^';
	buf[used] = '\0';
}

const char *error_excerpt(const struct ts_error *err, char *buf, size_t size)
{
	buf[0] = '\0';
	char *line = err->file[0] && err->line > 0 ? read_line(err->file, err->line) : NULL;
	if (!line)
		return buf;
	size_t chars = count_chars(line), caret = err->column > 0 ? (size_t)err->column - 1 : 0, first, shown;
	if (caret > chars)
		caret = chars;
	excerpt_window(chars, caret, &first, &shown);
	size_t from = skip_chars(line, 0, first), to = skip_chars(line, from, shown);
	const char *before = first ? "..." : "", *after = first + shown < chars ? "..." : "";
	int used = snprintf(buf, size, "  %s%.*s%s\n  %s", before, (int)(to - from), line + from, after,
			    first ? "   " : "");
	if (used > 0)
		put_caret(buf, size, (size_t)used, line, from, skip_chars(line, from, caret - first));
	free(line);
	return buf;
}
