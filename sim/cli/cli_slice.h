/* cli_slice: a slice of a run's replicas as a shard, either written into --out for `trainsim
 * merge` (run --shard K/N: one task of a batch-array job) or sent to rank 0, which merges
 * every rank's shard into the run's files (mpirun -n N trainsim run). */
#ifndef TRAINSIM_CLI_SLICE_H
#define TRAINSIM_CLI_SLICE_H

#include "cli_run.h"

/* run --shard K/N --out DIR: the slice's shard into DIR. Returns the exit status. */
int run_shard(const struct run_args *a, const struct overrides *o);

/* run under MPI: this rank's slice, and on rank 0 the whole run's summary and files. */
int run_over_ranks(const struct run_args *a, const struct overrides *o);

#endif
