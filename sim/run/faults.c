/* faults: per-class failure processes; a binary heap of per-component clocks for Weibull. */
#include "faults.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "components.h"

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

bool faults_init(struct faults *f, const struct platform *p, const struct failure_log *log, uint64_t seed,
		 double rate_scale, const bool *class_off)
{
	memset(f, 0, sizeof *f);
	f->platform = p;
	f->log = log;
	f->rate_scale = rate_scale;
	f->class_off = class_off;
	f->count = p->failure_count;
	f->sources = calloc(f->count ? f->count : 1, sizeof *f->sources);
	if (!f->sources)
		return false;
	for (size_t i = 0; i < f->count; i++) {
		struct fault_source *s = &f->sources[i];
		s->fc = &p->failures[i];
		s->components = components_count(p, s->fc->per);
		rng_init(&s->rng, seed, 1000 + i);
		double rate = class_off && class_off[i] ? 0 : s->fc->rate_per_s * rate_scale;
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
	while (f->log) { /* a replayed class switched off is skipped */
		if (f->log_next >= f->log->count)
			return false;
		*ev = f->log->events[f->log_next++];
		if (!f->class_off || !f->class_off[ev->class_index])
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
