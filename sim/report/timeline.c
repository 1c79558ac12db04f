/* timeline: events.csv -> Chrome trace events (see timeline.h). Streams replica by replica;
 * only open slices (a state, repairs, dark racks and halls) are held in memory. */
#include "timeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define EVENTS_HEADER "replica,time_s,event,component,index,cause,detail"
/* A save shorter than this is part of the training around it on the job's track. */
#define SHORT_SAVE_S 60.0

enum track { TRACK_JOB = 1, TRACK_FAILURES, TRACK_REPAIRS, TRACK_POWER, TRACK_LINKS };
static const char *const track_names[] = {"", "job", "failures", "repairs", "power", "links"};

struct row {
	long replica;
	double time_s;
	char *event, *component, *cause, *detail;
	long index;
};

/* A slice begun and not yet ended: a repair, a dark rack or hall. */
struct open_slice {
	enum track track;
	const char *end_event;
	long index;
	char cause[64];
	char name[96];
	double start_s;
};

struct replica_state {
	long replica;
	double last_s;
	char state[32];         /* the job's current slice: training, detection, ... */
	double state_start_s;
	bool state_open;
	struct open_slice *open;
	size_t open_count, open_capacity;
};

static double us(double s)
{
	return s * 1e6;
}

static void trace_event(struct json_writer *j, const char *name, const char *ph, long pid, enum track tid,
			double ts_s, double dur_s)
{
	json_begin_object(j, NULL);
	json_string(j, "name", name);
	json_string(j, "ph", ph);
	json_integer(j, "pid", pid);
	json_integer(j, "tid", tid);
	json_number(j, "ts", us(ts_s));
	if (dur_s >= 0)
		json_number(j, "dur", us(dur_s));
	if (!strcmp(ph, "i"))
		json_string(j, "s", "t");
}

static void slice(struct json_writer *j, const char *name, long pid, enum track tid, double start_s, double end_s)
{
	trace_event(j, name, "X", pid, tid, start_s, end_s - start_s);
	json_end_object(j);
}

static void metadata(struct json_writer *j, long replica)
{
	char name[48];
	snprintf(name, sizeof name, "replica %ld", replica);
	json_begin_object(j, NULL);
	json_string(j, "name", "process_name");
	json_string(j, "ph", "M");
	json_integer(j, "pid", replica + 1);
	json_begin_object(j, "args");
	json_string(j, "name", name);
	json_end_object(j);
	json_end_object(j);
	for (int t = TRACK_JOB; t <= TRACK_LINKS; t++) {
		json_begin_object(j, NULL);
		json_string(j, "name", "thread_name");
		json_string(j, "ph", "M");
		json_integer(j, "pid", replica + 1);
		json_integer(j, "tid", t);
		json_begin_object(j, "args");
		json_string(j, "name", track_names[t]);
		json_end_object(j);
		json_end_object(j);
	}
}

static void instant(struct json_writer *j, const struct row *r, const char *name, enum track tid)
{
	trace_event(j, name, "i", r->replica + 1, tid, r->time_s, -1);
	json_begin_object(j, "args");
	json_string(j, "component", r->component);
	json_integer(j, "index", r->index);
	if (r->detail[0])
		json_string(j, "detail", r->detail);
	json_end_object(j);
	json_end_object(j);
}

/* ---- the job's states ---- */

static const char *state_name(const char *state)
{
	return !strcmp(state, "productive") ? "training" : state;
}

static void close_state(struct json_writer *j, struct replica_state *rs, double end_s)
{
	if (rs->state_open && end_s > rs->state_start_s)
		slice(j, rs->state, rs->replica + 1, TRACK_JOB, rs->state_start_s, end_s);
	rs->state_open = false;
}

/* A state row: short saves stay inside the training slice; a run of training keeps going. */
static void job_state(struct json_writer *j, struct replica_state *rs, const struct row *r, const char *next_state,
		      double next_s)
{
	const char *name = state_name(r->cause);
	bool short_save = !strcmp(r->cause, "checkpoint") && next_state && !strcmp(next_state, "productive") &&
			  next_s - r->time_s < SHORT_SAVE_S;
	if (short_save || (rs->state_open && !strcmp(rs->state, name)))
		return;
	close_state(j, rs, r->time_s);
	snprintf(rs->state, sizeof rs->state, "%s", name);
	rs->state_start_s = r->time_s;
	rs->state_open = true;
}

