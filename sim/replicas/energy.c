/* energy: a replica's IT energy (see energy.h). */
#include "energy.h"

double energy_replica_mwh(const struct platform *p, const struct workload *w, const struct run_result *r)
{
	double nodes = (double)w->job.gpus / (double)p->node.gpus;
	double busy_w = nodes * ((double)p->node.gpus * p->gpu.busy_w + p->node.host_busy_w);
	double idle_w = nodes * ((double)p->node.gpus * p->gpu.idle_w + p->node.host_idle_w);
	double busy_s = r->time_s[TIME_PRODUCTIVE] + r->time_s[TIME_LOST] + r->time_s[TIME_DEGRADED];
	return (busy_w * busy_s + idle_w * (r->wallclock_s - busy_s)) / 3.6e9; /* J -> MWh */
}
