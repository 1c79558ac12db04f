/* fuzz_yaml: libFuzzer target for the YAML front end. Any input must give a loaded model or
 * a located error, never a crash, a leak or undefined behaviour. Built only with
 * -Dfuzz=true and clang (see README, Development); -dict=tests/fuzz/yaml.dict and
 * -timeout=10 help it reach anchors and aliases and catch inputs that load slowly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct ts_error err = {0};
	struct platform *p = NULL;
	/* The input as a platform; else as a workload on the default platform. */
	if (platform_load_string("fuzz.yaml", text, &p, &err) || platform_load_default(&p, &err)) {
		struct workload *w = NULL;
		if (workload_load_string("fuzz.yaml", text, p, &w, &err))
			workload_destroy(w);
	}
	platform_destroy(p);
	free(text);
	return 0;
}