/* ---- paired slices ---- */

static bool open_slice(struct replica_state *rs, enum track track, const char *end_event, const struct row *r,
		       const char *name)
{
	if (rs->open_count == rs->open_capacity) {
		size_t cap = rs->open_capacity ? 2 * rs->open_capacity : 16;
		struct open_slice *more = realloc(rs->open, cap * sizeof *more);
		if (!more)
			return false;
		rs->open = more;
		rs->open_capacity = cap;
	}
	struct open_slice *o = &rs->open[rs->open_count++];
	*o = (struct open_slice){track, end_event, r->index, "", "", r->time_s};
	snprintf(o->cause, sizeof o->cause, "%s", r->cause);
	snprintf(o->name, sizeof o->name, "%s", name);
	return true;
}

/* Ends the earliest open slice that `r` ends (same end event, index and cause). */
static void close_slice(struct json_writer *j, struct replica_state *rs, const struct row *r)
{
	for (size_t i = 0; i < rs->open_count; i++) {
		struct open_slice *o = &rs->open[i];
		if (strcmp(o->end_event, r->event) || o->index != r->index || strcmp(o->cause, r->cause))
			continue;
		slice(j, o->name, rs->replica + 1, o->track, o->start_s, r->time_s);
		memmove(o, o + 1, (rs->open_count - i - 1) * sizeof *o);
		rs->open_count--;
		return;
	}
}

/* What was still going on when the replica's events end closes at its last event. */
static void finish_replica(struct json_writer *j, struct replica_state *rs)
{
	close_state(j, rs, rs->last_s);
	for (size_t i = 0; i < rs->open_count; i++)
		slice(j, rs->open[i].name, rs->replica + 1, rs->open[i].track, rs->open[i].start_s, rs->last_s);
	rs->open_count = 0;
}

/* ---- rows ---- */

static bool row_event(struct json_writer *j, struct replica_state *rs, const struct row *r, const char *next_state,
		      double next_s)
{
	char name[128];
	const char *e = r->event;
	if (!strcmp(e, "state"))
		job_state(j, rs, r, next_state, next_s);
	else if (!strcmp(e, "checkpoint"))
		return true; /* the job's states show them */
	else if (!strcmp(e, "repair-start")) {
		snprintf(name, sizeof name, "repair %s %s %ld", r->cause, r->component, r->index);
		return open_slice(rs, TRACK_REPAIRS, "repaired", r, name);
	} else if (!strcmp(e, "rack-dark") || !strcmp(e, "power-outage")) {
		snprintf(name, sizeof name, "%s %ld dark (%s)", r->component, r->index, r->cause);
		return open_slice(rs, TRACK_POWER, e[0] == 'r' ? "rack-powered" : "power-restored", r, name);
	} else if (!strcmp(e, "repaired") || !strcmp(e, "rack-powered") || !strcmp(e, "power-restored"))
		close_slice(j, rs, r);
	else if (!strcmp(e, "failure"))
		instant(j, r, r->cause, TRACK_FAILURES);
	else if (!strcmp(e, "pdu-down") || !strcmp(e, "grid-ride-through")) {
		snprintf(name, sizeof name, "%s (%s)", e, r->cause);
		instant(j, r, name, TRACK_POWER);
	} else if (!strcmp(e, "degraded") || !strcmp(e, "flap") || !strcmp(e, "isolated")) {
		snprintf(name, sizeof name, "%s (%s)", e, r->cause);
		instant(j, r, name, TRACK_LINKS);
	} else if (!strcmp(e, "part-wait") || !strcmp(e, "part-arrival")) {
		snprintf(name, sizeof name, "%s %s", e, r->detail[0] ? r->detail : r->cause);
		instant(j, r, name, TRACK_REPAIRS);
	} else {
		snprintf(name, sizeof name, r->cause[0] ? "%s (%s)" : "%s", e, r->cause);
		instant(j, r, name, TRACK_JOB);
	}
	return true;
}

