/* explain: cause groups, their configurations and the attribution of each replica's slip
 * (see explain.h). */
#include "explain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

/* ---- groups ---- */

static const char *const resource_names[] = {
	[EXPLAIN_TECHNICIANS] = "technicians",
	[EXPLAIN_PARTS] = "parts",
	[EXPLAIN_CHECKPOINTS] = "checkpoints",
	[EXPLAIN_BRING_UP] = "bring-up",
};

/* Can class i strike at all? A replayed log decides which classes strike; else the rate
 * does. The power system raises its classes itself (trips need no rate). */
static bool class_active(const struct scenario *s, size_t i, double failure_scale)
{
	const struct failure_class *fc = &s->platform->failures[i];
	if (fc->power_event)
		return true;
	if (s->failure_log_path) {
		for (size_t k = 0; k < s->failure_log.count; k++)
			if (s->failure_log.events[k].class_index == (long)i)
				return true;
		return false;
	}
	return fc->rate_per_s * failure_scale > 0;
}

/* The name of the group class i belongs to. */
static const char *group_name_of(const struct failure_class *fc)
{
	if (fc->power_event)
		return "power";
	if (fc->effect == EFFECT_DEGRADE || fc->effect == EFFECT_FLAP)
		return "degraded links";
	return fc->name;
}

static struct explain_group *add_group(struct explain_groups *g, const char *name, enum explain_kind kind)
{
	struct explain_group *items = realloc(g->items, (g->count + 1) * sizeof *items);
	if (!items)
		return NULL;
	g->items = items;
	struct explain_group *grp = &items[g->count];
	*grp = (struct explain_group){.name = strdup(name), .kind = kind};
	if (kind == EXPLAIN_FAILURES)
		grp->classes = calloc(g->failure_count ? g->failure_count : 1, sizeof *grp->classes);
	g->count++;
	return grp->name && (kind != EXPLAIN_FAILURES || grp->classes) ? grp : NULL;
}

static struct explain_group *find_group(struct explain_groups *g, const char *name)
{
	for (size_t k = 0; k < g->count; k++)
		if (!strcmp(g->items[k].name, name))
			return &g->items[k];
	return NULL;
}

static bool add_class(struct explain_groups *g, const struct failure_class *fc, size_t i)
{
	const char *name = group_name_of(fc);
	struct explain_group *grp = find_group(g, name);
	if (!grp)
		grp = add_group(g, name, EXPLAIN_FAILURES);
	if (grp)
		grp->classes[i] = true;
	return grp != NULL;
}

bool explain_groups_init(const struct scenario *s, double failure_scale, struct explain_groups *out)
{
	const struct platform *p = s->platform;
	*out = (struct explain_groups){.failure_count = p->failure_count};
	bool ok = true;
	for (size_t i = 0; ok && i < p->failure_count; i++)
		ok = !class_active(s, i, failure_scale) || add_class(out, &p->failures[i], i);
	for (int k = EXPLAIN_TECHNICIANS; ok && k <= EXPLAIN_BRING_UP; k++)
		ok = (k == EXPLAIN_BRING_UP && !p->bring_up.present) || add_group(out, resource_names[k], k);
	return ok;
}

static void group_finish(struct explain_group *grp)
{
	free(grp->name);
	free(grp->classes);
}

void explain_groups_finish(struct explain_groups *g)
{
	for (size_t k = 0; g && k < g->count; k++)
		group_finish(&g->items[k]);
	if (g) {
		free(g->items);
		*g = (struct explain_groups){0};
	}
}

size_t explain_resource_groups(const struct explain_groups *g)
{
	size_t n = 0;
	for (size_t k = 0; k < g->count; k++)
		n += g->items[k].kind != EXPLAIN_FAILURES;
	return n;
}

/* ---- ranking and merging ---- */

/* Mean over the replicas done of class_index's interruptions (category < 0), or of the
 * seconds in time category `category`. */
static double mean_of(const struct mc_result *mc, size_t class_index, int category)
{
	double sum = 0;
	for (long r = 0; r < mc->count; r++) {
		const struct run_result *res = &mc->replicas[r].result;
		if (mc->replicas[r].done)
			sum += category < 0 ? (double)res->interruptions_by_class[class_index] : res->time_s[category];
	}
	return mc->done ? sum / (double)mc->done : 0;
}

