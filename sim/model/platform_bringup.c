/* platform_bringup: the `bring_up` section (deliveries of halls or sites over time, rack
 * acceptance, dead-on-arrival nodes) and crews that grow on dates
 * (operations.technicians.grow): decoded after the sites, resolved to racks once the halls'
 * indexes are known. Kept apart from platform_decode.c, which is the steady-state schema. */
#include "platform_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

/* ---- when: an offset from the run's start, or a calendar date ---- */

struct when {
	double at_s;
	bool dated;
	double at_epoch_s;
};

static bool decode_when(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			struct ts_error *err)
{
	struct when *w = dst;
	char why[200];
	if (node->type != YDOC_SCALAR)
		return ydoc_error(doc, node, err, "%s is not a single value; expected a time after the run's start "
				  "(such as 21d) or a date (such as 2025-03-01)", path);
	if (strlen(node->text) == 10 && node->text[4] == '-' && node->text[7] == '-') {
		if (!units_parse_date(node->text, &w->at_epoch_s, why, sizeof why))
			return ydoc_error(doc, node, err, "%s: %s", path, why);
		w->dated = true;
		return true;
	}
	if (!units_parse(UNIT_TIME, node->text, &w->at_s, why, sizeof why))
		return ydoc_error(doc, node, err, "%s: %s; expected a time after the run's start (such as 21d) or a "
				  "date (such as 2025-03-01)", path, why);
	if (!(w->at_s >= 0 && w->at_s <= 20 * 365 * 86400.0))
		return ydoc_error(doc, node, err, "%s is '%s'; expected a time from 0 to 20 years after the run's start "
				  "(capacity there before it is simply not in a delivery)", path, node->text);
	return true;
}

/* ---- deliveries: {hall: N | site: NAME, at: WHEN, over: DURATION} ---- */

struct delivery_entry {
	long hall;
	char *site;
	struct when when;
	double over_s;
	bool has_hall, has_site;
};
#define D(field) offsetof(struct delivery_entry, field)
static const struct yfield delivery_fields[] = {
	{"hall", YF_INT, D(hall), false, .min = 0, .max = 1e6, .has_presence = true, .presence_offset = D(has_hall)},
	{"site", YF_STRING, D(site), false, .has_presence = true, .presence_offset = D(has_site)},
	{"at", YF_CUSTOM, D(when), true, .custom = decode_when},
	{"over", YF_QUANTITY, D(over_s), false, UNIT_TIME, 0, 5 * 365 * 86400.0},
	{0}};
#undef D

static long site_named(const struct platform *p, const char *name)
{
	for (size_t s = 0; s < p->site_count; s++)
		if (!strcmp(p->sites[s].name, name))
			return (long)s;
	return -1;
}

static bool decode_delivery(const struct ydoc *doc, const struct ydoc_node *node, const char *path, struct platform *p,
			    struct delivery *d, struct ts_error *err)
{
	struct delivery_entry e = {0};
	bool ok = ydoc_decode(doc, node, path, delivery_fields, &e, err);
	if (ok && e.has_hall == e.has_site)
		ok = ydoc_error(doc, node, err, "%s needs exactly one of hall (an index into the platform's halls) or "
				"site (a site's name)", path);
	long site = ok && e.has_site ? site_named(p, e.site) : 0;
	if (ok && site < 0)
		ok = ydoc_error(doc, ydoc_map_get(node, "site"), err, "%s.site is '%s', which is no site of this platform",
				path, e.site);
	if (ok && e.has_hall && e.hall >= (long)p->hall_count)
		ok = ydoc_error(doc, ydoc_map_get(node, "hall"), err, "%s.hall is %ld; expected a hall index from 0 to "
				"%zu", path, e.hall, p->hall_count - 1);
	free(e.site);
	if (!ok)
		return false;
	d->first_hall = e.has_hall ? e.hall : p->sites[site].first_hall;
	d->halls = e.has_hall ? 1 : p->sites[site].halls;
	d->at_s = e.when.at_s;
	d->dated = e.when.dated;
	d->at_epoch_s = e.when.at_epoch_s;
	d->over_s = e.over_s;
	return true;
}

static bool decode_deliveries(const struct ydoc *doc, const struct ydoc_node *node, const char *path, void *dst,
			      struct ts_error *err)
{
	struct platform *p = dst;
	struct bring_up_spec *b = &p->bring_up;
	if (node->type != YDOC_SEQ || node->count == 0)
		return ydoc_error(doc, node, err, "%s is not a list of deliveries; expected entries such as "
				  "{hall: 1, at: 21d, over: 14d}", path);
	b->deliveries = calloc(node->count, sizeof *b->deliveries);
	if (!b->deliveries)
		return ydoc_error(doc, node, err, "out of memory");
	for (size_t i = 0; i < node->count; i++) {
		char item[96];
		snprintf(item, sizeof item, "%s[%zu]", path, i);
		b->deliveries[i].yaml_entry = (long)i;
		if (!decode_delivery(doc, node->items[i], item, p, &b->deliveries[i], err))
			return false;
		b->delivery_count++;
	}
	return true;
}

/* ---- the section ---- */

