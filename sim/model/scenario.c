/* scenario: the load chain, written once (see scenario.h). */
#include "scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defaults.h"
#include "sha256.h"
#include "yaml_doc.h"

void scenario_destroy(struct scenario *s)
{
	if (!s)
		return;
	workload_destroy(s->workload);
	platform_destroy(s->platform);
	for (size_t i = 0; i < s->overrides.count; i++)
		free((char *)s->overrides.items[i]);
	free((char **)s->overrides.items);
	free(s->failure_log_path);
	failure_log_finish(&s->failure_log);
	free(s);
}

/* Technicians must exist if any failure class needs one, or a run would wait for ever. A
 * per_site of 0 is always written (the default is 1), so the message points at it: in the
 * file, or at the --set item that gave it. */
static bool check_repairable(const struct platform *p, const struct ydoc *doc, struct ts_error *err)
{
	for (size_t i = 0; i < p->failure_count; i++)
		if (p->failures[i].needs_technician && p->operations.technicians_per_site == 0)
			return ydoc_error_at(doc, "operations.technicians.per_site", err, "operations.technicians.per_site "
					     "is 0 but failure class %s needs a technician: nothing would ever be "
					     "repaired", p->failures[i].name);
	return true;
}

/* The document an input names, its content hashed into sha256, with the overrides for
 * `target` applied. */
static bool load_doc(const struct scenario_input *in, const char *default_name, const char *default_text,
		     const struct overrides *o, enum override_target target, struct ydoc **doc, char sha256[65],
		     struct ts_error *err)
{
	bool ok;
	if (in->path)
		ok = ydoc_load_file(in->path, doc, err) && sha256_file_hex(in->path, sha256, err);
	else {
		const char *name = in->text ? in->name : default_name, *text = in->text ? in->text : default_text;
		sha256_hex(text, strlen(text), sha256);
		ok = ydoc_load_string(name ? name : "<text>", text, doc, err);
	}
	if (ok && !overrides_apply(*doc, o, target, err)) {
		ydoc_destroy(*doc);
		*doc = NULL;
		ok = false;
	}
	return ok;
}

static bool load_platform(const struct scenario_spec *spec, struct scenario *s, struct ts_error *err)
{
	struct ydoc *doc = NULL;
	bool ok = load_doc(&spec->platform, default_platform_name, default_platform_yaml, &s->overrides,
			   OVERRIDE_PLATFORM, &doc, s->platform_sha256, err) &&
		  platform_from_doc(doc, &s->platform, err) &&
		  (!spec->for_run || check_repairable(s->platform, doc, err));
	ydoc_destroy(doc);
	return ok;
}

static bool load_workload(const struct scenario_spec *spec, struct scenario *s, struct ts_error *err)
{
	struct ydoc *doc = NULL;
	bool ok = load_doc(&spec->workload, default_workload_name, default_workload_yaml, &s->overrides,
			   OVERRIDE_WORKLOAD, &doc, s->workload_sha256, err) &&
		  workload_from_doc(doc, s->platform, &s->workload, err);
	ydoc_destroy(doc);
	return ok;
}

static bool copy_overrides(const struct overrides *from, struct overrides *to)
{
	char **items = calloc(from->count ? from->count : 1, sizeof *items);
	if (!items)
		return false;
	to->items = (const char *const *)items;
	for (size_t i = 0; i < from->count; i++) {
		if (!(items[i] = strdup(from->items[i])))
			return false;
		to->count++;
	}
	return true;
}

static bool load_failure_log(const char *path, struct scenario *s, struct ts_error *err)
{
	if (!path)
		return true;
	if (!(s->failure_log_path = strdup(path)))
		return error_set(err, path, 0, 0, "out of memory");
	return failure_log_load(path, s->platform, &s->failure_log, err) &&
	       sha256_file_hex(path, s->failure_log_sha256, err);
}

/* A command that loads no workload cannot take an override of it (it would be ignored). */
static bool no_workload_overrides(const struct overrides *o, struct ts_error *err)
{
	for (size_t i = 0; i < o->count; i++) {
		const char *rest;
		if (overrides_target(o->items[i], &rest) == OVERRIDE_WORKLOAD) {
			char origin[300];
			snprintf(origin, sizeof origin, "--set %.256s", o->items[i]);
			return error_set(err, origin, 0, 0, "is a key of the workload, and this command reads a platform "
					 "only; expected a platform key");
		}
	}
	return true;
}

bool scenario_load(const struct scenario_spec *spec, struct scenario **out, struct ts_error *err)
{
	struct scenario *s = calloc(1, sizeof *s);
	if (!s || !copy_overrides(&spec->overrides, &s->overrides)) {
		scenario_destroy(s);
		return error_set(err, "", 0, 0, "out of memory");
	}
	bool ok = overrides_check(&s->overrides, err) &&
		  (!spec->platform_only || no_workload_overrides(&s->overrides, err)) && load_platform(spec, s, err) &&
		  (spec->platform_only || load_workload(spec, s, err)) && load_failure_log(spec->failure_log, s, err);
	if (!ok) {
		scenario_destroy(s);
		return false;
	}
	*out = s;
	return true;
}

bool scenario_file_kind(const char *path, enum scenario_kind *kind, struct ts_error *err)
{
	struct ydoc *doc;
	if (!ydoc_load_file(path, &doc, err))
		return false;
	*kind = SCENARIO_PLATFORM;
	const struct ydoc_node *root = doc->root;
	for (size_t i = 0; root && root->type == YDOC_MAP && i < root->count; i++) {
		const char *key = root->entries[i].key->text;
		if (workload_schema_has(key) && !platform_schema_has(key))
			*kind = SCENARIO_WORKLOAD;
	}
	ydoc_destroy(doc);
	return true;
}
