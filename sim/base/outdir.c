/* outdir: result files as sets and single atomic files (see outdir.h). */
#include "outdir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	if (path)
		snprintf(path, n, "%s/%s", dir, name);
	return path;
}

/* mkdir for one level: fine if it is there already as a directory. */
static bool make_one(const char *dir, struct ts_error *err)
{
	struct stat st;
	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) || error_set(err, dir, 0, 0, "exists and is not a directory");
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return error_set(err, dir, 0, 0, "cannot create the output directory: %s", strerror(errno));
	return true;
}

bool outdir_ensure(const char *dir, struct ts_error *err)
{
	char *copy = strdup(dir);
	if (!copy)
		return error_set(err, dir, 0, 0, "out of memory");
	bool ok = true;
	for (char *slash = copy + 1; ok && (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		ok = make_one(copy, err);
		*slash = '/';
	}
	ok = ok && make_one(copy, err);
	free(copy);
	return ok;
}

/* ---- sets ---- */

static void set_free(struct out_set *s)
{
	for (size_t i = 0; i < s->count; i++)
		free(s->names[i]);
	free(s->dir);
	free(s->stage);
	*s = (struct out_set){0};
}

bool outset_begin(struct out_set *s, const char *dir, struct ts_error *err)
{
	*s = (struct out_set){0};
	if (!outdir_ensure(dir, err))
		return false;
	s->dir = strdup(dir);
	s->stage = path_join(dir, ".trainsim-new-XXXXXX");
	if (!s->dir || !s->stage) {
		set_free(s);
		return error_set(err, dir, 0, 0, "out of memory");
	}
	if (!mkdtemp(s->stage)) {
		int e = errno;
		set_free(s);
		return error_set(err, dir, 0, 0, "cannot write into the output directory: %s", strerror(e));
	}
	return true;
}

FILE *outset_open(struct out_set *s, const char *name, struct ts_error *err)
{
	if (s->count == OUT_SET_MAX)
		return error_set(err, s->dir, 0, 0, "too many files in one set"), NULL;
	char *path = path_join(s->stage, name);
	char *copy = strdup(name);
	FILE *f = path && copy ? fopen(path, "w") : NULL;
	if (!f) {
		int e = path && copy ? errno : ENOMEM;
		error_set(err, path ? path : s->dir, 0, 0, "cannot write: %s", strerror(e));
		free(path);
		free(copy);
		return NULL;
	}
	free(path);
	s->names[s->count] = copy;
	s->files[s->count++] = f;
	return f;
}

/* Close every staged file; false (err) when one could not be written whole. */
static bool close_all(struct out_set *s, struct ts_error *err)
{
	bool ok = true;
	for (size_t i = 0; i < s->count; i++) {
		if (!s->files[i])
			continue;
		errno = 0;
		bool good = fflush(s->files[i]) == 0 && !ferror(s->files[i]);
		int e = errno ? errno : EIO;
		good = (fclose(s->files[i]) == 0) && good;
		s->files[i] = NULL;
		if (!good && ok)
			ok = error_set(err, s->dir, 0, 0, "cannot write %s: %s", s->names[i], strerror(e));
	}
	return ok;
}

/* Rename dir_a/name to dir_b/name; a missing source is fine when `optional`. */
static bool move(const char *from_dir, const char *to_dir, const char *name, bool optional, bool *moved)
{
	char *from = path_join(from_dir, name), *to = path_join(to_dir, name);
	bool ok = from && to && rename(from, to) == 0;
	*moved = ok;
	if (!ok && optional && from && errno == ENOENT)
		ok = true;
	free(from);
	free(to);
	return ok;
}

/* Puts back the old files moved aside (those flagged in `aside`). */
static void restore(const struct out_set *s, const char *backup, const char *const *members, const bool *aside)
{
	bool moved;
	for (size_t i = 0; members[i]; i++)
		if (aside[i])
			move(backup, s->dir, members[i], false, &moved);
}

/* Removes what is left in a directory of ours (files only) and the directory. */
static void remove_dir(const char *dir, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		char *path = path_join(dir, names[i]);
		if (path)
			unlink(path);
		free(path);
	}
	rmdir(dir);
}

static size_t count_of(const char *const *members)
{
	size_t n = 0;
	while (members[n])
		n++;
	return n;
}

/* The old set aside into `backup`, then the new one in its place; undone on any failure. */
static bool swap_in(struct out_set *s, const char *backup, const char *const *members, bool *aside,
		    struct ts_error *err)
{
	size_t placed = 0;
	bool ok = true, moved;
	for (size_t i = 0; ok && members[i]; i++) {
		ok = move(s->dir, backup, members[i], true, &moved);
		aside[i] = moved;
	}
	for (; ok && placed < s->count; placed++)
		ok = move(s->stage, s->dir, s->names[placed], false, &moved);
	if (ok)
		return true;
	int e = errno;
	for (size_t i = 0; i < placed; i++) /* take the new files back out */
		move(s->dir, s->stage, s->names[i], false, &moved);
	restore(s, backup, members, aside);
	return error_set(err, s->dir, 0, 0, "cannot put the new files in place (the old ones are kept): %s",
			 strerror(e));
}

bool outset_commit(struct out_set *s, const char *const *members, struct ts_error *err)
{
	bool ok = close_all(s, err);
	char *backup = ok ? path_join(s->dir, ".trainsim-old-XXXXXX") : NULL;
	bool *aside = ok ? calloc(count_of(members) + 1, sizeof *aside) : NULL;
	if (ok && (!backup || !aside || !mkdtemp(backup)))
		ok = error_set(err, s->dir, 0, 0, "cannot write into the output directory: %s", strerror(errno));
	ok = ok && swap_in(s, backup, members, aside, err);
	if (backup)
		remove_dir(backup, (const char *const *)members, count_of(members));
	free(backup);
	free(aside);
	outset_abandon(s);
	return ok;
}

void outset_abandon(struct out_set *s)
{
	if (!s->stage) {
		set_free(s);
		return;
	}
	for (size_t i = 0; i < s->count; i++)
		if (s->files[i])
			fclose(s->files[i]);
	remove_dir(s->stage, (const char *const *)s->names, s->count);
	set_free(s);
}

/* ---- single files ---- */

bool out_open(struct out_file *o, const char *dir, const char *name, struct ts_error *err)
{
	*o = (struct out_file){0};
	o->path = path_join(dir, name);
	size_t n = strlen(name) + 6;
	char *hidden = malloc(n);
	if (hidden)
		snprintf(hidden, n, ".%s.tmp", name);
	o->tmp = hidden ? path_join(dir, hidden) : NULL;
	free(hidden);
	if (!o->path || !o->tmp) {
		out_abandon(o);
		return error_set(err, dir, 0, 0, "out of memory");
	}
	o->f = fopen(o->tmp, "w");
	if (!o->f) {
		error_set(err, o->tmp, 0, 0, "cannot write: %s", strerror(errno));
		out_abandon(o);
		return false;
	}
	return true;
}

bool out_commit(struct out_file *o, struct ts_error *err)
{
	errno = 0;
	bool ok = fflush(o->f) == 0 && !ferror(o->f);
	ok = (fclose(o->f) == 0) && ok;
	o->f = NULL;
	if (ok && rename(o->tmp, o->path) == 0) {
		out_abandon(o);
		return true;
	}
	int e = errno ? errno : EIO;
	error_set(err, o->path, 0, 0, "cannot write: %s", strerror(e));
	out_abandon(o);
	return false;
}

void out_abandon(struct out_file *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->tmp)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	*o = (struct out_file){0};
}
