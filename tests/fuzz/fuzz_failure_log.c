/* fuzz_failure_log: libFuzzer target for the failure-log CSV (`trainsim run --failure-log`).
 * The built-in default platform (every component kind, several failure classes) is loaded
 * once; each input is written to a memfd and read through /proc/self/fd/N against it. Any
 * input must give a log or a located error, never a crash, a leak or undefined behaviour. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "failure_log.h"
#include "scenario.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct scenario *platform;
static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	struct scenario_spec spec = {.platform_only = true};
	struct ts_error err = {0};
	if (!scenario_load(&spec, &platform, &err)) {
		fprintf(stderr, "fuzz_failure_log: the default platform: %s\n", err.message);
		abort();
	}
	fd = memfd_create("failure-log.csv", 0);
	if (fd < 0)
		abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return 0;
}

/* The memfd holds exactly the input. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	write_input(data, size);
	struct failure_log log;
	struct ts_error err = {0};
	if (failure_log_load(path, platform->platform, &log, &err)) {
		for (size_t i = 1; i < log.count; i++)
			if (log.events[i].time_s < log.events[i - 1].time_s)
				abort(); /* the log promises time order */
		failure_log_finish(&log);
	} else if (!err.message[0] || err.line < 0 || err.column < 0) {
		abort(); /* a refusal must say why and where */
	}
	return 0;
}
