/* compare: the summary schema as one table of keys (type, and whether the scenarios must agree
 * on it), a table of rows to print, and the tolerance rule new > base * (1 + tolerance). */
#include "compare.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "error.h"
#include "humanize.h"
#include "summary_read.h"

enum { COMPARE_OK = 0, COMPARE_REGRESSION = 1, COMPARE_BAD_INPUT = 2 };

struct metric {
	const char *name;
	const char *path;
};

static const struct metric metrics[] = {
	{"p50", "distribution.wallclock_s.p50"},
	{"mean", "distribution.wallclock_s.mean"},
	{"p90", "distribution.wallclock_s.p90"},
};

/* The metric called `name`, or NULL. */
static const struct metric *metric_named(const char *name)
{
	for (size_t i = 0; i < sizeof metrics / sizeof metrics[0]; i++)
		if (!strcmp(name, metrics[i].name))
			return &metrics[i];
	return NULL;
}

bool compare_metric_known(const char *name)
{
	return metric_named(name) != NULL;
}

/* ---- the schema ---- */

#define TYPE(t) (1u << (t))
#define NUMBER (TYPE(JSON_INTEGER) | TYPE(JSON_REAL))
#define NUMBER_OR_NULL (NUMBER | TYPE(JSON_NULL))

/* What two summaries must share to be compared: REQUIRED (or --force), or only NOTED. */
enum agreement { AGREE_ANY, AGREE_REQUIRED, AGREE_NOTED };

struct field {
	const char *path;
	unsigned types;      /* TYPE() bits allowed */
	unsigned item_types; /* for arrays and objects: TYPE() bits allowed for each item; 0 = any */
	enum agreement agree;
	const char *expected;
};

static const struct field fields[] = {
	{"distribution.wallclock_s.mean", NUMBER_OR_NULL, 0, AGREE_ANY, "a number of seconds or null"},
	{"distribution.wallclock_s.p50", NUMBER_OR_NULL, 0, AGREE_ANY, "a number of seconds or null"},
	{"distribution.wallclock_s.p90", NUMBER_OR_NULL, 0, AGREE_ANY, "a number of seconds or null"},
	{"distribution.wallclock_s.p99", NUMBER_OR_NULL, 0, AGREE_ANY, "a number of seconds or null"},
	{"distribution.ettr.mean", NUMBER_OR_NULL, 0, AGREE_ANY, "a fraction or null"},
	{"interruptions.total", NUMBER_OR_NULL, 0, AGREE_ANY, "a number or null"},
	{"time_s", TYPE(JSON_OBJECT), NUMBER_OR_NULL, AGREE_ANY, "an object of seconds by category"},
	{"scenario.platform_sha256", TYPE(JSON_STRING), 0, AGREE_REQUIRED, "a string"},
	{"scenario.workload_sha256", TYPE(JSON_STRING), 0, AGREE_REQUIRED, "a string"},
	{"scenario.overrides", TYPE(JSON_ARRAY), TYPE(JSON_STRING), AGREE_REQUIRED,
	 "an array of strings"},
	{"scenario.horizon_s", NUMBER_OR_NULL, 0, AGREE_REQUIRED, "a number of seconds or null"},
	{"scenario.failure_scale", NUMBER, 0, AGREE_REQUIRED, "a number"},
	{"scenario.seed", NUMBER, 0, AGREE_NOTED, "a number"},
	{"replicas", NUMBER, 0, AGREE_NOTED, "a number"},
};

struct summary {
	const char *file;
	struct summary_doc *doc;
	const json_t *root;
	double version;
};

/* Where the value at `path` starts; failing that (a key holding a '.' makes a path that
 * cannot be followed), where the nearest value enclosing it starts. */
static void locate(const struct summary *s, const char *path, int *line, int *column)
{
	char prefix[256];
	snprintf(prefix, sizeof prefix, "%s", path);
	while (!summary_read_locate(s->doc, prefix, line, column)) {
		char *dot = strrchr(prefix, '.');
		*(dot ? dot : prefix) = '\0';
	}
}

/* "<path> is <type> <value>; expected ...", located at the value ("" is the whole document):
 * jansson keeps no positions, so summary_read finds the value in the text. */
static bool wrong_type(const struct summary *s, const char *path, const json_t *v, const char *expected,
		       struct ts_error *err)
{
	char shown[128];
	int line, column;
	locate(s, path, &line, &column);
	return error_set(err, s->file, line, column, "%s is %s%s%s; expected %s", *path ? path : "the document",
			 summary_read_type_name(v), json_is_null(v) ? "" : " ",
			 json_is_null(v) ? "" : summary_read_format(v, shown, sizeof shown), expected);
}

