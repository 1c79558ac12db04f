/* cli_mpi: trainsim under MPI (`mpirun -n N trainsim run|sweep ...`): each rank runs a slice
 * of the replicas (or of the sweep's points) and rank 0 writes exactly the files one process
 * writes; other commands run on rank 0 alone. Built with MPI only when meson finds Open MPI
 * (the `mpi` feature); without it, or when trainsim is not started by an MPI launcher, there
 * is one rank and nothing changes. */
#ifndef TRAINSIM_CLI_MPI_H
#define TRAINSIM_CLI_MPI_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Start MPI when an MPI launcher started this process (its environment says so). */
void cli_mpi_start(int *argc, char ***argv);
/* The exit status every rank agrees on (rank 0's, else the first failing rank's), then MPI
 * ended, if it was started. */
int cli_mpi_finish(int status);

int cli_mpi_rank(void);
int cli_mpi_size(void);   /* 1 without MPI */

/* Every rank's `length` bytes to rank 0: there *all (malloc'd, concatenated in rank order)
 * and *lengths (malloc'd, one per rank); NULL on the other ranks. Collective. */
bool cli_mpi_gather_bytes(const void *mine, size_t length, char **all, size_t **lengths);

/* Whether any rank failed: `mine` is this rank's error (NULL: it did not fail). Rank 0 prints
 * the errors of the other ranks that it does not share (its own it has printed already).
 * Collective; every rank gets the same answer. */
bool cli_mpi_any_failed(const struct ts_error *mine);

#endif
