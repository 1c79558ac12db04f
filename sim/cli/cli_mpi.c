/* cli_mpi: slices over MPI ranks (see cli_mpi.h). Only bytes travel: callers serialize what
 * they send (a shard, sweep records), so a run over ranks and a run in shards put together
 * by `trainsim merge` go through the same code. */
#include "cli_mpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef TRAINSIM_MPI
#include <mpi.h>
#endif

#ifndef TRAINSIM_MPI

void cli_mpi_start(int *argc, char ***argv)
{
	(void)argc, (void)argv;
}

int cli_mpi_finish(int status)
{
	return status;
}

int cli_mpi_rank(void)
{
	return 0;
}

int cli_mpi_size(void)
{
	return 1;
}

bool cli_mpi_gather_bytes(const void *mine, size_t length, char **all, size_t **lengths)
{
	*all = malloc(length ? length : 1);
	*lengths = malloc(sizeof **lengths);
	if (!*all || !*lengths) {
		free(*all);
		free(*lengths);
		*all = NULL, *lengths = NULL;
		return false;
	}
	memcpy(*all, mine, length);
	**lengths = length;
	return true;
}

bool cli_mpi_any_failed(const struct ts_error *mine)
{
	return mine != NULL;
}

#else

static bool started;
static int rank, size = 1;

/* Open MPI, MPICH and PMIx launchers put these in each rank's environment. */
static bool launched_by_mpi(void)
{
	const char *vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (getenv(vars[i]))
			return true;
	return false;
}

void cli_mpi_start(int *argc, char ***argv)
{
	if (!launched_by_mpi() || MPI_Init(argc, argv) != MPI_SUCCESS)
		return;
	started = true;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
}

int cli_mpi_rank(void)
{
	return rank;
}

int cli_mpi_size(void)
{
	return size;
}

/* Rank 0 cannot go on without memory for what the others send: the job ends. */
static void *rank0_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "trainsim: MPI rank 0: out of memory gathering the ranks' results\n");
		MPI_Abort(MPI_COMM_WORLD, 1);
	}
	return p;
}

bool cli_mpi_gather_bytes(const void *mine, size_t length, char **all, size_t **lengths)
{
	*all = NULL, *lengths = NULL;
	if (length > (size_t)0x7fffffff) /* MPI counts are ints; a rank's slice never nears 2 GiB */
		length = 0;
	int n = (int)length;
	int *counts = rank == 0 ? rank0_alloc((size_t)size * sizeof *counts) : NULL;
	int *offsets = rank == 0 ? rank0_alloc((size_t)size * sizeof *offsets) : NULL;
	bool ok = MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD) == MPI_SUCCESS;
	size_t total = 0;
	for (int r = 0; ok && rank == 0 && r < size; r++) {
		offsets[r] = (int)total;
		total += (size_t)counts[r];
		ok = total <= (size_t)0x7fffffff;
	}
	char *into = rank == 0 ? rank0_alloc(total) : NULL;
	ok = MPI_Gatherv(mine, n, MPI_BYTE, into, counts, offsets, MPI_BYTE, 0, MPI_COMM_WORLD) == MPI_SUCCESS && ok;
	if (rank == 0) {
		*lengths = rank0_alloc((size_t)size * sizeof **lengths);
		for (int r = 0; r < size; r++)
			(*lengths)[r] = (size_t)counts[r];
		*all = into;
	}
	free(counts);
	free(offsets);
	return ok;
}

bool cli_mpi_any_failed(const struct ts_error *mine)
{
	struct ts_error none = {0}, *errors = rank == 0 ? rank0_alloc((size_t)size * sizeof *errors) : NULL;
	int failed = mine != NULL, any = 0;
	MPI_Gather(mine ? mine : &none, (int)sizeof none, MPI_BYTE, errors, (int)sizeof none, MPI_BYTE, 0, MPI_COMM_WORLD);
	MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD);
	char line[ERROR_MESSAGE_MAX + ERROR_FILE_MAX + 32], first[sizeof line];
	for (int r = 0; rank == 0 && r < size; r++) {
		if (!errors[r].message[0])
			continue;
		error_format(&errors[r], line, sizeof line);
		if (r == 0)
			snprintf(first, sizeof first, "%s", line);
		else if (!errors[0].message[0] || strcmp(line, first))
			fprintf(stderr, "trainsim: MPI rank %d: %s\n", r, line);
	}
	free(errors);
	return any != 0;
}

int cli_mpi_finish(int status)
{
	if (!started)
		return status;
	int *all = rank == 0 ? rank0_alloc((size_t)size * sizeof *all) : NULL;
	MPI_Gather(&status, 1, MPI_INT, all, 1, MPI_INT, 0, MPI_COMM_WORLD);
	for (int r = 0; rank == 0 && r < size && status == 0; r++)
		status = all[r];
	free(all);
	MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
	MPI_Finalize();
	started = false;
	return status;
}

#endif