/* The first item (array) or member (object) of `v` not of f->item_types, its dotted path
 * written to out[size]; NULL when every item is of those types. */
static const json_t *find_bad_item(const struct field *f, const json_t *v, char *out, size_t size)
{
	const char *key;
	json_t *item;
	size_t i;
	json_array_foreach (v, i, item) {
		if (!(TYPE(json_typeof(item)) & f->item_types)) {
			snprintf(out, size, "%s.%zu", f->path, i);
			return item;
		}
	}
	json_object_foreach ((json_t *)v, key, item) {
		if (!(TYPE(json_typeof(item)) & f->item_types)) {
			snprintf(out, size, "%s.%s", f->path, key);
			return item;
		}
	}
	return NULL;
}

/* "<path> is missing; expected ...", located at the nearest value that encloses it (the object
 * it should be in, or the whole document). */
static bool missing(const struct summary *s, const char *path, const char *expected, struct ts_error *err)
{
	int line, column;
	locate(s, path, &line, &column);
	return error_set(err, s->file, line, column, "%s is missing; expected %s", path, expected);
}

static bool check_field(const struct summary *s, const struct field *f, struct ts_error *err)
{
	const json_t *v = summary_read_get(s->root, f->path), *item;
	char path[256];
	if (!v)
		return missing(s, f->path, f->expected, err);
	if (!(TYPE(json_typeof(v)) & f->types))
		return wrong_type(s, f->path, v, f->expected, err);
	if (f->item_types && (item = find_bad_item(f, v, path, sizeof path)))
		return wrong_type(s, path, item, f->expected, err);
	return true;
}

/* "schema" and "schema_version", checked before anything else: a file of some other kind
 * should be called that, not listed as twenty missing keys. */
static bool check_schema(struct summary *s, struct ts_error *err)
{
	const json_t *schema = json_object_get(s->root, "schema");
	const json_t *version = json_object_get(s->root, "schema_version");
	if (!json_is_object(s->root))
		return wrong_type(s, "", s->root, "a trainsim summary object", err);
	if (!schema)
		return missing(s, "schema", "\"" COMPARE_SCHEMA "\" (is this a trainsim summary.json?)", err);
	if (!json_is_string(schema) || strcmp(json_string_value(schema), COMPARE_SCHEMA))
		return wrong_type(s, "schema", schema, "\"" COMPARE_SCHEMA "\"", err);
	if (!version)
		return missing(s, "schema_version", "an integer", err);
	if (!summary_read_number(version, &s->version) || s->version != floor(s->version) ||
	    fabs(s->version) > 1e15)
		return wrong_type(s, "schema_version", version, "an integer", err);
	return true;
}

static bool summary_load(struct summary *s, const char *file, struct ts_error *err)
{
	s->file = file;
	if (!summary_read_file(file, &s->doc, err))
		return false;
	s->root = summary_read_root(s->doc);
	return check_schema(s, err);
}

static bool summary_check_fields(const struct summary *s, struct ts_error *err)
{
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!check_field(s, &fields[i], err))
			return false;
	}
	return true;
}

/* The compared metric must be a positive number: a percentage of 0 or null means nothing. */
static bool metric_value(const struct summary *s, const struct metric *m, double *out, struct ts_error *err)
{
	const json_t *v = summary_read_get(s->root, m->path);
	if (!summary_read_number(v, out) || !(*out > 0))
		return wrong_type(s, m->path, v, "a positive number of seconds to compare", err);
	return true;
}

/* ---- the scenario ---- */

static void print_difference(FILE *err, const char *note, const char *path, const struct summary *base,
			     const struct summary *new, const char *tail)
{
	char a[512], b[512];
	fprintf(err, "trainsim compare: %s%s differs: %s in %s, %s in %s%s\n", note, path,
		summary_read_format(summary_read_get(base->root, path), a, sizeof a), base->file,
		summary_read_format(summary_read_get(new->root, path), b, sizeof b), new->file, tail);
}

