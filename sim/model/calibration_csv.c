/* calibration_csv: reading and checking the measured runs (see calibration_csv.h). */
#include "calibration_csv.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "units.h"

static const char header[] = "platform,workload,set,measured,source";

/* Where one row's text is: the line (owned by the reader), its number, the file. */
struct cursor {
	const char *path;
	const char *dir;   /* the CSV's folder, for relative paths ("" for the working directory) */
	char *line;
	int lineno;
};

static int column_of(const struct cursor *c, const char *at)
{
	return (int)(at - c->line) + 1;
}

/* Splits the row in place into its first four fields and the rest (the source). */
static bool split(struct cursor *c, char *field[5], struct ts_error *err)
{
	char *p = c->line;
	for (int i = 0; i < 4; i++) {
		field[i] = p;
		char *comma = strchr(p, ',');
		if (!comma && i < 3)
			return error_set(err, c->path, c->lineno, column_of(c, p + strlen(p)), "%d fields; expected "
					 "%s", i + 1, header);
		if (!comma) {
			field[4] = p + strlen(p);
			return true;
		}
		*comma = '\0';
		p = comma + 1;
	}
	field[4] = p;
	return true;
}

/* A path from the CSV, relative to its folder unless absolute; it must be readable. */
static bool take_path(const struct cursor *c, const char *text, const char *what, char **out, struct ts_error *err)
{
	if (!*text)
		return error_set(err, c->path, c->lineno, column_of(c, text), "the %s file is empty; expected a path "
				 "relative to the CSV's folder", what);
	size_t n = strlen(c->dir) + strlen(text) + 2;
	*out = malloc(n);
	if (!*out)
		return error_set(err, c->path, c->lineno, 0, "out of memory");
	snprintf(*out, n, "%s%s%s", text[0] == '/' ? "" : c->dir, text[0] == '/' || !c->dir[0] ? "" : "/", text);
	if (access(*out, R_OK) != 0)
		return error_set(err, c->path, c->lineno, column_of(c, text), "cannot read the %s file '%s': %s", what,
				 *out, strerror(errno));
	return true;
}

/* --set items separated by ';', each KEY=VALUE. */
static bool take_sets(const struct cursor *c, char *text, struct calibration_row *row, struct ts_error *err)
{
	for (char *item = text, *next; *text && item; item = next) {
		next = strchr(item, ';');
		if (next)
			*next++ = '\0';
		char *eq = strchr(item, '=');
		if (!eq || eq == item)
			return error_set(err, c->path, c->lineno, column_of(c, item), "set item '%.64s' is not KEY=VALUE; "
					 "expected items such as parallelism.tp=8, separated by ';'", item);
		if (row->set_count == CALIBRATION_MAX_SETS)
			return error_set(err, c->path, c->lineno, column_of(c, item), "more than %d set items",
					 CALIBRATION_MAX_SETS);
		if (!(row->sets[row->set_count++] = strdup(item)))
			return error_set(err, c->path, c->lineno, 0, "out of memory");
	}
	return true;
}

/* A step time (a time) or model FLOP/s per GPU (a compute rate). */
static bool take_measured(const struct cursor *c, const char *text, struct calibration_row *row,
			  struct ts_error *err)
{
	char why[256];
	row->kind = MEASURED_STEP_TIME;
	bool ok = units_parse(UNIT_TIME, text, &row->measured, why, sizeof why);
	if (!ok) {
		row->kind = MEASURED_FLOPS_PER_GPU;
		ok = units_parse(UNIT_COMPUTE, text, &row->measured, why, sizeof why);
	}
	if (!ok || !(row->measured > 0))
		return error_set(err, c->path, c->lineno, column_of(c, text), "measured '%.64s' is neither a step time "
				 "such as 19.98s nor model FLOP/s per GPU such as 112TFLOPS", text);
	return true;
}

static bool parse_row(struct cursor *c, struct calibration_row *row, struct ts_error *err)
{
	char *field[5];
	c->line[strcspn(c->line, "\r\n")] = '\0';
	row->line = c->lineno;
	return split(c, field, err) && take_path(c, field[0], "platform", &row->platform, err) &&
	       take_path(c, field[1], "workload", &row->workload, err) && take_sets(c, field[2], row, err) &&
	       take_measured(c, field[3], row, err) &&
	       ((row->source = strdup(field[4])) || error_set(err, c->path, c->lineno, 0, "out of memory"));
}

static bool blank_or_comment(const char *line)
{
	return line[strspn(line, " \t")] == '#' || line[strspn(line, " \t\r\n")] == '\0';
}

/* The header, or a located error; then each row into runs. */
static bool read_line(struct cursor *c, bool *seen_header, struct calibration_runs *runs, struct ts_error *err)
{
	if (blank_or_comment(c->line))
		return true;
	if (!*seen_header) {
		c->line[strcspn(c->line, "\r\n")] = '\0';
		*seen_header = true;
		return !strcmp(c->line, header) ||
		       error_set(err, c->path, c->lineno, 1, "the header is '%.80s'; expected %s", c->line, header);
	}
	if (runs->count == CALIBRATION_MAX_ROWS)
		return error_set(err, c->path, c->lineno, 1, "more than %d rows", CALIBRATION_MAX_ROWS);
	struct calibration_row *row = &runs->rows[runs->count++];
	return parse_row(c, row, err);
}

static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup("");
}

static bool read_all(FILE *in, struct cursor *c, struct calibration_runs *runs, struct ts_error *err)
{
	size_t size = 0;
	ssize_t length;
	bool ok = true, seen_header = false;
	while (ok && (length = getline(&c->line, &size, in)) >= 0) {
		if (++c->lineno == INT_MAX)
			ok = error_set(err, c->path, c->lineno, 0, "more lines than a calibration file may have");
		else if (strlen(c->line) < (size_t)length)
			ok = error_set(err, c->path, c->lineno, (int)strlen(c->line) + 1, "a NUL byte; expected a text "
				       "file of %s rows", header);
		else
			ok = read_line(c, &seen_header, runs, err);
	}
	if (ok && ferror(in))
		ok = error_set(err, c->path, c->lineno, 0, "cannot read the file: %s", strerror(errno));
	if (ok && runs->count == 0)
		ok = error_set(err, c->path, c->lineno, 0, "no runs; expected a header line %s and at least one row",
			       header);
	return ok;
}

bool calibration_runs_load(const char *path, struct calibration_runs *out, struct ts_error *err)
{
	*out = (struct calibration_runs){0};
	FILE *in = fopen(path, "r");
	if (!in)
		return error_set(err, path, 0, 0, "cannot open the calibration runs: %s", strerror(errno));
	struct cursor c = {.path = path, .dir = folder_of(path)};
	out->path = strdup(path);
	out->rows = calloc(CALIBRATION_MAX_ROWS, sizeof *out->rows);
	bool ok = c.dir && out->path && out->rows ? read_all(in, &c, out, err) : error_set(err, path, 0, 0, "out of memory");
	free(c.line);
	free((char *)c.dir);
	fclose(in);
	if (!ok)
		calibration_runs_finish(out);
	return ok;
}

void calibration_runs_finish(struct calibration_runs *runs)
{
	for (size_t i = 0; runs->rows && i < runs->count; i++) {
		struct calibration_row *r = &runs->rows[i];
		free(r->platform);
		free(r->workload);
		free(r->source);
		for (size_t k = 0; k < r->set_count; k++)
			free(r->sets[k]);
	}
	free(runs->rows);
	free(runs->path);
	*runs = (struct calibration_runs){0};
}
