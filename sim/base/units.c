/* units: strict parsing of human quantities. Each kind has a table of accepted suffixes
 * with their SI multipliers; a suffix not in the kind's table is an error, never a guess. */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* alias: accepted but left out of the "expected one of" list, to keep messages short. */
struct suffix {
	const char *text;
	double scale;
	bool alias;
};

#define DAY 86400.0
#define YEAR (365 * DAY)

/* Tables end with {NULL}. Decimal prefixes for bits, bytes, watts and FLOP/s; binary
 * ones only where written (KiB...). */
static const struct suffix bandwidth_suffixes[] = {
	{"bps", 1 / 8.0}, {"Kbps", 1e3 / 8}, {"Mbps", 1e6 / 8}, {"Gbps", 1e9 / 8}, {"Tbps", 1e12 / 8},
	{"Pbps", 1e15 / 8}, {"Bps", 1}, {"KBps", 1e3}, {"MBps", 1e6}, {"GBps", 1e9}, {"TBps", 1e12},
	{"PBps", 1e15},
	{"kbps", 1e3 / 8, true}, {"kBps", 1e3, true},
	{"b/s", 1 / 8.0, true}, {"Kb/s", 1e3 / 8, true}, {"kb/s", 1e3 / 8, true}, {"Mb/s", 1e6 / 8, true},
	{"Gb/s", 1e9 / 8, true}, {"Tb/s", 1e12 / 8, true}, {"Pb/s", 1e15 / 8, true},
	{"B/s", 1, true}, {"KB/s", 1e3, true}, {"kB/s", 1e3, true}, {"MB/s", 1e6, true},
	{"GB/s", 1e9, true}, {"TB/s", 1e12, true}, {"PB/s", 1e15, true},
	{NULL}};
/* Both micro signs: U+00B5 (keyboards) and U+03BC (Greek mu, what many editors insert). */
static const struct suffix time_suffixes[] = {
	{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"min", 60}, {"h", 3600}, {"d", DAY},
	{"w", 7 * DAY}, {"y", YEAR},
	{"\xc2\xb5s", 1e-6, true}, {"\xce\xbcs", 1e-6, true}, {"yr", YEAR, true},
	{NULL}};
/* Only after the '/' of a rate: "2/day" reads naturally, "14day" as a duration less so. */
static const struct suffix per_time_suffixes[] = {
	{"day", DAY, true},
	{NULL}};
static const struct suffix power_suffixes[] = {
	{"mW", 1e-3}, {"W", 1}, {"kW", 1e3}, {"MW", 1e6}, {"GW", 1e9},
	{NULL}};
static const struct suffix size_suffixes[] = {
	{"B", 1}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"PB", 1e15},
	{"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
	{"PiB", 1125899906842624.0},
	{"kB", 1e3, true},
	{NULL}};
static const struct suffix compute_suffixes[] = {
	{"FLOPS", 1}, {"KFLOPS", 1e3}, {"MFLOPS", 1e6}, {"GFLOPS", 1e9}, {"TFLOPS", 1e12},
	{"PFLOPS", 1e15}, {"EFLOPS", 1e18},
	{"kFLOPS", 1e3, true}, {"FLOP/s", 1, true}, {"KFLOP/s", 1e3, true}, {"kFLOP/s", 1e3, true},
	{"MFLOP/s", 1e6, true}, {"GFLOP/s", 1e9, true}, {"TFLOP/s", 1e12, true},
	{"PFLOP/s", 1e15, true}, {"EFLOP/s", 1e18, true},
	{NULL}};
/* Plain counts: "405B" parameters, "15.6T" tokens. B is a billion here (models are sized so). */
static const struct suffix count_suffixes[] = {
	{"", 1, true}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1e9}, {"T", 1e12}, {"P", 1e15},
	{"k", 1e3, true},
	{NULL}};
static const struct suffix length_suffixes[] = {
	{"mm", 1e-3}, {"cm", 1e-2}, {"m", 1}, {"km", 1e3},
	{NULL}};

/* US dollars only: a platform's costs add up in one currency, and "$" alone could be any
 * dollar (see dollar_sign). B is a billion, as for counts. */
static const struct suffix money_suffixes[] = {
	{"USD", 1}, {"kUSD", 1e3}, {"MUSD", 1e6}, {"BUSD", 1e9},
	{"KUSD", 1e3, true},
	{NULL}};
