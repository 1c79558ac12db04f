/* events_csv: typed events as CSV rows (see events_csv.h). */
#include "events_csv.h"

#include "jobstate.h"

void events_csv_header(FILE *out)
{
	fputs("replica,time_s,event,component,index,cause,detail,run_id\n", out);
}

/* A routine row of a save: the checkpoint itself, the job entering a save, or the job back
 * to training right after one. `state` is the job's state before e. */
static bool routine_save(const struct event *e, int state)
{
	if (e->kind == EVENT_CHECKPOINT)
		return true;
	return e->kind == EVENT_STATE &&
	       (e->state == TIME_CHECKPOINT || (e->state == TIME_PRODUCTIVE && state == TIME_CHECKPOINT));
}

void events_csv_rows(FILE *out, long replica, const struct event *events, size_t count, const struct platform *p,
		     const char *run_id, bool all)
{
	char detail[128];
	int state = -1;
	for (size_t i = 0; i < count; i++) {
		const struct event *e = &events[i];
		const struct event_kind_info *k = events_kind(e->kind);
		bool skip = !k->in_files || (!all && routine_save(e, state));
		if (e->kind == EVENT_STATE)
			state = e->state;
		if (skip)
			continue;
		fprintf(out, "%ld,%.6f,%s,%s,%ld,%s,%s,%s\n", replica, e->time_s, k->name, events_subject_name(e), e->index,
			events_cause_name(e, p), events_detail(e, p, detail, sizeof detail), run_id);
	}
}
