/* jobstate: names of the job's time categories. */
#include "jobstate.h"

static const char *const category_names[] = {"productive", "lost", "detection", "restart", "waiting_technician",
					      "waiting_parts", "checkpoint", "degraded", "power",
					      "bring_up"};

const char *jobstate_name(enum time_category c)
{
	return c < TIME_CATEGORY_COUNT ? category_names[c] : "?";
}

enum time_category jobstate_bottleneck(const double time_s[TIME_CATEGORY_COUNT])
{
	enum time_category worst = TIME_LOST;
	for (int c = TIME_LOST; c < TIME_CATEGORY_COUNT; c++)
		if (time_s[c] > time_s[worst])
			worst = (enum time_category)c;
	return worst;
}
