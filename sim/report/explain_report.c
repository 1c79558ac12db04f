/* explain_report: the waterfall as text and explain.json (see explain_report.h). */
#include "explain_report.h"

#include <math.h>
#include <string.h>

#include "json.h"
#include "report.h"
#include "summary_write.h"
#include "trainsim_config.h"

#define DAY_S 86400.0
#define MONTH_S (30.44 * DAY_S)
#define BAR_WIDTH 20

const char explain_method[] =
	"counterfactual replicas with common random numbers (every configuration runs the same seeds, causes "
	"switched off); per replica, a cause's part is (off + alone) / 2, off = estimate minus the estimate without "
	"it, alone = with it alone minus failure-free: the Shapley value when causes interact only in pairs; the "
	"remainder of higher-order interactions is spread over the causes in proportion to |part|, so the parts add "
	"up to each replica's slip; 95% CI: Student t over the replicas";

static const struct explain_group *group_of(const struct explain_report *r, const struct explain_cause *c)
{
	return &r->groups->items[c->group];
}

/* ---- text ---- */

/* "57.60 d", with months beside long ones: "412.30 d (13.5 months)". */
static const char *duration(double s, char *buf, size_t size)
{
	if (!isfinite(s))
		snprintf(buf, size, "%8s d", "-");
	else if (s >= 60 * DAY_S)
		snprintf(buf, size, "%8.2f d (%.1f months)", s / DAY_S, s / MONTH_S);
	else
		snprintf(buf, size, "%8.2f d", s / DAY_S);
	return buf;
}

