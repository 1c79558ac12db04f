/* error: the one record of what went wrong with an input, located 1-based in its file.
 * Library code fills it and returns false; only main and report print it. */
#ifndef TRAINSIM_ERROR_H
#define TRAINSIM_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#define ERROR_MESSAGE_MAX 1024
#define ERROR_FILE_MAX 512

struct ts_error {
	char file[ERROR_FILE_MAX]; /* input file, or "" when the error is not about a file */
	int line;                  /* 1-based; 0 when unknown */
	int column;                /* 1-based; 0 when unknown */
	char message[ERROR_MESSAGE_MAX];
};

/* Record an error at file:line:column (line/column 0 = unknown). Returns false so that
 * callers can write `return error_set(...)`. `err` may be NULL. */
bool error_set(struct ts_error *err, const char *file, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Clear an error record. */
void error_clear(struct ts_error *err);

/* Format "file:line:column: message" (omitting unknown parts) into buf. Returns buf. */
const char *error_format(const struct ts_error *err, char *buf, size_t size);

/* Format the offending source line and a caret under the column, two lines, into buf
 * ("" when the file cannot be read or the line is unknown). Returns buf. */
const char *error_excerpt(const struct ts_error *err, char *buf, size_t size);

#endif
