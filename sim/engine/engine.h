/* engine: a scenario loaded into SimGrid: the cluster, the job placed on it, its step-time
 * model, and the healthy step simulated once, with the failure-free calendar it implies.
 * Every command that simulates goes through it; a run's replicas start from it. */
#ifndef TRAINSIM_ENGINE_H
#define TRAINSIM_ENGINE_H

#include <stdbool.h>

#include "placement.h"
#include "runplan.h"
#include "scenario.h"
#include "sg_platform.h"
#include "steptime.h"

struct engine {
	const struct scenario *scenario; /* not owned; outlives the engine */
	struct sg_cluster *cluster;
	/* the rest only with a workload: */
	struct placement placement;      /* the job on the platform's first nodes */
	struct steptime *steptime;
	struct step_result healthy;      /* one step on the healthy cluster, as simulated */
	double run_step_s;               /* its time with GPU power capping: a healthy run's pace */
	struct run_plan_figures plan;    /* the failure-free run at that pace */
	long replicas_run;               /* replicas simulated in this process (each gets fresh mailboxes) */
};

/* Load s into SimGrid with `engine_args` (NULL-terminated SimGrid options, or NULL) and, when
 * s has a workload, place the job and simulate its healthy step. SimGrid loads one platform
 * per process. On success *out owns a new engine (free with engine_destroy). */
bool engine_load(const struct scenario *s, const char *const *engine_args, struct engine **out, struct ts_error *err);

/* One healthy step of `other`'s workload placed on this engine's cluster, into *out (its
 * collectives as SimGrid times them, composed with its own efficiency). `other` must hold the
 * same platform as the engine's scenario (the same file and platform overrides): SimGrid
 * loads one platform per process, and a calibration simulates every run on that platform in
 * one. false (err filled) on out of memory or a failed transfer. */
bool engine_step_of(const struct engine *e, const struct scenario *other, struct step_result *out,
		    struct ts_error *err);

/* Free an engine; accepts NULL. The SimGrid engine itself lives on until the process ends. */
void engine_destroy(struct engine *e);

#endif