/* After the '/' of an energy price. */
static const struct suffix energy_suffixes[] = {
	{"Wh", 3600}, {"kWh", 3.6e6}, {"MWh", 3.6e9}, {"GWh", 3.6e12},
	{NULL}};

struct kind_info {
	const char *name;
	const char *example;
	const struct suffix *suffixes; /* NULL: parsed by a kind-specific function */
	const char *unit_hint;	       /* shown when a number comes without a unit; NULL: none needed */
};

static const struct kind_info kinds[] = {
	[UNIT_BANDWIDTH] = {"bandwidth", "400Gbps", bandwidth_suffixes, "400Gbps (bits) or 50GBps (bytes)"},
	[UNIT_TIME] = {"time", "30s", time_suffixes, "30s"},
	[UNIT_POWER] = {"power", "700W", power_suffixes, "700W"},
	[UNIT_SIZE] = {"size", "80GB", size_suffixes, "80GB"},
	[UNIT_COMPUTE] = {"compute", "989TFLOPS", compute_suffixes, "989TFLOPS"},
	[UNIT_COUNT] = {"count", "15.6T", count_suffixes, NULL},
	[UNIT_FRACTION] = {"fraction", "50%", NULL, NULL},
	[UNIT_RATIO] = {"ratio", "3:1", NULL, NULL},
	[UNIT_LENGTH] = {"length", "100km", length_suffixes, "100km"},
	[UNIT_RATE] = {"rate", "3/d", NULL, NULL},
	[UNIT_MONEY] = {"money", "30kUSD", money_suffixes, "30kUSD"},
	[UNIT_MONEY_RATE] = {"money rate", "2.5USD/h", NULL, NULL},
	[UNIT_ENERGY_PRICE] = {"energy price", "80USD/MWh", NULL, NULL},
};

#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

/* Suffixes that would be read as something else in this kind: say what to write instead,
 * rather than "unknown unit", because the writer most likely meant a real unit. */
struct ambiguity {
	enum unit_kind kind;
	const char *suffix;
	const char *instead;
};

static const struct ambiguity ambiguities[] = {
	{UNIT_TIME, "m", "write 'min' for minutes"},
	{UNIT_SIZE, "b", "write 'B' for bytes (b is bits)"},
	{UNIT_SIZE, "Kb", "write 'KB' for bytes (Kb is bits)"},
	{UNIT_SIZE, "kb", "write 'kB' for bytes (kb is bits)"},
	{UNIT_SIZE, "Mb", "write 'MB' for bytes (Mb is bits)"},
	{UNIT_SIZE, "Gb", "write 'GB' for bytes (Gb is bits)"},
	{UNIT_SIZE, "Tb", "write 'TB' for bytes (Tb is bits)"},
	{UNIT_SIZE, "Pb", "write 'PB' for bytes (Pb is bits)"},
	{UNIT_BANDWIDTH, "K", "write 'Kbps' for bits or 'KBps' for bytes per second"},
	{UNIT_BANDWIDTH, "k", "write 'Kbps' for bits or 'KBps' for bytes per second"},
	{UNIT_BANDWIDTH, "M", "write 'Mbps' for bits or 'MBps' for bytes per second"},
	{UNIT_BANDWIDTH, "G", "write 'Gbps' for bits or 'GBps' for bytes per second"},
	{UNIT_BANDWIDTH, "T", "write 'Tbps' for bits or 'TBps' for bytes per second"},
	{UNIT_BANDWIDTH, "P", "write 'Pbps' for bits or 'PBps' for bytes per second"},
	{UNIT_MONEY, "mUSD", "write 'MUSD' for millions (m is milli)"},
	{UNIT_MONEY, "GUSD", "write 'BUSD' for billions"},
};

static bool kind_known(enum unit_kind kind)
{
	return (unsigned)kind < KIND_COUNT;
}

const char *units_kind_name(enum unit_kind kind)
{
	return kind_known(kind) ? kinds[kind].name : "quantity";
}

const char *units_kind_example(enum unit_kind kind)
{
	return kind_known(kind) ? kinds[kind].example : "";
}

static bool fail(char *why, size_t why_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool fail(char *why, size_t why_size, const char *fmt, ...)
{
	if (why && why_size) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, why_size, fmt, ap);
		va_end(ap);
	}
	return false;
}

enum number_status { NUMBER_OK, NUMBER_BAD, NUMBER_HUGE, NUMBER_TINY };

