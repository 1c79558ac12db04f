/* runplan: step time times steps, plus the saves a checkpoint policy adds. */
#include "runplan.h"

#include "power.h"

#include <math.h>

#include "checkpoint.h"

struct run_plan_figures runplan_compute(const struct platform *p, const struct workload *w,
					const struct step_result *step)
{
	struct run_plan_figures f;
	double rate = checkpoint_job_failure_rate(p, w);
	f.steps = workload_steps(w);
	f.ideal_train_s = f.steps * step->step_time_s;
	f.job_mtbf_s = rate > 0 ? 1 / rate : INFINITY;
	f.checkpoint_interval_s = checkpoint_interval_s(p, w);
	f.checkpoint_save_s = checkpoint_save_s(w);
	f.checkpoint_bytes = workload_checkpoint_bytes(w);
	/* A save after every full interval of training; none at the very end (the run is done). */
	f.checkpoints = isinf(f.checkpoint_interval_s) ? 0 : floor(f.ideal_train_s / f.checkpoint_interval_s);
	f.checkpoint_overhead_s = f.checkpoints * f.checkpoint_save_s;
	f.failure_free_s = f.ideal_train_s + f.checkpoint_overhead_s;
	return f;
}

double runplan_paced_step_s(const struct platform *p, double simulated_step_s)
{
	return simulated_step_s * power_cap_slowdown(p);
}
