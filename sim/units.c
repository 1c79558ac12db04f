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

struct suffix {
	const char *text;
	double scale;
};

/* Tables end with {NULL, 0}. Decimal prefixes for bits, bytes, watts and FLOP/s; binary
 * ones only where written (KiB...). */
static const struct suffix bandwidth_suffixes[] = {
	{"bps", 1 / 8.0}, {"Kbps", 1e3 / 8}, {"kbps", 1e3 / 8}, {"Mbps", 1e6 / 8}, {"Gbps", 1e9 / 8},
	{"Tbps", 1e12 / 8}, {"Pbps", 1e15 / 8}, {"b/s", 1 / 8.0}, {"Kb/s", 1e3 / 8}, {"kb/s", 1e3 / 8},
	{"Mb/s", 1e6 / 8}, {"Gb/s", 1e9 / 8}, {"Tb/s", 1e12 / 8}, {"Pb/s", 1e15 / 8},
	{"Bps", 1}, {"KBps", 1e3}, {"kBps", 1e3}, {"MBps", 1e6}, {"GBps", 1e9}, {"TBps", 1e12}, {"PBps", 1e15},
	{"B/s", 1}, {"KB/s", 1e3}, {"kB/s", 1e3}, {"MB/s", 1e6}, {"GB/s", 1e9}, {"TB/s", 1e12}, {"PB/s", 1e15},
	{NULL, 0}};
static const struct suffix time_suffixes[] = {
	{"ns", 1e-9}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6}, {"ms", 1e-3}, {"s", 1}, {"min", 60}, {"h", 3600},
	{"d", 86400}, {"w", 7 * 86400.0}, {"y", 365 * 86400.0}, {"yr", 365 * 86400.0}, {NULL, 0}};
static const struct suffix power_suffixes[] = {
	{"mW", 1e-3}, {"W", 1}, {"kW", 1e3}, {"MW", 1e6}, {"GW", 1e9}, {NULL, 0}};
