/* events: the run's typed event stream. One enum of event kinds and one table that says,
 * for each kind, its name in events.csv, the timeline track it belongs to, what it looks
 * like there and which fields it carries. The simulation publishes `struct event` records
 * to a bus of sinks; events.csv, timeline.json, the per-replica counters and cause
 * attribution are consumers of the same records. A new kind is one enum entry and one row
 * of the table (events.c). */
#ifndef TRAINSIM_EVENTS_H
#define TRAINSIM_EVENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "platform.h"

enum event_kind {
	EVENT_FAILURE,           /* a component failed (counted whether or not it hit the job) */
	EVENT_INTERRUPTION,      /* a failure stopped the job */
	EVENT_DETECTION,         /* the job starts detecting what stopped it */
	EVENT_SPARE_SWAP,        /* a spare node took a failed node's slot */
	EVENT_RESTART,           /* the job relaunches and loads its checkpoint */
	EVENT_CHECKPOINT,        /* a save starts */
	EVENT_TICKET,            /* a repair ticket is opened */
	EVENT_REPAIR_START,      /* hands (or automation) start on a ticket */
	EVENT_REPAIRED,          /* a ticket is closed: the hardware is back */
	EVENT_PART_WAIT,         /* a ticket waits for a part out of stock */
	EVENT_PART_ARRIVAL,      /* ordered parts arrived */
	EVENT_DEGRADED,          /* a link runs slower until repaired */
	EVENT_FLAP,              /* a flapping link stopped the job's collectives */
	EVENT_ISOLATED,          /* a flapping link is taken out of service */
	EVENT_PDU_DOWN,          /* a PDU failed or tripped */
	EVENT_RACK_DARK,         /* a rack lost power */
	EVENT_RACK_POWERED,      /* a rack has power again */
	EVENT_POWER_OUTAGE,      /* a hall went dark: a grid transient outlasted its UPS */
	EVENT_POWER_RESTORED,    /* the hall's nodes run again */
	EVENT_GRID_RIDE_THROUGH, /* a grid transient the UPS rode through */
	EVENT_GRID_EVENT,        /* a grid outage replayed from a failure log */
	EVENT_STATE,             /* the job's state (time category) from now on */
	EVENT_SHRINK,            /* the job runs on without some DP replicas */
	EVENT_GROW,              /* a shrunk job relaunches larger */
	EVENT_DELIVERY,          /* a rack is delivered (bring-up) */
	EVENT_ACCEPTANCE,        /* hands start on a delivered rack's acceptance */
	EVENT_ACCEPTED,          /* a rack passed acceptance: its nodes that work are in service */
	EVENT_DEAD_ON_ARRIVAL,   /* a node failed acceptance and needs a repair */
	EVENT_GROUP_DOWN,        /* a correlated failure took down a group of nodes at once */
	EVENT_ROOT_CAUSE,        /* a recurring defect was found: its class strikes no more */
	EVENT_ROLLBACK,          /* a failure found late sent the job back past its last checkpoint */
	EVENT_RETIRED,           /* a node failed too often: it leaves service for good */
	EVENT_BORROWED,          /* a node borrowed from other work takes a failed node's slot */
	EVENT_BORROW_RETURN,     /* a node goes back to the work it was borrowed from */
	EVENT_AUTO_REPAIR,       /* an automated repair starts (no technician) */
	EVENT_AUTO_REPAIR_END,   /* it ends: it fixed the fault, or the repair escalates to a technician */
	EVENT_KIND_COUNT
};

/* Timeline tracks (one per kind of activity, in each replica's process). */
enum event_track { TRACK_NONE, TRACK_JOB, TRACK_FAILURES, TRACK_REPAIRS, TRACK_POWER, TRACK_LINKS, TRACK_BRING_UP,
		   TRACK_COUNT };

/* How a kind appears on its track. */
enum event_shape {
	SHAPE_INSTANT,     /* a mark at its time */
	SHAPE_STATE,       /* the job's state: a slice until the next state */
	SHAPE_BEGIN,       /* opens a slice that the kind `ends` closes */
	SHAPE_END,         /* closes the earliest open slice of the same index and cause */
	SHAPE_HIDDEN,      /* not drawn (the job's states already show it) */
};

/* How the timeline names it. */
enum event_label {
	LABEL_CAUSE,       /* "gpu" */
	LABEL_KIND_CAUSE,  /* "pdu-down (pdu_trip)", or the kind alone without a cause */
	LABEL_KIND_DETAIL, /* "part-wait gpu": the detail, or else the cause */
	LABEL_REPAIR,      /* "repair gpu node 12" */
	LABEL_DARK,        /* "rack 3 dark (pdu)" */
	LABEL_SUBJECT,     /* "acceptance rack 3" */
};

