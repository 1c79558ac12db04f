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
	long index;                /* its class */
	long components;
	struct rng rng;
	double rate;               /* per component, scaled (0: the class never strikes) */
	double next_s;             /* exponential: the superposed process's next event */
	struct clock_entry *heap;  /* Weibull: a clock per component, earliest first */
	long heap_size;
	double weibull_scale;
	double *born_s;            /* Weibull: when each component was last renewed (its age's origin) */
	bool popped_clock;         /* its last failure taken came off the heap (not a bad component's extra) */
	/* bad components: their extra failures, a process of its own over them */
	struct rng bad_rng;
	long *bad;                 /* the bad components, in no order */
	long *bad_at;              /* each component's place in `bad`, or -1 */
	long bad_count;
	double bad_next_s;
	/* recurring defect: found at found_s (INFINITY: not yet known); taken once published */
	double found_s;
	bool found_taken;
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

/* When component `index` of kind c is installed: the earliest delivery among the racks it
 * spans (racks hold consecutive nodes), 0 without a delivery schedule or for the job. */
static double installed_s(const struct faults *f, enum component c, long index)
{
	if (!f->rack_installed_s || c == COMPONENT_JOB)
		return 0;
	struct node_range r = components_nodes(f->platform, c, index);
	if (r.count <= 0)
		return 0;
	long first = platform_node_rack(f->platform, r.first), last = platform_node_rack(f->platform, r.first + r.count - 1);
	double at = INFINITY;
	for (long k = first; k <= last && at > 0; k++)
		at = fmin(at, f->rack_installed_s[k]);
	return at;
}

bool faults_installed(const struct faults *f, const struct failure_event *ev)
{
	if (f->log || !f->rack_installed_s)
		return true;
	return ev->time_s >= installed_s(f, f->sources[ev->class_index].fc->per, ev->component);
}

static double weibull_draw(struct fault_source *s, double now)
{
	return now + rng_weibull(&s->rng, s->fc->weibull_shape, s->weibull_scale);
}

/* A Weibull class with mean time between failures 1/rate per component:
 * scale = (1/rate) / Gamma(1 + 1/shape). Each component is born when it is installed. */
static bool init_weibull(const struct faults *f, struct fault_source *s, double rate)
{
	s->weibull_scale = 1 / (rate * tgamma(1 + 1 / s->fc->weibull_shape));
	s->heap = malloc((size_t)s->components * sizeof *s->heap);
	s->born_s = calloc((size_t)s->components, sizeof *s->born_s);
	if (!s->heap || !s->born_s)
		return false;
	for (long i = 0; i < s->components; i++) {
		s->born_s[i] = installed_s(f, s->fc->per, i);
		s->heap[i] = (struct clock_entry){weibull_draw(s, s->born_s[i]), i};
	}
	s->heap_size = s->components;
	for (long i = s->heap_size / 2 - 1; i >= 0; i--)
		heap_down(s->heap, s->heap_size, i);
	return true;
}

/* The next extra failure of the bad components from `now` (their count may have changed). */
static void bad_schedule(struct fault_source *s, double now)
{
	double rate = (s->fc->bad_factor - 1) * s->rate * (double)s->bad_count;
	s->bad_next_s = rate > 0 ? now + rng_exponential(&s->bad_rng, rate) : INFINITY;
}

static void bad_set(struct fault_source *s, long component, bool bad)
{
	bool is = s->bad_at[component] >= 0;
	if (bad && !is) {
		s->bad_at[component] = s->bad_count;
		s->bad[s->bad_count++] = component;
	} else if (!bad && is) {
		long last = s->bad[--s->bad_count];
		s->bad[s->bad_at[component]] = last;
		s->bad_at[last] = s->bad_at[component];
		s->bad_at[component] = -1;
	}
}

