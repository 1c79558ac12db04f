/* cli_sweep_slices: slices of a sweep and its report (see cli_sweep_slices.h). A slice is
 * raw records after a header that checks their size: merged by the trainsim that wrote it. */
#include "cli_sweep_slices.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_files.h"
#include "humanize.h"
#include "outdir.h"
#include "trainsim_config.h"

#define SLICE_MAGIC "TRAINSIM-SWEEP1\n"

/* ---- the slice as bytes ---- */

struct slice_header {
	char magic[16];
	uint32_t record_size;
};

static bool put(FILE *out, const void *data, size_t size)
{
	return size == 0 || fwrite(data, size, 1, out) == 1;
}

bool sweep_slice_write(FILE *out, const struct sweep_slice *s)
{
	struct slice_header h = {.record_size = sizeof(struct point_record)};
	memcpy(h.magic, SLICE_MAGIC, sizeof h.magic);
	struct sweep_slice fixed = *s;
	fixed.labels = NULL, fixed.records = NULL;
	bool ok = put(out, &h, sizeof h) && put(out, &fixed, sizeof fixed);
	for (long i = 0; ok && i < s->count; i++) {
		long n = (long)strlen(s->labels[i]);
		ok = put(out, &n, sizeof n) && put(out, s->labels[i], (size_t)n) &&
		     put(out, &s->records[i], sizeof s->records[i]);
	}
	return ok && fflush(out) == 0;
}

static bool get(FILE *in, void *data, size_t size)
{
	return size == 0 || fread(data, size, 1, in) == 1;
}

static bool cut_short(const char *name, struct ts_error *err)
{
	return error_set(err, name, 0, 0, "is cut short or is not a sweep shard; expected the %s that trainsim sweep "
			 "--shard wrote", SWEEP_SHARD_FILE);
}

bool sweep_slice_read(FILE *in, const char *name, struct sweep_slice *s, struct ts_error *err)
{
	struct slice_header h;
	*s = (struct sweep_slice){0};
	if (!get(in, &h, sizeof h) || memcmp(h.magic, SLICE_MAGIC, sizeof h.magic))
		return cut_short(name, err);
	if (h.record_size != sizeof(struct point_record) || !get(in, s, sizeof *s))
		return error_set(err, name, 0, 0, "was written by another build of trainsim; merge it with the trainsim "
				 "that ran it");
	s->labels = NULL, s->records = NULL;
	s->trainsim_version[sizeof s->trainsim_version - 1] = s->sweep_id[sizeof s->sweep_id - 1] = '\0';
	if (s->count < 0 || s->count > 100000 || s->done < 0 || s->done > s->count || s->first < 0 ||
	    s->first + s->count > s->points) {
		s->count = 0;
		return cut_short(name, err);
	}
	s->labels = calloc((size_t)(s->count ? s->count : 1), sizeof *s->labels);
	s->records = calloc((size_t)(s->count ? s->count : 1), sizeof *s->records);
	if (!s->labels || !s->records) {
		sweep_slice_finish(s);
		return error_set(err, name, 0, 0, "out of memory");
	}
	for (long i = 0; i < s->count; i++) {
		long n;
		if (!get(in, &n, sizeof n) || n < 0 || n > 65536 || !(s->labels[i] = calloc((size_t)n + 1, 1)) ||
		    !get(in, s->labels[i], (size_t)n) || !get(in, &s->records[i], sizeof s->records[i])) {
			sweep_slice_finish(s);
			return cut_short(name, err);
		}
	}
	if (fgetc(in) != EOF) {
		sweep_slice_finish(s);
		return cut_short(name, err);
	}
	return true;
}

void sweep_slice_finish(struct sweep_slice *s)
{
	for (long i = 0; s->labels && i < s->count; i++)
		free(s->labels[i]);
	free(s->labels);
	free(s->records);
	*s = (struct sweep_slice){0};
}

/* ---- the slices as one sweep ---- */

static int by_first(const void *a, const void *b)
{
	const struct sweep_slice *x = a, *y = b;
	return (x->first > y->first) - (x->first < y->first);
}

