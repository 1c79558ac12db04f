/* faults: per-class failure processes; a binary heap of per-component clocks for Weibull. */
#include "faults.h"

#include <errno.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

struct clock_entry {
	double time_s;
	long component;
};

struct fault_source {
	const struct failure_class *fc;
	long components;
	struct rng rng;
	double next_s;             /* exponential: the superposed process's next event */
	struct clock_entry *heap;  /* Weibull: a clock per component, earliest first */
	long heap_size;
	double weibull_scale;
};

long faults_component_count(const struct platform *p, enum component c)
{
	const struct platform_counts *n = &p->counts;
	switch (c) {
	case COMPONENT_GPU: return n->gpus;
	case COMPONENT_NODE: return n->nodes;
	case COMPONENT_DOMAIN: return n->domains;
	case COMPONENT_NIC: return n->nodes * p->node.nics;
	case COMPONENT_LINK: return n->nodes * p->node.nics + n->leaves * p->fabric.leaf_uplinks;
	case COMPONENT_SWITCH: return n->leaves * (p->fabric.topology == FABRIC_RAIL_OPTIMIZED ? p->node.nics : 1);
	case COMPONENT_RACK: return n->racks;
	case COMPONENT_PDU: return n->pdus;
	case COMPONENT_HALL: return n->halls;
	case COMPONENT_JOB: return 1;
	default: return 0;
	}
}

static void heap_swap(struct clock_entry *h, long a, long b)
{
	struct clock_entry t = h[a];
	h[a] = h[b];
	h[b] = t;
}

