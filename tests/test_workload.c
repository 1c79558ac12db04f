/* Tests of the workload model: the shipped Llama 3 workloads load with the right derived
 * figures, and each inconsistency gets its located message with the numbers. */
#include <criterion/criterion.h>
#include <math.h>

#include "helpers.h"
#include "workload.h"

static char message[2048];
static char h100_16k[512];

/* Workload `wl` (a file, or text named w.yaml) on platforms/h100-16k.yaml, through the
 * scenario load chain. */
static struct scenario *on_h100_16k(struct scenario_input wl, struct ts_error *err)
{
	struct scenario_spec spec = {.platform = {.path = source_path("platforms/h100-16k.yaml", h100_16k, sizeof h100_16k)},
				     .workload = wl};
	struct scenario *s = NULL;
	return scenario_load(&spec, &s, err) ? s : NULL;
}

/* Shipped workload `name` (free with scenario_destroy). */
static struct scenario *load_shipped(const char *name)
{
	char rel[128], path[512];
	snprintf(rel, sizeof rel, "workloads/%s", name);
	struct ts_error err = {0};
	struct scenario *s = on_h100_16k((struct scenario_input){.path = source_path(rel, path, sizeof path)}, &err);
	cr_assert(s, "%s", error_format(&err, message, sizeof message));
	return s;
}

/* Loads llama3-405b.yaml with `from` replaced by `to`; returns the formatted error. */
static const char *mutated_error(const char *from, const char *to)
{
	char path[512];
	char *base = read_text(source_path("tests/fixtures/workload.yaml", path, sizeof path));
	char *text = base ? replace_once(base, from, to) : NULL;
	cr_assert_not_null(text, "'%s' not in tests/fixtures/workload.yaml", from);
	struct ts_error err = {0};
	struct scenario *sc = on_h100_16k((struct scenario_input){.name = "w.yaml", .text = text}, &err);
	bool ok = sc != NULL;
	scenario_destroy(sc);
	free(text);
	free(base);
	cr_assert_not(ok, "loaded; expected an error");
	return error_format(&err, message, sizeof message);
}

Test(workload, llama3_405b_has_the_published_shape_and_budget)
{
	struct scenario *s = load_shipped("llama3-405b.yaml");
	const struct workload *w = s->workload;
	cr_assert_eq(workload_steps(w), 929833); /* 15.6T tokens / 16,777,216 per step, rounded up */
	cr_assert_eq(workload_micro_batches(w), 16);
	cr_assert_eq(workload_stage_layers(w), 8);
	double shape = workload_shape_parameters(w);
	cr_assert(fabs(shape - 405e9) < 0.01 * 405e9, "shape gives %g parameters", shape);
	/* about 6 x 405B plus causal attention: the paper's 3.8e25 FLOPs over 15.6T tokens */
	double flops = workload_flops_per_token(w) * 15.6e12;
	cr_assert(flops > 3.8e25 && flops < 4.2e25, "%g FLOPs", flops);
	cr_assert_float_eq(workload_checkpoint_bytes(w), 14 * 405e9, 1);
	cr_assert(workload_memory_per_gpu(w).total_bytes < 80e9);
	cr_assert_float_eq(w->schedule.start_epoch_s, 1704067200, 0.5); /* 2024-01-01T00:00:00Z */
	scenario_destroy(s);
}

Test(workload, the_three_table4_rows_load)
{
	const char *names[] = {"llama3-405b-8k.yaml", "llama3-405b.yaml", "llama3-405b-long-context.yaml"};
	for (size_t i = 0; i < 3; i++)
		scenario_destroy(load_shipped(names[i]));
}

/* The two-month plan on the new cluster starts with half its replicas and grows. */
Test(workload, the_frontier_plan_starts_with_half_and_grows_on_the_new_cluster)
{
	char platform[512], workload[512];
	struct ts_error err = {0};
	struct scenario *s = scenario_files(source_path("platforms/frontier-new-100k.yaml", platform, sizeof platform),
					    source_path("workloads/frontier-2-months.yaml", workload, sizeof workload), &err);
	cr_assert(s, "%s", err.message);
	cr_assert_float_eq(s->workload->job.start_with, 0.5, 1e-12);
	cr_assert_float_eq(s->workload->job.grow_by, 0.25, 1e-12);
	cr_assert_float_eq(s->workload->schedule.planned_s, 60 * 86400.0, 1e-6);
	scenario_destroy(s);
}

