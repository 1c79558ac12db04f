/* fuzz_summary: libFuzzer target for the summary.json that `trainsim compare` reads: the input
 * read directly (summary_read_string, then the path helpers on it) and compared through
 * compare_summaries with itself and both ways with tests/fixtures/compare/base.json, tables
 * and messages thrown away. Any input must give a verdict or a located error, never a crash,
 * a leak or undefined behaviour. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "compare.h"
#include "summary_read.h"
#include "trainsim_config.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static const char base[] = TRAINSIM_SOURCE_DIR "/tests/fixtures/compare/base.json";
static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	devnull = fopen("/dev/null", "w");
	fd = memfd_create("summary.json", 0);
	if (!devnull || fd < 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
}

/* The lookups compare makes, and their rendering for messages. */
static void read_paths(const struct summary_doc *doc)
{
	static const char *const paths[] = {"", "schema", "schema_version", "scenario.overrides.0",
					    "distribution.wallclock_s.p50", "time.0", "x.y.z"};
	char buf[128];
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		const json_t *v = summary_read_get(summary_read_root(doc), paths[i]);
		double x;
		int line, column;
		summary_read_number(v, &x);
		summary_read_format(v, buf, sizeof buf);
		if (v)
			summary_read_type_name(v);
		if (summary_read_locate(doc, paths[i], &line, &column) && (line < 1 || column < 1))
			abort(); /* positions are 1-based */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct summary_doc *doc = NULL;
	struct ts_error err = {0};
	if (summary_read_string("summary.json", (const char *)data, size, &doc, &err))
		read_paths(doc);
	else if (!err.message[0] || doc)
		abort();
	summary_read_destroy(doc);
	write_input(data, size);
	struct compare_request self = {{path, path}, 0.02, "p50", false};
	int status = compare_summaries(&self, devnull, devnull);
	if (status != 0 && status != 2)
		abort(); /* a file is never a regression of itself */
	for (int force = 0; force < 2; force++) {
		struct compare_request r = {{force ? path : base, force ? base : path}, 0.02, force ? "mean" : "p90",
					    force};
		status = compare_summaries(&r, devnull, devnull);
		if (status < 0 || status > 2)
			abort();
	}
	return 0;
}
