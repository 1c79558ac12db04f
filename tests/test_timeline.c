/* Tests of timeline.json: typed events become Chrome trace slices and instants with the
 * right times (microseconds) on the tracks the kind table gives, short saves fold into
 * training, repairs and dark racks pair up, unpaired ones close at the replica's end. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "jobstate.h"
#include "timeline.h"

static char out_text[65536];

static struct failure_class classes[] = {{.name = "gpu"}, {.name = "hbm"}, {.name = "pdu"}, {.name = "grid_outage"}};
static const struct platform platform = {.failures = classes, .failure_count = 4};
enum { GPU, HBM, PDU, GRID };

static struct event at(double t, enum event_kind kind, int subject, long index, long cause)
{
	struct event e = events_make(kind, subject, index, cause);
	e.time_s = t;
	return e;
}

static struct event state(double t, enum time_category c)
{
	struct event e = at(t, EVENT_STATE, COMPONENT_JOB, 0, -1);
	e.state = c;
	return e;
}

/* The trace of two replicas' events. */
static void convert(const struct event *r0, size_t n0, const struct event *r1, size_t n1)
{
	FILE *out = fmemopen(out_text, sizeof out_text, "w");
	cr_assert(out);
	const char *sets[] = {"a.b=1", "c=2"};
	struct timeline_origin origin = {"9.9", "0123abcd0123abcd", "p", "ab12", "w", "cd34", sets, 2};
	struct timeline t;
	timeline_begin(&t, out, &platform, &origin);
	cr_assert(timeline_replica(&t, 0, r0, n0));
	cr_assert(timeline_replica(&t, 1, r1, n1));
	timeline_end(&t);
	fclose(out);
}

Test(timeline, slices_instants_and_pairs)
{
	const struct event r0[] = {
		state(0, TIME_PRODUCTIVE),
		at(100, EVENT_CHECKPOINT, COMPONENT_JOB, 0, -1),
		state(100, TIME_CHECKPOINT),
		state(103, TIME_PRODUCTIVE),
		at(200, EVENT_FAILURE, COMPONENT_GPU, 17, GPU),
		at(200, EVENT_INTERRUPTION, COMPONENT_JOB, 0, GPU),
		state(200, TIME_DETECTION),
		at(200, EVENT_REPAIR_START, COMPONENT_NODE, 2, GPU),
		state(500, TIME_RESTART),
		state(800, TIME_PRODUCTIVE),
		at(900, EVENT_RACK_DARK, COMPONENT_RACK, 1, PDU),
		at(950, EVENT_REPAIRED, COMPONENT_NODE, 2, GPU),
		at(1000, EVENT_REPAIR_START, COMPONENT_NODE, 5, HBM),
	};
	const struct event r1[] = {state(0, TIME_PRODUCTIVE), at(50, EVENT_FAILURE, COMPONENT_HALL, 0, GRID)};
	convert(r0, sizeof r0 / sizeof r0[0], r1, sizeof r1 / sizeof r1[0]);
	const char *want[] = {
		"\"name\": \"replica 0\"", "\"name\": \"replica 1\"", "\"name\": \"repairs\"",
		"\"platform_sha256\": \"ab12\"", "\"overrides\": [\n      \"a.b=1\",\n      \"c=2\"\n    ]",
		"\"trainsim_version\": \"9.9\"", "\"run_id\": \"0123abcd0123abcd\"",
		/* training 0-200 s with the 3 s save folded in, then detection 200-500 */
		"\"name\": \"training\",\n      \"ph\": \"X\",\n      \"pid\": 1,\n      \"tid\": 1,\n      \"ts\": 0,\n"
		"      \"dur\": 200000000",
		"\"name\": \"detection\",\n      \"ph\": \"X\",\n      \"pid\": 1,\n      \"tid\": 1,\n      \"ts\": 200000000,\n"
		"      \"dur\": 300000000",
		/* the repair pairs by node and cause: 200-950 s */
		"\"name\": \"repair gpu node 2\",\n      \"ph\": \"X\",\n      \"pid\": 1,\n      \"tid\": 3,\n"
		"      \"ts\": 200000000,\n      \"dur\": 750000000",
		/* unpaired: closed at the replica's last event (1000 s) */
		"\"name\": \"rack 1 dark (pdu)\",\n      \"ph\": \"X\",\n      \"pid\": 1,\n      \"tid\": 4,\n"
		"      \"ts\": 900000000,\n      \"dur\": 100000000",
		"\"name\": \"grid_outage\",\n      \"ph\": \"i\",\n      \"pid\": 2,\n      \"tid\": 2,\n      \"ts\": 50000000",
		"\"name\": \"interruption (gpu)\",\n      \"ph\": \"i\",\n      \"pid\": 1,\n      \"tid\": 1",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(strstr(out_text, want[i]), "missing:\n%s\nin:\n%s", want[i], out_text);
	cr_assert_null(strstr(out_text, "\"name\": \"checkpoint\""), "a 3 s save is part of training");
}

Test(timeline, a_long_save_keeps_its_own_slice)
{
	const struct event r0[] = {state(0, TIME_PRODUCTIVE), state(100, TIME_CHECKPOINT), state(400, TIME_PRODUCTIVE),
				   state(500, TIME_PRODUCTIVE)};
	convert(r0, 4, NULL, 0);
	cr_assert(strstr(out_text, "\"name\": \"checkpoint\",\n      \"ph\": \"X\",\n      \"pid\": 1,\n      \"tid\": 1,\n"
			 "      \"ts\": 100000000,\n      \"dur\": 300000000"), "%s", out_text);
	cr_assert_null(strstr(out_text, "replica 1"), "a replica without events has no process");
}

Test(timeline, a_ticket_is_an_instant_on_the_repairs_track_and_does_not_split_a_short_save)
{
	const struct event r0[] = {state(0, TIME_PRODUCTIVE), state(100, TIME_CHECKPOINT),
				   at(101, EVENT_TICKET, COMPONENT_NODE, 3, GPU), state(103, TIME_PRODUCTIVE)};
	convert(r0, 4, NULL, 0);
	cr_assert(strstr(out_text, "\"name\": \"ticket (gpu)\",\n      \"ph\": \"i\",\n      \"pid\": 1,\n      \"tid\": 3,\n"
			 "      \"ts\": 101000000"), "%s", out_text);
	cr_assert_null(strstr(out_text, "\"name\": \"checkpoint\""), "%s", out_text);
}

Test(timeline, every_kind_has_a_name_and_a_track)
{
	for (int k = 0; k < EVENT_KIND_COUNT; k++) {
		const struct event_kind_info *info = events_kind((enum event_kind)k);
		cr_assert_not_null(info->name, "kind %d has no row in the table", k);
		cr_assert(info->track > TRACK_NONE && info->track < TRACK_COUNT, "%s has no track", info->name);
		if (info->shape == SHAPE_BEGIN)
			cr_assert_eq(events_kind(info->ends)->shape, SHAPE_END, "%s ends with a kind that ends nothing",
				     info->name);
	}
}
