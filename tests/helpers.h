/* helpers: what several test files share: paths to fixtures and shipped files, reading
 * a file into memory, and loading a platform from a fixture with one text substitution. */
#ifndef TRAINSIM_TEST_HELPERS_H
#define TRAINSIM_TEST_HELPERS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>

#include "error.h"
#include "platform.h"
#include "scenario.h"

/* "$TRAINSIM_SOURCE_DIR/<relative>" (the environment variable is set by meson test). */
static inline const char *source_path(const char *relative, char *buf, size_t size)
{
	const char *root = getenv("TRAINSIM_SOURCE_DIR");
	snprintf(buf, size, "%s/%s", root ? root : ".", relative);
	return buf;
}

/* Whole file into a malloc'd NUL-terminated string, or NULL. */
static inline char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *text = malloc((size_t)n + 1);
	if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	if (text)
		text[n] = '\0';
	fclose(f);
	return text;
}

/* `text` with the first `from` replaced by `to` (malloc'd), or NULL if `from` is absent. */
static inline char *replace_once(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at)
		return NULL;
	size_t len = strlen(text), head = (size_t)(at - text), lf = strlen(from), lt = strlen(to);
	size_t tail = len - head - lf + 1; /* with the terminating NUL */
	char *out = malloc(head + lt + tail);
	if (!out)
		return NULL;
	memcpy(out, text, head);
	memcpy(out + head, to, lt);
	memcpy(out + head + lt, at + lf, tail);
	return out;
}

/* A new empty directory under $TMPDIR (or /tmp) for one test, named uniquely; its path is
 * written into buf. */
static inline const char *temp_dir(char *buf, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(buf, size, "%s/trainsim-test-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	return mkdtemp(buf);
}

/* `text` written to NAME in a new temp_dir (dir[size] gets the directory, for remove_tree);
 * returns the file's path (malloc'd), or NULL. */
static inline char *temp_file(char *dir, size_t size, const char *name, const char *text)
{
	if (!temp_dir(dir, size))
		return NULL;
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);
	FILE *f = path ? (snprintf(path, n, "%s/%s", dir, name), fopen(path, "w")) : NULL;
	if (!f) {
		free(path);
		return NULL;
	}
	fputs(text, f);
	fclose(f);
	return path;
}