void explain_groups_score(struct explain_groups *g, const struct scenario *s, double checkpoint_interval_s,
			  const struct mc_result *full)
{
	const struct platform *p = s->platform;
	double relaunch_s = s->workload->restart.relaunch_s;
	for (size_t k = 0; k < g->count; k++) {
		struct explain_group *grp = &g->items[k];
		bool power = false, degraded = false;
		grp->score_s = 0;
		for (size_t i = 0; grp->classes && i < g->failure_count; i++) {
			if (!grp->classes[i])
				continue;
			const struct failure_class *fc = &p->failures[i];
			grp->score_s += mean_of(full, i, -1) * (fc->detection_s + relaunch_s + checkpoint_interval_s / 2);
			power |= fc->power_event;
			degraded |= fc->effect == EFFECT_DEGRADE;
		}
		grp->score_s += (power ? mean_of(full, 0, TIME_POWER) : 0) + (degraded ? mean_of(full, 0, TIME_DEGRADED) : 0);
	}
}

/* Failure groups in the order they are kept: largest score first, then the earlier one. */
static int rank_order(const struct explain_groups *g, size_t a, size_t b)
{
	double x = g->items[a].score_s, y = g->items[b].score_s;
	if (x != y)
		return x > y ? -1 : 1;
	return (a > b) - (a < b);
}

/* The indexes of the failure groups, best ranked first (insertion sort: a few dozen groups). */
static void rank(const struct explain_groups *g, size_t *order, size_t *n)
{
	*n = 0;
	for (size_t k = 0; k < g->count; k++) {
		if (g->items[k].kind != EXPLAIN_FAILURES)
			continue;
		size_t at = (*n)++;
		for (; at > 0 && rank_order(g, k, order[at - 1]) < 0; at--)
			order[at] = order[at - 1];
		order[at] = k;
	}
}

/* Does a limit of max_groups leave room for one failure group? */
static bool limit_fits(const struct explain_groups *g, long max_groups, struct ts_error *err)
{
	size_t resources = explain_resource_groups(g), failures = g->count - resources;
	if (failures == 0 || (long)g->count <= max_groups || max_groups >= (long)resources + 1)
		return true;
	return error_set(err, "", 0, 0, "--max-groups %ld leaves no room for the failures: the %zu resource groups "
			 "(technicians, parts, checkpoints%s) are never merged; expected %zu or more",
			 max_groups, resources, resources > 3 ? ", bring-up" : "", resources + 1);
}

/* Move the failure groups ranked from `keep` on into one group, appended. */
static bool merge_tail(struct explain_groups *g, const size_t *order, size_t n, size_t keep)
{
	struct explain_group *other = add_group(g, keep ? "other failures" : "failures", EXPLAIN_FAILURES);
	if (!other)
		return false;
	bool *gone = calloc(g->count, sizeof *gone);
	if (!gone)
		return false;
	for (size_t r = keep; r < n; r++) {
		struct explain_group *grp = &g->items[order[r]];
		for (size_t i = 0; i < g->failure_count; i++)
			other->classes[i] |= grp->classes[i];
		other->score_s += grp->score_s;
		gone[order[r]] = true;
	}
	size_t to = 0;
	for (size_t k = 0; k < g->count; k++) {
		if (gone[k])
			group_finish(&g->items[k]);
		else
			g->items[to++] = g->items[k];
	}
	g->merged = n - keep;
	g->count = to;
	free(gone);
	return true;
}

/* Failure groups first ("other failures", appended, among them), then the resource groups,
 * each in its own order. */
static bool resources_last(struct explain_groups *g)
{
	struct explain_group *items = malloc(g->count * sizeof *items);
	if (!items)
		return false;
	size_t n = 0;
	for (int failures = 1; failures >= 0; failures--)
		for (size_t k = 0; k < g->count; k++)
			if ((g->items[k].kind == EXPLAIN_FAILURES) == failures)
				items[n++] = g->items[k];
	free(g->items);
	g->items = items;
	return true;
}

