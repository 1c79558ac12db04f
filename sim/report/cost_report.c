/* cost_report: a run's cost as text and replicas.csv columns (see cost_report.h). */
#include "cost_report.h"

#include <math.h>

#include "humanize.h"

static const char *usd(double v, char *buf, size_t size)
{
	return humanize(UNIT_MONEY, v, buf, size);
}

/* The items with their share of `total`. */
static void text_items(FILE *out, const double usd_items[COST_ITEM_COUNT], double total)
{
	char a[48];
	for (int k = 0; k < COST_ITEM_COUNT; k++)
		fprintf(out, "  %-20s %10s  %5.1f%%\n", cost_item_name((enum cost_item)k), usd(usd_items[k], a, sizeof a),
			100 * usd_items[k] / fmax(total, 1e-9));
}

void cost_report_replica_text(FILE *out, const struct cost_breakdown *c, bool finished)
{
	char a[48];
	fprintf(out, "\nCost %s: %s\n", finished ? "of the run" : "so far", usd(c->total_usd, a, sizeof a));
	text_items(out, c->usd, c->total_usd);
	if (finished)
		fprintf(out, "  slip costs           %10s  (GPU time and energy beyond the failure-free run)\n",
			usd(c->slip_usd, a, sizeof a));
}

void cost_report_summary_text(FILE *out, const struct cost_summary *s)
{
	char a[48], b[48], c[48], d[48];
	if (s->replicas == 0) {
		fprintf(out, "\nCost: no replica finished\n");
		return;
	}
	fprintf(out, "\nCost (mean over the %ld replicas that finished): %s\n", s->replicas,
		usd(s->total.mean, a, sizeof a));
	fprintf(out, "  total                P10 %s  P50 %s  P90 %s\n", usd(s->total.p10, b, sizeof b),
		usd(s->total.p50, c, sizeof c), usd(s->total.p90, d, sizeof d));
	text_items(out, s->mean_usd, s->total.mean);
	fprintf(out, "  slip costs           %10s  P50 %s  P90 %s  (GPU time and energy beyond the failure-free run)\n",
		usd(s->slip.mean, a, sizeof a), usd(s->slip.p50, b, sizeof b), usd(s->slip.p90, c, sizeof c));
}

void cost_report_csv_header(FILE *out)
{
	fprintf(out, ",cost_total_usd");
	for (int k = 0; k < COST_ITEM_COUNT; k++)
		fprintf(out, ",cost_%s_usd", cost_item_name((enum cost_item)k));
	fprintf(out, ",cost_slip_usd");
}

void cost_report_csv_row(FILE *out, const struct cost_breakdown *c, bool finished)
{
	fprintf(out, ",%.2f", c->total_usd);
	for (int k = 0; k < COST_ITEM_COUNT; k++)
		fprintf(out, ",%.2f", c->usd[k]);
	if (finished)
		fprintf(out, ",%.2f", c->slip_usd);
	else
		fprintf(out, ",");
}
