/* cost_report: what a run costs, for people (a "Cost" block, for one replica or over many)
 * and as replicas.csv columns. Only called when the platform has a costs section: without
 * one nothing about cost is printed or written. */
#ifndef TRAINSIM_COST_REPORT_H
#define TRAINSIM_COST_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "cost.h"

/* One replica's cost, item by item with its share, then its slip's (when it finished). */
void cost_report_replica_text(FILE *out, const struct cost_breakdown *c, bool finished);

/* The mean cost over the replicas that finished, P10/P50/P90 of the total, the mean items
 * and the slip's cost. */
void cost_report_summary_text(FILE *out, const struct cost_summary *s);

/* replicas.csv: the cost columns' names, each after a comma ("cost_total_usd", the items,
 * "cost_slip_usd"), and one replica's values (the slip's empty when it did not finish). */
void cost_report_csv_header(FILE *out);
void cost_report_csv_row(FILE *out, const struct cost_breakdown *c, bool finished);

#endif
