/* grow: a doubling array (see grow.h). */
#include "grow.h"

#include <stdlib.h>

void *grow_array(void *items, size_t *capacity, size_t count, size_t size, size_t first)
{
	if (count < *capacity)
		return items;
	size_t more = *capacity ? 2 * *capacity : first;
	void *grown = realloc(items, more * size);
	if (grown)
		*capacity = more;
	return grown;
}
