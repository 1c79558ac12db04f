/* grow: room for one more element in an array that doubles as it fills. Written once
 * because the same five lines stood in a dozen places (events, tickets, checkpoints, flows,
 * YAML nodes), each with its own chance to get the capacity update wrong. */
#ifndef TRAINSIM_GROW_H
#define TRAINSIM_GROW_H

#include <stddef.h>

/* `items` (with *capacity elements of `size` bytes allocated, `count` used) with room for
 * one more: the same pointer, or the array moved to twice its capacity (`first` elements
 * when empty), *capacity updated. NULL, with `items` and *capacity untouched, when out of
 * memory. */
void *grow_array(void *items, size_t *capacity, size_t count, size_t size, size_t first);

#endif
