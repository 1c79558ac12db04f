/* runctx: events and messages of a replica (see runctx.h). */
#include "runctx.h"

#include <math.h>
#include <stdlib.h>

#include <simgrid/actor.h>
#include <simgrid/comm.h>
#include <simgrid/engine.h>
#include <simgrid/mailbox.h>

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

void runctx_send(struct run_ctx *ctx, sg_mailbox_t to, enum message_kind kind, long class_index, struct ticket *t)
{
	struct message *m = malloc(sizeof *m);
	if (!m)
		runctx_abort_out_of_memory(ctx);
	*m = (struct message){kind, class_index, t};
	sg_comm_detach(sg_mailbox_put_init(to, m, 0), free); /* detached: the sender never waits */
}

bool runctx_receive(sg_mailbox_t mailbox, double timeout, struct message **m)
{
	if (timeout <= 0)
		return false;
	void *data = NULL;
	sg_comm_t comm = sg_mailbox_get_async(mailbox, &data);
	sg_error_t e = isinf(timeout) ? sg_comm_wait(comm) : sg_comm_wait_for(comm, timeout);
	if (e != SG_OK)
		return false;
	*m = data;
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