bool explain_check_limit(const struct scenario *s, double failure_scale, long max_groups, struct ts_error *err)
{
	struct explain_groups g;
	if (!explain_groups_init(s, failure_scale, &g))
		return error_set(err, "", 0, 0, "out of memory");
	bool ok = limit_fits(&g, max_groups, err);
	explain_groups_finish(&g);
	return ok;
}

bool explain_groups_limit(struct explain_groups *g, long max_groups, struct ts_error *err)
{
	if (!limit_fits(g, max_groups, err))
		return false;
	if ((long)g->count <= max_groups)
		return true;
	size_t *order = malloc(g->count * sizeof *order), n;
	if (!order)
		return error_set(err, "", 0, 0, "out of memory");
	rank(g, order, &n);
	size_t keep = (size_t)max_groups - explain_resource_groups(g) - 1;
	bool ok = merge_tail(g, order, n, keep) && resources_last(g);
	free(order);
	return ok || error_set(err, "", 0, 0, "out of memory");
}

/* ---- configurations ---- */

size_t explain_configurations(const struct explain_groups *g)
{
	return 2 + 2 * g->count;
}

bool explain_present(const struct explain_groups *g, size_t config, size_t group)
{
	(void)g;
	if (config == EXPLAIN_FULL || config == EXPLAIN_NONE)
		return config == EXPLAIN_FULL;
	size_t which = (config - 2) / 2;
	bool without = (config - 2) % 2 == 0;
	return without ? group != which : group == which;
}

/* Classes in no group cannot strike: they are left on, so that the full configuration is
 * exactly `trainsim run`'s. */
void explain_counterfactual(const struct explain_groups *g, size_t config, bool *class_off, struct counterfactual *cf)
{
	*cf = (struct counterfactual){.class_off = class_off};
	memset(class_off, 0, g->failure_count * sizeof *class_off);
	for (size_t k = 0; k < g->count; k++) {
		const struct explain_group *grp = &g->items[k];
		bool off = !explain_present(g, config, k);
		for (size_t i = 0; grp->classes && i < g->failure_count; i++)
			class_off[i] |= off && grp->classes[i];
		if (grp->kind == EXPLAIN_TECHNICIANS)
			cf->unlimited_technicians = off;
		else if (grp->kind == EXPLAIN_PARTS)
			cf->parts_in_stock = off;
		else if (grp->kind == EXPLAIN_CHECKPOINTS)
			cf->free_checkpoints = off;
		else if (grp->kind == EXPLAIN_BRING_UP)
			cf->no_bring_up = off;
	}
}

const char *explain_config_label(const struct explain_groups *g, size_t config, char *buf, size_t size)
{
	if (config == EXPLAIN_FULL || config == EXPLAIN_NONE)
		snprintf(buf, size, "%s", config == EXPLAIN_FULL ? "all causes" : "no cause");
	else if ((config - 2) % 2 == 0)
		snprintf(buf, size, "without %s", g->items[(config - 2) / 2].name);
	else
		snprintf(buf, size, "%s alone", g->items[(config - 2) / 2].name);
	return buf;
}

/* ---- attribution ---- */

void explain_replica(const double *v, size_t groups, double *part, double *off, double *alone)
{
	double slip = v[EXPLAIN_FULL] - v[EXPLAIN_NONE], sum = 0, sum_abs = 0;
	for (size_t k = 0; k < groups; k++) {
		off[k] = v[EXPLAIN_FULL] - v[2 + 2 * k];
		alone[k] = v[3 + 2 * k] - v[EXPLAIN_NONE];
		part[k] = (off[k] + alone[k]) / 2;
		sum += part[k];
		sum_abs += fabs(part[k]);
	}
	double rest = slip - sum;
	for (size_t k = 0; k < groups; k++)
		part[k] += sum_abs > 0 ? rest * fabs(part[k]) / sum_abs : rest / (double)groups;
}

/* Samples over the replicas explained: row k of `rows` values each. */
struct samples {
	double *part, *off, *alone, *full, *none;
	size_t n;
};