Test(workload, the_default_workload_is_llama3_405b)
{
	struct ts_error err = {0};
	struct scenario *s = scenario_defaults(&err);
	cr_assert(s, "%s", err.message);
	cr_assert_str_eq(s->workload->name, "llama3-405b");
	scenario_destroy(s);
}

Test(workload, parallelism_must_multiply_to_the_gpus)
{
	cr_assert_str_eq(mutated_error("  dp: 128\n", "  dp: 64\n"),
			 "w.yaml:57:9: parallelism tp 8 x cp 1 x pp 16 x dp 64 = 8192 GPUs but job.gpus is 16384; "
			 "expected them equal");
}

Test(workload, the_job_must_fit_the_platform)
{
	cr_assert_str_eq(mutated_error("hot_spare_nodes: 0 ", "hot_spare_nodes: 8 "),
			 "w.yaml:57:9: the job needs 2056 nodes (16384 GPUs and 8 hot-spare nodes) but platform "
			 "h100-16k has 2048; expected at most 2048");
}

Test(workload, layers_must_split_over_the_stages)
{
	cr_assert_str_eq(mutated_error("  last_stage_layers: 7\n", ""),
			 "w.yaml:30:7: model.layers 126 does not split evenly over 16 pipeline stages (119 layers "
			 "left for 15 stages after first_stage_layers 7 and last_stage_layers 0)");
}

Test(workload, heads_must_divide_over_tensor_parallelism)
{
	cr_assert_str_eq(mutated_error("  heads: 128\n", "  heads: 100\n"),
			 "w.yaml:14:11: model.hidden 16384 is not a multiple of model.heads 100");
	cr_assert_str_eq(mutated_error("  tp: 8 ", "  tp: 16 "),
			 "w.yaml:57:9: parallelism tp 16 x cp 1 x pp 16 x dp 128 = 32768 GPUs but job.gpus is 16384; "
			 "expected them equal");
}

Test(workload, the_global_batch_must_split_into_micro_batches)
{
	cr_assert_str_eq(mutated_error("global_batch: 16777216", "global_batch: 16M"),
			 "w.yaml:24:17: training.global_batch is 16000000 tokens, not a multiple of dp 128 x "
			 "micro_batch 1 x sequence 8192 = 1048576 tokens");
}

Test(workload, the_model_must_fit_in_hbm)
{
	cr_assert_str_eq(mutated_error("recompute: full", "recompute: selective"),
			 "w.yaml:28:3: the model does not fit: 85.99 GB per GPU (weights 6.341 GB, gradients 6.341 GB, "
			 "optimizer 297.3 MB, activations 73.01 GB) but H100-SXM has 80 GB of HBM, 5.994 GB short; "
			 "raise tp or pp, or use recompute: full");
}

Test(workload, the_shape_must_account_for_the_parameters)
{
	cr_assert_str_eq(mutated_error("  ffn: 53248\n", "  ffn: 5324\n"),
			 "w.yaml:12:15: model.parameters is 405B but layers, hidden, ffn, heads and vocab give 109B; "
			 "expected within 10%");
}

Test(workload, virtual_stages_must_divide_a_stage)
{
	cr_assert_str_eq(mutated_error("virtual_stages: 8 ", "virtual_stages: 3 "),
			 "w.yaml:34:19: parallelism.virtual_stages 3 does not divide the 8 layers of a pipeline stage");
}

Test(workload, bad_values_are_located)
{
	cr_assert_str_eq(mutated_error("start: 2024-01-01", "start: 2024-02-30"),
			 "w.yaml:62:10: schedule.start: '2024-02-30' is not a calendar date from 1970 on");
	cr_assert_str_eq(mutated_error("  matmul: 68%", "  matmul: 168%"),
			 "w.yaml:40:11: efficiency.matmul is 168%; expected between 1% and 100%");
	cr_assert_str_eq(mutated_error("interval: auto", "interval: often"),
			 "w.yaml:46:13: checkpoint.interval: 'often' is not a number");
	cr_assert_str_eq(mutated_error("  mlp: swiglu", "  mlps: swiglu"),
			 "w.yaml:20:3: unknown key 'mlps' in model; did you mean 'mlp'?");
}