static bool check_slices(struct sweep_slice *slices, size_t n, const char *const *names, struct ts_error *err)
{
	const struct sweep_slice *a = &slices[0];
	for (size_t i = 0; i < n; i++) {
		const struct sweep_slice *b = &slices[i];
		if (strcmp(b->trainsim_version, TRAINSIM_VERSION))
			return error_set(err, names[i], 0, 0, "written by trainsim %s; merge it with that version (this is %s)",
					 b->trainsim_version, TRAINSIM_VERSION);
		if (strcmp(a->sweep_id, b->sweep_id) || a->shards != b->shards || a->points != b->points)
			return error_set(err, names[i], 0, 0, "is a slice of sweep %s (%ld shards of %ld points), not of "
					 "sweep %s (%ld of %ld) like %s", b->sweep_id, b->shards, b->points, a->sweep_id,
					 a->shards, a->points, names[0]);
		if (b->done < b->count)
			return error_set(err, names[i], 0, 0, "finished %ld of its %ld points; run that shard again",
					 b->done, b->count);
	}
	if ((long)n != a->shards)
		return error_set(err, "", 0, 0, "%zu sweep shards for a sweep in %ld shards; expected all of them", n,
				 a->shards);
	return true;
}

bool sweep_join(struct sweep_slice *slices, size_t n, const char *const *names, struct sweep_points *w,
		struct ts_error *err)
{
	*w = (struct sweep_points){0};
	if (n == 0 || !check_slices(slices, n, names, err))
		return false;
	qsort(slices, n, sizeof *slices, by_first);
	long next = 0;
	for (size_t i = 0; i < n; i++) {
		if (slices[i].first != next)
			return error_set(err, "", 0, 0, "sweep points %ld and on are missing or given twice (shard %ld/%ld "
					 "starts at point %ld); expected each shard once", next + 1, slices[i].shard,
					 slices[i].shards, slices[i].first + 1);
		next += slices[i].count;
	}
	if (next != slices[0].points)
		return error_set(err, "", 0, 0, "the shards hold %ld of the sweep's %ld points", next, slices[0].points);
	w->count = next;
	w->labels = calloc((size_t)(next ? next : 1), sizeof *w->labels);
	struct point_record *records = calloc((size_t)(next ? next : 1), sizeof *records);
	w->records = records;
	if (!w->labels || !records) {
		sweep_points_finish(w);
		return error_set(err, "", 0, 0, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		for (long k = 0; k < slices[i].count; k++) {
			w->labels[slices[i].first + k] = slices[i].labels[k];
			records[slices[i].first + k] = slices[i].records[k];
		}
	return true;
}

void sweep_points_finish(struct sweep_points *w)
{
	free(w->labels);
	free((void *)w->records);
	*w = (struct sweep_points){0};
}

/* ---- the report ---- */

/* Whether any point has a cost (a costs section): the cost columns are shown then. */
static bool any_cost(const struct sweep_points *w)
{
	for (long k = 0; k < w->count; k++)
		if (w->records[k].ok && w->records[k].has_cost)
			return true;
	return false;
}

/* After the columns sweep.csv always had: the mean seconds per time category, then with
 * costs the cost's mean, P10, P50, P90 and the slip's mean (empty for a point without). */
static void csv_header(FILE *out, bool cost)
{
	fprintf(out, "point,label,replicas,mean_s,stddev_s,p10_s,p50_s,p90_s,p99_s,ettr_mean,change_p50_pct");
	for (int c = 0; c < TIME_CATEGORY_COUNT; c++)
		fprintf(out, ",%s_s", jobstate_name((enum time_category)c));
	if (cost)
		fprintf(out, ",cost_mean_usd,cost_p10_usd,cost_p50_usd,cost_p90_usd,cost_slip_mean_usd");
	fprintf(out, "\n");
}

static void csv_cost(FILE *out, const struct point_record *r)
{
	if (!r->has_cost || r->cost.n == 0) {
		fprintf(out, ",,,,,");
		return;
	}
	fprintf(out, ",%.2f,%.2f,%.2f,%.2f,%.2f", r->cost.mean, r->cost.p10, r->cost.p50, r->cost.p90,
		r->cost_slip.mean);
}

/* The P50 the other points are compared with: the first point where some replica finished
 * (NaN when none did; a point whose replicas all stop at --horizon has no wall-clock). */
static long base_point(const struct sweep_points *w)
{
	for (long k = 0; k < w->count; k++)
		if (w->records[k].ok && w->records[k].wallclock.n > 0)
			return k;
	return -1;
}

static double base_p50(const struct sweep_points *w)
{
	long k = base_point(w);
	return k < 0 ? NAN : w->records[k].wallclock.p50;
}

static void sweep_csv(FILE *out, const struct sweep_points *w)
{
	bool cost = any_cost(w);
	double base = base_p50(w);
	csv_header(out, cost);
	for (long k = 0; k < w->count; k++) {
		const struct point_record *r = &w->records[k];
		if (!r->ok)
			continue;
		const struct stats *s = &r->wallclock;
		fprintf(out, "%ld,%s,%ld", k + 1, w->labels[k], r->done);
		if (s->n > 0)   /* empty fields, not nan, when no replica finished */
			fprintf(out, ",%.3f,%.3f,%.3f,%.3f,%.3f,%.3f", s->mean, s->stddev, s->p10, s->p50, s->p90, s->p99);
		else
			fprintf(out, ",,,,,,");
		fprintf(out, ",%.6f,", r->ettr.mean);
		if (s->n > 0 && isfinite(base))
			fprintf(out, "%.3f", 100 * (s->p50 / base - 1));
		for (int c = 0; c < TIME_CATEGORY_COUNT; c++)
			fprintf(out, ",%.3f", r->time_s[c]);
		if (cost)
			csv_cost(out, r);
		fprintf(out, "\n");
	}
}

/* Where the time went that was not productive: the three largest categories with their share
 * of the mean wall-clock ("restart 3.4% detection 3.3% lost 1.1%"), ties in category order. */
static const char *not_productive(const struct point_record *r, char *buf, size_t size)
{
	double total = 0;
	bool taken[TIME_CATEGORY_COUNT] = {false};
	for (int c = 0; c < TIME_CATEGORY_COUNT; c++)
		total += r->time_s[c];
	buf[0] = '\0';
	for (int n = 0, used = 0; n < 3; n++) {
		int best = -1;
		for (int c = TIME_LOST; c < TIME_CATEGORY_COUNT; c++)
			if (!taken[c] && r->time_s[c] > 0 && (best < 0 || r->time_s[c] > r->time_s[best]))
				best = c;
		if (best < 0)
			break;
		taken[best] = true;
		used += snprintf(buf + used, size - (size_t)used, "%s%s %.1f%%", n ? " " : "",
				 jobstate_name((enum time_category)best), 100 * r->time_s[best] / total);
		if ((size_t)used >= size)
			break;
	}
	return buf[0] ? buf : "-";
}

/* The point's mean cost and its slip's, when it has costs. */
static void table_cost(const struct point_record *r)
{
	char a[48], b[48];
	if (!r->has_cost || r->cost.n == 0)
		printf(" %11s %11s", "-", "-");
	else
		printf(" %11s %11s", humanize(UNIT_MONEY, r->cost.mean, a, sizeof a),
		       humanize(UNIT_MONEY, r->cost_slip.mean, b, sizeof b));
}

static void sweep_table(const struct sweep_points *w)
{
	int width = 6;
	for (long k = 0; k < w->count; k++) {
		int n = (int)strlen(w->labels[k]);
		width = n > width ? n : width;
	}
	bool gave_up = false, unfinished = false, cost = any_cost(w);
	double base = base_p50(w);
	printf("%-5s  %-*s %9s %9s %9s %7s %9s  ", "point", width, "values", "P10 d", "P50 d", "P90 d", "ETTR", "P50 vs 1");
	if (cost)
		printf(" %11s %11s", "cost mean", "slip cost");
	printf("  %s\n", "not productive (mean, top 3)");
	for (long k = 0; k < w->count; k++) {
		const struct point_record *r = &w->records[k];
		char change[32] = "-", went[160];
		if (!r->ok)
			continue;
		const struct stats *s = &r->wallclock;
		if (k == base_point(w))
			snprintf(change, sizeof change, "base");
		else if (s->n > 0 && isfinite(base))
			snprintf(change, sizeof change, "%+.1f%%", 100 * (s->p50 / base - 1));
		if (s->n > 0)
			printf("%-5ld  %-*s %9.1f %9.1f %9.1f %6.1f%% %9s%-2s", k + 1, width, w->labels[k], s->p10 / 86400,
			       s->p50 / 86400, s->p90 / 86400, 100 * r->ettr.mean, change, r->gave_up ? " *" : "");
		else
			printf("%-5ld  %-*s %9s %9s %9s %6.1f%% %9s%-2s", k + 1, width, w->labels[k], "-", "-", "-",
			       100 * r->ettr.mean, change, " !");
		unfinished |= s->n == 0;
		if (cost)
			table_cost(r);
		printf("  %s\n", not_productive(r, went, sizeof went));
		gave_up |= r->gave_up > 0;
	}
	if (unfinished)
		printf("! no replica finished by the horizon (--horizon): no wall-clock; the time columns are up to it\n");
	if (gave_up)
		printf("* some replicas gave up: failures stop the job faster than it can save (stopped at ten times the "
		       "failure-free time)\n");
	if (cost)
		printf("cost: mean over the replicas that finished, in US dollars; slip cost: the GPU time and energy "
		       "beyond the failure-free run\n");
}

int sweep_report(const char *out_dir, const struct sweep_points *w)
{
	if (out_dir) {
		struct ts_error err = {0};
		struct out_file f = {0};
		if (!out_open(&f, out_dir, "sweep.csv", &err))
			return cli_report_error(&err);
		sweep_csv(f.f, w);
		if (!out_commit(&f, &err))
			return cli_report_error(&err);
	}
	sweep_table(w);
	return cli_finish_output();
}

/* ---- trainsim merge for sweeps ---- */

static bool copy_file(const char *from, FILE *to, struct ts_error *err)
{
	FILE *in = fopen(from, "rb");
	if (!in)
		return error_set(err, from, 0, 0, "cannot read: %s", strerror(errno));
	char buf[1 << 16];
	size_t n;
	bool ok = true;
	while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
		ok = fwrite(buf, 1, n, to) == n;
	ok = ok && !ferror(in);
	fclose(in);
	return ok || error_set(err, from, 0, 0, "cannot copy it");
}

/* from/point-NNN's run files into to/point-NNN, as one set. */
static bool copy_point(const char *from_dir, const char *to_dir, long k, struct ts_error *err)
{
	char name[32];
	snprintf(name, sizeof name, "point-%03ld", k + 1);
	char *from = path_join(from_dir, name), *to = path_join(to_dir, name);
	struct out_set set;
	bool ok = from && to && outset_begin(&set, to, err);
	for (size_t i = 0; ok && cli_run_set[i]; i++) {
		char *path = path_join(from, cli_run_set[i]);
		FILE *f = NULL;
		if (!path || access(path, F_OK) == 0)
			ok = path && (f = outset_open(&set, cli_run_set[i], err)) && copy_file(path, f, err);
		free(path);
	}
	if (ok)
		ok = outset_commit(&set, cli_run_set, err);
	else if (from && to)
		outset_abandon(&set);
	if (!from || !to)
		error_set(err, "", 0, 0, "out of memory");
	free(from);
	free(to);
	return ok;
}

static bool read_slice(const char *dir, struct sweep_slice *s, struct ts_error *err)
{
	char *path = path_join(dir, SWEEP_SHARD_FILE);
	FILE *f = path ? fopen(path, "rb") : NULL;
	bool ok = f && sweep_slice_read(f, path, s, err);
	if (!f)
		error_set(err, path ? path : dir, 0, 0, "cannot read: %s", path ? strerror(errno) : "out of memory");
	if (f)
		fclose(f);
	free(path);
	return ok;
}

int cli_merge_sweep(const char *const *dirs, size_t n, const char *out_dir)
{
	struct sweep_slice *slices = calloc(n ? n : 1, sizeof *slices);
	const char **names = calloc(n ? n : 1, sizeof *names);
	size_t read = 0;
	struct ts_error err = {0};
	bool ok = slices && names;
	for (; ok && read < n; read++)
		ok = read_slice(dirs[read], &slices[read], &err);
	for (size_t i = 0; ok && i < n; i++)
		names[i] = dirs[i];
	/* sweep_join sorts a shallow copy: slices[i] stays with dirs[i] for copying its points */
	struct sweep_slice *sorted = NULL;
	struct sweep_points w = {0};
	if (ok) {
		sorted = malloc(n * sizeof *sorted);
		ok = sorted != NULL;
		if (ok)
			memcpy(sorted, slices, n * sizeof *sorted);
		ok = ok && sweep_join(sorted, n, names, &w, &err);
	}
	for (size_t i = 0; ok && i < n; i++)
		for (long k = slices[i].first; ok && k < slices[i].first + slices[i].count; k++)
			ok = copy_point(dirs[i], out_dir, k, &err);
	int status = ok ? sweep_report(out_dir, &w) : cli_report_error(&err);
	if (!slices || !names)
		status = cli_report_error(&(struct ts_error){.message = "out of memory"});
	sweep_points_finish(&w);
	free(sorted);
	for (size_t i = 0; i < read; i++)
		sweep_slice_finish(&slices[i]);
	free(slices);
	free(names);
	return status;
}
