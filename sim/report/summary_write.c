/* summary_write: a summary in the forms people and programs read: text, summary.json (a
 * versioned schema) and replicas.csv. */
#include "summary_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cost_report.h"
#include "humanize.h"
#include "json.h"
#include "energy.h"
#include "report.h"
#include "trainsim_config.h"

/* ---- summary.json ---- */

static void json_stats(struct json_writer *j, const char *key, const struct stats *s)
{
	json_begin_object(j, key);
	json_number(j, "mean", s->mean);
	json_number(j, "stddev", s->stddev);
	json_number(j, "ci95_low", s->ci95_low);
	json_number(j, "ci95_high", s->ci95_high);
	json_number(j, "min", s->min);
	json_number(j, "p10", s->p10);
	json_number(j, "p50", s->p50);
	json_number(j, "p90", s->p90);
	json_number(j, "p99", s->p99);
	json_number(j, "max", s->max);
	json_end_object(j);
}

static void json_date(struct json_writer *j, const char *key, double epoch_s)
{
	char buf[48];
	json_string(j, key, isfinite(epoch_s) ? humanize_date(epoch_s, buf, sizeof buf) : NULL);
}

void summary_write_scenario_json(struct json_writer *j, const struct summary_scenario *sc)
{
	json_begin_object(j, "scenario");
	json_string(j, "platform", sc->scenario->platform->name);
	json_string(j, "platform_source", sc->scenario->platform->source);
	json_string(j, "platform_sha256", sc->scenario->platform_sha256);
	json_string(j, "workload", sc->scenario->workload->name);
	json_string(j, "workload_source", sc->scenario->workload->source);
	json_string(j, "workload_sha256", sc->scenario->workload_sha256);
	json_begin_array(j, "overrides");
	for (size_t i = 0; i < sc->scenario->overrides.count; i++)
		json_string(j, NULL, sc->scenario->overrides.items[i]);
	json_end_array(j);
	json_integer(j, "seed", (long)sc->seed);
	json_number(j, "horizon_s", sc->horizon_s);
	json_number(j, "failure_scale", sc->failure_scale);
	json_string(j, "failure_log", sc->scenario->failure_log_path);
	json_string(j, "failure_log_sha256", sc->scenario->failure_log_path ? sc->scenario->failure_log_sha256 : NULL);
	json_end_object(j);
}

static void json_distribution(struct json_writer *j, const struct summary_scenario *sc, const struct summary *s)
{
	json_begin_object(j, "distribution");
	json_stats(j, "wallclock_s", &s->wallclock);
	json_stats(j, "ettr", &s->ettr);
	json_stats(j, "slip_s", &s->slip);
	if (sc->scenario->workload->schedule.start) {
		json_begin_object(j, "finish");
		json_date(j, "mean", s->finish_epoch.mean);
		json_date(j, "p10", s->finish_epoch.p10);
		json_date(j, "p50", s->finish_epoch.p50);
		json_date(j, "p90", s->finish_epoch.p90);
		json_date(j, "p99", s->finish_epoch.p99);
		json_end_object(j);
	}
	json_end_object(j);
}

static void json_breakdown(struct json_writer *j, const struct summary_scenario *sc, const struct summary *s)
{
	json_begin_object(j, "interruptions");
	json_number(j, "total", s->interruptions);
	json_begin_object(j, "by_cause");
	for (size_t k = 0; k < sc->scenario->platform->failure_count; k++)
		json_number(j, sc->scenario->platform->failures[k].name, s->by_class[k]);
	json_end_object(j);
	json_end_object(j);
	json_begin_object(j, "time_s");
	for (int c = 0; c < TIME_CATEGORY_COUNT; c++)
		json_number(j, jobstate_name((enum time_category)c), s->time_s[c]);
	json_end_object(j);
	json_begin_object(j, "lost_s");
	for (int c = TIME_LOST; c < TIME_CATEGORY_COUNT; c++)
		json_number(j, jobstate_name((enum time_category)c), s->time_s[c]);
	json_end_object(j);
}

/* "cost": only with a costs section (keys added within schema version 1; README.md). */
static void json_cost(struct json_writer *j, const struct cost_summary *c)
{
	json_begin_object(j, "cost");
	json_string(j, "currency", "USD");
	json_integer(j, "replicas", c->replicas);
	json_stats(j, "total_usd", &c->total);
	json_begin_object(j, "breakdown_usd");
	for (int k = 0; k < COST_ITEM_COUNT; k++)
		json_number(j, cost_item_name((enum cost_item)k), c->mean_usd[k]);
	json_end_object(j);
	json_stats(j, "slip_usd", &c->slip);
	json_end_object(j);
}

