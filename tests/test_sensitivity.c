/* Tests of `trainsim sensitivity`: the default key set read from a platform, the low and high
 * values, the tornado order, and the command against `trainsim run` on the golden scenario. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>

#include "helpers.h"
#include "sensitivity.h"

static const char *scaled(const char *text, double factor)
{
	static char out[64];
	cr_assert(sensitivity_scale(text, factor, out, sizeof out), "%s not scaled", text);
	return out;
}

Test(sensitivity, halves_and_doubles_keeping_units_and_whole_numbers)
{
	cr_assert_str_eq(scaled("2", 0.5), "1");
	cr_assert_str_eq(scaled("2", 2), "4");
	cr_assert_str_eq(scaled("1", 0.5), "1", "half of a whole number is rounded up");
	cr_assert_str_eq(scaled("3", 0.5), "2");
	cr_assert_str_eq(scaled("3d", 0.5), "1.5d");
	cr_assert_str_eq(scaled("0.004/d", 2), "0.008/d");
	cr_assert_str_eq(scaled("1.67e-4/d", 0.5), "8.35e-05/d");
	cr_assert_str_eq(scaled("2%/yr", 2), "4%/yr");
	char out[64];
	cr_assert_not(sensitivity_scale("-1", 2, out, sizeof out));
	cr_assert_not(sensitivity_scale("N+1", 2, out, sizeof out));
}

static struct ydoc *golden_doc(const char *set)
{
	char path[512];
	const char *items[1] = {set};
	struct overrides o = {items, set ? 1 : 0};
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	cr_assert(sensitivity_platform_doc(source_path("tests/golden/cluster.yaml", path, sizeof path), &o, &doc, &err),
		  "%s", err.message);
	return doc;
}

static const struct sensitivity_key *find(const struct sensitivity_key *k, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(k[i].key, key))
			return &k[i];
	return NULL;
}

Test(sensitivity, takes_the_numeric_operations_and_reliability_keys_by_default)
{
	struct ydoc *doc = golden_doc(NULL);
	struct sensitivity_key k[SENSITIVITY_MAX_KEYS];
	size_t n = sensitivity_default_keys(doc, k, SENSITIVITY_MAX_KEYS);
	/* 9 of operations, 18 of the seven classes' rate or mtbf, repair and detection */
	cr_assert_eq(n, 27);
	cr_assert_str_eq(k[0].key, "operations.technicians.per_site");
	cr_assert(!strcmp(k[0].base, "2") && !strcmp(k[0].low, "1") && !strcmp(k[0].high, "4"));
	const struct sensitivity_key *gpu = find(k, n, "reliability.gpu.rate");
	cr_assert(gpu && !strcmp(gpu->low, "0.002/d") && !strcmp(gpu->high, "0.008/d"));
	cr_assert_not_null(find(k, n, "reliability.host.mtbf"));
	cr_assert_not_null(find(k, n, "operations.spares.parts.optic.lead_time"));
	cr_assert_null(find(k, n, "reliability.host.shape"), "not a key of the default set");
	cr_assert_null(find(k, n, "reliability.gpu.repair_sigma"));
	cr_assert_eq(sensitivity_default_keys(doc, k, 5), 5, "bounded");
	ydoc_destroy(doc);
	doc = golden_doc("operations.technicians.per_site=6");
	n = sensitivity_default_keys(doc, k, SENSITIVITY_MAX_KEYS);
	cr_assert(!strcmp(k[0].base, "6") && !strcmp(k[0].low, "3") && !strcmp(k[0].high, "12"), "--set is the baseline");
	ydoc_destroy(doc);
}

