/* timeline: typed events -> Chrome trace events (see timeline.h). What each event kind
 * becomes (a slice, an instant, the job's state) comes from the kind table. */
#include "timeline.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "jobstate.h"

/* A save shorter than this is part of the training around it on the job's track. */
#define SHORT_SAVE_S 60.0

static const char *const track_names[TRACK_COUNT] = {"", "job", "failures", "repairs", "power", "links", "bring-up"};

/* A slice begun and not yet ended: a repair, a dark rack or hall. */
struct open_slice {
	enum event_track track;
	enum event_kind end_kind;
	long index, cause;
	char name[96];
	double start_s;
};

struct replica_state {
	long replica;
	double last_s;
	const char *state;      /* the job's current slice: training, detection, ... */
	double state_start_s;
	bool state_open;
	struct open_slice *open;
	size_t open_count, open_capacity;
};

static double us(double s)
{
	return s * 1e6;
}

static void trace_event(struct json_writer *j, const char *name, const char *ph, long pid, enum event_track tid,
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

static void slice(struct json_writer *j, const char *name, long pid, enum event_track tid, double start_s,
		  double end_s)
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
	for (int t = TRACK_JOB; t < TRACK_COUNT; t++) {
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

static void instant(struct timeline *t, long replica, const struct event *e, const char *name)
{
	struct json_writer *j = &t->json;
	char detail[128];
	trace_event(j, name, "i", replica + 1, events_kind(e->kind)->track, e->time_s, -1);
	json_begin_object(j, "args");
	json_string(j, "component", events_subject_name(e));
	json_integer(j, "index", e->index);
	if (events_detail(e, t->platform, detail, sizeof detail)[0])
		json_string(j, "detail", detail);
	json_end_object(j);
	json_end_object(j);
}

/* What the trace calls an event, as its kind's label says. */
static const char *label(const struct timeline *t, const struct event *e, char *buf, size_t size)
{
	const struct event_kind_info *k = events_kind(e->kind);
	const char *cause = events_cause_name(e, t->platform);
	char detail[64];
	switch (k->label) {
	case LABEL_CAUSE: snprintf(buf, size, "%s", cause); break;
	case LABEL_KIND_DETAIL:
		events_detail(e, t->platform, detail, sizeof detail);
		snprintf(buf, size, "%s %s", k->name, detail[0] ? detail : cause);
		break;
	case LABEL_REPAIR: snprintf(buf, size, "repair %s %s %ld", cause, events_subject_name(e), e->index); break;
	case LABEL_DARK: snprintf(buf, size, "%s %ld dark (%s)", events_subject_name(e), e->index, cause); break;
	case LABEL_SUBJECT: snprintf(buf, size, "%s %s %ld", k->name, events_subject_name(e), e->index); break;
	default: snprintf(buf, size, cause[0] ? "%s (%s)" : "%s", k->name, cause); break;
	}
	return buf;
}

/* ---- the job's states ---- */

static const char *state_name(int state)
{
	return state == TIME_PRODUCTIVE ? "training" : jobstate_name((enum time_category)state);
}

static void close_state(struct json_writer *j, struct replica_state *rs, double end_s)
{
	if (rs->state_open && end_s > rs->state_start_s)
		slice(j, rs->state, rs->replica + 1, TRACK_JOB, rs->state_start_s, end_s);
	rs->state_open = false;
}

/* A state event: short saves stay inside the training slice; a run of training keeps going.
 * `next` is the job's next state event, or NULL. */
static void job_state(struct json_writer *j, struct replica_state *rs, const struct event *e, const struct event *next)
{
	const char *name = state_name(e->state);
	bool next_trains = next && next->state == TIME_PRODUCTIVE;
	bool short_save = e->state == TIME_CHECKPOINT && next_trains && next->time_s - e->time_s < SHORT_SAVE_S;
	if (short_save || (rs->state_open && !strcmp(rs->state, name)))
		return;
	close_state(j, rs, e->time_s);
	rs->state = name;
	rs->state_start_s = e->time_s;
	rs->state_open = true;
}

/* ---- paired slices ---- */

static bool open_slice(struct replica_state *rs, const struct event *e, const char *name)
{
	struct open_slice *more = grow_array(rs->open, &rs->open_capacity, rs->open_count, sizeof *more, 16);
	if (!more)
		return false;
	rs->open = more;
	const struct event_kind_info *k = events_kind(e->kind);
	struct open_slice *o = &rs->open[rs->open_count++];
	*o = (struct open_slice){.track = k->track, .end_kind = k->ends, .index = e->index, .cause = e->cause,
				 .start_s = e->time_s};
	snprintf(o->name, sizeof o->name, "%s", name);
	return true;
}

/* Ends the earliest open slice that e ends (its end kind, same index and cause). */
static void close_slice(struct json_writer *j, struct replica_state *rs, const struct event *e)
{
	for (size_t i = 0; i < rs->open_count; i++) {
		struct open_slice *o = &rs->open[i];
		if (o->end_kind != e->kind || o->index != e->index || o->cause != e->cause)
			continue;
		slice(j, o->name, rs->replica + 1, o->track, o->start_s, e->time_s);
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

static bool one_event(struct timeline *t, struct replica_state *rs, const struct event *e, const struct event *next)
{
	char name[128];
	switch (events_kind(e->kind)->shape) {
	case SHAPE_STATE: job_state(&t->json, rs, e, next); return true;
	case SHAPE_HIDDEN: return true;
	case SHAPE_BEGIN: return open_slice(rs, e, label(t, e, name, sizeof name));
	case SHAPE_END: close_slice(&t->json, rs, e); return true;
	default: instant(t, rs->replica, e, label(t, e, name, sizeof name)); return true;
	}
}

static void other_data(struct json_writer *j, const struct timeline_origin *o)
{
	if (!o)
		return;
	json_begin_object(j, "otherData");
	json_string(j, "trainsim_version", o->trainsim_version);
	json_string(j, "run_id", o->run_id);
	json_string(j, "platform", o->platform);
	json_string(j, "platform_sha256", o->platform_sha256);
	json_string(j, "workload", o->workload);
	json_string(j, "workload_sha256", o->workload_sha256);
	json_begin_array(j, "overrides"); /* a list, as in summary.json */
	for (size_t i = 0; i < o->override_count; i++)
		json_string(j, NULL, o->overrides[i]);
	json_end_array(j);
	json_end_object(j);
}

void timeline_begin(struct timeline *t, FILE *out, const struct platform *p, const struct timeline_origin *origin)
{
	t->platform = p;
	json_init(&t->json, out);
	json_begin_object(&t->json, NULL);
	json_string(&t->json, "displayTimeUnit", "ms");
	other_data(&t->json, origin);
	json_begin_array(&t->json, "traceEvents");
}

/* The job's next state event from i on, or NULL: whether a save was short is a matter of
 * the job's track alone, whatever happens on the others meanwhile. */
static const struct event *next_state(const struct event *events, size_t count, size_t i)
{
	for (; i < count; i++)
		if (events[i].kind == EVENT_STATE)
			return &events[i];
	return NULL;
}

bool timeline_replica(struct timeline *t, long replica, const struct event *events, size_t count)
{
	struct replica_state rs = {.replica = replica};
	bool ok = true, any = false;
	for (size_t i = 0; ok && i < count; i++) {
		if (!events_kind(events[i].kind)->in_files)
			continue;
		if (!any)
			metadata(&t->json, replica);
		any = true;
		rs.last_s = events[i].time_s;
		ok = one_event(t, &rs, &events[i], next_state(events, count, i + 1));
	}
	if (ok && any)
		finish_replica(&t->json, &rs);
	free(rs.open);
	return ok;
}

void timeline_end(struct timeline *t)
{
	json_end_array(&t->json);
	json_end_object(&t->json);
	json_finish(&t->json);
}
