/* humanize: pick a prefix from a per-kind table so that the mantissa is below 1000. */
#include "humanize.h"

#include <math.h>
#include <stdio.h>

struct prefix {
	double scale;
	const char *suffix;
};

/* Tables end with {0, NULL}; ordered from the largest scale down. */
static const struct prefix bandwidth_bits[] = {
	{1e15, " Pb/s"}, {1e12, " Tb/s"}, {1e9, " Gb/s"}, {1e6, " Mb/s"}, {1e3, " kb/s"}, {1, " b/s"}, {0, NULL}};
static const struct prefix seconds[] = {
	{365 * 86400.0, " y"}, {86400, " d"}, {3600, " h"}, {60, " min"}, {1, " s"},
	{1e-3, " ms"}, {1e-6, " us"}, {1e-9, " ns"}, {0, NULL}};
static const struct prefix watts[] = {
	{1e9, " GW"}, {1e6, " MW"}, {1e3, " kW"}, {1, " W"}, {0, NULL}};
static const struct prefix bytes[] = {
	{1e15, " PB"}, {1e12, " TB"}, {1e9, " GB"}, {1e6, " MB"}, {1e3, " kB"}, {1, " B"}, {0, NULL}};
static const struct prefix flops[] = {
	{1e18, " EFLOP/s"}, {1e15, " PFLOP/s"}, {1e12, " TFLOP/s"}, {1e9, " GFLOP/s"}, {1, " FLOP/s"}, {0, NULL}};
static const struct prefix counts[] = {
	{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1, ""}, {0, NULL}}; /* B: billions, as models are sized */
static const struct prefix metres[] = {
	{1e3, " km"}, {1, " m"}, {1e-3, " mm"}, {0, NULL}};
static const struct prefix dollars[] = {
	{1e9, " BUSD"}, {1e6, " MUSD"}, {1e3, " kUSD"}, {1, " USD"}, {0, NULL}};
static const struct prefix dollars_per_hour[] = {
	{1.0 / 3600, " USD/h"}, {0, NULL}};
static const struct prefix dollars_per_mwh[] = {
	{1 / 3.6e9, " USD/MWh"}, {0, NULL}};
static const struct prefix per_day[] = {
	{1.0 / 86400, "/d"}, {0, NULL}};

static const struct prefix *table_for(enum unit_kind kind)
{
	switch (kind) {
	case UNIT_BANDWIDTH: return bandwidth_bits;
	case UNIT_TIME: return seconds;
	case UNIT_POWER: return watts;
	case UNIT_SIZE: return bytes;
	case UNIT_COMPUTE: return flops;
	case UNIT_LENGTH: return metres;
	case UNIT_RATE: return per_day;
	case UNIT_MONEY: return dollars;
	case UNIT_MONEY_RATE: return dollars_per_hour;
	case UNIT_ENERGY_PRICE: return dollars_per_mwh;
	default: return counts;
	}
}

static const char *format_scaled(const struct prefix *table, double value, char *buf, size_t size)
{
	const struct prefix *p = table;
	while (p[1].suffix && fabs(value) < p->scale)
		p++;
	double v = value / p->scale;
	/* whole numbers under the next prefix print in full (833000, not 8.33e+05) */
	snprintf(buf, size, fabs(v) >= 1e4 ? "%.0f%s" : "%.4g%s", v, p->suffix);
	return buf;
}

const char *humanize(enum unit_kind kind, double value, char *buf, size_t size)
{
	if (kind == UNIT_BANDWIDTH)
		value *= 8; /* bytes per second shown as bits per second, as fabrics are sold */
	if (kind == UNIT_FRACTION) {
		snprintf(buf, size, "%.4g%%", value * 100);
		return buf;
	}
	if (kind == UNIT_RATIO) {
		snprintf(buf, size, value >= 1 ? "%.4g:1" : "1:%.4g", value >= 1 ? value : 1 / value);
		return buf;
	}
	if (value == 0 || !isfinite(value)) {
		const struct prefix *p = table_for(kind);
		while (p[1].suffix && p->scale != 1)
			p++;
		snprintf(buf, size, "%g%s", value, p->suffix);
		return buf;
	}
	return format_scaled(table_for(kind), value, buf, size);
}

/* H. Hinnant's civil_from_days: proleptic Gregorian date of a day count since 1970. */
static void civil_from_days(long z, long *y, long *m, long *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

const char *humanize_date(double epoch_s, char *buf, size_t size)
{
	long y, m, d;
	double day = floor(epoch_s / 86400);
	civil_from_days((long)day, &y, &m, &d);
	long minutes = (long)floor((epoch_s - day * 86400) / 60);
	snprintf(buf, size, "%04ld-%02ld-%02ld %02ld:%02ld", y, m, d, minutes / 60, minutes % 60);
	return buf;
}

const char *humanize_span_note(double span_s, char *buf, size_t size)
{
	double days = fabs(span_s) / 86400;
	if (!isfinite(days) || days < 28)
		snprintf(buf, size, "%s", "");
	else if (days < 61)
		snprintf(buf, size, " = %.1f weeks", days / 7);
	else if (days < 2 * 365.25)
		snprintf(buf, size, " = %.1f months", days / 30.44);
	else
		snprintf(buf, size, " = %.1f years", days / 365.25);
	return buf;
}