static bool samples_init(struct samples *s, size_t groups, long replicas)
{
	size_t n = (size_t)(replicas > 0 ? replicas : 1);
	double *block = malloc((3 * groups + 2) * n * sizeof *block);
	*s = (struct samples){.part = block, .off = block + groups * n, .alone = block + 2 * groups * n,
			      .full = block + 3 * groups * n, .none = block + (3 * groups + 1) * n};
	return block != NULL;
}

/* Replica r's wall-clock in every configuration into v; false when it did not finish in one. */
static bool replica_values(const double *w, size_t configs, long replicas, long r, double *v)
{
	bool complete = true;
	for (size_t c = 0; c < configs; c++) {
		v[c] = w[c * (size_t)replicas + (size_t)r];
		complete &= isfinite(v[c]);
	}
	return complete;
}

/* Each explained replica's parts into the samples; counts the unfinished per configuration. */
static bool collect_samples(const struct explain_groups *g, const double *w, long replicas, struct samples *s,
			    long *unfinished)
{
	size_t configs = explain_configurations(g), k = g->count;
	double *v = malloc((configs + 3 * k) * sizeof *v);
	if (!v)
		return false;
	double *part = v + configs, *off = part + k, *alone = off + k;
	size_t cap = (size_t)(replicas > 0 ? replicas : 1);
	for (long r = 0; r < replicas; r++) {
		if (!replica_values(w, configs, replicas, r, v)) {
			for (size_t c = 0; c < configs; c++)
				unfinished[c] += !isfinite(v[c]);
			continue;
		}
		explain_replica(v, k, part, off, alone);
		for (size_t j = 0; j < k; j++) {
			s->part[j * cap + s->n] = part[j];
			s->off[j * cap + s->n] = off[j];
			s->alone[j * cap + s->n] = alone[j];
		}
		s->full[s->n] = v[EXPLAIN_FULL];
		s->none[s->n++] = v[EXPLAIN_NONE];
	}
	free(v);
	return true;
}

static int by_part(const void *a, const void *b)
{
	const struct explain_cause *x = a, *y = b;
	if (x->part.mean != y->part.mean)
		return x->part.mean > y->part.mean ? -1 : 1;
	return (x->group > y->group) - (x->group < y->group);
}

static bool causes_compute(const struct samples *s, size_t groups, long replicas, struct explain_result *out)
{
	size_t cap = (size_t)(replicas > 0 ? replicas : 1);
	bool ok = true;
	for (size_t k = 0; ok && k < groups; k++) {
		struct explain_cause *c = &out->causes[k];
		c->group = k;
		ok = stats_compute(s->part + k * cap, s->n, &c->part) && stats_compute(s->off + k * cap, s->n, &c->off) &&
		     stats_compute(s->alone + k * cap, s->n, &c->alone);
	}
	if (ok && s->n > 0)
		qsort(out->causes, groups, sizeof *out->causes, by_part);
	return ok && stats_compute(s->full, s->n, &out->full) && stats_compute(s->none, s->n, &out->none);
}

bool explain_attribute(const struct explain_groups *g, const double *wallclock_s, long replicas,
		       struct explain_result *out)
{
	*out = (struct explain_result){.replicas = replicas, .configurations = explain_configurations(g),
				       .count = g->count};
	out->unfinished = calloc(out->configurations, sizeof *out->unfinished);
	out->causes = calloc(g->count ? g->count : 1, sizeof *out->causes);
	struct samples s;
	bool ok = samples_init(&s, g->count, replicas) && out->unfinished && out->causes &&
		  collect_samples(g, wallclock_s, replicas, &s, out->unfinished) &&
		  causes_compute(&s, g->count, replicas, out);
	out->explained = (long)s.n;
	free(s.part);
	return ok;
}

void explain_result_finish(struct explain_result *r)
{
	if (!r)
		return;
	free(r->unfinished);
	free(r->causes);
	*r = (struct explain_result){0};
}

/* ---- running the configurations ---- */

struct config_progress {
	const struct explain_options *o;
	size_t config, configs;
};

static void on_progress(void *data, long done, long total)
{
	struct config_progress *cp = data;
	cp->o->progress(cp->o->progress_data, cp->config, cp->configs, done, total);
}

