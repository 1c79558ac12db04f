/* json: a small streaming JSON writer (objects, arrays, strings, numbers) with commas and
 * indentation handled, so reports never hand-assemble JSON text. */
#ifndef TRAINSIM_JSON_H
#define TRAINSIM_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json_writer {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH]; /* no member written yet at this depth */
};

void json_init(struct json_writer *w, FILE *out);
/* key may be NULL inside arrays and at the top level. */
void json_begin_object(struct json_writer *w, const char *key);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w, const char *key);
void json_end_array(struct json_writer *w);
void json_string(struct json_writer *w, const char *key, const char *value);
/* Non-finite numbers are written as null (JSON has no NaN or infinity). */
void json_number(struct json_writer *w, const char *key, double value);
void json_integer(struct json_writer *w, const char *key, long value);
void json_bool(struct json_writer *w, const char *key, bool value);
/* Ends the document with a newline. */
void json_finish(struct json_writer *w);

#endif