/* Splits a row in place; false when it is not 7 fields with a numeric replica, time, index. */
static bool parse_row(char *line, struct row *r)
{
	char *f[7];
	size_t n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < 7; n++) {
		f[n] = p;
		char *comma = strchr(p, ',');
		if (!comma) {
			n++;
			break;
		}
		*comma = '\0';
		p = comma + 1;
	}
	if (n != 7 || strchr(f[6], ','))
		return false;
	char *end;
	r->replica = strtol(f[0], &end, 10);
	if (end == f[0] || *end || r->replica < 0)
		return false;
	r->time_s = strtod(f[1], &end);
	if (end == f[1] || *end || !(r->time_s >= 0))
		return false;
	r->index = strtol(f[4], &end, 10);
	if (end == f[4] || *end)
		return false;
	r->event = f[2], r->component = f[3], r->cause = f[5], r->detail = f[6];
	return r->event[0] != '\0';
}

struct reader {
	FILE *in;
	const char *name;
	long line_no;
	char *lines[2];   /* the current row's text and the next one's (look-ahead for states) */
	size_t sizes[2];
	struct row rows[2];
	bool have[2];
};

static bool read_row(struct reader *rd, int slot, struct ts_error *err)
{
	rd->have[slot] = getline(&rd->lines[slot], &rd->sizes[slot], rd->in) > 0;
	if (!rd->have[slot])
		return true;
	rd->line_no++;
	if (!parse_row(rd->lines[slot], &rd->rows[slot]))
		return error_set(err, rd->name, (int)rd->line_no, 0, "expected replica,time_s,event,component,index,cause,"
				 "detail with a whole replica and index and a time in seconds");
	return true;
}

/* The next `state` row's cause and time, if the next row is one (for folding short saves). */
static void peek_state(const struct reader *rd, int next, const char **state, double *at)
{
	bool is_state = rd->have[next] && !strcmp(rd->rows[next].event, "state") &&
			rd->rows[next].replica == rd->rows[!next].replica;
	*state = is_state ? rd->rows[next].cause : NULL;
	*at = is_state ? rd->rows[next].time_s : 0;
}

static void other_data(struct json_writer *j, const struct timeline_origin *o)
{
	if (!o)
		return;
	json_begin_object(j, "otherData");
	json_string(j, "trainsim_version", o->trainsim_version);
	json_string(j, "platform", o->platform);
	json_string(j, "platform_sha256", o->platform_sha256);
	json_string(j, "workload", o->workload);
	json_string(j, "workload_sha256", o->workload_sha256);
	/* Perfetto shows string values: the overrides as one line */
	char overrides[2048] = "";
	size_t used = 0;
	for (size_t i = 0; i < o->override_count && used < sizeof overrides; i++)
		used += (size_t)snprintf(overrides + used, sizeof overrides - used, "%s%s", i ? " " : "", o->overrides[i]);
	json_string(j, "overrides", overrides);
	json_end_object(j);
}

bool timeline_write(FILE *in, const char *name, FILE *out, long max_replicas, const struct timeline_origin *origin,
		    struct ts_error *err)
{
	struct reader rd = {in, name, 0, {NULL, NULL}, {0, 0}, {{0}}, {false, false}};
	struct replica_state rs = {.replica = -1};
	bool ok = getline(&rd.lines[0], &rd.sizes[0], in) > 0;
	rd.line_no = 1;
	if (!ok || strncmp(rd.lines[0], EVENTS_HEADER, strlen(EVENTS_HEADER)))
		ok = error_set(err, name, 1, 0, "expected the header %s", EVENTS_HEADER);
	struct json_writer j;
	json_init(&j, out);
	json_begin_object(&j, NULL);
	json_string(&j, "displayTimeUnit", "ms");
	other_data(&j, origin);
	json_begin_array(&j, "traceEvents");
	int cur = 0;
	ok = ok && read_row(&rd, cur, err);
	while (ok && rd.have[cur]) {
		ok = read_row(&rd, !cur, err);
		const struct row *r = &rd.rows[cur];
		if (ok && r->replica < max_replicas) {
			if (r->replica != rs.replica) {
				if (rs.replica >= 0)
					finish_replica(&j, &rs);
				rs.replica = r->replica;
				rs.state_open = false;
				metadata(&j, r->replica);
			}
			rs.last_s = r->time_s;
			const char *next_state;
			double next_s;
			peek_state(&rd, !cur, &next_state, &next_s);
			ok = row_event(&j, &rs, r, next_state, next_s) || error_set(err, name, 0, 0, "out of memory");
		}
		cur = !cur;
	}
	if (ok && rs.replica >= 0)
		finish_replica(&j, &rs);
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
	free(rs.open);
	free(rd.lines[0]);
	free(rd.lines[1]);
	return ok;
}
