/* texts.h: input texts for Criterion tests: a shipped file's text, one edit of a text, a
 * failure log in a temporary directory of its own. Each failure is an assertion, so a test
 * reads as the scenario it builds. Include after <criterion/criterion.h>. */
#ifndef TRAINSIM_TESTS_TEXTS_H
#define TRAINSIM_TESTS_TEXTS_H

#include <criterion/criterion.h>

#include "helpers.h"

/* The text of a file of the source tree (`rel` from its root); the caller frees it. */
static inline char *file_text(const char *rel)
{
	char path[512];
	char *text = read_text(source_path(rel, path, sizeof path));
	cr_assert_not_null(text, "cannot read %s", rel);
	return text;
}

/* `text` with its first `from` replaced by `to`; the caller frees it. */
static inline char *with(const char *text, const char *from, const char *to)
{
	char *out = replace_once(text, from, to);
	cr_assert_not_null(out, "'%s' not found", from);
	return out;
}

/* `text` as failures.csv in a new directory under $TMPDIR, whose name goes to `dir`
 * (remove it with remove_tree); the caller frees the path. */
static inline char *failure_log_file(char *dir, size_t size, const char *text)
{
	char *path = temp_file(dir, size, "failures.csv", text);
	cr_assert_not_null(path, "cannot write a failure log");
	return path;
}

/* platforms/h100-1k.yaml's operations section as shipped: tests replace it (with()) to set
 * their own crews and spares. */
static const char *const h100_1k_operations =
	"operations:\n  technicians: {per_site: 2, shift: business-hours, travel: 15min, diagnosis: 30min}   # [assumed]\n  spares: {hot_nodes: 4, lead_time: 5d}                                                # [assumed]\n";

/* One failure log at a time per test file: replayed_log writes it, forget_log removes it
 * with its directory and frees the path. */
static char replayed_log_dir[512];

static inline char *replayed_log(const char *text)
{
	return failure_log_file(replayed_log_dir, sizeof replayed_log_dir, text);
}

static inline void forget_log(char *path)
{
	remove_tree(replayed_log_dir);
	free(path);
}

#endif