/* Configuration `config`'s replicas into *mc. */
static bool run_config(const struct scenario *s, struct engine *e, const struct explain_options *o,
		       const struct explain_groups *g, size_t config, size_t configs, struct mc_result *mc,
		       struct ts_error *err)
{
	bool *class_off = calloc(g->failure_count ? g->failure_count : 1, sizeof *class_off);
	if (!class_off) {
		*mc = (struct mc_result){0};
		return error_set(err, "", 0, 0, "out of memory");
	}
	struct counterfactual cf;
	explain_counterfactual(g, config, class_off, &cf);
	struct config_progress cp = {o, config, configs};
	struct mc_options mo = o->mc;
	mo.run.counterfactual = &cf;
	mo.progress = o->progress ? on_progress : NULL;
	mo.progress_data = &cp;
	bool ok = montecarlo_run(s, e, &mo, mc, err);
	free(class_off);
	return ok;
}

/* Row `config` of the wall-clock table: NAN for a replica that did not finish. */
static void keep_row(const struct mc_result *mc, size_t config, double *w)
{
	for (long r = 0; r < mc->count; r++) {
		const struct replica_outcome *ro = &mc->replicas[r];
		w[config * (size_t)mc->count + (size_t)r] = ro->done && ro->result.finished ? ro->result.wallclock_s : NAN;
	}
}

/* Every configuration after the full one, into the table w; *stopped when interrupted. */
static bool run_rest(const struct scenario *s, struct engine *e, const struct explain_options *o,
		     const struct explain_groups *g, double *w, bool *stopped, struct ts_error *err)
{
	size_t configs = explain_configurations(g);
	bool ok = true;
	*stopped = false;
	for (size_t c = EXPLAIN_NONE; ok && !*stopped && c < configs; c++) {
		struct mc_result mc;
		ok = run_config(s, e, o, g, c, configs, &mc, err);
		*stopped = mc.interrupted;
		keep_row(&mc, c, w);
		montecarlo_result_finish(&mc);
	}
	return ok;
}

/* The full configuration, which ranks the groups; then the limit on their number. */
static bool run_full(const struct scenario *s, struct engine *e, const struct explain_options *o,
		     struct explain_groups *g, double **w, bool *stopped, struct ts_error *err)
{
	struct mc_result mc;
	*w = NULL;
	bool ok = run_config(s, e, o, g, EXPLAIN_FULL, 0, &mc, err);
	*stopped = mc.interrupted;
	if (ok && !*stopped) {
		explain_groups_score(g, s, e->plan.checkpoint_interval_s, &mc);
		ok = explain_groups_limit(g, o->max_groups, err);
	}
	if (ok && !*stopped) {
		*w = malloc(explain_configurations(g) * (size_t)(mc.count ? mc.count : 1) * sizeof **w);
		ok = *w || error_set(err, "", 0, 0, "out of memory");
	}
	if (*w)
		keep_row(&mc, EXPLAIN_FULL, *w);
	montecarlo_result_finish(&mc);
	return ok;
}

bool explain_run(const struct scenario *s, struct engine *e, const struct explain_options *o,
		 struct explain_groups *groups, struct explain_result *out, struct ts_error *err)
{
	*out = (struct explain_result){.replicas = o->mc.count};
	if (!explain_groups_init(s, o->mc.run.failure_scale, groups))
		return error_set(err, "", 0, 0, "out of memory");
	if (!limit_fits(groups, o->max_groups, err))
		return false;
	double *w;
	bool stopped;
	bool ok = run_full(s, e, o, groups, &w, &stopped, err) && (stopped || run_rest(s, e, o, groups, w, &stopped, err));
	if (ok && !stopped)
		ok = explain_attribute(groups, w, o->mc.count, out) || error_set(err, "", 0, 0, "out of memory");
	out->interrupted = stopped;
	free(w);
	return ok;
}

void explain_run_id(const char *run_id, long max_groups, char out[17])
{
	char text[64];
	unsigned char digest[32];
	struct sha256 h;
	int n = snprintf(text, sizeof text, "explain|%s|%ld", run_id, max_groups);
	sha256_init(&h);
	sha256_update(&h, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
	sha256_final(&h, digest);
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}
