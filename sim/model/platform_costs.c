/* platform_costs: the `costs` section (what GPU time, energy, technicians, spare parts and
 * their stock cost), decoded after the spare parts, whose names its prices must use. Every
 * figure is resolved here, once, to US dollars per SI unit. */
#include "platform_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_S (365 * 86400.0)

/* The section as written, before GPU time is resolved to one price per GPU-second. */
struct costs_entry {
	double gpu_hour, gpu_capital, depreciation_s;
	bool has_gpu_hour, has_gpu_capital, has_depreciation;
	double energy, pue, technician_hour, holding;
	const struct ydoc_node *parts;
};

/* Ranges wide enough for any cluster, narrow enough to catch a slipped prefix (30MUSD for
 * 30kUSD a GPU). */
#define E(field) offsetof(struct costs_entry, field)
#define GIVEN(field) .has_presence = true, .presence_offset = E(field)
static const struct yfield costs_fields[] = {
	{"gpu_hour", YF_QUANTITY, E(gpu_hour), false, UNIT_MONEY_RATE, 0, 1000 / 3600.0, GIVEN(has_gpu_hour)},
	{"gpu_capital", YF_QUANTITY, E(gpu_capital), false, UNIT_MONEY, 0, 1e6, GIVEN(has_gpu_capital)},
	{"depreciation", YF_QUANTITY, E(depreciation_s), false, UNIT_TIME, 30 * 86400.0, 20 * YEAR_S,
	 GIVEN(has_depreciation)},
	{"energy", YF_QUANTITY, E(energy), false, UNIT_ENERGY_PRICE, 0, 10 / 3.6e6},
	{"pue", YF_QUANTITY, E(pue), false, UNIT_COUNT, 1, 3},
	{"technician_hour", YF_QUANTITY, E(technician_hour), false, UNIT_MONEY_RATE, 0, 1e4 / 3600.0},
	{"parts", YF_CUSTOM, E(parts), false, .custom = platform_keep_node},
	{"holding", YF_QUANTITY, E(holding), false, UNIT_RATE, 0, 1 / YEAR_S},
	{0}};
#undef GIVEN
#undef E

/* GPU time is priced one way: rented by the GPU-hour, or owned and written off over a life. */
static bool gpu_time_consistent(const struct ydoc *doc, const struct ydoc_node *node, const struct costs_entry *e,
				struct ts_error *err)
{
	if (e->has_gpu_hour && e->has_gpu_capital)
		return ydoc_error(doc, ydoc_map_get(node, "gpu_capital"), err, "costs has both gpu_hour (rented GPUs) and "
				  "gpu_capital (owned GPUs); expected one of them");
	if (!e->has_gpu_hour && !e->has_gpu_capital)
		return ydoc_error(doc, node, err, "costs needs the price of GPU time: gpu_hour (rented, such as 2.5USD/h) "
				  "or gpu_capital (owned, such as 30kUSD, written off over depreciation)");
	if (e->has_depreciation && !e->has_gpu_capital)
		return ydoc_error(doc, ydoc_map_get(node, "depreciation"), err, "costs.depreciation is the life over "
				  "which gpu_capital is written off; expected it with gpu_capital, not gpu_hour");
	return true;
}

static long part_named(const struct operations *ops, const char *name)
{
	for (size_t i = 0; i < ops->part_count; i++)
		if (!strcmp(ops->parts[i].name, name))
			return (long)i;
	return -1;
}

/* "gpu, optic" (at most what fits) for messages. */
static const char *part_list(const struct operations *ops, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < ops->part_count; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, size - used, "%s%s", i ? ", " : "", ops->parts[i].name);
	}
	return buf;
}

/* costs.parts: {NAME: PRICE, ...}, each NAME a part of operations.spares.parts. */
static bool decode_part_prices(const struct ydoc *doc, const struct ydoc_node *map, struct platform *p,
			       struct ts_error *err)
{
	const struct operations *ops = &p->operations;
	char list[256];
	if (map->type != YDOC_MAP)
		return ydoc_error(doc, map, err, "costs.parts is not a mapping; expected a price per part used, "
				  "such as gpu: 25kUSD");
	for (size_t i = 0; i < map->count; i++) {
		const struct ydoc_entry *e = &map->entries[i];
		char path[160];
		snprintf(path, sizeof path, "costs.parts.%s", e->key->text);
		long part = part_named(ops, e->key->text);
		if (part < 0 && ops->part_count == 0)
			return ydoc_error(doc, e->key, err, "%s prices a part, but operations.spares.parts lists none; "
					  "expected parts there first", path);
		if (part < 0)
			return ydoc_error(doc, e->key, err, "%s names no part of operations.spares.parts; expected one of %s",
					  path, part_list(ops, list, sizeof list));
		if (!ydoc_quantity(doc, e->value, path, UNIT_MONEY, 0, 1e7, &p->costs.part_usd[part], err))
			return false;
	}
	return true;
}

bool platform_decode_costs(const struct ydoc *doc, const struct ydoc_node *node, struct platform *p,
			   struct ts_error *err)
{
	struct cost_spec *c = &p->costs;
	/* [assumed] four years of constant use: "hardware lasts a few years" (REFERENCE.md, Money) */
	struct costs_entry e = {.depreciation_s = 4 * YEAR_S, .pue = 1};
	c->part_usd = calloc(p->operations.part_count ? p->operations.part_count : 1, sizeof *c->part_usd);
	if (!c->part_usd)
		return ydoc_error(doc, node, err, "out of memory");
	if (!ydoc_decode(doc, node, "costs", costs_fields, &e, err) || !gpu_time_consistent(doc, node, &e, err) ||
	    (e.parts && !decode_part_prices(doc, e.parts, p, err)))
		return false;
	c->present = true;
	c->owned = e.has_gpu_capital;
	c->gpu_capital_usd = e.gpu_capital;
	c->depreciation_s = c->owned ? e.depreciation_s : 0;
	c->gpu_usd_per_s = c->owned ? e.gpu_capital / e.depreciation_s : e.gpu_hour;
	c->energy_usd_per_j = e.energy;
	c->pue = e.pue;
	c->technician_usd_per_s = e.technician_hour;
	c->holding_per_s = e.holding;
	return true;
}
