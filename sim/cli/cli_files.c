/* cli_files: a run's result files as one set (see cli_files.h). */
#include "cli_files.h"

#include <stdlib.h>

#include "events_csv.h"
#include "outdir.h"
#include "report.h"
#include "summary_write.h"
#include "timeline.h"
#include "trainsim_config.h"

/* Every file a run's set may hold (an older one of these names is replaced or removed). */
const char *const cli_run_set[] = {"summary.json", "replicas.csv", "events.csv", "timeline.json", NULL};

static struct timeline_origin origin_of(const struct summary_scenario *sc)
{
	const struct scenario *s = sc->scenario;
	return (struct timeline_origin){TRAINSIM_VERSION, sc->run_id, s->platform->name, s->platform_sha256,
					s->workload->name, s->workload_sha256, s->overrides.items, s->overrides.count};
}

static bool read_from_dir(void *data, long replica, struct event **events, size_t *count, struct ts_error *err)
{
	return montecarlo_read_events(data, replica, events, count, err);
}

struct events_source cli_events_in_dir(const char *dir)
{
	return (struct events_source){read_from_dir, (void *)dir};
}

/* events.csv and timeline.json: every kept replica's events, in replica order. */
static bool write_events(FILE *csv, FILE *trace, const struct events_source *src, const struct summary_scenario *sc,
			 const struct mc_result *mc, long replicas, bool all, struct ts_error *err)
{
	const struct scenario *s = sc->scenario;
	struct timeline_origin origin = origin_of(sc);
	struct timeline t;
	events_csv_header(csv);
	timeline_begin(&t, trace, s->platform, &origin);
	bool ok = true;
	for (long i = mc->first; ok && i < replicas && i < mc->first + mc->count; i++) {
		if (!mc->replicas[i - mc->first].done)
			continue;
		struct event *events;
		size_t count;
		ok = src->read(src->data, i, &events, &count, err);
		if (!ok)
			break;
		events_csv_rows(csv, i, events, count, s->platform, sc->run_id, all);
		ok = timeline_replica(&t, i, events, count) || error_set(err, "", 0, 0, "out of memory writing the timeline");
		free(events);
	}
	timeline_end(&t);
	return ok;
}

bool cli_write_outputs(const char *out_dir, const struct summary_scenario *sc, const struct summary *sum,
		       const struct mc_result *mc, long events_replicas, bool all_events, const struct events_source *src,
		       struct ts_error *err)
{
	struct out_set set;
	if (!outset_begin(&set, out_dir, err))
		return false;
	FILE *summary = outset_open(&set, "summary.json", err), *replicas = summary ? outset_open(&set, "replicas.csv", err) : NULL;
	FILE *events = replicas ? outset_open(&set, "events.csv", err) : NULL;
	FILE *trace = events ? outset_open(&set, "timeline.json", err) : NULL;
	bool ok = trace != NULL;
	if (ok) {
		summary_write_json(summary, sc, sum);
		summary_write_replicas_csv(replicas, sc, mc);
		ok = write_events(events, trace, src, sc, mc, events_replicas, all_events, err);
	}
	if (ok)
		return outset_commit(&set, cli_run_set, err);
	outset_abandon(&set);
	return false;
}


void cli_print_results(bool json, const struct summary_scenario *sc, const struct summary *sum,
		       const struct mc_result *mc)
{
	if (json) {
		summary_write_json(stdout, sc, sum);
		return;
	}
	if (mc->count == 1 && mc->replicas[0].done) {
		const struct scenario *s = sc->scenario;
		struct run_report r = {s->platform, s->workload, &mc->replicas[0].result, sc->plan, sc->seed, sc->horizon_s,
				       &s->overrides};
		report_run_text(stdout, &r);
	} else
		summary_write_text(stdout, sc, sum);
}

void cli_say_interrupted(const struct mc_result *mc, const char *out_dir)
{
	fprintf(stderr, "trainsim: interrupted: %ld of %ld replicas done%s%s%s\n", mc->done, mc->count,
		out_dir ? "; the files in " : "", out_dir ? out_dir : "", out_dir ? " cover those" : "");
}
