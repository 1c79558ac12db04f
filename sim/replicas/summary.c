/* summary: statistics over replicas (see summary.h). */
#include "summary.h"

#include "energy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "trainsim_config.h"


double summary_planned_s(const struct summary_scenario *sc)
{
	double planned = sc->scenario->workload->schedule.planned_s;
	return planned > 0 ? planned : sc->plan.failure_free_s;
}

double summary_ettr(const struct run_result *r)
{
	return r->wallclock_s > 0 ? r->time_s[TIME_PRODUCTIVE] / r->wallclock_s : 0;
}

enum figure { FIGURE_WALLCLOCK, FIGURE_ETTR, FIGURE_SLIP, FIGURE_FINISH };

/* The statistics of one figure over the replicas done: ETTR over them all; wall-clock, slip
 * and finish date over those that finished only (a replica stopped at a horizon has no
 * wall-clock yet, only a lower bound, and no slip). */
static bool stats_of(const struct summary_scenario *sc, const struct mc_result *mc, enum figure which,
		     struct stats *out)
{
	double *v = malloc((size_t)(mc->count ? mc->count : 1) * sizeof *v);
	if (!v)
		return false;
	size_t n = 0;
	for (long i = 0; i < mc->count; i++) {
		const struct run_result *r = &mc->replicas[i].result;
		if (!mc->replicas[i].done || (which != FIGURE_ETTR && !r->finished))
			continue;
		double x = r->wallclock_s;
		if (which == FIGURE_ETTR)
			x = summary_ettr(r);
		else if (which == FIGURE_SLIP)
			x = r->wallclock_s - summary_planned_s(sc);
		else if (which == FIGURE_FINISH)
			x = sc->scenario->workload->schedule.start_epoch_s + r->wallclock_s;
		v[n++] = x;
	}
	bool ok = stats_compute(v, n, out);
	free(v);
	return ok;
}

static void add_means(const struct summary_scenario *sc, const struct run_result *r, double n, struct summary *s)
{
	for (int c = 0; c < TIME_CATEGORY_COUNT; c++)
		s->time_s[c] += r->time_s[c] / n;
	for (size_t k = 0; k < sc->scenario->platform->failure_count; k++)
		s->by_class[k] += (double)r->interruptions_by_class[k] / n;
	s->interruptions += (double)r->interruptions / n;
	s->failures += (double)r->failures / n;
	s->tickets += (double)r->tickets / n;
	s->spare_swaps += (double)r->spare_swaps / n;
	s->checkpoints += (double)r->checkpoints / n;
	s->energy_mwh += energy_replica_mwh(sc->scenario->platform, sc->scenario->workload, r) / n;
}

bool summary_compute(const struct summary_scenario *sc, const struct mc_result *mc, struct summary *out)
{
	memset(out, 0, sizeof *out);
	out->replicas = mc->count;
	out->done = mc->done;
	out->interrupted = mc->interrupted;
	out->by_class = calloc(sc->scenario->platform->failure_count + 1, sizeof *out->by_class);
	if (!out->by_class)
		return false;
	for (long i = 0; i < mc->count; i++) {
		if (!mc->replicas[i].done)
			continue;
		out->finished += mc->replicas[i].result.finished;
		out->gave_up += mc->replicas[i].result.gave_up;
		out->work_bound += mc->replicas[i].result.work_bound;
		out->stopped_s = fmax(out->stopped_s, mc->replicas[i].result.finished ? 0 : mc->replicas[i].result.wallclock_s);
		add_means(sc, &mc->replicas[i].result, (double)mc->done, out);
	}
	const struct scenario *s = sc->scenario;
	return stats_of(sc, mc, FIGURE_WALLCLOCK, &out->wallclock) && stats_of(sc, mc, FIGURE_ETTR, &out->ettr) &&
	       stats_of(sc, mc, FIGURE_SLIP, &out->slip) && stats_of(sc, mc, FIGURE_FINISH, &out->finish_epoch) &&
	       cost_summarize(s->platform, s->workload, &sc->plan, mc, &out->cost);
}

void summary_finish(struct summary *s)
{
	free(s->by_class);
	s->by_class = NULL;
}

void summary_run_id(struct summary_scenario *sc, long replicas, long max_events, long events_replicas)
{
	const struct scenario *s = sc->scenario;
	char text[1024];
	unsigned char digest[32];
	struct sha256 h;
	sha256_init(&h);
	int n = snprintf(text, sizeof text, "%s|%s|%s|%s|%llu|%ld|%.17g|%.17g|%ld|%ld", TRAINSIM_VERSION,
			 s->platform_sha256, s->workload_sha256, s->failure_log_path ? s->failure_log_sha256 : "-",
			 (unsigned long long)sc->seed, replicas, sc->horizon_s, sc->failure_scale, max_events, events_replicas);
	sha256_update(&h, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
	for (size_t i = 0; i < s->overrides.count; i++) {
		sha256_update(&h, "|", 1);
		sha256_update(&h, s->overrides.items[i], strlen(s->overrides.items[i]));
	}
	sha256_final(&h, digest);
	for (int i = 0; i < 8; i++)
		snprintf(sc->run_id + 2 * i, 3, "%02x", digest[i]);
}
