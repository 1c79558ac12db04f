/* checkpoint: how often the job saves and what it costs: the job's failure rate from the
 * platform's reliability classes, Daly's optimal interval, and the save stall. */
#ifndef TRAINSIM_CHECKPOINT_H
#define TRAINSIM_CHECKPOINT_H

#include "platform.h"
#include "workload.h"

/* Expected failures per second hitting a job of w's size on p (all failure classes, each
 * rate times the number of such components the job uses). 0 when p has no reliability. */
double checkpoint_job_failure_rate(const struct platform *p, const struct workload *w);

/* Seconds training is blocked by one save: the snapshot stall if asynchronous, else the
 * checkpoint size over the storage write bandwidth. */
double checkpoint_save_s(const struct workload *w);

/* Seconds of training between checkpoints: the fixed interval, or with `auto` Daly's
 * optimum (FGCS 22:303, 2006) for save time d and job MTBF M:
 *   sqrt(2dM) [1 + sqrt(d/(2M))/3 + d/(18M)] - d  for d < 2M, else M.
 * Infinite when auto and the job never fails. */
double checkpoint_interval_s(const struct platform *p, const struct workload *w);

#endif
