/* efficiency: the key table shared by the platform's gpu.efficiency and the workload's
 * efficiency section, and how the two combine (see efficiency.h). */
#include "efficiency.h"

#include <stddef.h>
#include <string.h>

#include "yaml_doc.h"

#define E(field) offsetof(struct efficiency_spec, field)

/* Order follows enum efficiency_key, then the keys that are not fractions. */
static const struct yfield fields[] = {
	{"matmul", YF_QUANTITY, E(matmul), false, UNIT_FRACTION, 0.01, 1},
	{"fp8_matmul", YF_QUANTITY, E(fp8_matmul), false, UNIT_FRACTION, 0.01, 1},
	{"attention", YF_QUANTITY, E(attention), false, UNIT_FRACTION, 0.01, 1},
	{"tp_overlap", YF_QUANTITY, E(tp_overlap), false, UNIT_FRACTION, 0, 1},
	{"dp_overlap", YF_QUANTITY, E(dp_overlap), false, UNIT_FRACTION, 0, 1},
	{"ep_overlap", YF_QUANTITY, E(ep_overlap), false, UNIT_FRACTION, 0, 1},
	{"optimizer", YF_QUANTITY, E(optimizer_s), false, UNIT_TIME, 0, 3600},
	{0}};

void efficiency_unset(struct efficiency_spec *e)
{
	for (int k = 0; k < EFF_KEYS; k++)
		*efficiency_at(e, (enum efficiency_key)k) = -1;
	e->optimizer_s = -1;
}

const char *efficiency_key_name(enum efficiency_key k)
{
	return k >= 0 && k < EFF_KEYS ? fields[k].key : "?";
}

bool efficiency_key_find(const char *name, enum efficiency_key *out)
{
	for (int k = 0; k < EFF_KEYS; k++)
		if (!strcmp(fields[k].key, name)) {
			*out = (enum efficiency_key)k;
			return true;
		}
	return false;
}

double *efficiency_at(struct efficiency_spec *e, enum efficiency_key k)
{
	return (double *)((char *)e + fields[k].offset);
}

double efficiency_get(const struct efficiency_spec *e, enum efficiency_key k)
{
	return *(const double *)((const char *)e + fields[k].offset);
}

void efficiency_range(enum efficiency_key k, double *min, double *max)
{
	*min = fields[k].min;
	*max = fields[k].max;
}

bool efficiency_decode(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
		       struct ts_error *err)
{
	return ydoc_decode(doc, node, path, fields, dst, err);
}

static double pick(double over, double under, double fallback)
{
	return over >= 0 ? over : under >= 0 ? under : fallback;
}

void efficiency_resolve(const struct efficiency_spec *over, const struct efficiency_spec *under,
			struct efficiency_spec *out)
{
	out->matmul = pick(over->matmul, under->matmul, -1);
	out->fp8_matmul = pick(over->fp8_matmul, under->fp8_matmul, -1);
	out->attention = pick(over->attention, under->attention, out->matmul);
	out->tp_overlap = pick(over->tp_overlap, under->tp_overlap, 0);
	out->dp_overlap = pick(over->dp_overlap, under->dp_overlap, 0);
	out->ep_overlap = pick(over->ep_overlap, under->ep_overlap, 0);
	out->optimizer_s = pick(over->optimizer_s, under->optimizer_s, 0);
}