Test(sensitivity, reads_given_keys)
{
	struct sensitivity_key k;
	char why[256];
	cr_assert(sensitivity_key_parse("rack.pdus.redundancy=N+1,2N", &k, why, sizeof why), "%s", why);
	cr_assert(!strcmp(k.key, "rack.pdus.redundancy") && !strcmp(k.low, "N+1") && !strcmp(k.high, "2N"));
	const char *bad[] = {"k=1", "k=1,", "k=,2", "=1,2", "k=1,2,3", "k"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		cr_assert_not(sensitivity_key_parse(bad[i], &k, why, sizeof why), "%s accepted", bad[i]);
}

Test(sensitivity, sorts_rows_by_swing_largest_first)
{
	struct sensitivity_row r[] = {{10, 12, NAN, NAN}, {30, 10, NAN, NAN}, {5, 6, NAN, NAN}, {NAN, 6, NAN, NAN},
				      {NAN, NAN, NAN, NAN}, {8, 10, NAN, NAN}};
	size_t order[6];
	sensitivity_order(r, 6, order);
	size_t want[] = {3, 1, 0, 5, 2, 4};
	for (int i = 0; i < 6; i++)
		cr_assert_eq(order[i], want[i], "place %d", i);
	cr_assert_float_eq(sensitivity_swing(&r[1]), 20, 1e-9);
}

/* ---- the command ---- */

static const char *golden = "tests/golden/cluster.yaml tests/golden/job.yaml";

static int trainsim(const char *args, char **out, char **err)
{
	const char *bin = getenv("TRAINSIM_BIN");
	cr_assert_not_null(bin, "TRAINSIM_BIN is not set; run through meson test");
	char cmd[4096];
	snprintf(cmd, sizeof cmd, "'%s' %s", bin, args);
	int status = capture_shell(cmd, false, out, err);
	cr_assert(*out && *err);
	return status;
}

static double run_p50(const char *set)
{
	char args[1024], *out, *err;
	snprintf(args, sizeof args, "run %s %s --replicas 6 --seed 3 --jobs 2 --quiet --json", golden, set);
	cr_assert_eq(trainsim(args, &out, &err), 0, "%s", err);
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);
	cr_assert_not_null(j, "%s", e.text);
	double p50 = json_number_value(json_object_get(json_object_get(json_object_get(j, "distribution"),
									 "wallclock_s"), "p50"));
	json_decref(j);
	free(out);
	free(err);
	return p50;
}

Test(sensitivity_run, gives_run_s_p50_at_each_end_sorted_by_swing)
{
	char dir[512], args[2048], *out, *err;
	cr_assert_not_null(temp_dir(dir, sizeof dir));
	snprintf(args, sizeof args, "sensitivity %s --key operations.technicians.per_site=1,4 --key "
		 "operations.spares.parts.optic.stock=0,2 --replicas 6 --seed 3 --jobs 2 --quiet --json --out %s/s",
		 golden, dir);
	cr_assert_eq(trainsim(args, &out, &err), 0, "%s", err);
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);
	cr_assert_not_null(j, "%s", e.text);
	json_t *rows = json_object_get(j, "rows");
	cr_assert_eq(json_array_size(rows), 2);
	double first = json_number_value(json_object_get(json_array_get(rows, 0), "swing_s"));
	double second = json_number_value(json_object_get(json_array_get(rows, 1), "swing_s"));
	cr_assert_geq(first, second);
	cr_assert_float_eq(json_number_value(json_object_get(json_object_get(j, "baseline"), "p50_s")), run_p50(""), 1e-3);
	for (size_t i = 0; i < 2; i++) {
		json_t *row = json_array_get(rows, i);
		const char *key = json_string_value(json_object_get(row, "key"));
		char set[256];
		snprintf(set, sizeof set, "--set %s=%s", key, json_string_value(json_object_get(row, "low")));
		cr_assert_float_eq(json_number_value(json_object_get(row, "p50_low_s")), run_p50(set), 1e-3, "%s", key);
		snprintf(set, sizeof set, "--set %s=%s", key, json_string_value(json_object_get(row, "high")));
		cr_assert_float_eq(json_number_value(json_object_get(row, "p50_high_s")), run_p50(set), 1e-3, "%s", key);
		cr_assert(json_is_null(json_object_get(row, "cost_low")), "no costs section");
	}
	char path[600];
	snprintf(path, sizeof path, "%s/s/sensitivity.json", dir);
	char *file = read_text(path);
	cr_assert(file && !strcmp(file, out), "sensitivity.json is what --json prints");
	free(file);
	json_decref(j);
	free(out);
	free(err);
	remove_tree(dir);
}

Test(sensitivity_run, refuses_a_bad_key_or_value_before_running)
{
	char args[1024], *out, *err;
	snprintf(args, sizeof args, "sensitivity %s --key operations.technicians.per_site=2", golden);
	cr_assert_eq(trainsim(args, &out, &err), 2);
	cr_assert(strstr(err, "is not KEY=LOW,HIGH"), "%s", err);
	free(out);
	free(err);
	snprintf(args, sizeof args, "sensitivity %s --key operations.technicians.per_site=0,2 --quiet", golden);
	cr_assert_eq(trainsim(args, &out, &err), 2);
	cr_assert(strstr(err, "sensitivity point 2 (operations.technicians.per_site=0)"), "%s", err);
	cr_assert_str_eq(out, "");
	free(out);
	free(err);
}