#define B(field) offsetof(struct platform, bring_up.field)
static const struct yfield acceptance_fields[] = {
	{"hands_on", YF_QUANTITY, B(acceptance_s), true, UNIT_TIME, 0, 30 * 86400.0},
	{"sigma", YF_QUANTITY, B(acceptance_sigma), false, UNIT_COUNT, 0, 3},
	{"burn_in", YF_QUANTITY, B(burn_in_s), false, UNIT_TIME, 0, 60 * 86400.0},
	{0}};
static const struct yfield doa_fields[] = {
	{"fraction", YF_QUANTITY, B(dead_on_arrival), true, UNIT_FRACTION, 0, 1},
	{"part", YF_STRING, B(doa_part), false},
	{"repair", YF_QUANTITY, B(doa_repair_s), false, UNIT_TIME, 0, 30 * 86400.0},
	{0}};
static const struct yfield bring_up_fields[] = {
	{"deliveries", YF_CUSTOM, 0, true, .custom = decode_deliveries},
	{"acceptance", YF_MAP, 0, true, .fields = acceptance_fields},
	{"dead_on_arrival", YF_MAP, 0, false, .fields = doa_fields},
	{0}};
#undef B

bool platform_decode_bring_up(const struct ydoc *doc, const struct ydoc_node *node, struct platform *p,
			      struct ts_error *err)
{
	p->bring_up.present = true;
	p->bring_up.doa_part_index = -1;
	p->bring_up.doa_repair_s = 4 * 3600; /* [assumed] a node swap or reseat, as a GPU repair */
	return ydoc_decode(doc, node, "bring_up", bring_up_fields, p, err);
}

/* ---- operations.technicians.grow: [{at: WHEN, per_site: N}, ...] ---- */

struct crew_entry {
	struct when when;
	long per_site;
};
static const struct yfield crew_fields[] = {
	{"at", YF_CUSTOM, offsetof(struct crew_entry, when), true, .custom = decode_when},
	{"per_site", YF_INT, offsetof(struct crew_entry, per_site), true, .min = 0, .max = 1e5},
	{0}};

bool platform_decode_crew_growth(const struct ydoc *doc, const struct ydoc_node *node, struct platform *p,
				 struct ts_error *err)
{
	const char *path = "operations.technicians.grow";
	struct operations *ops = &p->operations;
	if (node->type != YDOC_SEQ || node->count == 0)
		return ydoc_error(doc, node, err, "%s is not a list; expected entries such as {at: 30d, per_site: 40}",
				  path);
	ops->crew_changes = calloc(node->count, sizeof *ops->crew_changes);
	if (!ops->crew_changes)
		return ydoc_error(doc, node, err, "out of memory");
	for (size_t i = 0; i < node->count; i++) {
		char item[96];
		snprintf(item, sizeof item, "%s[%zu]", path, i);
		struct crew_entry e = {0};
		if (!ydoc_decode(doc, node->items[i], item, crew_fields, &e, err))
			return false;
		if (e.when.dated)
			return ydoc_error(doc, ydoc_map_get(node->items[i], "at"), err, "%s.at is a date; expected a time "
					  "after the run's start such as 30d", item);
		if (i > 0 && e.when.at_s <= ops->crew_changes[i - 1].at_s)
			return ydoc_error(doc, ydoc_map_get(node->items[i], "at"), err, "%s.at is not after the entry "
					  "before it; expected the changes in time order", item);
		ops->crew_changes[i] = (struct crew_change){e.when.at_s, e.per_site};
		ops->crew_change_count++;
	}
	return true;
}

/* ---- resolved once the halls' indexes are known ---- */

static bool check_overlaps(const struct ydoc *doc, const struct bring_up_spec *b, struct ts_error *err)
{
	for (size_t i = 0; i < b->delivery_count; i++)
		for (size_t j = 0; j < i; j++) {
			const struct delivery *x = &b->deliveries[i], *y = &b->deliveries[j];
			if (x->first_hall < y->first_hall + y->halls && y->first_hall < x->first_hall + x->halls) {
				char path[64];
				snprintf(path, sizeof path, "bring_up.deliveries.%zu", i);
				return ydoc_error_at(doc, path, err, "bring_up.deliveries[%zu] delivers a hall that "
						     "bring_up.deliveries[%zu] delivers too; expected each hall once", i, j);
			}
		}
	return true;
}

bool platform_check_bring_up(const struct ydoc *doc, struct platform *p, struct ts_error *err)
{
	struct bring_up_spec *b = &p->bring_up;
	if (!b->present)
		return true;
	for (size_t i = 0; i < b->delivery_count; i++) {
		struct delivery *d = &b->deliveries[i];
		const struct hall *first = &p->halls[d->first_hall], *last = &p->halls[d->first_hall + d->halls - 1];
		d->first_rack = first->first_rack;
		d->racks = last->first_rack + last->racks - first->first_rack;
	}
	if (!check_overlaps(doc, b, err))
		return false;
	if (!b->doa_part)
		return true;
	for (size_t i = 0; i < p->operations.part_count; i++)
		if (!strcmp(p->operations.parts[i].name, b->doa_part)) {
			b->doa_part_index = (long)i;
			return true;
		}
	return ydoc_error_at(doc, "bring_up.dead_on_arrival.part", err, "bring_up.dead_on_arrival.part is '%s', which is "
			     "not in operations.spares.parts; expected one of its parts", b->doa_part);
}

void platform_free_bring_up(struct platform *p)
{
	free(p->bring_up.deliveries);
	free(p->bring_up.doa_part);
	free(p->operations.crew_changes);
}
