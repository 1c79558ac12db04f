/* runctx: what every actor of one replica shares: the read-only inputs (platform,
 * workload, cluster, options), the engine handles (the job's mailbox, the control host),
 * the replica's clock origin and horizon, and its event bus. Run state lives in its owners
 * (job, crews, power, links, hardware), never here. Also the messages the actors exchange:
 * SimGrid runs actors one at a time in one thread, so shared state needs no locks, but the
 * actors still tell each other what happened through messages, as the design asks. A
 * message goes into its receiver's inbox, a queue woken by a SimGrid condition variable:
 * a timed wait on one costs a few microseconds, where a timed-out wait on a mailbox
 * threw and caught a C++ exception (a quarter of a replica's time in a profile). */
#ifndef TRAINSIM_RUNCTX_H
#define TRAINSIM_RUNCTX_H

#include <stdbool.h>
#include <stdint.h>

#include <simgrid/cond.h>
#include <simgrid/forward.h>
#include <simgrid/mutex.h>

#include "error.h"
#include "events.h"
#include "platform.h"
#include "sg_platform.h"
#include "workload.h"

/* Crews compare deadlines with the engine clock, which has rounded through a timer: a
 * microsecond of slack keeps a deadline from being missed by one ulp. */
#define TIME_EPSILON 1e-6

struct ticket;

/* Causes switched off for a counterfactual replica (trainsim explain): what is off draws
 * nothing and changes nothing else; every other cause draws from its own streams as before
 * (common random numbers), so the difference to the full replica is that cause's effect. */
struct counterfactual {
	const bool *class_off;     /* [platform failure_count]: that class never strikes (NULL: none off) */
	bool unlimited_technicians;/* every ticket gets a technician at once, shifts or not */
	bool parts_in_stock;       /* every part is at hand: no ticket waits for one */
	bool free_checkpoints;     /* saves take no time (the interval stays the same) */
	bool no_bring_up;          /* every rack delivered and accepted before the run starts */
};

struct run_ctx {
	const struct platform *p;
	const struct workload *w;
	const struct sg_cluster *c;
	uint64_t seed;            /* the replica's seed: every stream of randomness derives from it */
	double failure_scale;     /* multiplies every failure rate */
	const struct counterfactual *cf; /* causes switched off (never NULL: none off by default) */
	sg_host_t control;        /* where the run's own actors live (never fails) */
	struct inbox *job_inbox;
	double origin_s;          /* engine clock at the replica's time 0 */
	double horizon_s;         /* the horizon, or the give-up point, from the origin */
	double epoch_s;           /* calendar seconds (since 1970) of the replica's time 0 */
	struct event_bus events;
	long max_events;          /* the work bound: the job stops once the bus has published this many */
	bool job_done;            /* the job has ended: nothing else should happen */
	struct inbox *to_wake;    /* inboxes whose owners the current actor will wake as it yields */
	bool failed;              /* a simulated transfer failed: the replica's result is void */
	struct ts_error *err;
};

/* Whether failure class `class_index` may strike in this replica (not switched off). */
bool runctx_class_on(const struct run_ctx *ctx, long class_index);

/* Publish an event at the engine's current time. */
void runctx_event(struct run_ctx *ctx, struct event e);

/* ---- messages ---- */

/* MSG_PACE: a link degraded or was mended, so the step time changed. */
enum message_kind { MSG_FAILURE, MSG_RESTORED, MSG_TICKET, MSG_PACE };

struct message {
	enum message_kind kind;
	long class_index;
	struct ticket *ticket;
	double since_s;      /* MSG_FAILURE found late: engine time it struck (0: it struck now) */
};

/* An actor's queue of messages, in the order they were sent. */
struct inbox {
	sg_cond_t arrived;
	sg_mutex_t mutex;         /* held by the owner, released while it waits */
	struct message *ring;
	size_t head, count, capacity;
	bool to_wake;             /* messages came since its owner was last woken */
	struct inbox *next_to_wake;
};

/* false on out of memory. The owner takes it with runctx_inbox_own as its actor starts. */
bool runctx_inbox_init(struct inbox *in);
void runctx_inbox_own(struct inbox *in);
void runctx_inbox_finish(struct inbox *in);

/* Send without waiting. The receiver is woken when the sender next yields (runctx_yield):
 * waking it is a SimGrid call that lets other actors run, and an actor's change of state
 * (a node down, its ticket opened, the job told) must look whole to them. */
void runctx_send(struct run_ctx *ctx, struct inbox *to, enum message_kind kind, long class_index, struct ticket *t);
/* MSG_FAILURE of class `class_index` to the job, found now; `since_s` (engine time, 0: now)
 * when it struck earlier and went unnoticed. */
void runctx_send_failure(struct run_ctx *ctx, long class_index, double since_s);

/* Wake the receivers of what the current actor sent. Every actor calls it before it blocks
 * or ends (runctx_receive and runctx_sleep_until do). */
void runctx_yield(struct run_ctx *ctx);

/* The next message of `in`, waiting up to `timeout` seconds for one (INFINITY: until one
 * comes); false when none came in time. Yields first. */
bool runctx_receive(struct run_ctx *ctx, struct inbox *in, double timeout, struct message *m);

/* Sleep until engine time `t`, yielding first. */
void runctx_sleep_until(struct run_ctx *ctx, double t);

/* Short-lived actors own their data; it is freed however they end (killed at the end of the
 * run included). Pass as sg_actor_on_exit's callback. */
void runctx_free_on_exit(int failed, void *data);

/* Out of memory inside an actor: record it, stop every actor (the caller included) and let
 * the replica end with the error. Never returns. */
void runctx_abort_out_of_memory(struct run_ctx *ctx) __attribute__((noreturn));

/* Start actor `name` running `code` with `data` on the control host. */
sg_actor_t runctx_start_actor(struct run_ctx *ctx, const char *name, void (*code)(int, char **), void *data);

#endif