/* Every difference is printed; true when none needs --force (or --force was given). */
static bool check_scenarios(const struct summary *base, const struct summary *new, bool force, FILE *err)
{
	bool comparable = true;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const struct field *f = &fields[i];
		if (f->agree == AGREE_ANY ||
		    json_equal(summary_read_get(base->root, f->path), summary_read_get(new->root, f->path)))
			continue;
		bool required = f->agree == AGREE_REQUIRED;
		print_difference(err, required && !force ? "" : "note: ", f->path, base, new,
				 required && force ? " (compared anyway: --force)" : "");
		comparable = comparable && (!required || force);
	}
	if (!comparable)
		fprintf(err, "trainsim compare: the scenarios differ, so their wall-clock times are not comparable; "
			"pass --force to compare anyway\n");
	return comparable;
}

/* ---- the table ---- */

enum row_format { ROW_DURATION, ROW_FRACTION, ROW_COUNT, ROW_MONEY };

struct row {
	const char *label;
	const char *path;
	enum row_format format;
};

static const struct row rows[] = {
	{"wall-clock mean", "distribution.wallclock_s.mean", ROW_DURATION},
	{"wall-clock p50", "distribution.wallclock_s.p50", ROW_DURATION},
	{"wall-clock p90", "distribution.wallclock_s.p90", ROW_DURATION},
	{"wall-clock p99", "distribution.wallclock_s.p99", ROW_DURATION},
	{"ETTR mean", "distribution.ettr.mean", ROW_FRACTION},
	{"interruptions", "interruptions.total", ROW_COUNT},
};

/* Printed when either summary has a cost (a platform with a costs section): what the run
 * costs is compared, not gated (the verdict stays on the wall-clock). */
static const struct row cost_rows[] = {
	{"cost mean", "cost.total_usd.mean", ROW_MONEY},
	{"cost p50", "cost.total_usd.p50", ROW_MONEY},
	{"cost p90", "cost.total_usd.p90", ROW_MONEY},
	{"cost of the slip mean", "cost.slip_usd.mean", ROW_MONEY},
};

static const char *cell(const json_t *v, enum row_format format, char *buf, size_t size)
{
	static const enum unit_kind kinds[] = {[ROW_DURATION] = UNIT_TIME, [ROW_FRACTION] = UNIT_FRACTION,
					       [ROW_COUNT] = UNIT_COUNT, [ROW_MONEY] = UNIT_MONEY};
	double x;
	if (!summary_read_number(v, &x))
		return "-";
	return humanize(kinds[format], x, buf, size);
}

/* Relative change in percent, or for a fraction the difference in percentage points. */
static const char *change(const json_t *base, const json_t *new, enum row_format format,
			  char *buf, size_t size)
{
	double b, n;
	if (!summary_read_number(base, &b) || !summary_read_number(new, &n))
		return "";
	if (format == ROW_FRACTION) {
		double points = (n - b) * 100;
		snprintf(buf, size, "%+.2f pt", fabs(points) < 0.005 ? 0 : points);
	} else if (b == 0) {
		snprintf(buf, size, n == 0 ? "+0.0%%" : "n/a");
	} else {
		double percent = (n - b) / fabs(b) * 100;
		snprintf(buf, size, "%+.1f%%", fabs(percent) < 0.05 ? 0 : percent);
	}
	return buf;
}

static void print_row(FILE *out, const char *label, const json_t *base, const json_t *new, enum row_format format)
{
	char b[64], n[64], c[64];
	fprintf(out, "%-26s %12s %12s %10s\n", label, cell(base, format, b, sizeof b), cell(new, format, n, sizeof n),
		change(base, new, format, c, sizeof c));
}

/* One row per time_s category: BASE's in its order, then any only NEW has. */
static void print_time_rows(FILE *out, const struct summary *base, const struct summary *new)
{
	json_t *b = json_object_get(base->root, "time_s"), *n = json_object_get(new->root, "time_s"), *v;
	const char *key;
	char label[128];
	json_object_foreach (b, key, v) {
		snprintf(label, sizeof label, "time: %s", key);
		print_row(out, label, v, json_object_get(n, key), ROW_DURATION);
	}
	json_object_foreach (n, key, v) {
		if (json_object_get(b, key))
			continue;
		snprintf(label, sizeof label, "time: %s", key);
		print_row(out, label, NULL, v, ROW_DURATION);
	}
}

