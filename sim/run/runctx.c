/* runctx: events and messages of a replica (see runctx.h). */
#include "runctx.h"

#include <math.h>
#include <stdlib.h>

#include <simgrid/actor.h>
#include <simgrid/engine.h>

void runctx_event(struct run_ctx *ctx, struct event e)
{
	events_publish(&ctx->events, simgrid_get_clock(), e);
}

void runctx_abort_out_of_memory(struct run_ctx *ctx)
{
	error_set(ctx->err, "", 0, 0, "out of memory in the run simulation");
	ctx->failed = true;
	ctx->job_done = true;
	sg_actor_kill_all();
	sg_actor_exit();
	abort(); /* not reached: sg_actor_exit ends the calling actor */
}

bool runctx_inbox_init(struct inbox *in)
{
	*in = (struct inbox){.capacity = 16};
	in->ring = malloc(in->capacity * sizeof *in->ring);
	in->arrived = sg_cond_init();
	in->mutex = sg_mutex_init();
	return in->ring != NULL;
}

void runctx_inbox_own(struct inbox *in)
{
	sg_mutex_lock(in->mutex);
}

void runctx_inbox_finish(struct inbox *in)
{
	if (in->arrived)
		sg_cond_destroy(in->arrived);
	if (in->mutex)
		sg_mutex_destroy(in->mutex);
	free(in->ring);
	*in = (struct inbox){0};
}

/* Twice the room, the queue unrolled from its head. */
static bool grow(struct inbox *in)
{
	struct message *ring = malloc(2 * in->capacity * sizeof *ring);
	if (!ring)
		return false;
	for (size_t i = 0; i < in->count; i++)
		ring[i] = in->ring[(in->head + i) % in->capacity];
	free(in->ring);
	in->ring = ring;
	in->head = 0;
	in->capacity *= 2;
	return true;
}

void runctx_send(struct run_ctx *ctx, struct inbox *to, enum message_kind kind, long class_index, struct ticket *t)
{
	if (to->count == to->capacity && !grow(to))
		runctx_abort_out_of_memory(ctx);
	to->ring[(to->head + to->count++) % to->capacity] = (struct message){kind, class_index, t, 0};
	if (!to->to_wake) {
		to->to_wake = true;
		to->next_to_wake = ctx->to_wake;
		ctx->to_wake = to;
	}
}

void runctx_yield(struct run_ctx *ctx)
{
	while (ctx->to_wake) {
		struct inbox *in = ctx->to_wake;
		ctx->to_wake = in->next_to_wake;
		in->to_wake = false;
		sg_cond_notify_one(in->arrived);
	}
}

void runctx_sleep_until(struct run_ctx *ctx, double t)
{
	runctx_yield(ctx);
	sg_actor_sleep_until(t);
}

bool runctx_receive(struct run_ctx *ctx, struct inbox *in, double timeout, struct message *m)
{
	runctx_yield(ctx);
	if (in->count == 0) {
		if (!(timeout > 0))
			return false;
		if (isinf(timeout))
			sg_cond_wait(in->arrived, in->mutex);
		else if (sg_cond_wait_for(in->arrived, in->mutex, timeout))
			return false;
		if (in->count == 0)
			return false;
	}
	*m = in->ring[in->head];
	in->head = (in->head + 1) % in->capacity;
	in->count--;
	return true;
}

void runctx_free_on_exit(int failed, void *data)
{
	(void)failed;
	free(data);
}

sg_actor_t runctx_start_actor(struct run_ctx *ctx, const char *name, void (*code)(int, char **), void *data)
{
	sg_actor_t a = sg_actor_init(name, ctx->control);
	sg_actor_set_data(a, data);
	sg_actor_start(a, code, 0, NULL);
	return a;
}

bool runctx_class_on(const struct run_ctx *ctx, long class_index)
{
	return class_index < 0 || !ctx->cf->class_off || !ctx->cf->class_off[class_index];
}

void runctx_send_failure(struct run_ctx *ctx, long class_index, double since_s)
{
	struct inbox *to = ctx->job_inbox;
	runctx_send(ctx, to, MSG_FAILURE, class_index, NULL);
	to->ring[(to->head + to->count - 1) % to->capacity].since_s = since_s;
}
