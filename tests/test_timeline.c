/* Tests of timeline.json: events.csv rows become Chrome trace slices and instants with the
 * right times (microseconds), short saves fold into training, repairs and dark racks pair
 * up, unpaired ones close at the replica's end, bad rows are located. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "timeline.h"

static char out_text[65536];

static bool convert(const char *csv, long max_replicas, struct ts_error *err)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	FILE *out = fmemopen(out_text, sizeof out_text, "w");
	cr_assert(in && out);
	const char *sets[] = {"a.b=1", "c=2"};
	struct timeline_origin origin = {"9.9", "p", "ab12", "w", "cd34", sets, 2};
	bool ok = timeline_write(in, "events.csv", out, max_replicas, &origin, err);
	fclose(in);
	fclose(out);
	return ok;
}

static const char *const events =
	"replica,time_s,event,component,index,cause,detail\n"
	"0,0.000,state,job,0,productive,\n"
	"0,100.000,checkpoint,job,0,,\n"
	"0,100.000,state,job,0,checkpoint,\n"
	"0,103.000,state,job,0,productive,\n"
	"0,200.000,failure,gpu,17,gpu,\n"
	"0,200.000,interruption,job,0,gpu,\n"
	"0,200.000,state,job,0,detection,\n"
	"0,200.000,repair-start,node,2,gpu,\n"
	"0,500.000,state,job,0,restart,\n"
	"0,800.000,state,job,0,productive,\n"
	"0,900.000,rack-dark,rack,1,pdu,\n"
	"0,950.000,repaired,node,2,gpu,\n"
	"0,1000.000,repair-start,node,5,hbm,\n"
	"1,0.000,state,job,0,productive,\n"
	"1,50.000,failure,hall,0,grid_outage,\n";

Test(timeline, slices_instants_and_pairs)
{
	struct ts_error err = {0};
	cr_assert(convert(events, 10, &err), "%s", err.message);
	const char *want[] = {
		"\"name\": \"replica 0\"", "\"name\": \"replica 1\"", "\"name\": \"repairs\"",
		"\"platform_sha256\": \"ab12\"", "\"overrides\": \"a.b=1 c=2\"", "\"trainsim_version\": \"9.9\"",
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
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		cr_assert(strstr(out_text, want[i]), "missing:\n%s\nin:\n%s", want[i], out_text);
	cr_assert_null(strstr(out_text, "\"name\": \"checkpoint\""), "a 3 s save is part of training");
}

Test(timeline, max_replicas_filters)
{
	struct ts_error err = {0};
	cr_assert(convert(events, 1, &err));
	cr_assert(strstr(out_text, "replica 0"));
	cr_assert_null(strstr(out_text, "replica 1"));
}

Test(timeline, bad_input_is_located)
{
	struct ts_error err = {0};
	cr_assert_not(convert("time_s,event\n", 10, &err));
	cr_assert_str_eq(err.message, "expected the header replica,time_s,event,component,index,cause,detail");
	cr_assert_eq(err.line, 1);
	err = (struct ts_error){0};
	cr_assert_not(convert("replica,time_s,event,component,index,cause,detail\n0,1.0,state,job,0,productive,\n"
			      "0,soon,failure,gpu,1,gpu,\n", 10, &err));
	cr_assert_eq(err.line, 3);
	cr_assert(strstr(err.message, "expected replica,time_s,event"), "%s", err.message);
	err = (struct ts_error){0};
	cr_assert_not(convert("replica,time_s,event,component,index,cause,detail\n0,1.0,state,job\n", 10, &err));
	cr_assert_eq(err.line, 2);
}
