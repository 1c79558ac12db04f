/* events_csv: typed events as CSV rows (see events_csv.h). */
#include "events_csv.h"

void events_csv_header(FILE *out)
{
	fputs("replica,time_s,event,component,index,cause,detail,run_id\n", out);
}

void events_csv_rows(FILE *out, long replica, const struct event *events, size_t count, const struct platform *p,
		     const char *run_id)
{
	char detail[128];
	for (size_t i = 0; i < count; i++) {
		const struct event *e = &events[i];
		const struct event_kind_info *k = events_kind(e->kind);
		if (!k->in_files)
			continue;
		fprintf(out, "%ld,%.6f,%s,%s,%ld,%s,%s,%s\n", replica, e->time_s, k->name, events_subject_name(e), e->index,
			events_cause_name(e, p), events_detail(e, p, detail, sizeof detail), run_id);
	}
}
