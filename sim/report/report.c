/* report: text and JSON renderings of computed results; no computation happens here. */
#include "report.h"

#include <math.h>
#include <string.h>

#include "cost_report.h"
#include "humanize.h"
#include "json.h"
#include "jobstate.h"

static const char *redundancy_text[] = {"N", "N+1", "2N"};
static const char *topology_text[] = {"rail-optimized", "top-of-rack"};

/* 16384 -> "16,384". */
static const char *grouped(long v, char *buf, size_t size)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%ld", v < 0 ? -v : v);
	size_t n = strlen(digits), o = 0;
	if (v < 0 && o + 1 < size)
		buf[o++] = '-';
	for (size_t i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

static void text_inventory(FILE *out, const struct platform_description *d)
{
	const struct platform *p = d->platform;
	const struct platform_counts *n = &p->counts;
	char a[32], b[48], c[48];
	fprintf(out, "Inventory\n");
	fprintf(out, "  GPUs            %9s  %s, %s dense BF16, %s HBM\n", grouped(n->gpus, a, sizeof a), p->gpu.model,
		humanize(UNIT_COMPUTE, p->gpu.peak_flops, b, sizeof b), humanize(UNIT_SIZE, p->gpu.hbm_bytes, c, sizeof c));
	fprintf(out, "  nodes           %9s  %ld GPUs, %ld x %s NICs\n", grouped(n->nodes, a, sizeof a), p->node.gpus,
		p->node.nics, humanize(UNIT_BANDWIDTH, p->node.nic_bandwidth_bytes_per_s, b, sizeof b));
	fprintf(out, "  NVLink domains  %9s  %ld GPUs each\n", grouped(n->domains, a, sizeof a), p->nvlink.domain_gpus);
	fprintf(out, "  racks           %9s  %ld nodes each\n", grouped(n->racks, a, sizeof a), p->rack.nodes);
	fprintf(out, "  PDUs            %9s  %ld x %s per rack, %s\n", grouped(n->pdus, a, sizeof a), p->rack.pdus,
		humanize(UNIT_POWER, p->rack.pdu_capacity_w, b, sizeof b), redundancy_text[p->rack.redundancy]);
	fprintf(out, "  halls           %9s\n", grouped(n->halls, a, sizeof a));
	fprintf(out, "  sites           %9s\n", grouped(n->sites, a, sizeof a));
	fprintf(out, "  leaf groups     %9s  %ld nodes each, %s leaf switches (%s)\n", grouped(n->leaves, a, sizeof a),
		p->fabric.leaf_nodes, grouped(d->leaf_switches, b, sizeof b), topology_text[p->fabric.topology]);
	fprintf(out, "  pods            %9s  up to %ld leaf groups each%s\n", grouped(n->pods, a, sizeof a),
		p->fabric.spine_leaves, p->fabric.has_core ? ", joined by a core" : "");
}

static void text_links(FILE *out, const struct platform_description *d)
{
	char a[32], b[32], c[32], e[32];
	fprintf(out, "\nLinks (each direction)  %10s  %12s  %9s  %13s\n", "count", "bandwidth", "latency", "SimGrid links");
	for (size_t i = 0; i < d->link_kinds; i++) {
		const struct link_summary *s = &d->links[i];
		fprintf(out, "  %-21s  %10s  %12s  %9s  %13s\n", s->kind, grouped(s->count, a, sizeof a),
			humanize(UNIT_BANDWIDTH, s->bandwidth_bytes_per_s, b, sizeof b),
			humanize(UNIT_TIME, s->latency_s, c, sizeof c), grouped(s->simgrid_links, e, sizeof e));
	}
	const struct platform *p = d->platform;
	fprintf(out, "  oversubscription: leaf %s", humanize(UNIT_RATIO, p->fabric.leaf_oversubscription, a, sizeof a));
	if (p->fabric.has_core)
		fprintf(out, ", spine %s", humanize(UNIT_RATIO, p->fabric.spine_oversubscription, a, sizeof a));
	fputc('\n', out);
}

static void text_power(FILE *out, const struct platform_description *d)
{
	char a[32], b[32], c[32], e[32];
	fprintf(out, "\nCompute    peak %s dense BF16\n", humanize(UNIT_COMPUTE, d->peak_flops, a, sizeof a));
	fprintf(out, "Power      IT load %s busy, %s idle\n", humanize(UNIT_POWER, d->power_busy_w, a, sizeof a),
		humanize(UNIT_POWER, d->power_idle_w, b, sizeof b));
	double headroom = d->rack_pdu_usable_w - d->rack_busy_w;
	fprintf(out, "  rack     %s busy, %s idle, PDUs carry %s keeping redundancy: headroom %s (%.0f%%)%s\n",
		humanize(UNIT_POWER, d->rack_busy_w, a, sizeof a), humanize(UNIT_POWER, d->rack_idle_w, b, sizeof b),
		humanize(UNIT_POWER, d->rack_pdu_usable_w, c, sizeof c), humanize(UNIT_POWER, headroom, e, sizeof e),
		100 * headroom / d->rack_pdu_usable_w, headroom < 0 ? "  WARNING: busy racks exceed their PDUs" : "");
	for (size_t i = 0; i < d->platform->hall_count; i++) {
		const struct hall_power *h = &d->halls[i];
		double room = h->feed_w - h->busy_w;
		fprintf(out, "  hall %s/%s  feed %s, busy %s: headroom %s (%.0f%%)%s\n", h->site, h->name,
			humanize(UNIT_POWER, h->feed_w, a, sizeof a), humanize(UNIT_POWER, h->busy_w, b, sizeof b),
			humanize(UNIT_POWER, room, c, sizeof c), 100 * room / h->feed_w,
			room < 0 ? "  WARNING: busy hall exceeds its feed" : "");
	}
	fprintf(out, "Bisection  %s each direction (narrowest tier: %s)\n",
		humanize(UNIT_BANDWIDTH, d->bisection_bytes_per_s, a, sizeof a), d->bisection_tier);
}

static void text_route_links(FILE *out, const struct sg_route *r)
{
	for (size_t i = 0; i < r->count; i++) {
		const struct sg_link_ref *l = &r->links[i];
		fprintf(out, "%s%s", i ? " > " : "", sg_platform_link_kind_name(l->kind));
		if (l->kind != SG_LINK_NVLINK)
			fprintf(out, "[%ld]%s", l->index, l->up ? "^" : "v");
	}
}

static void text_routes(FILE *out, const struct platform_description *d)
{
	char a[32], b[32], g[32], pair[48];
	fprintf(out, "\nRoutes as SimGrid sees them (^ up, v down; per GPU: capped by the GPU's own port)\n");
	fprintf(out, "  %-14s %-15s %11s %10s %9s  links\n", "level", "GPUs", "bottleneck", "per GPU", "latency");
	for (size_t i = 0; i < DESCRIBE_ROUTE_LEVELS; i++) {
		const struct route_sample *s = &d->routes[i];
		if (!s->present) {
			fprintf(out, "  %-14s (no such pair in this platform)\n", s->level);
			continue;
		}
		snprintf(pair, sizeof pair, "%ld -> %ld", s->gpu_a, s->gpu_b);
		fprintf(out, "  %-14s %-15s %11s %10s %9s  ", s->level, pair,
			humanize(UNIT_BANDWIDTH, s->route.bottleneck_bytes_per_s, a, sizeof a),
			humanize(UNIT_BANDWIDTH, s->per_gpu_bytes_per_s, g, sizeof g),
			humanize(UNIT_TIME, s->route.latency_s, b, sizeof b));
		text_route_links(out, &s->route);
		fputc('\n', out);
	}
	fprintf(out, "SimGrid    %zu hosts (one per NVLink domain), %zu links\n", d->simgrid_hosts, d->simgrid_links);
}

void report_describe_text(FILE *out, const struct platform_description *d)
{
	const struct platform *p = d->platform;
	fprintf(out, "%s", p->name);
	if (p->description)
		fprintf(out, ": %s", p->description);
	fprintf(out, "\nsource: %s\n\n", p->source);
	text_inventory(out, d);
	text_links(out, d);
	text_power(out, d);
	text_routes(out, d);
}

static void json_links(struct json_writer *w, const struct platform_description *d)
{
	json_begin_array(w, "links");
	for (size_t i = 0; i < d->link_kinds; i++) {
		const struct link_summary *s = &d->links[i];
		json_begin_object(w, NULL);
		json_string(w, "kind", s->kind);
		json_integer(w, "count", s->count);
		json_number(w, "bandwidth_bytes_per_s", s->bandwidth_bytes_per_s);
		json_number(w, "latency_s", s->latency_s);
		json_integer(w, "simgrid_links", s->simgrid_links);
		json_end_object(w);
	}
	json_end_array(w);
}

static void json_halls(struct json_writer *w, const struct platform_description *d)
{
	json_begin_array(w, "halls_power");
	for (size_t i = 0; i < d->platform->hall_count; i++) {
		const struct hall_power *h = &d->halls[i];
		json_begin_object(w, NULL);
		json_string(w, "site", h->site);
		json_string(w, "hall", h->name);
		json_number(w, "feed_w", h->feed_w);
		json_number(w, "busy_w", h->busy_w);
		json_number(w, "idle_w", h->idle_w);
		json_number(w, "headroom_w", h->feed_w - h->busy_w);
		json_end_object(w);
	}
	json_end_array(w);
}

static void json_routes(struct json_writer *w, const struct platform_description *d)
{
	json_begin_array(w, "routes");
	for (size_t i = 0; i < DESCRIBE_ROUTE_LEVELS; i++) {
		const struct route_sample *s = &d->routes[i];
		if (!s->present)
			continue;
		json_begin_object(w, NULL);
		json_string(w, "level", s->level);
		json_integer(w, "gpu_a", s->gpu_a);
		json_integer(w, "gpu_b", s->gpu_b);
		json_number(w, "bottleneck_bytes_per_s", s->route.bottleneck_bytes_per_s);
		json_number(w, "per_gpu_bytes_per_s", s->per_gpu_bytes_per_s);
		json_number(w, "latency_s", s->route.latency_s);
		json_begin_array(w, "links");
		for (size_t k = 0; k < s->route.count; k++)
			json_string(w, NULL, sg_platform_link_kind_name(s->route.links[k].kind));
		json_end_array(w);
		json_end_object(w);
	}
	json_end_array(w);
}

void report_describe_json(FILE *out, const struct platform_description *d)
{
	const struct platform *p = d->platform;
	const struct platform_counts *n = &p->counts;
	struct json_writer w;
	json_init(&w, out);
	json_begin_object(&w, NULL);
	json_string(&w, "schema", "trainsim-describe");
	json_integer(&w, "schema_version", 1);
	json_string(&w, "name", p->name);
	json_string(&w, "source", p->source);
	json_integer(&w, "gpus", n->gpus);
	json_integer(&w, "nodes", n->nodes);
	json_integer(&w, "nvlink_domains", n->domains);
	json_integer(&w, "racks", n->racks);
	json_integer(&w, "pdus", n->pdus);
	json_integer(&w, "halls", n->halls);
	json_integer(&w, "sites", n->sites);
	json_integer(&w, "leaf_groups", n->leaves);
	json_integer(&w, "leaf_switches", d->leaf_switches);
	json_integer(&w, "pods", n->pods);
	json_number(&w, "peak_flops", d->peak_flops);
	json_number(&w, "power_busy_w", d->power_busy_w);
	json_number(&w, "power_idle_w", d->power_idle_w);
	json_number(&w, "rack_busy_w", d->rack_busy_w);
	json_number(&w, "rack_pdu_usable_w", d->rack_pdu_usable_w);
	json_number(&w, "rack_pdu_headroom_w", d->rack_pdu_usable_w - d->rack_busy_w);
	json_number(&w, "min_feed_headroom_w", d->min_feed_headroom_w);
	json_halls(&w, d);
	json_number(&w, "bisection_bytes_per_s", d->bisection_bytes_per_s);
	json_string(&w, "bisection_tier", d->bisection_tier);
	json_number(&w, "leaf_oversubscription", p->fabric.leaf_oversubscription);
	json_number(&w, "spine_oversubscription", p->fabric.has_core ? p->fabric.spine_oversubscription : NAN);
	json_links(&w, d);
	json_routes(&w, d);
	json_integer(&w, "simgrid_hosts", (long)d->simgrid_hosts);
	json_integer(&w, "simgrid_links", (long)d->simgrid_links);
	json_end_object(&w);
	json_finish(&w);
}

/* ---- trainsim step ---- */

static void text_step_part(FILE *out, const char *name, double seconds, double step)
{
	char t[32];
	fprintf(out, "  %-34s %10s  %5.1f%%\n", name, humanize(UNIT_TIME, seconds, t, sizeof t), 100 * seconds / step);
}

static void text_step_parallelism(FILE *out, const struct step_report *r)
{
	const struct workload *w = r->workload;
	const struct parallelism_spec *par = &w->parallelism;
	char a[32], b[32];
	fprintf(out, "%s on %s: %ld GPUs as TP %ld x CP %ld x PP %ld x DP %ld", w->name, r->platform->name, w->job.gpus,
		par->tp, par->cp, par->pp, par->dp);
	if (par->ep > 1)
		fprintf(out, " (EP %ld)", par->ep);
	static const char *const schedules[] = {"1F1B", "interleaved", "DualPipe"};
	fprintf(out, ", %s schedule", schedules[par->schedule]);
	if (par->virtual_stages > 1)
		fprintf(out, " with %ld virtual stages", par->virtual_stages);
	fprintf(out, "\n  %ld micro-batches of %ld x %ld tokens per step; memory %s of %s per GPU\n\n",
		r->step.micro_batches, par->micro_batch, w->model.sequence,
		humanize(UNIT_SIZE, r->memory.total_bytes, a, sizeof a),
		humanize(UNIT_SIZE, r->platform->gpu.hbm_bytes, b, sizeof b));
}

static void text_step_collectives(FILE *out, const struct collective_times *ct)
{
	char a[32], b[32], c[32], d[32], e[32];
	fprintf(out, "\nCollectives simulated in SimGrid: TP all-reduce %s, CP ring step %s, PP send %s,\n"
		"  DP gradient all-reduce %s, expert all-to-all %s\n",
		humanize(UNIT_TIME, ct->tp_allreduce_s, a, sizeof a), humanize(UNIT_TIME, ct->cp_ring_step_s, b, sizeof b),
		humanize(UNIT_TIME, ct->pp_send_s, c, sizeof c), humanize(UNIT_TIME, ct->dp_allreduce_s, d, sizeof d),
		humanize(UNIT_TIME, ct->ep_alltoall_s, e, sizeof e));
}

static void text_run(FILE *out, const struct step_report *r)
{
	const struct run_plan_figures *f = &r->plan;
	char a[32], b[32], c[32], d[32], e[32];
	fprintf(out, "\nWhole run, failure-free: %.0f steps (%s tokens)\n", f->steps,
		humanize(UNIT_COUNT, r->workload->training.tokens, a, sizeof a));
	fprintf(out, "  training                          %10s\n", humanize(UNIT_TIME, f->ideal_train_s, a, sizeof a));
	if (f->checkpoints > 0)
		fprintf(out, "  checkpoints  %6.0f x %-8s      %10s  (every %s of training, %s each; job MTBF %s)\n",
			f->checkpoints, humanize(UNIT_TIME, f->checkpoint_save_s, b, sizeof b),
			humanize(UNIT_TIME, f->checkpoint_overhead_s, c, sizeof c),
			humanize(UNIT_TIME, f->checkpoint_interval_s, d, sizeof d),
			humanize(UNIT_SIZE, f->checkpoint_bytes, e, sizeof e),
			isinf(f->job_mtbf_s) ? "none: no failure rates" : humanize(UNIT_TIME, f->job_mtbf_s, a, sizeof a));
	else
		fprintf(out, "  checkpoints                       %10s  (the platform gives no failure rates)\n", "none");
	fprintf(out, "  total                             %10s\n", humanize(UNIT_TIME, f->failure_free_s, a, sizeof a));
}

void report_step_text(FILE *out, const struct step_report *r)
{
	const struct step_result *s = &r->step;
	const struct step_breakdown *b = &s->parts;
	char a[32], c[32], d[32];
	text_step_parallelism(out, r);
	fprintf(out, "Step time %s: %s tokens/s, %s per GPU, MFU %.1f%%\n", humanize(UNIT_TIME, s->step_time_s, a, sizeof a),
		humanize(UNIT_COUNT, s->tokens_per_s, c, sizeof c),
		humanize(UNIT_COMPUTE, s->flops_per_gpu, d, sizeof d), 100 * s->mfu);
	text_step_part(out, "compute (forward, backward, recompute)", b->compute_s, s->step_time_s);
	text_step_part(out, "exposed TP communication", b->tp_exposed_s, s->step_time_s);
	text_step_part(out, "exposed CP and expert communication", b->cp_ep_exposed_s, s->step_time_s);
	text_step_part(out, "pipeline bubble", b->pp_bubble_s, s->step_time_s);
	text_step_part(out, "exposed DP communication", b->dp_exposed_s, s->step_time_s);
	text_step_part(out, "optimizer", b->optimizer_s, s->step_time_s);
	text_step_collectives(out, &s->collectives);
	text_run(out, r);
}

void report_step_json(FILE *out, const struct step_report *r)
{
	const struct step_result *s = &r->step;
	const struct run_plan_figures *f = &r->plan;
	struct json_writer w;
	json_init(&w, out);
	json_begin_object(&w, NULL);
	json_string(&w, "schema", "trainsim-step");
	json_integer(&w, "schema_version", 1);
	json_string(&w, "platform", r->platform->name);
	json_string(&w, "workload", r->workload->name);
	json_integer(&w, "gpus", r->workload->job.gpus);
	json_number(&w, "step_time_s", s->step_time_s);
	json_number(&w, "tokens_per_s", s->tokens_per_s);
	json_number(&w, "flops_per_gpu", s->flops_per_gpu);
	json_number(&w, "mfu", s->mfu);
	json_integer(&w, "micro_batches", s->micro_batches);
	json_begin_object(&w, "breakdown_s");
	json_number(&w, "compute", s->parts.compute_s);
	json_number(&w, "tp_exposed", s->parts.tp_exposed_s);
	json_number(&w, "cp_ep_exposed", s->parts.cp_ep_exposed_s);
	json_number(&w, "pp_bubble", s->parts.pp_bubble_s);
	json_number(&w, "dp_exposed", s->parts.dp_exposed_s);
	json_number(&w, "optimizer", s->parts.optimizer_s);
	json_end_object(&w);
	json_begin_object(&w, "collectives_s");
	json_number(&w, "tp_allreduce", s->collectives.tp_allreduce_s);
	json_number(&w, "cp_ring_step", s->collectives.cp_ring_step_s);
	json_number(&w, "pp_send", s->collectives.pp_send_s);
	json_number(&w, "dp_allreduce", s->collectives.dp_allreduce_s);
	json_number(&w, "ep_alltoall", s->collectives.ep_alltoall_s);
	json_end_object(&w);
	json_number(&w, "memory_per_gpu_bytes", r->memory.total_bytes);
	json_number(&w, "steps", f->steps);
	json_number(&w, "ideal_train_s", f->ideal_train_s);
	json_number(&w, "job_mtbf_s", f->job_mtbf_s);
	json_number(&w, "checkpoint_interval_s", f->checkpoint_interval_s);
	json_number(&w, "checkpoint_save_s", f->checkpoint_save_s);
	json_number(&w, "checkpoints", f->checkpoints);
	json_number(&w, "checkpoint_overhead_s", f->checkpoint_overhead_s);
	json_number(&w, "failure_free_s", f->failure_free_s);
	json_end_object(&w);
	json_finish(&w);
}

/* ---- trainsim run ---- */

static double planned_s(const struct run_report *r)
{
	return r->workload->schedule.planned_s > 0 ? r->workload->schedule.planned_s : r->plan.failure_free_s;
}

static double ettr(const struct run_result *res)
{
	return res->wallclock_s > 0 ? res->time_s[TIME_PRODUCTIVE] / res->wallclock_s : 0;
}

/* What a run stuck on a category of time is waiting for, for people. */
static const char *const bottleneck_text[TIME_CATEGORY_COUNT] = {
	[TIME_PRODUCTIVE] = "training",
	[TIME_LOST] = "failures stop the job faster than it can save its work",
	[TIME_DETECTION] = "failures stop the job over and over: most of the time goes to noticing them",
	[TIME_RESTART] = "failures stop the job over and over: most of the time goes to relaunching it",
	[TIME_WAIT_TECH] = "repairs: the job waits for technicians (operations.technicians)",
	[TIME_WAIT_PARTS] = "spare parts: the job waits for parts to arrive (operations.spares)",
	[TIME_CHECKPOINT] = "checkpoints: saving takes most of the time (checkpoint interval and bandwidth)",
	[TIME_DEGRADED] = "degraded hardware slows every step",
	[TIME_POWER] = "power: the job's racks or halls stay dark",
	[TIME_BRING_UP] = "bring-up: the job waits for racks to be delivered and accepted (bring_up, technicians)",
};

const char *report_bottleneck(enum time_category c)
{
	return c < TIME_CATEGORY_COUNT ? bottleneck_text[c] : "?";
}

/* Why a run that did not finish stopped: its horizon, its give-up point or its work bound,
 * and for the last two what it was stuck on. */
static void text_run_stop(FILE *out, const struct run_report *r)
{
	const struct run_result *res = r->result;
	char a[48], b[48];
	humanize(UNIT_TIME, res->wallclock_s, a, sizeof a);
	humanize(UNIT_COUNT, r->workload->training.tokens, b, sizeof b);
	if (res->work_bound)
		fprintf(out, "Stopped at its work bound of %ld events, %s in: %.1f%% of %s tokens trained\n", res->events, a,
			100 * res->progress, b);
	else if (res->gave_up)
		fprintf(out, "Gave up at ten times the failure-free time, %s in: %.1f%% of %s tokens trained; the run "
			"would never end\n", a, 100 * res->progress, b);
	else
		fprintf(out, "Stopped at the horizon, %s in: %.1f%% of %s tokens trained\n", a, 100 * res->progress, b);
	if (res->gave_up) {
		enum time_category c = jobstate_bottleneck(res->time_s);
		fprintf(out, "  the bottleneck: %s (%s, %.1f%% of the time)\n", report_bottleneck(c), jobstate_name(c),
			100 * res->time_s[c] / fmax(res->wallclock_s, 1e-9));
	}
}

void report_overrides(FILE *out, const struct overrides *o)
{
	if (!o || !o->count)
		return;
	fprintf(out, "  with");
	for (size_t i = 0; i < o->count; i++)
		fprintf(out, " --set %s", o->items[i]);
	fprintf(out, "\n");
}

static void text_run_head(FILE *out, const struct run_report *r)
{
	const struct run_result *res = r->result;
	const struct workload *w = r->workload;
	char a[48], b[48], c[48];
	double start = w->schedule.start_epoch_s;
	fprintf(out, "%s on %s, seed %llu\n", w->name, r->platform->name, (unsigned long long)r->seed);
	report_overrides(out, r->overrides);
	if (!res->finished)
		text_run_stop(out, r);
	char span[32];
	fprintf(out, "  planned    %10s%s%s%s\n", humanize(UNIT_TIME, planned_s(r), a, sizeof a),
		humanize_span_note(planned_s(r), span, sizeof span), w->schedule.start ? ", finishing " : "",
		w->schedule.start ? humanize_date(start + planned_s(r), b, sizeof b) : "");
	if (res->finished) {
		double slip = res->wallclock_s - planned_s(r);
		fprintf(out, "  estimated  %10s%s%s%s  (slip %s%s, %+.0f%%)\n", humanize(UNIT_TIME, res->wallclock_s, a, sizeof a),
			humanize_span_note(res->wallclock_s, span, sizeof span), w->schedule.start ? ", finishing " : "",
			w->schedule.start ? humanize_date(start + res->wallclock_s, b, sizeof b) : "", slip < 0 ? "-" : "",
			humanize(UNIT_TIME, fabs(slip), c, sizeof c), 100 * slip / planned_s(r));
	}
	fprintf(out, "  failure-free %8s  (step %s, %.0f steps, %.0f checkpoints)\n",
		humanize(UNIT_TIME, r->plan.failure_free_s, a, sizeof a), humanize(UNIT_TIME, res->step_time_s, b, sizeof b),
		r->plan.steps, r->plan.checkpoints);
	fprintf(out, "  ETTR       %9.1f%%  (productive training / wall-clock)\n", 100 * ettr(res));
}

static void text_run_time(FILE *out, const struct run_result *res)
{
	char a[32];
	fprintf(out, "\nWhere the time went\n");
	for (int i = 0; i < TIME_CATEGORY_COUNT; i++)
		fprintf(out, "  %-20s %10s  %5.1f%%\n", jobstate_name((enum time_category)i),
			humanize(UNIT_TIME, res->time_s[i], a, sizeof a), 100 * res->time_s[i] / fmax(res->wallclock_s, 1e-9));
}

static void text_run_interruptions(FILE *out, const struct run_report *r)
{
	const struct run_result *res = r->result;
	fprintf(out, "\nInterruptions: %ld (%ld failures in all, %ld repair tickets, %ld spare swaps, %ld checkpoints)\n",
		res->interruptions, res->failures, res->tickets, res->spare_swaps, res->checkpoints);
	for (size_t i = 0; i < r->platform->failure_count; i++)
		if (res->interruptions_by_class[i])
			fprintf(out, "  %-20s %6ld\n", r->platform->failures[i].name, res->interruptions_by_class[i]);
}

void report_run_text(FILE *out, const struct run_report *r)
{
	text_run_head(out, r);
	text_run_time(out, r->result);
	text_run_interruptions(out, r);
	if (r->platform->costs.present) {
		struct cost_breakdown c;
		cost_of_replica(r->platform, r->workload, &r->plan, r->result, &c);
		cost_report_replica_text(out, &c, r->result->finished);
	}
}
