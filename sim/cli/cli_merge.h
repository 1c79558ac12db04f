/* cli_merge: a run's shards put back together into its files (see cli_merge.c); used by
 * `trainsim merge` and by MPI's rank 0. */
#ifndef TRAINSIM_CLI_MERGE_H
#define TRAINSIM_CLI_MERGE_H

#include <stdbool.h>

#include "cli.h"
#include "shard.h"

struct merge_output {
	const char *out_dir;   /* NULL: print only */
	bool json;
};

/* Check that shards[0 .. n) (named names[i] in errors) are every slice of one run, write its
 * files into o->out_dir and print its summary; the shards' outcomes are taken. Returns the
 * exit status. */
int cli_merge_shards(struct shard *shards, size_t n, const char *const *names, const struct merge_output *o);

#endif
