/* fuzz_yaml: libFuzzer target for the YAML front end. Any input must give a loaded model or
 * a located error, never a crash, a leak or undefined behaviour. Built only with
 * -Dfuzz=true and clang (see README, Development); -dict=tests/fuzz/yaml.dict and
 * -timeout=10 help it reach anchors and aliases and catch inputs that load slowly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct ts_error err = {0};
	struct scenario *s = NULL;
	/* The input as a platform, and as a workload on the default platform. */
	struct scenario_spec as_platform = {.platform = {.name = "fuzz.yaml", .text = text}, .platform_only = true};
	if (scenario_load(&as_platform, &s, &err))
		scenario_destroy(s);
	struct scenario_spec as_workload = {.workload = {.name = "fuzz.yaml", .text = text}};
	if (scenario_load(&as_workload, &s, &err))
		scenario_destroy(s);
	free(text);
	return 0;
}
