/* outdir: result files written atomically into an output directory: each under a
 * temporary name, renamed into place only when complete, so an error or an interrupt never
 * leaves a half-written file. */
#ifndef TRAINSIM_OUTDIR_H
#define TRAINSIM_OUTDIR_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

struct out_file {
	char path[4096], tmp[4096];
	FILE *f;
};

/* Create `dir` if it does not exist (one level). */
bool outdir_ensure(const char *dir, struct ts_error *err);

/* Open dir/.name.tmp for writing. */
bool out_open(struct out_file *o, const char *dir, const char *name, struct ts_error *err);

/* Flush, close and rename into place; on failure the temporary is removed. */
bool out_commit(struct out_file *o, struct ts_error *err);

/* Close and remove the temporary (if open). */
void out_abandon(struct out_file *o);

#endif
