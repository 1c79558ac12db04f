/* events_csv: events.csv, the run's typed events as a plain table, one row per event:
 * replica,time_s,event,component,index,cause,detail,run_id (the kinds the table marks as
 * written to files; README.md lists them; run_id ties the rows to the summary.json beside). */
#ifndef TRAINSIM_EVENTS_CSV_H
#define TRAINSIM_EVENTS_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "events.h"

void events_csv_header(FILE *out);

/* Replica `replica`'s events, in the order given (time order). Unless `all`, the routine
 * rows of checkpoint saves are left out (a checkpoint row and the job's state changes into
 * a save and back to training, most rows of a long run): the job's state rows then show a
 * save as training, as the time it takes is reported in the summary. */
void events_csv_rows(FILE *out, long replica, const struct event *events, size_t count, const struct platform *p,
		     const char *run_id, bool all);

#endif
