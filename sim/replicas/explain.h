/* explain: which cause cost how many days (`trainsim explain`). The causes of a platform
 * come in groups: each failure class on its own, the power system's classes together
 * ("power"), degrading and flapping links together ("degraded links"), and the resources
 * and overheads ("technicians", "parts", "checkpoints", "bring-up"). Each configuration
 * switches some groups off (run_options.counterfactual) and runs the same replicas, with
 * the same seeds: common random numbers, so that the difference between two configurations
 * is the effect of what differs and little noise. From each replica's wall-clock in every
 * configuration the slip (full minus none) is split among the groups so that the parts add
 * up to it exactly. The attribution is pure arithmetic (testable without SimGrid);
 * explain_run drives the replicas. */
#ifndef TRAINSIM_EXPLAIN_H
#define TRAINSIM_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "montecarlo.h"
#include "runctx.h"
#include "scenario.h"
#include "stats.h"

/* What a group switches off when it is absent. */
enum explain_kind {
	EXPLAIN_FAILURES,     /* failure classes: they never strike */
	EXPLAIN_TECHNICIANS,  /* technicians are unlimited, on every shift */
	EXPLAIN_PARTS,        /* every part is in stock */
	EXPLAIN_CHECKPOINTS,  /* saves take no time */
	EXPLAIN_BRING_UP,     /* every rack is in service at the start */
};

struct explain_group {
	char *name;           /* owned: "gpu", "power", "degraded links", "technicians", "other failures", ... */
	enum explain_kind kind;
	bool *classes;        /* owned [failure_count] (EXPLAIN_FAILURES): the classes it holds; else NULL */
	double score_s;       /* EXPLAIN_FAILURES: direct cost in the full configuration, to rank groups */
};

struct explain_groups {
	struct explain_group *items;
	size_t count;
	size_t failure_count; /* the platform's failure classes */
	size_t merged;        /* failure groups merged into "other failures" (0: none) */
};

/* The groups of scenario s with every failure rate scaled by failure_scale: a class that
 * cannot strike (rate 0, or absent from a replayed failure log) is in none. false on out of
 * memory. Free with explain_groups_finish (also after a failure). */
bool explain_groups_init(const struct scenario *s, double failure_scale, struct explain_groups *out);
void explain_groups_finish(struct explain_groups *g);

/* Resource and overhead groups: never merged. */
size_t explain_resource_groups(const struct explain_groups *g);

/* Rank the failure groups by their direct cost in the full configuration's replicas `full`:
 * each interruption of a class costs its detection, the relaunch and half a checkpoint
 * interval of lost work (the cost the job's own accounting would give it); the degraded
 * links add the time the job ran slower, the power group the time it waited for power. */
void explain_groups_score(struct explain_groups *g, const struct scenario *s, double checkpoint_interval_s,
			  const struct mc_result *full);

/* Keep at most max_groups groups: resource groups always, failure groups largest score
 * first, the rest merged into one group "other failures" ("failures" when it takes them
 * all). false on out of memory, or when max_groups leaves no room for a failure group
 * (err says how many it needs). */
bool explain_groups_limit(struct explain_groups *g, long max_groups, struct ts_error *err);
/* Whether max_groups leaves room for the failures on scenario s (checked before anything
 * is simulated, so a bad --max-groups costs no engine). */
bool explain_check_limit(const struct scenario *s, double failure_scale, long max_groups, struct ts_error *err);

/* ---- configurations: 0 every group present (the estimate), 1 none (the failure-free
 * baseline), 2 + 2g all but group g, 3 + 2g group g alone ---- */

enum { EXPLAIN_FULL = 0, EXPLAIN_NONE = 1 };

size_t explain_configurations(const struct explain_groups *g);

/* Whether group `group` is present in configuration `config`. */
bool explain_present(const struct explain_groups *g, size_t config, size_t group);

/* Configuration `config` as a counterfactual; class_off is the caller's [failure_count]
 * storage, which cf points to. */
void explain_counterfactual(const struct explain_groups *g, size_t config, bool *class_off, struct counterfactual *cf);

/* "all causes", "no cause", "without gpu", "gpu alone". */
const char *explain_config_label(const struct explain_groups *g, size_t config, char *buf, size_t size);

/* ---- attribution ---- */

/* One replica: v[c] its wall-clock in configuration c (explain_configurations of `groups`
 * groups). Per group: off[g] = full - without g, alone[g] = g alone - none, and part[g] =
 * (off + alone) / 2 (the Shapley value when causes interact only in pairs), plus the
 * remainder of higher-order interactions spread in proportion to |part| (evenly when every
 * part is 0), so that the parts add up to full - none exactly. */
void explain_replica(const double *v, size_t groups, double *part, double *off, double *alone);

/* One group's share of the slip over the replicas explained, in seconds. */
struct explain_cause {
	size_t group;                 /* index into the groups */
	struct stats part, off, alone;
};

struct explain_result {
	long replicas;                /* run in every configuration */
	long explained;               /* finished in every configuration: the attribution is over these */
	long *unfinished;             /* [configurations]: replicas that did not finish in each */
	size_t configurations;
	struct stats full, none;      /* wall-clock of the estimate and of the baseline, explained replicas */
	struct explain_cause *causes; /* [groups], largest mean part first */
	size_t count;
	bool interrupted;             /* stopped before every configuration ran: nothing attributed */
};

/* Attribute from wallclock_s[c * replicas + r] (NAN: replica r did not finish in
 * configuration c). false on out of memory. */
bool explain_attribute(const struct explain_groups *g, const double *wallclock_s, long replicas,
		       struct explain_result *out);
void explain_result_finish(struct explain_result *r);

/* ---- running it ---- */

struct explain_options {
	struct mc_options mc;         /* replicas, seeds, workers and run options; the counterfactual is set per
					 configuration, progress is replaced by the one below */
	long max_groups;
	/* after each replica collected: configuration `config` of `configs` (0 until the groups are known) */
	void (*progress)(void *data, size_t config, size_t configs, long done, long total);
	void *progress_data;
};

/* Run every configuration of scenario s on engine e (the full one first, which ranks the
 * groups), then attribute. On success *groups and *out are filled (free both; out->interrupted
 * when stopped early). false (err filled) when a replica failed, on out of memory, or when
 * max_groups is too small. */
bool explain_run(const struct scenario *s, struct engine *e, const struct explain_options *o,
		 struct explain_groups *groups, struct explain_result *out, struct ts_error *err);

/* 16 hex digits naming an explanation: the run's id (summary_run_id) and the group limit. */
void explain_run_id(const char *run_id, long max_groups, char out[17]);

#endif
