/* engine: a scenario in SimGrid and its healthy step (see engine.h). */
#include "engine.h"

#include <stdlib.h>


void engine_destroy(struct engine *e)
{
	if (!e)
		return;
	steptime_destroy(e->steptime);
	placement_finish(&e->placement);
	sg_platform_destroy(e->cluster);
	free(e);
}

/* The job placed and its healthy step simulated (cached for every later caller). */
static bool simulate_healthy(struct engine *e, struct ts_error *err)
{
	const struct scenario *s = e->scenario;
	if (!placement_init(&e->placement, s->platform, s->workload))
		return error_set(err, "", 0, 0, "out of memory placing the job");
	if (!steptime_create(s->platform, s->workload, e->cluster, &e->steptime, err) ||
	    !steptime_compute(e->steptime, &e->placement, NULL, &e->healthy, err))
		return false;
	e->run_step_s = runplan_paced_step_s(s->platform, e->healthy.step_time_s);
	struct step_result paced = e->healthy;
	paced.step_time_s = e->run_step_s;
	e->plan = runplan_compute(s->platform, s->workload, &paced);
	return true;
}

bool engine_load(const struct scenario *s, const char *const *engine_args, struct engine **out, struct ts_error *err)
{
	struct engine *e = calloc(1, sizeof *e);
	if (!e)
		return error_set(err, "", 0, 0, "out of memory");
	e->scenario = s;
	bool ok = sg_platform_load(s->platform, engine_args, &e->cluster, err) && (!s->workload || simulate_healthy(e, err));
	if (!ok) {
		engine_destroy(e);
		return false;
	}
	*out = e;
	return true;
}

bool engine_step_of(const struct engine *e, const struct scenario *other, struct step_result *out,
		    struct ts_error *err)
{
	struct placement pl;
	struct steptime *st = NULL;
	if (!placement_init(&pl, other->platform, other->workload))
		return error_set(err, "", 0, 0, "out of memory placing the job");
	bool ok = steptime_create(other->platform, other->workload, e->cluster, &st, err) &&
		  steptime_compute(st, &pl, NULL, out, err);
	steptime_destroy(st);
	placement_finish(&pl);
	return ok;
}
