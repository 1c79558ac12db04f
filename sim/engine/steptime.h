/* steptime: the time of one training step of a workload placed on a platform.
 *
 * Compute comes from the model's shape (FLOPs per layer, at the workload's efficiency);
 * every communication comes from SimGrid: one step of each collective (the TP ring inside
 * an NVLink domain, the CP ring, the PP sends between stages, the DP gradient ring, the MoE
 * all-to-all) is run with all its groups at once on the real links, so shared links are
 * contended, oversubscription and long fibers slow it. The pipeline schedule (1F1B,
 * interleaved or DualPipe) composes them.
 *
 * SimGrid simulates the first placement asked for on healthy links (the job as placed at
 * the start). A run then moves nodes (spares in other pods) and degrades links hundreds of
 * times, and at 100K GPUs each simulation takes seconds; under max-min sharing the slowest
 * transfer of a step moves with the load of its most loaded link, so every other step is the
 * simulated one plus the change in bottleneck time that linkload counts (per collective, on
 * the slowest rail: a degraded NIC or fiber makes its ring the straggler). Exact for equal
 * transfers under max-min sharing; tests/test_steptime.c compares it with full simulations.
 *
 * Results are cached by what can change them: where the job's nodes sit (leaf groups, or the
 * pods' shares of the job behind non-blocking leaves), the degraded links it uses, and its
 * data-parallel size. Swapping a failed node for a spare under the same leaf group is a
 * cache hit. */
#ifndef TRAINSIM_STEPTIME_H
#define TRAINSIM_STEPTIME_H

#include <stdbool.h>
#include <stddef.h>

#include "flowsim.h"
#include "placement.h"
#include "platform.h"
#include "sg_platform.h"
#include "workload.h"

/* Where one step's time goes; the parts add up to the step time. */
struct step_breakdown {
	double compute_s;      /* forward, backward and recomputation on the busiest stage */
	double tp_exposed_s;   /* tensor-parallel collectives not hidden behind compute */
	double cp_ep_exposed_s;/* context-parallel ring and expert all-to-all not hidden */
	double pp_bubble_s;    /* pipeline fill and drain, with the sends on its critical path */
	double dp_exposed_s;   /* gradient reduce-scatter and all-gather not hidden */
	double optimizer_s;
};

/* One simulated step of each collective, as SimGrid timed it (0 when absent). */
struct collective_times {
	double tp_allreduce_s;   /* one all-reduce of a layer's activations in a TP group */
	double cp_ring_step_s;   /* one KV hand-off around the CP ring */
	double pp_send_s;        /* one activation send between stages */
	double dp_allreduce_s;   /* the whole gradient all-reduce (ring) of one step */
	double ep_alltoall_s;    /* one expert all-to-all */
};

struct step_result {
	double step_time_s;
	struct step_breakdown parts;
	struct collective_times collectives;
	long micro_batches;
	double tokens_per_s;
	double flops_per_gpu;   /* achieved model FLOP/s per GPU */
	double mfu;             /* model FLOPs utilisation against dense BF16 peak */
};

struct steptime;

/* A step-time model for w on p, simulating on cluster c. false on out of memory. */
bool steptime_create(const struct platform *p, const struct workload *w, const struct sg_cluster *c,
		     struct steptime **out, struct ts_error *err);
void steptime_destroy(struct steptime *s);

/* Step time with the job placed as `pl` and the links as `state` (NULL: all healthy): the
 * first call simulates it in SimGrid, the others change it by their bottlenecks (see above).
 * Cached; false (err filled) when a simulated transfer fails or memory runs out. */
bool steptime_compute(struct steptime *s, const struct placement *pl, const struct cluster_state *state,
		      struct step_result *out, struct ts_error *err);

/* The step simulated whole in SimGrid for this placement and these links, every collective
 * on its slowest rail, uncached: the reference steptime_compute's bottleneck changes are
 * checked against. */
bool steptime_simulate(struct steptime *s, const struct placement *pl, const struct cluster_state *state,
		       struct step_result *out, struct ts_error *err);

/* The step from one step of each collective (`ct`, as steptime_compute simulated them) and
 * the efficiency set `e` (in place of the workload's): pure, no SimGrid, so a calibration can
 * try many sets on collectives simulated once. `out` is filled whole. */
void steptime_compose(const struct platform *p, const struct workload *w, const struct efficiency_spec *e,
		      const struct collective_times *ct, struct step_result *out);

/* steptime_compute trusts a placement's version: the same placement object at the same
 * version holds the same nodes. A placement object that may be reused for another job (a
 * new replica's) must be forgotten first. */
void steptime_forget_placements(struct steptime *s);

/* Whether steptime_compute is called from an actor of a running simulation (see flowsim_run). */
void steptime_set_inside_actor(struct steptime *s, bool inside);

/* Cache statistics, for tests and reports. */
size_t steptime_cache_hits(const struct steptime *s);
size_t steptime_simulations(const struct steptime *s); /* steps run in SimGrid */
size_t steptime_models(const struct steptime *s);      /* steps from the simulated one's bottlenecks */

#endif
