/* outdir: result files written as a set. Every file of a set is written under a staging
 * directory inside the output directory, and only when all are complete do they replace
 * the files of the set before (which are moved aside first, and put back if anything goes
 * wrong). After any error, or an interrupt, the output directory holds either the whole new
 * set or the whole old one, never a mix. Paths are never truncated: a path too long for the
 * system is an error. */
#ifndef TRAINSIM_OUTDIR_H
#define TRAINSIM_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* "a/b" (malloc'd), or NULL on out of memory. */
char *path_join(const char *dir, const char *name);

/* Create `dir` and its missing parents (as mkdir -p). */
bool outdir_ensure(const char *dir, struct ts_error *err);

#define OUT_SET_MAX 16

struct out_set {
	char *dir;                 /* where the set goes */
	char *stage;               /* dir/.trainsim-new-XXXXXX while it is written */
	char *names[OUT_SET_MAX];
	FILE *files[OUT_SET_MAX];
	size_t count;
};

/* Create `dir` (and its parents) and a staging directory in it. */
bool outset_begin(struct out_set *s, const char *dir, struct ts_error *err);

/* A new file of the set, open for writing (owned by the set). */
FILE *outset_open(struct out_set *s, const char *name, struct ts_error *err);

/* Close every file (a write error fails the commit) and put the set in place of the old
 * one. `members` (NULL-terminated) names every file a set of this kind may hold: an old
 * file of that name that the new set lacks is moved away too. On failure the old set is
 * left as it was. The set is finished either way. */
bool outset_commit(struct out_set *s, const char *const *members, struct ts_error *err);

/* Drop what was staged; accepts a set never begun or already finished. */
void outset_abandon(struct out_set *s);

/* One file alone, written atomically (a temporary name renamed when complete). */
struct out_file {
	char *path, *tmp;
	FILE *f;
};
bool out_open(struct out_file *o, const char *dir, const char *name, struct ts_error *err);
bool out_commit(struct out_file *o, struct ts_error *err);
void out_abandon(struct out_file *o);

#endif