void summary_write_json(FILE *out, const struct summary_scenario *sc, const struct summary *s)
{
	struct json_writer j;
	json_init(&j, out);
	json_begin_object(&j, NULL);
	json_string(&j, "schema", SUMMARY_SCHEMA);
	json_integer(&j, "schema_version", SUMMARY_SCHEMA_VERSION);
	json_string(&j, "trainsim_version", TRAINSIM_VERSION);
	json_string(&j, "run_id", sc->run_id);
	summary_write_scenario_json(&j, sc);
	json_integer(&j, "replicas", s->replicas);
	json_integer(&j, "replicas_done", s->done);
	json_integer(&j, "finished_replicas", s->finished);
	json_integer(&j, "gave_up_replicas", s->gave_up);
	json_integer(&j, "work_bound_replicas", s->work_bound);
	json_bool(&j, "interrupted", s->interrupted);
	json_bool(&j, "finished", s->done > 0 && s->finished == s->done);
	json_number(&j, "planned_s", summary_planned_s(sc));
	json_number(&j, "failure_free_s", sc->plan.failure_free_s);
	json_number(&j, "step_time_s", sc->step_time_s);
	json_string(&j, "start", sc->scenario->workload->schedule.start);
	json_number(&j, "wallclock_s", s->wallclock.mean);
	json_number(&j, "ettr", s->ettr.mean);
	json_number(&j, "slip_s", s->slip.mean);
	if (sc->scenario->workload->schedule.start)
		json_date(&j, "finish", s->finish_epoch.mean);
	json_distribution(&j, sc, s);
	json_breakdown(&j, sc, s);
	json_number(&j, "failures", s->failures);
	json_number(&j, "tickets", s->tickets);
	json_number(&j, "spare_swaps", s->spare_swaps);
	json_number(&j, "checkpoints", s->checkpoints);
	json_number(&j, "energy_mwh", s->energy_mwh);
	if (s->cost.present)
		json_cost(&j, &s->cost);
	json_end_object(&j);
	json_finish(&j);
}

/* ---- replicas.csv ---- */

/* The cost columns of one replica, when the platform has costs (before run_id, kept last). */
static void csv_cost(FILE *out, const struct summary_scenario *sc, const struct run_result *r)
{
	const struct scenario *s = sc->scenario;
	struct cost_breakdown c;
	if (!s->platform->costs.present)
		return;
	cost_of_replica(s->platform, s->workload, &sc->plan, r, &c);
	cost_report_csv_row(out, &c, r->finished);
}

void summary_write_replicas_csv(FILE *out, const struct summary_scenario *sc, const struct mc_result *mc)
{
	fprintf(out, "replica,seed,finished,wallclock_s,finish,ettr,progress,interruptions,failures");
	for (int c = 0; c < TIME_CATEGORY_COUNT; c++)
		fprintf(out, ",%s_s", jobstate_name((enum time_category)c));
	fprintf(out, ",energy_mwh");
	if (sc->scenario->platform->costs.present)
		cost_report_csv_header(out);
	fprintf(out, ",run_id\n");
	for (long i = 0; i < mc->count; i++) {
		const struct replica_outcome *o = &mc->replicas[i];
		if (!o->done)
			continue;
		const struct run_result *r = &o->result;
		char date[48] = "";
		if (sc->scenario->workload->schedule.start)
			humanize_date(sc->scenario->workload->schedule.start_epoch_s + r->wallclock_s, date, sizeof date);
		fprintf(out, "%ld,%llu,%d,%.3f,%s,%.6f,%.6f,%ld,%ld", mc->first + i, (unsigned long long)o->seed, r->finished,
			r->wallclock_s, date, summary_ettr(r), r->progress, r->interruptions, r->failures);
		for (int c = 0; c < TIME_CATEGORY_COUNT; c++)
			fprintf(out, ",%.3f", r->time_s[c]);
		fprintf(out, ",%.3f", energy_replica_mwh(sc->scenario->platform, sc->scenario->workload, r));
		csv_cost(out, sc, r);
		fprintf(out, ",%s\n", sc->run_id);
	}
}

/* ---- text ---- */

static const char *days(double s, char *buf, size_t size)
{
	snprintf(buf, size, "%.1f d", s / 86400);
	return buf;
}