/* bad_fraction of the components, drawn without replacement, start bad. */
static bool init_bad(struct fault_source *s, uint64_t seed)
{
	rng_init(&s->bad_rng, seed, 0x4241440000ULL + (uint64_t)s->index); /* "BAD" */
	s->bad_next_s = INFINITY;
	if (s->fc->bad_factor <= 1 || s->rate <= 0)
		return true;
	s->bad = malloc((size_t)s->components * sizeof *s->bad);
	s->bad_at = malloc((size_t)s->components * sizeof *s->bad_at);
	if (!s->bad || !s->bad_at)
		return false;
	for (long i = 0; i < s->components; i++)
		s->bad_at[i] = -1;
	long want = (long)llround(s->fc->bad_fraction * (double)s->components);
	for (long k = 0; k < want; k++) { /* Floyd's sampling: k distinct components */
		long pick = (long)rng_below(&s->bad_rng, (uint64_t)(s->components - want + k + 1));
		bad_set(s, s->bad_at[pick] >= 0 ? s->components - want + k : pick, true);
	}
	bad_schedule(s, 0);
	return true;
}

bool faults_init(struct faults *f, const struct platform *p, const struct failure_log *log, uint64_t seed,
		 double rate_scale, const bool *class_off, const double *rack_installed_s)
{
	memset(f, 0, sizeof *f);
	f->platform = p;
	f->rack_installed_s = rack_installed_s;
	f->log = log;
	f->rate_scale = rate_scale;
	f->class_off = class_off;
	f->seed = seed;
	f->count = p->failure_count;
	f->sources = calloc(f->count ? f->count : 1, sizeof *f->sources);
	if (!f->sources)
		return false;
	for (size_t i = 0; i < f->count; i++) {
		struct fault_source *s = &f->sources[i];
		s->fc = &p->failures[i];
		s->index = (long)i;
		s->components = components_count(p, s->fc->per);
		s->found_s = INFINITY;
		rng_init(&s->rng, seed, 1000 + i);
		double rate = class_off && class_off[i] ? 0 : s->fc->rate_per_s * rate_scale;
		s->rate = s->components > 0 ? rate : 0;
		if (s->rate <= 0)
			s->next_s = INFINITY;
		else if (s->fc->distribution == FAILURE_WEIBULL) {
			if (!init_weibull(f, s, rate))
				return false;
		} else
			s->next_s = rng_exponential(&s->rng, rate * (double)s->components);
		if (!init_bad(s, seed))
			return false;
	}
	return true;
}

void faults_finish(struct faults *f)
{
	for (size_t i = 0; f->sources && i < f->count; i++) {
		free(f->sources[i].heap);
		free(f->sources[i].born_s);
		free(f->sources[i].bad);
		free(f->sources[i].bad_at);
	}
	free(f->sources);
	memset(f, 0, sizeof *f);
}

static double regular_next(const struct fault_source *s)
{
	if (s->heap)
		return s->heap_size ? s->heap[0].time_s : INFINITY;
	return s->next_s;
}

/* The class's next strike: its own process or its bad components', until it is found. */
static double source_next(const struct fault_source *s)
{
	double t = fmin(regular_next(s), s->bad_next_s);
	return t < s->found_s ? t : INFINITY;
}

/* A recurring defect's first strike starts the search for its cause. */
static void first_strike(struct fault_source *s, uint64_t seed, double now)
{
	if (s->fc->root_cause_s <= 0 || !isinf(s->found_s) || s->found_taken)
		return;
	struct rng rng;
	rng_init(&rng, seed, 0x524f4f5400ULL + (uint64_t)s->index); /* "ROOT" */
	s->found_s = now + (s->fc->root_cause_sigma > 0 ? rng_lognormal(&rng, s->fc->root_cause_s, s->fc->root_cause_sigma)
							: s->fc->root_cause_s);
}

/* Pops the source's next event and schedules the one after (memoryless classes). */
static void source_pop(struct fault_source *s, double rate_scale, struct failure_event *ev)
{
	ev->time_s = source_next(s);
	s->popped_clock = false;
	if (s->bad_next_s <= regular_next(s)) { /* a bad component's extra failure */
		ev->component = s->bad[rng_below(&s->bad_rng, (uint64_t)s->bad_count)];
		bad_schedule(s, ev->time_s);
		return;
	}
	if (s->heap) {
		s->popped_clock = true;
		ev->component = s->heap[0].component;
		s->heap[0] = s->heap[--s->heap_size]; /* back in the heap when renewed */
		heap_down(s->heap, s->heap_size, 0);
		return;
	}
	ev->component = (long)rng_below(&s->rng, (uint64_t)s->components);
	s->next_s += rng_exponential(&s->rng, s->fc->rate_per_s * rate_scale * (double)s->components);
}