/* What a kind's detail column says. */
enum event_detail {
	DETAIL_NONE,
	DETAIL_PART,         /* the part waited for */
	DETAIL_STANDBY,      /* "to the standby pool" when the flag is set */
	DETAIL_DP,           /* "dp 128 -> 96": the two values */
	DETAIL_RIDE_THROUGH, /* "1.5s vs ride-through 2s": the two values */
	DETAIL_GROUP,        /* "12 of 240 nodes": the two values */
	DETAIL_ROLLBACK,     /* "work lost 7.5h, failed 2.1h before found": the two values */
	DETAIL_RETIRED,      /* "3 failures in 12.5h": the two values */
	DETAIL_PREEMPTION,   /* "preemption 20min": the first value */
	DETAIL_ESCALATED,    /* "escalated" when the flag is set, else "fixed" */
};

/* Fields a kind carries beyond time, subject and index. */
enum {
	FIELD_CAUSE = 1,   /* a failure class */
	FIELD_STATE = 2,   /* a time category of the job */
	FIELD_PART = 4,    /* a spare part */
	FIELD_VALUES = 8,  /* two figures (shrink: DP before and after; grid: duration and ride-through;
			      group-down: nodes hit and in the group; rollback: work lost and time silent;
			      retired: failures and the time they span; borrowed: the preemption) */
	FIELD_FLAG = 16,   /* repaired: the hardware went to the standby pool; auto-repair-end: escalated */
};

struct event_kind_info {
	const char *name;        /* as written in events.csv and documented in README.md */
	enum event_track track;
	enum event_shape shape;
	enum event_kind ends;    /* SHAPE_BEGIN: the kind that ends the slice */
	enum event_label label;
	unsigned fields;
	enum event_detail detail;  /* what the detail column says */
	bool in_files;           /* written to events.csv and timeline.json */
};

const struct event_kind_info *events_kind(enum event_kind kind);

/* What an event's index counts: a component of the platform (enum component, COMPONENT_JOB
 * for the job) or a spare part. */
#define SUBJECT_PART COMPONENT_COUNT

struct event {
	double time_s;           /* seconds from the replica's start, full precision */
	enum event_kind kind;
	int subject;             /* enum component, or SUBJECT_PART */
	long index;
	long cause;              /* FIELD_CAUSE: failure class index; else -1 */
	int state;               /* FIELD_STATE: enum time_category */
	long part;               /* FIELD_PART: index into operations.parts; else -1 */
	double values[2];        /* FIELD_VALUES */
	bool flag;               /* FIELD_FLAG */
};

/* An event of `kind` about `subject` `index`, caused by failure class `cause` (-1: none). */
struct event events_make(enum event_kind kind, int subject, long index, long cause);

/* The event's text fields as events.csv writes them: subject, cause (failure class, state or
 * part name; "" for none) and detail ("" for none). `detail` is written into buf. */
const char *events_subject_name(const struct event *e);
const char *events_cause_name(const struct event *e, const struct platform *p);
const char *events_detail(const struct event *e, const struct platform *p, char *buf, size_t size);

/* ---- the bus ---- */

struct event_sink {
	void (*emit)(void *data, const struct event *e);
	void *data;
};

#define EVENT_SINKS_MAX 4

struct event_bus {
	struct event_sink sinks[EVENT_SINKS_MAX];
	size_t count;
	double origin_s;         /* engine clock at the replica's time 0 */
	long published;          /* events so far: the replica's work, for its work bound */
};

/* Add a sink (at most EVENT_SINKS_MAX; false when full). */
bool events_subscribe(struct event_bus *bus, struct event_sink sink);

/* Stamp e at engine time `at` (converted to the replica's time) and hand it to every sink. */
void events_publish(struct event_bus *bus, double at, struct event e);

/* ---- a recording sink: every event kept in memory, for the files ---- */

struct event_record {
	struct event *events;
	size_t count, capacity;
	bool out_of_memory;      /* an event could not be kept */
};

struct event_sink events_record_sink(struct event_record *rec);

/* Order by time, keeping publication order among equal times (the job publishes its
 * checkpoints once it knows they happened, after events of other actors). */
void events_record_sort(struct event_record *rec);

void events_record_finish(struct event_record *rec);

#endif