/* A decimal number at the very start of `text`; *end points just past it. strtod alone
 * would also take leading spaces, "inf", "nan" and hex floats, none of which belong in a
 * config file, so the first character must be a sign, digit or '.' followed by a digit. */
static enum number_status read_number(const char *text, double *value, const char **end)
{
	const char *c = text + (text[0] == '-' || text[0] == '+');
	if (!isdigit((unsigned char)c[0]) && !(c[0] == '.' && isdigit((unsigned char)c[1])))
		return NUMBER_BAD;
	if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X'))
		return NUMBER_BAD;
	char *stop;
	errno = 0;
	double v = strtod(text, &stop);
	if (errno == ERANGE)
		return fabs(v) > 1 ? NUMBER_HUGE : NUMBER_TINY;
	*value = v;
	*end = stop;
	return NUMBER_OK;
}

static bool number_fail(enum number_status status, const char *text, char *why, size_t why_size)
{
	if (status == NUMBER_HUGE)
		return fail(why, why_size, "number in '%s' is too large", text);
	if (status == NUMBER_TINY)
		return fail(why, why_size, "number in '%s' is too close to zero", text);
	return fail(why, why_size, "'%s' is not a number", text);
}

/* Reads the number that opens `text` and points *unit at what follows it. Spaces may
 * separate a number from its unit ("400 Gbps") but may not trail the value. */
static bool number_then_unit(const char *text, double *value, const char **unit, char *why, size_t why_size)
{
	const char *end;
	enum number_status status = read_number(text, value, &end);
	if (status != NUMBER_OK)
		return number_fail(status, text, why, why_size);
	*unit = end + strspn(end, " ");
	if (*unit != end && !**unit)
		return fail(why, why_size, "'%s' ends in a space", text);
	return true;
}

static const struct suffix *find_suffix(const struct suffix *table, const char *text)
{
	for (const struct suffix *s = table; s->text; s++) {
		if (!strcmp(s->text, text))
			return s;
	}
	return NULL;
}

static const struct ambiguity *find_ambiguity(enum unit_kind kind, const char *suffix)
{
	for (size_t i = 0; i < sizeof ambiguities / sizeof ambiguities[0]; i++) {
		if (ambiguities[i].kind == kind && !strcmp(ambiguities[i].suffix, suffix))
			return &ambiguities[i];
	}
	return NULL;
}

/* "ns, us, ms, ..." for messages: the main spellings only. */
static const char *suffix_list(const struct suffix *table, char *buf, size_t size)
{
	buf[0] = '\0';
	for (const struct suffix *s = table; s->text; s++) {
		size_t used = strlen(buf);
		if (!s->alias)
			snprintf(buf + used, size - used, "%s%s", used ? ", " : "", s->text);
	}
	return buf;
}

/* The multiplier for `unit` in `kind`; `text` is the whole value, quoted in messages. */
static bool unit_scale(enum unit_kind kind, const char *unit, const char *text, double *scale, char *why,
		       size_t why_size)
{
	const struct kind_info *k = &kinds[kind];
	const struct ambiguity *a = find_ambiguity(kind, unit);
	if (a)
		return fail(why, why_size, "'%s' is ambiguous for a %s in '%s'; %s", unit, k->name, text, a->instead);
	if (!unit[0] && k->unit_hint)
		return fail(why, why_size, "%s '%s' needs a unit such as %s", k->name, text, k->unit_hint);
	const struct suffix *s = find_suffix(k->suffixes, unit);
	if (!s) {
		char list[256];
		return fail(why, why_size, "unknown %s unit '%s' in '%s'; expected one of %s", k->name, unit, text,
			    suffix_list(k->suffixes, list, sizeof list));
	}
	*scale = s->scale;
	return true;
}

/* v in the unit of `scale`, correctly rounded: a sub-unit such as ns (1e-9, not exact in
 * binary) divides by its exact inverse, so 600ns is the double nearest 6e-7, not one off. */
static double apply_scale(double v, double scale)
{
	if (scale >= 1)
		return v * scale;
	double inverse = nearbyint(1 / scale);
	return fabs(inverse * scale - 1) < 1e-12 ? v / inverse : v * scale;
}

static bool parse_with_table(enum unit_kind kind, const char *text, double *out, char *why, size_t why_size)
{
	double v, scale;
	const char *unit;
	if (!number_then_unit(text, &v, &unit, why, why_size) || !unit_scale(kind, unit, text, &scale, why, why_size))
		return false;
	double x = apply_scale(v, scale);
	if (!isfinite(x))
		return fail(why, why_size, "'%s' is too large", text);
	*out = x;
	return true;
}

