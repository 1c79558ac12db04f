/* sensitivity_report: the tornado (see sensitivity_report.h); both forms follow
 * sensitivity_order, so the text and the file list the rows alike. */
#include "sensitivity_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "humanize.h"
#include "json.h"

#define DAY_S 86400.0
#define BAR_WIDTH 20

static size_t *ordered(const struct sensitivity_report *r)
{
	size_t *order = malloc((r->count ? r->count : 1) * sizeof *order);
	if (order)
		sensitivity_order(r->rows, r->count, order);
	return order;
}

/* "+12.3 kUSD" against the baseline, or "-" without costs. */
static const char *cost_change(double cost, double base, char *buf, size_t size)
{
	char amount[48];
	if (isnan(cost) || isnan(base))
		return "-";
	snprintf(buf, size, "%s%s", cost >= base ? "+" : "-", humanize(UNIT_MONEY, fabs(cost - base), amount,
									   sizeof amount));
	return buf;
}

static const char *days(double s, char *buf, size_t size)
{
	if (isnan(s))
		return "-";
	snprintf(buf, size, "%.1f", s / DAY_S);
	return buf;
}

static void text_row(FILE *out, const struct sensitivity_report *r, size_t i, int width, double widest)
{
	const struct sensitivity_key *k = &r->keys[i];
	const struct sensitivity_row *row = &r->rows[i];
	char a[32], b[32], c[64], d[64], swing[32];
	double s = sensitivity_swing(row);
	if (isinf(s))
		snprintf(swing, sizeof swing, "inf");
	else
		snprintf(swing, sizeof swing, "%.1f", s / DAY_S);
	fprintf(out, "%-*s %10s %10s %9s %9s %8s", width, k->key, k->low, k->high, days(row->p50_low_s, a, sizeof a),
		days(row->p50_high_s, b, sizeof b), swing);
	if (!isnan(r->base_cost))
		fprintf(out, " %12s %12s", cost_change(row->cost_low, r->base_cost, c, sizeof c),
			cost_change(row->cost_high, r->base_cost, d, sizeof d));
	int bar = widest > 0 ? (int)lround(BAR_WIDTH * fmin(s, widest) / widest) : 0;
	fprintf(out, "%s%.*s\n", bar ? "  " : "", bar, "####################");
}

void sensitivity_write_text(FILE *out, const struct sensitivity_report *r)
{
	size_t *order = ordered(r);
	if (!order)
		return;
	char buf[48];
	int width = 3;
	double widest = 0;
	for (size_t i = 0; i < r->count; i++) {
		width = (int)strlen(r->keys[i].key) > width ? (int)strlen(r->keys[i].key) : width;
		double s = sensitivity_swing(&r->rows[i]);
		widest = isfinite(s) && s > widest ? s : widest;
	}
	fprintf(out, "sensitivity: one key at a time, %ld replicas per point (seeds %llu to %llu in every point)\n",
		r->replicas, (unsigned long long)r->seed, (unsigned long long)(r->seed + (uint64_t)r->replicas - 1));
	fprintf(out, "baseline P50 %s d", days(r->base_p50_s, buf, sizeof buf));
	if (!isnan(r->base_cost))
		fprintf(out, ", mean cost %s", humanize(UNIT_MONEY, r->base_cost, buf, sizeof buf));
	fprintf(out, "\n\n%-*s %10s %10s %9s %9s %8s", width, "key", "low", "high", "P50 low", "P50 high", "swing");
	if (!isnan(r->base_cost))
		fprintf(out, " %12s %12s", "cost low", "cost high");
	fprintf(out, "\n");
	for (size_t i = 0; i < r->count; i++)
		text_row(out, r, order[i], width, widest);
	fprintf(out, "\nP50 and swing in days; swing = |P50 high - P50 low|%s\n",
		isnan(r->base_cost) ? "" : "; cost: the mean cost's change against the baseline");
	free(order);
}

static void json_row(struct json_writer *w, const struct sensitivity_key *k, const struct sensitivity_row *row)
{
	json_begin_object(w, NULL);
	json_string(w, "key", k->key);
	if (k->base[0])
		json_string(w, "base", k->base);
	else
		json_number(w, "base", NAN);
	json_string(w, "low", k->low);
	json_string(w, "high", k->high);
	json_number(w, "p50_low_s", row->p50_low_s);
	json_number(w, "p50_high_s", row->p50_high_s);
	json_number(w, "swing_s", sensitivity_swing(row));
	json_number(w, "cost_low", row->cost_low);
	json_number(w, "cost_high", row->cost_high);
	json_end_object(w);
}

void sensitivity_write_json(FILE *out, const struct sensitivity_report *r)
{
	size_t *order = ordered(r);
	if (!order)
		return;
	struct json_writer w;
	json_init(&w, out);
	json_begin_object(&w, NULL);
	json_string(&w, "schema", "trainsim-sensitivity");
	json_integer(&w, "schema_version", 1);
	json_begin_object(&w, "baseline");
	json_number(&w, "p50_s", r->base_p50_s);
	json_number(&w, "cost", r->base_cost);
	json_end_object(&w);
	json_integer(&w, "replicas", r->replicas);
	json_integer(&w, "seed", (long)r->seed);
	json_begin_array(&w, "rows");
	for (size_t i = 0; i < r->count; i++)
		json_row(&w, &r->keys[order[i]], &r->rows[order[i]]);
	json_end_array(&w);
	json_end_object(&w);
	json_finish(&w);
	free(order);
}