/* Removes a directory made by temp_dir and everything in it. */
static inline void remove_tree(const char *dir)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* Runs a shell command from the source directory, its stdout to *out and stderr to *err
 * (malloc'd; stdout closed instead when close_stdout). Returns the exit status, or -1 when
 * it did not exit. */
static inline int capture_shell(const char *command, bool close_stdout, char **out, char **err)
{
	char dir[512], out_path[600], err_path[600];
	if (!temp_dir(dir, sizeof dir))
		return -1;
	snprintf(out_path, sizeof out_path, "%s/stdout", dir);
	snprintf(err_path, sizeof err_path, "%s/stderr", dir);
	FILE *touch = fopen(out_path, "w"); /* there even when the command's stdout is closed */
	if (touch)
		fclose(touch);
	char cmd[16384], root[512];
	snprintf(cmd, sizeof cmd, "cd '%s' && { %s ; } %s%s 2>%s", source_path("", root, sizeof root), command,
		 close_stdout ? ">&-" : ">", close_stdout ? "" : out_path, err_path);
	int raw = system(cmd);
	*out = read_text(out_path);
	*err = read_text(err_path);
	remove_tree(dir);
	return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

/* What the binary under test ($TRAINSIM_BIN, set by meson test) printed and returned. */
struct cli_result {
	int status; /* exit status, -1 when it did not exit or TRAINSIM_BIN is not set */
	char *out, *err;
};

/* Runs `trainsim ARGS` from the source directory (free the result with cli_result_free). */
static inline struct cli_result trainsim_cli(const char *args)
{
	struct cli_result r = {-1, NULL, NULL};
	const char *bin = getenv("TRAINSIM_BIN");
	char cmd[4096];
	if (!bin || snprintf(cmd, sizeof cmd, "'%s' %s", bin, args) >= (int)sizeof cmd) {
		r.out = strdup("");
		r.err = strdup(bin ? "command too long" : "TRAINSIM_BIN is not set; run through meson test");
		return r;
	}
	r.status = capture_shell(cmd, false, &r.out, &r.err);
	return r;
}

static inline void cli_result_free(struct cli_result *r)
{
	free(r->out);
	free(r->err);
}

/* Runs `sh -c "exec COMMAND"` from the source directory with its stderr on a pipe and its
 * stdout to /dev/null, sends `sig` once a line of its stderr contains `trigger` (a
 * deterministic trigger: never a sleep), and returns its exit status (128 + n when killed by
 * signal n); its whole stderr goes to *err (malloc'd). */
static inline int run_until(const char *command, const char *trigger, int sig, char **err)
{
	int fds[2];
	char root[512], cmd[8192];
	if (pipe(fds) != 0)
		return -1;
	snprintf(cmd, sizeof cmd, "cd '%s' && exec %s", source_path("", root, sizeof root), command);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	size_t size = 0, capacity = 4096;
	char *text = malloc(capacity);
	bool sent = false;
	ssize_t n;
	while (text && (n = read(fds[0], text + size, capacity - size - 1)) > 0) {
		size += (size_t)n;
		text[size] = '\0';
		if (!sent && strstr(text, trigger))
			sent = kill(pid, sig) == 0;
		if (capacity - size < 1024)
			text = realloc(text, capacity *= 2);
	}
	close(fds[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	*err = text;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- scenarios, through the one load chain (model/scenario.c) ---- */

/* Platform (and workload unless wpath is NULL) from files, or the built-in default for a NULL
 * platform path; NULL with err filled on failure. Free with scenario_destroy. */
static inline struct scenario *scenario_files(const char *ppath, const char *wpath, struct ts_error *err)
{
	struct scenario_spec spec = {.platform = {.path = ppath}, .workload = {.path = wpath}, .platform_only = !wpath};
	struct scenario *s = NULL;
	return scenario_load(&spec, &s, err) ? s : NULL;
}

/* The same from text named pname and wname in messages (wtext NULL: platform only). */
static inline struct scenario *scenario_texts(const char *pname, const char *ptext, const char *wname,
					      const char *wtext, struct ts_error *err)
{
	struct scenario_spec spec = {.platform = {.name = pname, .text = ptext},
				     .workload = {.name = wname, .text = wtext}, .platform_only = !wtext};
	struct scenario *s = NULL;
	return scenario_load(&spec, &s, err) ? s : NULL;
}

/* The built-in default platform and workload. */
static inline struct scenario *scenario_defaults(struct ts_error *err)
{
	struct scenario_spec spec = {0};
	struct scenario *s = NULL;
	return scenario_load(&spec, &s, err) ? s : NULL;
}

/* Load tests/fixtures/small.yaml with `from` replaced by `to`, as file "small.yaml".
 * Returns whether it loaded; the formatted error goes to message[size]. */
static inline bool load_mutated(const char *from, const char *to, char *message, size_t size)
{
	char path[512];
	char *base = read_text(source_path("tests/fixtures/small.yaml", path, sizeof path));
	char *text = base ? replace_once(base, from, to) : NULL;
	struct ts_error err = {0};
	struct scenario *s = NULL;
	if (!text)
		snprintf(message, size, "test setup: '%s' not found in small.yaml", from);
	else if (!(s = scenario_texts("small.yaml", text, NULL, NULL, &err)))
		error_format(&err, message, size);
	else
		snprintf(message, size, "loaded");
	bool ok = s != NULL;
	scenario_destroy(s);
	free(text);
	free(base);
	return ok;
}

/* A shipped platform (platforms/<name>) as a platform-only scenario; NULL and a message on
 * failure. */
static inline struct scenario *load_platform_named(const char *name, char *message, size_t size)
{
	char rel[128], path[512];
	snprintf(rel, sizeof rel, "platforms/%s", name);
	struct ts_error err = {0};
	struct scenario *s = scenario_files(source_path(rel, path, sizeof path), NULL, &err);
	if (!s)
		error_format(&err, message, size);
	return s;
}

#endif