/* "50%" or a bare 0.5. A bare 50 could mean 50% or 50x, so only |v| <= 1 goes bare. */
static bool parse_fraction(const char *text, double *out, char *why, size_t why_size)
{
	double v;
	const char *unit;
	if (!number_then_unit(text, &v, &unit, why, why_size))
		return false;
	if (!strcmp(unit, "%")) {
		*out = v / 100;
		return true;
	}
	if (unit[0])
		return fail(why, why_size, "unknown fraction unit '%s' in '%s'; expected %% or a number from 0 to 1",
			    unit, text);
	if (fabs(v) > 1)
		return fail(why, why_size, "fraction '%s' is ambiguous; write a percent such as 50%% or a number "
			    "from 0 to 1", text);
	*out = v;
	return true;
}

/* Both sides of "a:b"; no spaces, nothing after b. */
static enum number_status read_ratio(const char *text, double *a, double *b)
{
	const char *end;
	enum number_status status = read_number(text, a, &end);
	if (status != NUMBER_OK)
		return status;
	if (*end != ':')
		return NUMBER_BAD;
	status = read_number(end + 1, b, &end);
	if (status != NUMBER_OK)
		return status;
	return *end ? NUMBER_BAD : NUMBER_OK;
}

static bool parse_ratio(const char *text, double *out, char *why, size_t why_size)
{
	if (!strchr(text, ':'))
		return fail(why, why_size, "ratio '%s' must be written as a:b, such as 3:1", text);
	double a, b;
	enum number_status status = read_ratio(text, &a, &b);
	if (status == NUMBER_BAD)
		return fail(why, why_size, "ratio '%s' must be two numbers a:b, such as 3:1", text);
	if (status != NUMBER_OK)
		return number_fail(status, text, why, why_size);
	if (a <= 0 || b <= 0)
		return fail(why, why_size, "ratio '%s' needs two positive numbers", text);
	if (!isfinite(a / b) || a / b == 0)
		return fail(why, why_size, "ratio '%s' is out of range", text);
	*out = a / b;
	return true;
}

/* The time unit after a rate's '/': a bare unit, so "3/5s" is refused rather than read as 3/15s. */
static bool per_time_scale(const char *unit, const char *text, double *scale, char *why, size_t why_size)
{
	const struct suffix *s = find_suffix(per_time_suffixes, unit);
	if (s) {
		*scale = s->scale;
		return true;
	}
	if (!unit[0])
		return fail(why, why_size, "rate '%s' needs a time unit after '/', such as 3/d", text);
	return unit_scale(UNIT_TIME, unit, text, scale, why, why_size);
}

/* "3/d", "0.5/h", "9%/yr": a count (or percent) per unit of time. */
static bool parse_rate(const char *text, double *out, char *why, size_t why_size)
{
	if (!strchr(text, '/'))
		return fail(why, why_size, "rate '%s' must be a number per time, such as 3/d or 9%%/yr", text);
	double n, per;
	const char *unit;
	if (!number_then_unit(text, &n, &unit, why, why_size))
		return false;
	bool percent = unit[0] == '%';
	if (unit[percent] != '/')
		return fail(why, why_size, "rate '%s' must be a number or percent per time, such as 3/d or 9%%/yr",
			    text);
	if (!per_time_scale(unit + percent + 1, text, &per, why, why_size))
		return false;
	*out = (percent ? n / 100 : n) / per;
	return true;
}

/* ---- money ---- */

/* "$" could be US, Canadian, Australian or another dollar, and "$30k" puts the unit first:
 * both are refused with what to write instead. */
static bool dollar_sign(enum unit_kind kind, const char *text, char *why, size_t why_size)
{
	if (!strchr(text, '$'))
		return false;
	fail(why, why_size, "'$' in '%s' could be any dollar; write the amount then USD, such as %s", text,
	     kinds[kind].example);
	return true;
}

static bool parse_money(const char *text, double *out, char *why, size_t why_size)
{
	if (dollar_sign(UNIT_MONEY, text, why, why_size))
		return false;
	return parse_with_table(UNIT_MONEY, text, out, why, why_size);
}

