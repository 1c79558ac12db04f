/* outdir: atomic result files (see outdir.h). */
#include "outdir.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool outdir_ensure(const char *dir, struct ts_error *err)
{
	struct stat st;
	if (stat(dir, &st) == 0)
		return S_ISDIR(st.st_mode) || error_set(err, dir, 0, 0, "exists and is not a directory");
	if (mkdir(dir, 0777) != 0)
		return error_set(err, dir, 0, 0, "cannot create the output directory: %s", strerror(errno));
	return true;
}

bool out_open(struct out_file *o, const char *dir, const char *name, struct ts_error *err)
{
	snprintf(o->path, sizeof o->path, "%s/%s", dir, name);
	snprintf(o->tmp, sizeof o->tmp, "%s/.%s.tmp", dir, name);
	o->f = fopen(o->tmp, "w");
	return o->f || error_set(err, o->tmp, 0, 0, "cannot write: %s", strerror(errno));
}

bool out_commit(struct out_file *o, struct ts_error *err)
{
	errno = 0;
	bool ok = fflush(o->f) == 0 && !ferror(o->f);
	ok = (fclose(o->f) == 0) && ok;
	o->f = NULL;
	if (ok && rename(o->tmp, o->path) == 0)
		return true;
	int e = errno ? errno : EIO;
	unlink(o->tmp);
	return error_set(err, o->path, 0, 0, "cannot write: %s", strerror(e));
}

void out_abandon(struct out_file *o)
{
	if (o->f) {
		fclose(o->f);
		unlink(o->tmp);
		o->f = NULL;
	}
}