/* Wall-clock, slip and finish of the replicas that finished. */
static void text_finished(FILE *out, const struct summary_scenario *sc, const struct summary *s)
{
	const struct stats *w = &s->wallclock;
	char a[48], b[48], c[48], d[48];
	if (s->finished == 0) {
		fprintf(out, "  wall-clock   beyond %s: no replica finished\n", days(s->stopped_s, a, sizeof a));
		return;
	}
	if (s->finished < s->done)
		fprintf(out, "  (wall-clock, slip and finish over the %ld replicas that finished)\n", s->finished);
	char span[32];
	fprintf(out, "  wall-clock   mean %s%s (95%% CI %s to %s), sd %s\n", days(w->mean, a, sizeof a),
		humanize_span_note(w->mean, span, sizeof span), days(w->ci95_low, b, sizeof b), days(w->ci95_high, c, sizeof c),
		days(w->stddev, d, sizeof d));
	fprintf(out, "               P10 %s  P50 %s  P90 %s", days(w->p10, a, sizeof a), days(w->p50, b, sizeof b),
		days(w->p90, c, sizeof c));
	fprintf(out, "  P99 %s\n", days(w->p99, d, sizeof d));
	fprintf(out, "  slip         P50 %+.1f d (%+.0f%%), P90 %+.1f d\n", s->slip.p50 / 86400,
		100 * s->slip.p50 / summary_planned_s(sc), s->slip.p90 / 86400);
	if (sc->scenario->workload->schedule.start) {
		const struct stats *f = &s->finish_epoch;
		fprintf(out, "  finish       P10 %.10s  P50 %.10s  P90 %.10s  P99 %.10s\n", humanize_date(f->p10, a, sizeof a),
			humanize_date(f->p50, b, sizeof b), humanize_date(f->p90, c, sizeof c), humanize_date(f->p99, d, sizeof d));
	}
}

static void text_distribution(FILE *out, const struct summary_scenario *sc, const struct summary *s)
{
	char a[48], span[32];
	fprintf(out, "  planned      %s%s\n", days(summary_planned_s(sc), a, sizeof a),
		humanize_span_note(summary_planned_s(sc), span, sizeof span));
	text_finished(out, sc, s);
	fprintf(out, "  ETTR         mean %.1f%%  P10 %.1f%%  P50 %.1f%%  P90 %.1f%%\n", 100 * s->ettr.mean,
		100 * s->ettr.p10, 100 * s->ettr.p50, 100 * s->ettr.p90);
}

static void text_breakdown(FILE *out, const struct summary_scenario *sc, const struct summary *s)
{
	char a[48];
	double total = 0; /* the mean wall-clock of every replica done, finished or not */
	for (int c = 0; c < TIME_CATEGORY_COUNT; c++)
		total += s->time_s[c];
	fprintf(out, "\nWhere the time went (mean per replica)\n");
	for (int c = 0; c < TIME_CATEGORY_COUNT; c++)
		fprintf(out, "  %-20s %10s  %5.1f%%\n", jobstate_name((enum time_category)c),
			humanize(UNIT_TIME, s->time_s[c], a, sizeof a), 100 * s->time_s[c] / fmax(total, 1e-9));
	fprintf(out, "\nInterruptions (mean per replica): %.1f\n", s->interruptions);
	for (size_t k = 0; k < sc->scenario->platform->failure_count; k++)
		if (s->by_class[k] > 0)
			fprintf(out, "  %-20s %8.1f\n", sc->scenario->platform->failures[k].name, s->by_class[k]);
}

void summary_write_text(FILE *out, const struct summary_scenario *sc, const struct summary *s)
{
	fprintf(out, "%s on %s: %ld replicas (seeds %llu to %llu)", sc->scenario->workload->name, sc->scenario->platform->name, s->done,
		(unsigned long long)sc->seed, (unsigned long long)(sc->seed + (uint64_t)s->replicas - 1));
	if (s->interrupted)
		fprintf(out, ", interrupted: %ld of %ld done", s->done, s->replicas);
	fprintf(out, "\n");
	report_overrides(out, &sc->scenario->overrides);
	if (s->gave_up) {
		enum time_category c = jobstate_bottleneck(s->time_s);
		double total = 0;
		for (int k = 0; k < TIME_CATEGORY_COUNT; k++)
			total += s->time_s[k];
		fprintf(out, "  %ld of them gave up: the run would never end (stopped at ten times the failure-free time%s);"
			"\n  the bottleneck: %s (%s, %.1f%% of the time)\n", s->gave_up,
			s->work_bound ? " or at the work bound" : "", report_bottleneck(c), jobstate_name(c),
			100 * s->time_s[c] / fmax(total, 1e-9));
	}
	if (s->finished + s->gave_up < s->done)
		fprintf(out, "  %ld of them stopped at the horizon before the end of training\n",
			s->done - s->finished - s->gave_up);
	text_distribution(out, sc, s);
	text_breakdown(out, sc, s);
	if (s->cost.present)
		cost_report_summary_text(out, &s->cost);
}