static const struct suffix size_suffixes[] = {
	{"B", 1}, {"KB", 1e3}, {"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"PB", 1e15},
	{"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
	{"PiB", 1125899906842624.0}, {NULL, 0}};
static const struct suffix compute_suffixes[] = {
	{"FLOPS", 1}, {"KFLOPS", 1e3}, {"kFLOPS", 1e3}, {"MFLOPS", 1e6}, {"GFLOPS", 1e9}, {"TFLOPS", 1e12},
	{"PFLOPS", 1e15}, {"EFLOPS", 1e18}, {"FLOP/s", 1}, {"GFLOP/s", 1e9}, {"TFLOP/s", 1e12},
	{"PFLOP/s", 1e15}, {"EFLOP/s", 1e18}, {NULL, 0}};
/* Plain counts: "405B" parameters, "15.6T" tokens. B is a billion here (models are sized so). */
static const struct suffix count_suffixes[] = {
	{"", 1}, {"K", 1e3}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1e9}, {"T", 1e12}, {"P", 1e15}, {NULL, 0}};
static const struct suffix length_suffixes[] = {
	{"mm", 1e-3}, {"cm", 1e-2}, {"m", 1}, {"km", 1e3}, {NULL, 0}};

struct kind_info {
	const char *name;
	const char *example;
	const struct suffix *suffixes; /* NULL: parsed by a kind-specific function */
};

static const struct kind_info kinds[] = {
	[UNIT_BANDWIDTH] = {"bandwidth", "400Gbps", bandwidth_suffixes},
	[UNIT_TIME] = {"time", "30s", time_suffixes},
	[UNIT_POWER] = {"power", "700W", power_suffixes},
	[UNIT_SIZE] = {"size", "80GB", size_suffixes},
	[UNIT_COMPUTE] = {"compute", "989TFLOPS", compute_suffixes},
	[UNIT_COUNT] = {"count", "15.6T", count_suffixes},
	[UNIT_FRACTION] = {"fraction", "50%", NULL},
	[UNIT_RATIO] = {"ratio", "3:1", NULL},
	[UNIT_LENGTH] = {"length", "100km", length_suffixes},
	[UNIT_RATE] = {"rate", "3/d", NULL},
};

const char *units_kind_name(enum unit_kind kind)
{
	return kinds[kind].name;
}

const char *units_kind_example(enum unit_kind kind)
{
	return kinds[kind].example;
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

/* Leading number of `text`: finite, no leading space or sign tricks beyond one '-' / '+'.
 * *rest points past it and any spaces. */
static bool leading_number(const char *text, double *value, const char **rest)
{
	if (!text[0] || isspace((unsigned char)text[0]))
		return false;
	/* strtod also reads "inf", "nan" and hex floats: only decimal digits are numbers here */
	const char *c = text + (text[0] == '-' || text[0] == '+');
	if (!isdigit((unsigned char)c[0]) && !(c[0] == '.' && isdigit((unsigned char)c[1])))
		return false;
	if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X'))
		return false;
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno == ERANGE || !isfinite(v))
		return false;
	while (*end == ' ')
		end++;
	*value = v;
	*rest = end;
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

/* "ns, us, ms, ..." for messages. */
static const char *suffix_list(const struct suffix *table, char *buf, size_t size)
{
	buf[0] = '\0';
	for (const struct suffix *s = table; s->text; s++) {
		size_t used = strlen(buf);
		if (s->text[0] && !strchr(s->text, '/') && !(s->text[0] & 0x80))
			snprintf(buf + used, size - used, "%s%s", used ? ", " : "", s->text);
	}
	return buf;
}

/* Suffixes that read as something else in this kind: say what to write instead. */
static bool ambiguous(enum unit_kind kind, const char *suffix, const char *text, char *why, size_t why_size)
{
	if (kind == UNIT_TIME && !strcmp(suffix, "m"))
		return !fail(why, why_size, "'m' is ambiguous for a time in '%s'; write 'min' for minutes", text);
	if (kind == UNIT_SIZE && strlen(suffix) == 2 && suffix[1] == 'b' && strchr("KkMGTP", suffix[0]))
		return !fail(why, why_size, "size '%s' is in bits (%s), which is ambiguous here; write bytes such as GB",
			     text, suffix);
	if (kind == UNIT_BANDWIDTH && find_suffix(count_suffixes, suffix))
		return !fail(why, why_size, "bandwidth '%s' needs a unit such as 400Gbps (bits) or 50GBps (bytes)",
			     text);
	if (!suffix[0] && kind != UNIT_COUNT)
		return !fail(why, why_size, "'%s' needs a unit, such as %s", text, kinds[kind].example);
	return false;
}

static bool parse_with_table(enum unit_kind kind, const char *text, double *out, char *why, size_t why_size)
{
	double v;
	const char *rest;
	if (!leading_number(text, &v, &rest))
		return fail(why, why_size, "'%s' is not a number", text);
	if (ambiguous(kind, rest, text, why, why_size))
		return false;
	const struct suffix *s = find_suffix(kinds[kind].suffixes, rest);
	if (!s) {
		char list[256];
		return fail(why, why_size, "unknown %s unit '%s' in '%s'; expected one of %s", kinds[kind].name, rest,
			    text, suffix_list(kinds[kind].suffixes, list, sizeof list));
	}
	double result = v * s->scale;
	if (!isfinite(result))
		return fail(why, why_size, "'%s' is too large", text);
	*out = result;
	return true;
}

static bool parse_fraction(const char *text, double *out, char *why, size_t why_size)
{
	double v;
	const char *rest;
	if (!leading_number(text, &v, &rest))
		return fail(why, why_size, "'%s' is not a number", text);
	if (!strcmp(rest, "%")) {
		*out = v / 100;
		return true;
	}
	if (rest[0])
		return fail(why, why_size, "unknown fraction unit '%s' in '%s'; expected %% or a number from 0 to 1",
			    rest, text);
	if (v < 0 || v > 1)
		return fail(why, why_size, "fraction '%s' is ambiguous; write a percent such as 50%% or a number "
			    "from 0 to 1", text);
	*out = v;
	return true;
}

static bool parse_ratio(const char *text, double *out, char *why, size_t why_size)
{
	const char *colon = strchr(text, ':');
	if (!colon)
		return fail(why, why_size, "ratio '%s' must be written as a:b, such as 3:1", text);
	char left[64];
	snprintf(left, sizeof left, "%.*s", (int)(colon - text), text);
	double a, b;
	const char *rest;
	if (!leading_number(left, &a, &rest) || rest[0] || !leading_number(colon + 1, &b, &rest) || rest[0])
		return fail(why, why_size, "ratio '%s' must be two numbers a:b, such as 3:1", text);
	if (a <= 0 || b <= 0)
		return fail(why, why_size, "ratio '%s' needs two positive numbers", text);
	*out = a / b;
	return true;
}

/* "3/d", "0.5/h", "9%/yr": a count (or percent) per unit of time. */
static bool parse_rate(const char *text, double *out, char *why, size_t why_size)
{
	const char *slash = strrchr(text, '/');
	if (!slash)
		return fail(why, why_size, "rate '%s' must be a number per time, such as 3/d or 9%%/yr", text);
	char head[64];
	snprintf(head, sizeof head, "%.*s", (int)(slash - text), text);
	double n, per;
	const char *rest;
	if (!leading_number(head, &n, &rest) || (rest[0] && strcmp(rest, "%")))
		return fail(why, why_size, "rate '%s' must start with a number, such as 3/d", text);
	if (!strcmp(rest, "%"))
		n /= 100;
	char one[32];
	snprintf(one, sizeof one, "1%s", slash + 1);
	if (!strcmp(slash + 1, "day"))
		snprintf(one, sizeof one, "1d");
	if (!parse_with_table(UNIT_TIME, one, &per, why, why_size))
		return false;
	*out = n / per;
	return true;
}

bool units_parse(enum unit_kind kind, const char *text, double *out, char *why, size_t why_size)
{
	if (!text)
		return fail(why, why_size, "no value given");
	switch (kind) {
	case UNIT_FRACTION: return parse_fraction(text, out, why, why_size);
	case UNIT_RATIO: return parse_ratio(text, out, why, why_size);
	case UNIT_RATE: return parse_rate(text, out, why, why_size);
	default: return parse_with_table(kind, text, out, why, why_size);
	}
}