static void heap_down(struct clock_entry *h, long size, long i)
{
	for (;;) {
		long l = 2 * i + 1, r = l + 1, m = i;
		if (l < size && h[l].time_s < h[m].time_s)
			m = l;
		if (r < size && h[r].time_s < h[m].time_s)
			m = r;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void heap_up(struct clock_entry *h, long i)
{
	while (i > 0 && h[(i - 1) / 2].time_s > h[i].time_s) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static double weibull_draw(struct fault_source *s, double now)
{
	return now + rng_weibull(&s->rng, s->fc->weibull_shape, s->weibull_scale);
}

/* A Weibull class with mean time between failures 1/rate per component:
 * scale = (1/rate) / Gamma(1 + 1/shape). */
static bool init_weibull(struct fault_source *s, double rate)
{
	s->weibull_scale = 1 / (rate * tgamma(1 + 1 / s->fc->weibull_shape));
	s->heap = malloc((size_t)s->components * sizeof *s->heap);
	if (!s->heap)
		return false;
	for (long i = 0; i < s->components; i++)
		s->heap[i] = (struct clock_entry){weibull_draw(s, 0), i};
	s->heap_size = s->components;
	for (long i = s->heap_size / 2 - 1; i >= 0; i--)
		heap_down(s->heap, s->heap_size, i);
	return true;
}

bool faults_init(struct faults *f, const struct platform *p, uint64_t seed, double rate_scale)
{
	memset(f, 0, sizeof *f);
	f->platform = p;
	f->rate_scale = rate_scale;
	f->count = p->failure_count;
	f->sources = calloc(f->count ? f->count : 1, sizeof *f->sources);
	if (!f->sources)
		return false;
	for (size_t i = 0; i < f->count; i++) {
		struct fault_source *s = &f->sources[i];
		s->fc = &p->failures[i];
		s->components = faults_component_count(p, s->fc->per);
		rng_init(&s->rng, seed, 1000 + i);
		double rate = s->fc->rate_per_s * rate_scale;
		if (rate <= 0 || s->components == 0)
			s->next_s = INFINITY;
		else if (s->fc->distribution == FAILURE_WEIBULL) {
			if (!init_weibull(s, rate))
				return false;
		} else
			s->next_s = rng_exponential(&s->rng, rate * (double)s->components);
	}
	return true;
}

void faults_finish(struct faults *f)
{
	for (size_t i = 0; f->sources && i < f->count; i++)
		free(f->sources[i].heap);
	free(f->sources);
	free(f->log);
	memset(f, 0, sizeof *f);
}

static double source_next(const struct fault_source *s)
{
	if (s->heap)
		return s->heap_size ? s->heap[0].time_s : INFINITY;
	return s->next_s;
}

/* Pops the source's next event and schedules the one after (memoryless classes). */
static void source_pop(struct fault_source *s, double rate_scale, struct failure_event *ev)
{
	ev->time_s = source_next(s);
	if (s->heap) {
		ev->component = s->heap[0].component;
		s->heap[0] = s->heap[--s->heap_size]; /* back in the heap when renewed */
		heap_down(s->heap, s->heap_size, 0);
		return;
	}
	ev->component = (long)rng_below(&s->rng, (uint64_t)s->components);
	s->next_s += rng_exponential(&s->rng, s->fc->rate_per_s * rate_scale * (double)s->components);
}

bool faults_next(struct faults *f, struct failure_event *ev)
{
	if (f->log) {
		if (f->log_next >= f->log_count)
			return false;
		*ev = f->log[f->log_next++];
		return true;
	}
	long best = -1;
	double when = INFINITY;
	for (size_t i = 0; i < f->count; i++) {
		double t = source_next(&f->sources[i]);
		if (t < when) { /* ties go to the earlier class: deterministic */
			when = t;
			best = (long)i;
		}
	}
	if (best < 0)
		return false;
	ev->class_index = best;
	source_pop(&f->sources[best], f->rate_scale, ev);
	return true;
}

void faults_renew(struct faults *f, long class_index, long component, double now)
{
	if (f->log || class_index < 0 || (size_t)class_index >= f->count)
		return;
	struct fault_source *s = &f->sources[class_index];
	if (!s->heap || s->heap_size >= s->components)
		return;
	s->heap[s->heap_size] = (struct clock_entry){weibull_draw(s, now), component};
	heap_up(s->heap, s->heap_size++);
}

/* ---- replayed logs ---- */

static long class_by_name(const struct platform *p, const char *name)
{
	for (size_t i = 0; i < p->failure_count; i++)
		if (!strcmp(p->failures[i].name, name))
			return (long)i;
	return -1;
}

static bool parse_log_line(struct faults *f, char *line, const char *path, int lineno, struct failure_event *ev,
			   struct ts_error *err)
{
	char *time = strtok(line, ","), *comp = strtok(NULL, ","), *cause = strtok(NULL, ",\r\n");
	char why[256];
	if (!time || !comp || !cause)
		return error_set(err, path, lineno, 1, "expected time,component,cause such as 3.5h,node:12,gpu");
	if (!units_parse(UNIT_TIME, time, &ev->time_s, why, sizeof why))
		return error_set(err, path, lineno, 1, "time: %s", why);
	ev->class_index = class_by_name(f->platform, cause);
	if (ev->class_index < 0)
		return error_set(err, path, lineno, (int)(cause - line) + 1, "cause '%s' is not a failure class of the "
				 "platform's reliability section", cause);
	const struct failure_class *fc = &f->platform->failures[ev->class_index];
	const char *kind = platform_component_name(fc->per);
	char *colon = strchr(comp, ':'), *end;
	if (!colon || strncmp(comp, kind, (size_t)(colon - comp)) || strlen(kind) != (size_t)(colon - comp))
		return error_set(err, path, lineno, (int)(comp - line) + 1, "component '%s' should be %s:INDEX for "
				 "cause %s", comp, kind, cause);
	ev->component = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || ev->component < 0 || ev->component >= faults_component_count(f->platform, fc->per))
		return error_set(err, path, lineno, (int)(colon - line) + 2, "component index '%s' is not one of the "
				 "platform's %ld %s components", colon + 1, faults_component_count(f->platform, fc->per), kind);
	return true;
}

bool faults_load_log(struct faults *f, const char *path, struct ts_error *err)
{
	FILE *in = fopen(path, "r");
	if (!in)
		return error_set(err, path, 0, 0, "cannot open the failure log: %s", strerror(errno));
	char line[512];
	size_t capacity = 0;
	bool ok = true;
	for (int lineno = 1; ok && fgets(line, sizeof line, in); lineno++) {
		if (line[0] == '#' || line[0] == '\n' || (lineno == 1 && !strncmp(line, "time,", 5)))
			continue;
		if (f->log_count == capacity) {
			capacity = capacity ? 2 * capacity : 64;
			struct failure_event *log = realloc(f->log, capacity * sizeof *log);
			if (!log) {
				ok = error_set(err, path, lineno, 0, "out of memory");
				break;
			}
			f->log = log;
		}
		struct failure_event *ev = &f->log[f->log_count];
		ok = parse_log_line(f, line, path, lineno, ev, err);
		if (ok && f->log_count && ev->time_s < f->log[f->log_count - 1].time_s)
			ok = error_set(err, path, lineno, 1, "times must not go back; expected rows in time order");
		f->log_count += ok;
	}
	fclose(in);
	return ok;
}