/* `text` on lines of at most `width` characters, each after `indent`. */
static void wrapped(FILE *out, const char *indent, const char *text, size_t width)
{
	while (*text) {
		size_t n = strlen(text), cut = n;
		if (n > width) {
			for (cut = width; cut > 0 && text[cut] != ' '; cut--)
				continue;
			if (cut == 0)
				cut = width;
		}
		fprintf(out, "%s%.*s\n", indent, (int)cut, text);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

/* A bar of |part| against the largest: '#' for a cost, '-' for a gain. */
static const char *bar(double part, double largest, char *buf)
{
	int n = largest > 0 && isfinite(part) ? (int)lround(BAR_WIDTH * fabs(part) / largest) : 0;
	memset(buf, part < 0 ? '-' : '#', (size_t)n);
	buf[n] = '\0';
	return buf;
}

static void text_head(FILE *out, const struct explain_report *r)
{
	const struct summary_scenario *sc = r->sc;
	fprintf(out, "%s on %s: which cause cost how many days, over %ld replicas (seeds %llu to %llu)\n",
		sc->scenario->workload->name, sc->scenario->platform->name, r->result->replicas,
		(unsigned long long)sc->seed, (unsigned long long)(sc->seed + (uint64_t)r->result->replicas - 1));
	report_overrides(out, &sc->scenario->overrides);
}

static void text_causes(FILE *out, const struct explain_report *r)
{
	const struct explain_result *res = r->result;
	double largest = 0;
	for (size_t k = 0; k < res->count; k++)
		largest = fmax(largest, fabs(res->causes[k].part.mean));
	for (size_t k = 0; k < res->count; k++) {
		const struct stats *p = &res->causes[k].part;
		char b[BAR_WIDTH + 1], ci[64];
		snprintf(ci, sizeof ci, "[%+.2f, %+.2f]", p->ci95_low / DAY_S, p->ci95_high / DAY_S);
		fprintf(out, "  + %-18s %+8.2f d   %-17s %s\n", group_of(r, &res->causes[k])->name, p->mean / DAY_S, ci,
			bar(p->mean, largest, b));
	}
}

static void text_waterfall(FILE *out, const struct explain_report *r)
{
	const struct explain_result *res = r->result;
	char a[64];
	fprintf(out, "\n  %-20s %s\n", "planned", duration(summary_planned_s(r->sc), a, sizeof a));
	fprintf(out, "  %-20s %s   every cause removed: no failures, free checkpoint saves\n", "failure-free",
		duration(res->none.mean, a, sizeof a));
	fprintf(out, "  %-20s %8s     %s\n", "", "days", "95% CI");
	text_causes(out, r);
	fprintf(out, "  = %-18s %s   P50 %.2f d, P90 %.2f d\n", "estimate", duration(res->full.mean, a, sizeof a),
		res->full.p50 / DAY_S, res->full.p90 / DAY_S);
	fprintf(out, "    %-18s %+8.2f d   over failure-free: the parts above add up to it\n", "slip",
		(res->full.mean - res->none.mean) / DAY_S);
}

static void text_interactions(FILE *out, const struct explain_report *r)
{
	const struct explain_result *res = r->result;
	fprintf(out, "\nInteractions (mean days): off, what removing the cause gains; alone, what it costs on its own\n");
	fprintf(out, "  %-20s %8s %8s %8s\n", "cause", "part", "off", "alone");
	for (size_t k = 0; k < res->count; k++) {
		const struct explain_cause *c = &res->causes[k];
		fprintf(out, "  %-20s %+8.2f %+8.2f %+8.2f\n", group_of(r, c)->name, c->part.mean / DAY_S,
			c->off.mean / DAY_S, c->alone.mean / DAY_S);
	}
}

/* Whether group g is named for its one class (else its classes are listed). */
static bool named_for_its_class(const struct explain_report *r, const struct explain_group *g)
{
	size_t n = 0, last = 0;
	for (size_t i = 0; g->classes && i < r->groups->failure_count; i++)
		if (g->classes[i]) {
			n++;
			last = i;
		}
	return n == 0 || (n == 1 && !strcmp(g->name, r->sc->scenario->platform->failures[last].name));
}

/* The classes of groups not named for their one class (power, degraded links, other failures). */
static void text_members(FILE *out, const struct explain_report *r)
{
	const struct platform *p = r->sc->scenario->platform;
	bool headed = false;
	for (size_t k = 0; k < r->groups->count; k++) {
		const struct explain_group *g = &r->groups->items[k];
		if (named_for_its_class(r, g))
			continue;
		char line[4096];
		size_t used = (size_t)snprintf(line, sizeof line, "%s:", g->name);
		for (size_t i = 0, shown = 0; i < r->groups->failure_count && used < sizeof line; i++)
			if (g->classes[i])
				used += (size_t)snprintf(line + used, sizeof line - used, "%s %s", shown++ ? "," : "",
							 p->failures[i].name);
		if (!headed)
			fprintf(out, "\nGroups of several failure classes:\n");
		headed = true;
		wrapped(out, "  ", line, 90);
	}
}

static void text_unfinished(FILE *out, const struct explain_report *r)
{
	const struct explain_result *res = r->result;
	if (res->explained == res->replicas)
		return;
	fprintf(out, "\n%ld of %ld replicas did not finish in every configuration (by the horizon, or they gave up); "
		     "the parts are over the %ld that did:\n", res->replicas - res->explained, res->replicas, res->explained);
	char label[128];
	for (size_t c = 0; c < res->configurations; c++)
		if (res->unfinished[c])
			fprintf(out, "  %-30s %ld unfinished\n", explain_config_label(r->groups, c, label, sizeof label),
				res->unfinished[c]);
	if (res->unfinished[EXPLAIN_FULL])
		fprintf(out, "  the estimate leaves out the full configuration's unfinished replicas: it is too low\n");
}

void explain_write_text(FILE *out, const struct explain_report *r)
{
	const struct explain_result *res = r->result;
	text_head(out, r);
	if (res->explained == 0) {
		fprintf(out, "\nNo replica finished in every configuration: nothing to attribute (a later --horizon, or a "
			     "higher --max-events, lets them finish).\n");
		text_unfinished(out, r);
		return;
	}
	text_waterfall(out, r);
	text_interactions(out, r);
	text_members(out, r);
	text_unfinished(out, r);
	char method[2048];
	int n = snprintf(method, sizeof method, "Method: %s; %ld replicas, %zu configurations", explain_method,
			 res->explained, res->configurations);
	if (r->groups->merged && n > 0 && (size_t)n < sizeof method)
		snprintf(method + n, sizeof method - (size_t)n, "; the %zu smallest failure groups (ranked by their direct "
			 "cost in the full configuration) merged into one to keep %ld groups.", r->groups->merged,
			 r->max_groups);
	else if (n > 0 && (size_t)n < sizeof method)
		snprintf(method + n, sizeof method - (size_t)n, ".");
	fprintf(out, "\n");
	wrapped(out, "", method, 92);
}

/* ---- explain.json ---- */

static void json_classes(struct json_writer *j, const struct explain_report *r, const struct explain_group *g)
{
	json_begin_array(j, "classes");
	for (size_t i = 0; g->classes && i < r->groups->failure_count; i++)
		if (g->classes[i])
			json_string(j, NULL, r->sc->scenario->platform->failures[i].name);
	json_end_array(j);
}

static void json_cause(struct json_writer *j, const struct explain_report *r, const struct explain_cause *c)
{
	const struct explain_group *g = group_of(r, c);
	json_begin_object(j, NULL);
	json_string(j, "name", g->name);
	json_number(j, "days", c->part.mean / DAY_S);
	json_number(j, "ci95_low", c->part.ci95_low / DAY_S);
	json_number(j, "ci95_high", c->part.ci95_high / DAY_S);
	json_number(j, "off_days", c->off.mean / DAY_S);
	json_number(j, "alone_days", c->alone.mean / DAY_S);
	json_classes(j, r, g);
	json_end_object(j);
}

static void json_unfinished(struct json_writer *j, const struct explain_report *r)
{
	const struct explain_result *res = r->result;
	char label[128];
	json_begin_array(j, "unfinished");
	for (size_t c = 0; c < res->configurations; c++) {
		if (!res->unfinished[c])
			continue;
		json_begin_object(j, NULL);
		json_string(j, "configuration", explain_config_label(r->groups, c, label, sizeof label));
		json_integer(j, "replicas", res->unfinished[c]);
		json_end_object(j);
	}
	json_end_array(j);
}

void explain_write_json(FILE *out, const struct explain_report *r)
{
	const struct explain_result *res = r->result;
	struct json_writer j;
	json_init(&j, out);
	json_begin_object(&j, NULL);
	json_string(&j, "schema", EXPLAIN_SCHEMA);
	json_integer(&j, "schema_version", EXPLAIN_SCHEMA_VERSION);
	json_string(&j, "trainsim_version", TRAINSIM_VERSION);
	json_string(&j, "run_id", r->sc->run_id);
	summary_write_scenario_json(&j, r->sc);
	json_integer(&j, "replicas", res->replicas);
	json_integer(&j, "replicas_explained", res->explained);
	json_unfinished(&j, r);
	json_integer(&j, "configurations", (long)res->configurations);
	json_integer(&j, "max_groups", r->max_groups);
	json_number(&j, "planned_s", summary_planned_s(r->sc));
	json_number(&j, "failure_free_s", res->none.mean);
	json_number(&j, "plan_failure_free_s", r->sc->plan.failure_free_s);
	json_number(&j, "estimate_s", res->full.mean);
	json_number(&j, "estimate_p50_s", res->full.p50);
	json_number(&j, "estimate_p90_s", res->full.p90);
	json_number(&j, "slip_s", res->full.mean - res->none.mean);
	json_string(&j, "method", explain_method);
	json_begin_array(&j, "causes");
	for (size_t k = 0; k < res->count; k++)
		json_cause(&j, r, &res->causes[k]);
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}