static void print_table(FILE *out, const struct summary *base, const struct summary *new)
{
	fprintf(out, "base: %s\nnew:  %s\n\n", base->file, new->file);
	fprintf(out, "%-26s %12s %12s %10s\n", "metric", "base", "new", "change");
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		print_row(out, rows[i].label, summary_read_get(base->root, rows[i].path),
			  summary_read_get(new->root, rows[i].path), rows[i].format);
	print_time_rows(out, base, new);
	if (json_object_get(base->root, "cost") || json_object_get(new->root, "cost"))
		for (size_t i = 0; i < sizeof cost_rows / sizeof cost_rows[0]; i++)
			print_row(out, cost_rows[i].label, summary_read_get(base->root, cost_rows[i].path),
				  summary_read_get(new->root, cost_rows[i].path), cost_rows[i].format);
}

/* Decimals for the verdict's percentages: enough to show the tolerance exactly, and more when
 * a change just past the tolerance would otherwise print as equal to it. */
static int verdict_decimals(double change_pct, double tolerance_pct)
{
	char a[64], b[64];
	int d = 1;
	while (d < 6 && fabs(round(tolerance_pct * pow(10, d)) - tolerance_pct * pow(10, d)) > 1e-6)
		d++;
	for (; d < 6 && change_pct != tolerance_pct; d++) {
		snprintf(a, sizeof a, "%.*f", d, change_pct);
		snprintf(b, sizeof b, "%.*f", d, tolerance_pct);
		if (strcmp(a, b))
			break;
	}
	return d;
}

static int print_verdict(FILE *out, const char *metric, double base_s, double new_s, double tolerance)
{
	double change_pct = (new_s - base_s) / base_s * 100, tolerance_pct = tolerance * 100;
	int d = verdict_decimals(change_pct, tolerance_pct);
	if (new_s > base_s * (1 + tolerance)) {
		fprintf(out, "REGRESSION: %s wall-clock %+.*f%% exceeds tolerance %.*f%%\n", metric, d, change_pct, d,
			tolerance_pct);
		return COMPARE_REGRESSION;
	}
	/* a change that rounds to nothing is no improvement, and prints as +0, never -0 */
	char shown[64];
	snprintf(shown, sizeof shown, "%+.*f", d, change_pct);
	bool improved = new_s < base_s && strspn(shown + 1, "0.") != strlen(shown + 1);
	if (!improved)
		snprintf(shown, sizeof shown, "%+.*f", d, change_pct > 0 ? change_pct : 0.0);
	fprintf(out, "%s: %s wall-clock %s%% (tolerance %.*f%%)\n", improved ? "improved" : "OK", metric, shown, d,
		tolerance_pct);
	return COMPARE_OK;
}

/* ---- the command ---- */

static int report(FILE *err, const struct ts_error *e)
{
	char line[ERROR_MESSAGE_MAX + ERROR_FILE_MAX + 32], excerpt[600];
	fprintf(err, "trainsim compare: %s\n", error_format(e, line, sizeof line));
	if (error_excerpt(e, excerpt, sizeof excerpt)[0])
		fprintf(err, "%s\n", excerpt);
	return COMPARE_BAD_INPUT;
}

/* Both files read and checked, in the order that gives the most useful first error. */
static bool load_both(struct summary *base, struct summary *new, const struct compare_request *a,
		      struct ts_error *err)
{
	if (!summary_load(base, a->files[0], err) || !summary_load(new, a->files[1], err))
		return false;
	if (base->version != new->version) { /* located in NEW, the file that is usually the odd one */
		int line, column;
		locate(new, "schema_version", &line, &column);
		return error_set(err, new->file, line, column, "schema_version is %.0f but %.0f in %s; summaries of "
				 "different versions are not compared (not even with --force)", new->version,
				 base->version, base->file);
	}
	return summary_check_fields(base, err) && summary_check_fields(new, err);
}

int compare_summaries(const struct compare_request *a, FILE *out, FILE *err)
{
	struct summary base = {0}, new = {0};
	struct ts_error e = {0};
	double base_s, new_s;
	int status = COMPARE_BAD_INPUT;
	const struct metric *metric = metric_named(a->metric);
	if (!metric)
		return report(err, &(struct ts_error){.message = "unknown metric"});
	if (!load_both(&base, &new, a, &e) || !metric_value(&base, metric, &base_s, &e) ||
	    !metric_value(&new, metric, &new_s, &e))
		report(err, &e);
	else if (check_scenarios(&base, &new, a->force, err)) {
		print_table(out, &base, &new);
		status = print_verdict(out, metric->name, base_s, new_s, a->tolerance);
	}
	summary_read_destroy(base.doc);
	summary_read_destroy(new.doc);
	return status;
}
