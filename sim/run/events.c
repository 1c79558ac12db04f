/* events: the kind table, the bus and the recording sink (see events.h). */
#include "events.h"

#include <stdio.h>
#include <stdlib.h>

#include "grow.h"
#include "jobstate.h"

#define C FIELD_CAUSE
/* name, track, shape, ends, label, fields, detail, in files */
static const struct event_kind_info kinds[EVENT_KIND_COUNT] = {
	[EVENT_FAILURE] = {"failure", TRACK_FAILURES, SHAPE_INSTANT, 0, LABEL_CAUSE, C, DETAIL_NONE, true},
	[EVENT_INTERRUPTION] = {"interruption", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE, true},
	[EVENT_DETECTION] = {"detection", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, 0, DETAIL_NONE, true},
	[EVENT_SPARE_SWAP] = {"spare-swap", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, 0, DETAIL_NONE, true},
	[EVENT_RESTART] = {"restart", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, 0, DETAIL_NONE, true},
	[EVENT_CHECKPOINT] = {"checkpoint", TRACK_JOB, SHAPE_HIDDEN, 0, LABEL_KIND_CAUSE, 0, DETAIL_NONE, true},
	[EVENT_TICKET] = {"ticket", TRACK_REPAIRS, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE, true},
	[EVENT_REPAIR_START] = {"repair-start", TRACK_REPAIRS, SHAPE_BEGIN, EVENT_REPAIRED, LABEL_REPAIR, C, DETAIL_NONE,
				true},
	[EVENT_REPAIRED] = {"repaired", TRACK_REPAIRS, SHAPE_END, 0, LABEL_KIND_CAUSE, C | FIELD_FLAG, DETAIL_STANDBY,
			    true},
	[EVENT_PART_WAIT] = {"part-wait", TRACK_REPAIRS, SHAPE_INSTANT, 0, LABEL_KIND_DETAIL, C | FIELD_PART, DETAIL_PART,
			     true},
	[EVENT_PART_ARRIVAL] = {"part-arrival", TRACK_REPAIRS, SHAPE_INSTANT, 0, LABEL_KIND_DETAIL, FIELD_PART, DETAIL_NONE,
				true},
	[EVENT_DEGRADED] = {"degraded", TRACK_LINKS, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE, true},
	[EVENT_FLAP] = {"flap", TRACK_LINKS, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE, true},
	[EVENT_ISOLATED] = {"isolated", TRACK_LINKS, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE, true},
	[EVENT_PDU_DOWN] = {"pdu-down", TRACK_POWER, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE, true},
	[EVENT_RACK_DARK] = {"rack-dark", TRACK_POWER, SHAPE_BEGIN, EVENT_RACK_POWERED, LABEL_DARK, C, DETAIL_NONE, true},
	[EVENT_RACK_POWERED] = {"rack-powered", TRACK_POWER, SHAPE_END, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE, true},
	[EVENT_POWER_OUTAGE] = {"power-outage", TRACK_POWER, SHAPE_BEGIN, EVENT_POWER_RESTORED, LABEL_DARK,
				C | FIELD_VALUES, DETAIL_RIDE_THROUGH, true},
	[EVENT_POWER_RESTORED] = {"power-restored", TRACK_POWER, SHAPE_END, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE, true},
	[EVENT_GRID_RIDE_THROUGH] = {"grid-ride-through", TRACK_POWER, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE,
				     C | FIELD_VALUES, DETAIL_RIDE_THROUGH, true},
	[EVENT_GRID_EVENT] = {"grid-event", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE, true},
	[EVENT_STATE] = {"state", TRACK_JOB, SHAPE_STATE, 0, LABEL_KIND_CAUSE, FIELD_STATE, DETAIL_NONE, true},
	[EVENT_SHRINK] = {"shrink", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, FIELD_VALUES, DETAIL_DP,
			  true},
	[EVENT_GROW] = {"grow", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, FIELD_VALUES, DETAIL_DP, true},
	[EVENT_DELIVERY] = {"delivery", TRACK_BRING_UP, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, 0, DETAIL_NONE, true},
	[EVENT_ACCEPTANCE] = {"acceptance", TRACK_BRING_UP, SHAPE_BEGIN, EVENT_ACCEPTED, LABEL_SUBJECT, 0, DETAIL_NONE,
			      true},
	[EVENT_ACCEPTED] = {"accepted", TRACK_BRING_UP, SHAPE_END, 0, LABEL_KIND_CAUSE, 0, DETAIL_NONE, true},
	[EVENT_DEAD_ON_ARRIVAL] = {"dead-on-arrival", TRACK_BRING_UP, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, 0, DETAIL_NONE,
				   true},
	[EVENT_GROUP_DOWN] = {"group-down", TRACK_FAILURES, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C | FIELD_VALUES,
			      DETAIL_GROUP, true},
	[EVENT_ROOT_CAUSE] = {"root-cause-found", TRACK_FAILURES, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C, DETAIL_NONE,
			      true},
	[EVENT_ROLLBACK] = {"rollback", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C | FIELD_VALUES, DETAIL_ROLLBACK,
			    true},
	[EVENT_RETIRED] = {"retired", TRACK_FAILURES, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, C | FIELD_VALUES, DETAIL_RETIRED,
			   true},
	[EVENT_BORROWED] = {"borrowed", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, FIELD_VALUES, DETAIL_PREEMPTION,
			    true},
	[EVENT_BORROW_RETURN] = {"borrow-return", TRACK_JOB, SHAPE_INSTANT, 0, LABEL_KIND_CAUSE, 0, DETAIL_NONE, true},
	[EVENT_AUTO_REPAIR] = {"auto-repair", TRACK_REPAIRS, SHAPE_BEGIN, EVENT_AUTO_REPAIR_END, LABEL_SUBJECT, C,
			       DETAIL_NONE, true},
	[EVENT_AUTO_REPAIR_END] = {"auto-repair-end", TRACK_REPAIRS, SHAPE_END, 0, LABEL_KIND_CAUSE, C | FIELD_FLAG,
				   DETAIL_ESCALATED, true},
};
#undef C

