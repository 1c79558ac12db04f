/* cli_sweep_slices: a sweep's points in slices (sweep --shard K/N, or MPI ranks), the slices
 * put back together, and the sweep's report (the table and sweep.csv) from its points,
 * whichever way they ran. */
#ifndef TRAINSIM_CLI_SWEEP_SLICES_H
#define TRAINSIM_CLI_SWEEP_SLICES_H

#include <stdbool.h>
#include <stdio.h>

#include "cli_run.h"

#define SWEEP_SHARD_FILE "sweep-shard.bin"

/* The points [first, first + count) of a sweep of `points`, as one slice reports them. */
struct sweep_slice {
	char trainsim_version[32];
	char sweep_id[17];            /* the same for every slice of one sweep */
	long points;
	long shard, shards, first, count;
	long done;                    /* the slice's first `done` points ran to the end */
	char **labels;                /* [count], owned: "key=value;key=value" */
	struct point_record *records; /* [count], owned */
};

bool sweep_slice_write(FILE *out, const struct sweep_slice *s);
/* false (err, naming `name`) when `in` is not a whole slice written by this trainsim. */
bool sweep_slice_read(FILE *in, const char *name, struct sweep_slice *s, struct ts_error *err);
void sweep_slice_finish(struct sweep_slice *s);

/* The whole sweep: every point's label and record, borrowed from the slices. */
struct sweep_points {
	long count;
	const char **labels;
	const struct point_record *records;
};

/* Check that slices[0 .. n) (named names[i]) are every slice of one sweep, each finished,
 * and lay out their points in order into *w (w->labels and w->records are malloc'd). */
bool sweep_join(struct sweep_slice *slices, size_t n, const char *const *names, struct sweep_points *w,
		struct ts_error *err);
void sweep_points_finish(struct sweep_points *w);

/* sweep.csv into out_dir (NULL: none) and the table on stdout; returns the exit status. */
int sweep_report(const char *out_dir, const struct sweep_points *w);

/* trainsim merge of sweep shard directories: their point directories copied into out_dir,
 * then sweep.csv and the table. Returns the exit status. */
int cli_merge_sweep(const char *const *dirs, size_t n, const char *out_dir);

#endif
