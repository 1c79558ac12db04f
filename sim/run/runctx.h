/* runctx: what every actor of one replica shares: the read-only inputs (platform,
 * workload, cluster, options), the engine handles (the job's mailbox, the control host),
 * the replica's clock origin and horizon, and its event bus. Run state lives in its owners
 * (job, crews, power, links, hardware), never here. Also the messages the actors exchange:
 * SimGrid runs actors one at a time in one thread, so shared state needs no locks, but the
 * actors still tell each other what happened through mailboxes, as the design asks. */
#ifndef TRAINSIM_RUNCTX_H
#define TRAINSIM_RUNCTX_H

#include <stdbool.h>
#include <stdint.h>

#include <simgrid/forward.h>

#include "error.h"
#include "events.h"
#include "platform.h"
#include "sg_platform.h"
#include "workload.h"

/* Crews compare deadlines with the engine clock, which has rounded through a timer: a
 * microsecond of slack keeps a deadline from being missed by one ulp. */
#define TIME_EPSILON 1e-6

struct ticket;

struct run_ctx {
	const struct platform *p;
	const struct workload *w;
	const struct sg_cluster *c;
	uint64_t seed;            /* the replica's seed: every stream of randomness derives from it */
	double failure_scale;     /* multiplies every failure rate */
	sg_host_t control;        /* where the run's own actors live (never fails) */
	sg_mailbox_t job_mailbox;
	double origin_s;          /* engine clock at the replica's time 0 */
	double horizon_s;         /* the horizon, or the give-up point, from the origin */
	double epoch_s;           /* calendar seconds (since 1970) of the replica's time 0 */
	struct event_bus events;
	long max_events;          /* the work bound: the job stops once the bus has published this many */
	bool job_done;            /* the job has ended: nothing else should happen */
	bool failed;              /* a simulated transfer failed: the replica's result is void */
	struct ts_error *err;
};

/* Publish an event at the engine's current time. */
void runctx_event(struct run_ctx *ctx, struct event e);

/* ---- messages ---- */

/* MSG_PACE: a link degraded or was mended, so the step time changed. */
enum message_kind { MSG_FAILURE, MSG_RESTORED, MSG_TICKET, MSG_PACE };

struct message {
	enum message_kind kind;
	long class_index;
	struct ticket *ticket;
};

/* Send without waiting (the message is freed by its receiver). */
void runctx_send(struct run_ctx *ctx, sg_mailbox_t to, enum message_kind kind, long class_index, struct ticket *t);

/* Wait on `mailbox` up to `timeout` seconds (INFINITY: until a message); true and *m (the
 * receiver frees it) when a message came first. A wait that times out cancels its receive,
 * so no message is lost to it. */
bool runctx_receive(sg_mailbox_t mailbox, double timeout, struct message **m);

/* Short-lived actors own their data; it is freed however they end (killed at the end of the
 * run included). Pass as sg_actor_on_exit's callback. */
void runctx_free_on_exit(int failed, void *data);

/* Out of memory inside an actor: record it, stop every actor (the caller included) and let
 * the replica end with the error. Never returns. */
void runctx_abort_out_of_memory(struct run_ctx *ctx) __attribute__((noreturn));

/* Start actor `name` running `code` with `data` on the control host. */
sg_actor_t runctx_start_actor(struct run_ctx *ctx, const char *name, void (*code)(int, char **), void *data);

#endif
