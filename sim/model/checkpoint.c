/* checkpoint: the job's failure rate from the components it uses, and Daly's formula. */
#include "checkpoint.h"

#include <math.h>

#include "components.h"

double checkpoint_job_failure_rate(const struct platform *p, const struct workload *w)
{
	double rate = 0, nodes = (double)(w->job.gpus / p->node.gpus);
	for (size_t i = 0; i < p->failure_count; i++)
		rate += p->failures[i].rate_per_s * components_used_by_job(p, p->failures[i].per, nodes);
	return rate;
}

double checkpoint_save_s(const struct workload *w)
{
	if (w->checkpoint.async)
		return w->checkpoint.async_stall_s;
	return workload_checkpoint_bytes(w) / w->checkpoint.write_bytes_per_s;
}

double checkpoint_interval_s(const struct platform *p, const struct workload *w)
{
	if (!w->checkpoint.interval_auto)
		return w->checkpoint.interval_s;
	double rate = checkpoint_job_failure_rate(p, w);
	if (rate <= 0)
		return INFINITY;
	double m = 1 / rate, d = checkpoint_save_s(w);
	if (d <= 0)
		return 60; /* free saves: checkpoint every minute rather than never */
	if (d >= 2 * m)
		return m;
	double x = d / (2 * m);
	return sqrt(2 * d * m) * (1 + sqrt(x) / 3 + x / 9) - d;
}
