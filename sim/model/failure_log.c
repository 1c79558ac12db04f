/* failure_log: reading and checking a failure log (see failure_log.h). */
#include "failure_log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "components.h"
#include "units.h"

static long class_by_name(const struct platform *p, const char *name)
{
	for (size_t i = 0; i < p->failure_count; i++)
		if (!strcmp(p->failures[i].name, name))
			return (long)i;
	return -1;
}

static bool parse_line(const struct platform *p, char *line, const char *path, int lineno, struct failure_event *ev,
			   struct ts_error *err)
{
	char *time = strtok(line, ","), *comp = strtok(NULL, ","), *cause = strtok(NULL, ",\r\n");
	char why[256];
	if (!time || !comp || !cause)
		return error_set(err, path, lineno, 1, "expected time,component,cause such as 3.5h,node:12,gpu");
	if (!units_parse(UNIT_TIME, time, &ev->time_s, why, sizeof why))
		return error_set(err, path, lineno, 1, "time: %s", why);
	ev->class_index = class_by_name(p, cause);
	if (ev->class_index < 0)
		return error_set(err, path, lineno, (int)(cause - line) + 1, "cause '%s' is not a failure class of the "
				 "platform's reliability section", cause);
	const struct failure_class *fc = &p->failures[ev->class_index];
	const char *kind = platform_component_name(fc->per);
	char *colon = strchr(comp, ':'), *end;
	if (!colon || strncmp(comp, kind, (size_t)(colon - comp)) || strlen(kind) != (size_t)(colon - comp))
		return error_set(err, path, lineno, (int)(comp - line) + 1, "component '%s' should be %s:INDEX for "
				 "cause %s", comp, kind, cause);
	ev->component = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || ev->component < 0 || ev->component >= components_count(p, fc->per))
		return error_set(err, path, lineno, (int)(colon - line) + 2, "component index '%s' is not one of the "
				 "platform's %ld %s components", colon + 1, components_count(p, fc->per), kind);
	return true;
}

bool failure_log_load(const char *path, const struct platform *p, struct failure_log *log, struct ts_error *err)
{
	*log = (struct failure_log){0};
	FILE *in = fopen(path, "r");
	if (!in)
		return error_set(err, path, 0, 0, "cannot open the failure log: %s", strerror(errno));
	char line[512];
	size_t capacity = 0;
	bool ok = true;
	for (int lineno = 1; ok && fgets(line, sizeof line, in); lineno++) {
		if (line[0] == '#' || line[0] == '\n' || (lineno == 1 && !strncmp(line, "time,", 5)))
			continue;
		if (log->count == capacity) {
			capacity = capacity ? 2 * capacity : 64;
			struct failure_event *more = realloc(log->events, capacity * sizeof *more);
			if (!more) {
				ok = error_set(err, path, lineno, 0, "out of memory");
				break;
			}
			log->events = more;
		}
		struct failure_event *ev = &log->events[log->count];
		ok = parse_line(p, line, path, lineno, ev, err);
		if (ok && log->count && ev->time_s < log->events[log->count - 1].time_s)
			ok = error_set(err, path, lineno, 1, "times must not go back; expected rows in time order");
		log->count += ok;
	}
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
