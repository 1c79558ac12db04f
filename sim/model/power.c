/* power: loads, peaks and breaker trips (see power.h). */
#include "power.h"

#include <math.h>

/* Throughput of a power-capped GPU grows about as power^0.4: dynamic power goes as f.V^2
 * and voltage falls with clock under DVFS. [assumed]; it gives ~13% slower steps at a 70%
 * cap, in the 10-15% range operators report for LLM training. */
#define CAP_THROUGHPUT_EXPONENT 0.4

static double gpu_busy_w(const struct platform *p)
{
	double cap = p->power.smoothing == SMOOTHING_CAP ? p->power.cap : 1;
	return p->gpu.busy_w * cap;
}

double power_rack_load_w(const struct platform *p, bool busy)
{
	double gpu = busy ? gpu_busy_w(p) : p->gpu.idle_w;
	double host = busy ? p->node.host_busy_w : p->node.host_idle_w;
	return (double)p->rack.nodes * ((double)p->node.gpus * gpu + host);
}

double power_rack_peak_w(const struct platform *p, enum power_peak peak)
{
	double over = peak == PEAK_STEP ? p->power.gpu_transient : p->power.restart_inrush;
	if (p->power.smoothing != SMOOTHING_NONE)
		over = 1; /* ramps held to rated power (smoothing), or a hard cap */
	return (double)p->rack.nodes * ((double)p->node.gpus * gpu_busy_w(p) * over + p->node.host_busy_w);
}

bool power_rack_carried(const struct platform *p, double load_w, long pdus_up)
{
	return pdus_up > 0 && load_w <= (double)pdus_up * p->rack.pdu_capacity_w;
}

double power_trip_probability(const struct platform *p, double peak_w, long pdus_up)
{
	if (pdus_up <= 0)
		return 1;
	double share = peak_w / (double)pdus_up / p->rack.pdu_capacity_w;
	double z = (share - p->power.trip_at) / (p->power.trip_tolerance * p->power.trip_at);
	return 0.5 * erfc(-z / sqrt(2)); /* normal CDF */
}

double power_cap_slowdown(const struct platform *p)
{
	if (p->power.smoothing != SMOOTHING_CAP)
		return 1;
	return pow(p->power.cap, -CAP_THROUGHPUT_EXPONENT);
}
