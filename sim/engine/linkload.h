/* linkload: how long the slowest transfer of a set needs, from the load of the links along
 * the routes SimGrid gives them, without running SimGrid.
 *
 * Why: at 100K GPUs one simulated step of a collective is 12,000 transfers and takes SimGrid
 * half a second; a run changes its placement (spares in other pods, other sites) and its
 * links (a degraded fiber) hundreds of times. Under max-min sharing of equal transfers the
 * slowest one runs at the share of its most loaded link, so what a change does to a step is
 * what it does to that bottleneck: steptime simulates the step once in SimGrid and adds the
 * change in the time computed here (tests/test_steptime.c checks it against full simulations).
 *
 * The time is the larger of two lower bounds that SimGrid's CM02 model makes tight: a link
 * carrying its bytes at its capacity, after the longest route latency among its flows; and a
 * flow on its own, after its route latency, at the rate CM02's TCP window allows it
 * (gamma / 2 x latency: what a WAN hop costs beyond its bandwidth). NVLink loopbacks are
 * FATPIPE in SimGrid (every transfer gets the full bandwidth), so an in-domain transfer only
 * bounds itself; the others share their NIC, leaf, pod and WAN links. */
#ifndef TRAINSIM_LINKLOAD_H
#define TRAINSIM_LINKLOAD_H

#include <stdbool.h>

#include "error.h"
#include "flowsim.h"
#include "platform.h"
#include "sg_platform.h"

struct linkload;

/* A counter for platform p as loaded in c (c answers the WAN routes between sites). false on
 * out of memory, or when the platform's routes are not the shape this module counts. */
bool linkload_create(const struct platform *p, const struct sg_cluster *c, struct linkload **out,
		     struct ts_error *err);
void linkload_destroy(struct linkload *l);

/* Seconds the slowest transfer of `set` needs (see above), in the view of rail `rail` (-1:
 * all rails) with the degradations of `state` (NULL: healthy); 0 for no flows. */
double linkload_bottleneck_s(struct linkload *l, const struct flowset *set, const struct cluster_state *state,
			     long rail);

/* The links a transfer from GPU a to GPU b crosses, as linkload counts them (NVLink for a
 * transfer inside one domain); for tests against SimGrid's routes. */
size_t linkload_route(const struct linkload *l, long gpu_a, long gpu_b, struct sg_link_ref *links, size_t max);

#endif