/* The SI scale of the unit after the '/' of an energy price (joules). */
static bool per_energy_scale(const char *unit, const char *text, double *scale, char *why, size_t why_size)
{
	const struct suffix *s = find_suffix(energy_suffixes, unit);
	char list[64];
	if (s) {
		*scale = s->scale;
		return true;
	}
	return fail(why, why_size, "unknown energy unit '%s' in '%s'; expected one of %s", unit, text,
		    suffix_list(energy_suffixes, list, sizeof list));
}

/* The currency before the '/' of a money rate or price: [unit, slash) as a money unit. */
static bool money_scale(enum unit_kind kind, const char *unit, const char *slash, const char *text, double *scale,
			char *why, size_t why_size)
{
	char money[16];
	size_t n = (size_t)(slash - unit);
	if (n == 0)
		return fail(why, why_size, "%s '%s' needs a currency before '/', such as %s", kinds[kind].name, text,
			    kinds[kind].example);
	snprintf(money, sizeof money, "%.*s", (int)(n < sizeof money ? n : sizeof money - 1), unit);
	if (n >= sizeof money) /* longer than any money unit: quote it whole in the message */
		return fail(why, why_size, "unknown money unit '%.*s' in '%s'", (int)n, unit, text);
	return unit_scale(UNIT_MONEY, money, text, scale, why, why_size);
}

/* "2.5USD/h" (money per time) or "80USD/MWh" (money per energy): US dollars over the SI
 * unit after the '/', which must be a bare unit ("USD/2h" is refused, as for rates). */
static bool parse_money_per(enum unit_kind kind, const char *text, double *out, char *why, size_t why_size)
{
	bool per_time = kind == UNIT_MONEY_RATE;
	if (dollar_sign(kind, text, why, why_size))
		return false;
	double v, money, per;
	const char *unit;
	if (!number_then_unit(text, &v, &unit, why, why_size))
		return false;
	const char *slash = strchr(unit, '/');
	if (!slash)
		return fail(why, why_size, "%s '%s' must be money per %s, such as %s", kinds[kind].name, text,
			    per_time ? "time" : "energy", kinds[kind].example);
	if (!money_scale(kind, unit, slash, text, &money, why, why_size))
		return false;
	if (!slash[1])
		return fail(why, why_size, "%s '%s' needs %s unit after '/', such as %s", kinds[kind].name, text,
			    per_time ? "a time" : "an energy", kinds[kind].example);
	bool ok = per_time ? per_time_scale(slash + 1, text, &per, why, why_size)
			   : per_energy_scale(slash + 1, text, &per, why, why_size);
	if (!ok)
		return false;
	double x = v * money / per;
	if (!isfinite(x))
		return fail(why, why_size, "'%s' is too large", text);
	*out = x;
	return true;
}

/* No quantity is written in more than this: a longer value is refused before it is quoted,
 * so that the message keeps its "expected ..." part. */
#define VALUE_MAX 64

bool units_parse(enum unit_kind kind, const char *text, double *out, char *why, size_t why_size)
{
	if (!text)
		return fail(why, why_size, "no value given");
	size_t length = strlen(text);
	if (length > VALUE_MAX && kind_known(kind))
		return fail(why, why_size, "'%.20s...' (%zu characters) is too long for a %s; expected a value such as %s",
			    text, length, kinds[kind].name, kinds[kind].example);
	switch (kind) {
	case UNIT_FRACTION: return parse_fraction(text, out, why, why_size);
	case UNIT_RATIO: return parse_ratio(text, out, why, why_size);
	case UNIT_RATE: return parse_rate(text, out, why, why_size);
	case UNIT_MONEY: return parse_money(text, out, why, why_size);
	case UNIT_MONEY_RATE:
	case UNIT_ENERGY_PRICE: return parse_money_per(kind, text, out, why, why_size);
	default:
		if (!kind_known(kind))
			return fail(why, why_size, "unknown kind of quantity %d", (int)kind);
		return parse_with_table(kind, text, out, why, why_size);
	}
}

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil):
 * no time zone or locale can change it. */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool valid_date(long y, long m, long d)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

bool units_parse_date(const char *text, double *epoch_s, char *why, size_t why_size)
{
	int y, m, d, used = 0;
	bool parsed = strlen(text) == 10 && sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == 10 &&
		      isdigit((unsigned char)text[0]);
	if (!parsed)
		return fail(why, why_size, "'%s' is not a date; expected one such as 2024-03-01", text);
	if (!valid_date(y, m, d))
		return fail(why, why_size, "'%s' is not a calendar date from 1970 on", text);
	*epoch_s = 86400.0 * (double)days_from_civil(y, m, d);
	return true;
}
