/* runplan: the failure-free calendar of a whole run from one step: steps, ideal training
 * time, and the checkpoints (interval, count, stall) added to it. */
#ifndef TRAINSIM_RUNPLAN_H
#define TRAINSIM_RUNPLAN_H

#include "platform.h"
#include "steptime.h"
#include "workload.h"

struct run_plan_figures {
	double steps;
	double ideal_train_s;         /* steps x step time, no checkpoints, no failures */
	double job_mtbf_s;            /* from the platform's failure classes; inf if none */
	double checkpoint_interval_s; /* training seconds between saves */
	double checkpoint_save_s;     /* training blocked per save */
	double checkpoint_bytes;
	double checkpoints;           /* saves during the run */
	double checkpoint_overhead_s; /* checkpoints x save */
	double failure_free_s;        /* ideal + checkpoint overhead */
};

/* A run's pace from a simulated step: GPU power capping slows every step, healthy ones
 * included (part of the plan, not a loss). The one place that applies it. */
double runplan_paced_step_s(const struct platform *p, double simulated_step_s);

struct run_plan_figures runplan_compute(const struct platform *p, const struct workload *w,
					const struct step_result *step);

#endif