const struct event_kind_info *events_kind(enum event_kind kind)
{
	return &kinds[kind];
}

struct event events_make(enum event_kind kind, int subject, long index, long cause)
{
	return (struct event){.kind = kind, .subject = subject, .index = index, .cause = cause, .part = -1};
}

const char *events_subject_name(const struct event *e)
{
	return e->subject == SUBJECT_PART ? "part" : platform_component_name((enum component)e->subject);
}

const char *events_cause_name(const struct event *e, const struct platform *p)
{
	unsigned fields = kinds[e->kind].fields;
	if ((fields & FIELD_CAUSE) && e->cause >= 0)
		return p->failures[e->cause].name;
	if (fields & FIELD_STATE)
		return jobstate_name((enum time_category)e->state);
	if ((fields & FIELD_PART) && e->part >= 0)
		return p->operations.parts[e->part].name;
	return "";
}

const char *events_detail(const struct event *e, const struct platform *p, char *buf, size_t size)
{
	buf[0] = '\0';
	switch (kinds[e->kind].detail) {
	case DETAIL_PART:
		if (e->part >= 0)
			snprintf(buf, size, "%s", p->operations.parts[e->part].name);
		break;
	case DETAIL_STANDBY:
		if (e->flag)
			snprintf(buf, size, "to the standby pool");
		break;
	case DETAIL_DP: snprintf(buf, size, "dp %.0f -> %.0f", e->values[0], e->values[1]); break;
	case DETAIL_RIDE_THROUGH: snprintf(buf, size, "%.3gs vs ride-through %.3gs", e->values[0], e->values[1]); break;
	case DETAIL_GROUP: snprintf(buf, size, "%.0f of %.0f nodes", e->values[0], e->values[1]); break;
	case DETAIL_ROLLBACK:
		snprintf(buf, size, "work lost %.3gh, silent %.3gh", e->values[0] / 3600, e->values[1] / 3600);
		break;
	case DETAIL_RETIRED: snprintf(buf, size, "%.0f failures in %.3gh", e->values[0], e->values[1] / 3600); break;
	case DETAIL_PREEMPTION: snprintf(buf, size, "preemption %.3gmin", e->values[0] / 60); break;
	case DETAIL_ESCALATED: snprintf(buf, size, "%s", e->flag ? "escalated" : "fixed"); break;
	default: break;
	}
	return buf;
}

bool events_subscribe(struct event_bus *bus, struct event_sink sink)
{
	if (bus->count == EVENT_SINKS_MAX)
		return false;
	bus->sinks[bus->count++] = sink;
	return true;
}

void events_publish(struct event_bus *bus, double at, struct event e)
{
	e.time_s = at - bus->origin_s;
	bus->published++;
	for (size_t i = 0; i < bus->count; i++)
		bus->sinks[i].emit(bus->sinks[i].data, &e);
}

static void record(void *data, const struct event *e)
{
	struct event_record *rec = data;
	struct event *more = grow_array(rec->events, &rec->capacity, rec->count, sizeof *more, 1024);
	if (!more) {
		rec->out_of_memory = true;
		return;
	}
	rec->events = more;
	rec->events[rec->count++] = *e;
}

struct event_sink events_record_sink(struct event_record *rec)
{
	return (struct event_sink){record, rec};
}

/* Merge sort: stable, so events at one time keep the order they were published in. */
static void merge_sort(struct event *a, struct event *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t half = n / 2, i = 0, j = half, k = 0;
	merge_sort(a, tmp, half);
	merge_sort(a + half, tmp, n - half);
	while (i < half && j < n)
		tmp[k++] = a[j].time_s < a[i].time_s ? a[j++] : a[i++];
	while (i < half)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	for (k = 0; k < n; k++)
		a[k] = tmp[k];
}

void events_record_sort(struct event_record *rec)
{
	struct event *tmp = malloc((rec->count ? rec->count : 1) * sizeof *tmp);
	if (!tmp) {
		rec->out_of_memory = true;
		return;
	}
	merge_sort(rec->events, tmp, rec->count);
	free(tmp);
}

void events_record_finish(struct event_record *rec)
{
	free(rec->events);
	*rec = (struct event_record){0};
}
