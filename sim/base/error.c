/* error: filling and formatting located input errors (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* Reads line `wanted` (1-based) of `path` into line[size]; false if it is not there. */
static bool read_line(const char *path, int wanted, char *line, size_t size)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool found = false;
	for (int n = 1; fgets(line, (int)size, f); n++) {
		if (n == wanted) {
			found = true;
			break;
		}
	}
	fclose(f);
	if (found)
		line[strcspn(line, "\r\n")] = '\0';
	return found;
}

const char *error_excerpt(const struct ts_error *err, char *buf, size_t size)
{
	char line[256];
	buf[0] = '\0';
	if (!err->file[0] || err->line <= 0 || !read_line(err->file, err->line, line, sizeof line))
		return buf;
	int caret = err->column > 0 ? err->column - 1 : 0;
	if (caret > (int)strlen(line))
		caret = (int)strlen(line);
	snprintf(buf, size, "  %s\n  %*s^", line, caret, "");
	return buf;
}