double faults_peek(const struct faults *f)
{
	if (f->log) {
		for (size_t i = f->log_next; i < f->log->count; i++)
			if (!f->class_off || !f->class_off[f->log->events[i].class_index])
				return f->log->events[i].time_s;
		return INFINITY;
	}
	double when = INFINITY;
	for (size_t i = 0; i < f->count; i++)
		when = fmin(when, source_next(&f->sources[i]));
	return when;
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

void faults_struck(struct faults *f, const struct failure_event *ev)
{
	if (!f->log)
		first_strike(&f->sources[ev->class_index], f->seed, ev->time_s);
}

/* A draw of its own for what happens to one event (class, component, time): drawing it
 * leaves the class's streams as they were. */
static void event_rng(struct rng *rng, uint64_t seed, uint64_t tag, const struct failure_event *ev)
{
	uint64_t t;
	memcpy(&t, &ev->time_s, sizeof t);
	rng_init(rng, seed, ((tag + (uint64_t)ev->class_index) * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)ev->component << 20) ^ t);
}

/* A Weibull component whose failure did not strike runs on at its age: the next failure of
 * its hazard from that age, H(next) = H(age) + E with H(a) = (a / scale)^shape and E
 * exponential(1), so that the failures that do strike have the hazard times the factor. */
void faults_spare(struct faults *f, const struct failure_event *ev)
{
	if (f->log)
		return;
	struct fault_source *s = &f->sources[ev->class_index];
	if (!s->popped_clock || s->heap_size >= s->components)
		return; /* memoryless (or a bad component's extra failure): the process runs on as it is */
	struct rng rng;
	event_rng(&rng, f->seed, 0x5350415245ULL, ev); /* "SPARE" */
	double k = s->fc->weibull_shape, lambda = s->weibull_scale, born = s->born_s[ev->component];
	double h = pow((ev->time_s - born) / lambda, k) + rng_exponential(&rng, 1);
	double next = fmax(born + lambda * pow(h, 1 / k), ev->time_s);
	s->heap[s->heap_size] = (struct clock_entry){next, ev->component};
	heap_up(s->heap, s->heap_size++);
}

/* After a repair the component is bad exactly when the repair was misdiagnosed (it did not
 * fix what failed), whether it was bad before or not. One draw of its own per repair
 * (class, component, time). */
static void repair_outcome(struct faults *f, struct fault_source *s, long component, double now)
{
	if (!s->bad || component < 0 || component >= s->components)
		return;
	uint64_t t;
	memcpy(&t, &now, sizeof t);
	struct rng rng;
	uint64_t stream = ((0x4d495300ULL + (uint64_t)s->index) * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)component << 20) ^ t;
	rng_init(&rng, f->seed, stream); /* "MIS" */
	bool bad = rng_uniform(&rng) < s->fc->misdiagnosis; /* the repair did not fix what failed */
	if (bad != (s->bad_at[component] >= 0)) {
		bad_set(s, component, bad);
		bad_schedule(s, now);
	}
}

void faults_renew(struct faults *f, long class_index, long component, double now)
{
	if (f->log || class_index < 0 || (size_t)class_index >= f->count)
		return;
	struct fault_source *s = &f->sources[class_index];
	repair_outcome(f, s, component, now);
	if (!s->heap || s->heap_size >= s->components)
		return;
	s->born_s[component] = now;
	s->heap[s->heap_size] = (struct clock_entry){weibull_draw(s, now), component};
	heap_up(s->heap, s->heap_size++);
}

bool faults_next_found(const struct faults *f, long *class_index, double *time_s)
{
	*time_s = INFINITY;
	for (size_t i = 0; i < f->count; i++)
		if (!f->sources[i].found_taken && f->sources[i].found_s < *time_s) {
			*time_s = f->sources[i].found_s;
			*class_index = (long)i;
		}
	return !isinf(*time_s);
}

void faults_take_found(struct faults *f, long class_index)
{
	f->sources[class_index].found_taken = true;
}
