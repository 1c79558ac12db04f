/* failure_log: reading and checking a failure log (see failure_log.h). */
#include "failure_log.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "components.h"
#include "grow.h"
#include "units.h"

static long class_by_name(const struct platform *p, const char *name)
{
	for (size_t i = 0; i < p->failure_count; i++)
		if (!strcmp(p->failures[i].name, name))
			return (long)i;
	return -1;
}

/* Splits a row into its three fields in place: exactly three, or a located error (a fourth
 * field is an error, not ignored). */
static bool split_row(char *line, char *field[3], const char *path, int lineno, struct ts_error *err)
{
	line[strcspn(line, "\r\n")] = '\0';
	char *p = line;
	for (int i = 0; i < 3; i++) {
		field[i] = p;
		char *comma = strchr(p, ',');
		if (i < 2 && !comma)
			return error_set(err, path, lineno, 1, "expected time,component,cause such as 3.5h,node:12,gpu");
		if (i == 2 && comma)
			return error_set(err, path, lineno, (int)(comma - line) + 1, "a fourth column; expected "
					 "time,component,cause and nothing more");
		if (comma) {
			*comma = '\0';
			p = comma + 1;
		}
	}
	return true;
}

static bool parse_time(char *text, const char *path, int lineno, double *out, struct ts_error *err)
{
	char why[256];
	if (!units_parse(UNIT_TIME, text, out, why, sizeof why))
		return error_set(err, path, lineno, 1, "time: %s", why);
	if (!(*out >= 0) || !isfinite(*out))
		return error_set(err, path, lineno, 1, "time '%s' is before the run starts; expected 0 or more", text);
	return true;
}

static bool parse_component(const struct platform *p, char *comp, const char *line, const char *cause, long klass,
			    const char *path, int lineno, long *out, struct ts_error *err)
{
	const struct failure_class *fc = &p->failures[klass];
	const char *kind = platform_component_name(fc->per);
	char *colon = strchr(comp, ':'), *end;
	if (!colon || strncmp(comp, kind, (size_t)(colon - comp)) || strlen(kind) != (size_t)(colon - comp))
		return error_set(err, path, lineno, (int)(comp - line) + 1, "component '%.64s%s' should be %s:INDEX "
				 "for cause %s", comp, strlen(comp) > 64 ? "..." : "", kind, cause);
	errno = 0;
	*out = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || errno || *out < 0 || *out >= components_count(p, fc->per))
		return error_set(err, path, lineno, (int)(colon - line) + 2, "component index '%.32s%s' is not one of "
				 "the platform's %ld %s components", colon + 1, strlen(colon + 1) > 32 ? "..." : "",
				 components_count(p, fc->per), kind);
	return true;
}

static bool parse_line(const struct platform *p, char *line, const char *path, int lineno, struct failure_event *ev,
		       struct ts_error *err)
{
	char *field[3];
	if (!split_row(line, field, path, lineno, err) || !parse_time(field[0], path, lineno, &ev->time_s, err))
		return false;
	char *cause = field[2];
	ev->class_index = class_by_name(p, cause);
	if (ev->class_index < 0)
		return error_set(err, path, lineno, (int)(cause - line) + 1, "cause '%.64s%s' is not a failure class of "
				 "the platform's reliability section", cause, strlen(cause) > 64 ? "..." : "");
	return parse_component(p, field[1], line, cause, ev->class_index, path, lineno, &ev->component, err);
}

/* Room for one more event; false on out of memory. */
static bool room_for_event(struct failure_log *log, size_t *capacity)
{
	struct failure_event *events = grow_array(log->events, capacity, log->count, sizeof *events, 64);
	if (events)
		log->events = events;
	return events != NULL;
}

static bool skipped(const char *line, int lineno)
{
	return line[0] == '#' || line[0] == '\n' || line[0] == '\r' || line[0] == '\0' ||
	       (lineno == 1 && !strncmp(line, "time,", 5));
}

bool failure_log_load(const char *path, const struct platform *p, struct failure_log *log, struct ts_error *err)
{
	*log = (struct failure_log){0};
	FILE *in = fopen(path, "r");
	if (!in)
		return error_set(err, path, 0, 0, "cannot open the failure log: %s", strerror(errno));
	char *line = NULL;
	size_t size = 0, capacity = 0;
	bool ok = true;
	int lineno = 0;
	ssize_t length;
	while (ok && (length = getline(&line, &size, in)) >= 0) {
		if (++lineno == INT_MAX)
			ok = error_set(err, path, lineno, 0, "more lines than a failure log may have");
		else if (strlen(line) < (size_t)length) /* the row would end there, the rest unread */
			ok = error_set(err, path, lineno, (int)strlen(line) + 1, "a NUL byte; expected a text file of "
				       "time,component,cause rows");
		else if (skipped(line, lineno))
			continue;
		else if (!room_for_event(log, &capacity))
			ok = error_set(err, path, lineno, 0, "out of memory");
		else if ((ok = parse_line(p, line, path, lineno, &log->events[log->count], err))) {
			if (log->count && log->events[log->count].time_s < log->events[log->count - 1].time_s)
				ok = error_set(err, path, lineno, 1, "times must not go back; expected rows in time order");
			log->count += ok;
		}
	}
	if (ok && ferror(in))
		ok = error_set(err, path, lineno, 0, "cannot read the failure log: %s", strerror(errno));
	free(line);
	fclose(in);
	if (!ok)
		failure_log_finish(log);
	return ok;
}

void failure_log_finish(struct failure_log *log)
{
	free(log->events);
	log->events = NULL;
	log->count = 0;
}
