/* Tests of yaml_doc: loading with located errors, and the table-driven decoder. */
#include <criterion/criterion.h>
#include <stddef.h>

#include "helpers.h"
#include "yaml_doc.h"

static char message[2048];

static const char *load_error(const char *fixture)
{
	char path[512], rel[256];
	snprintf(rel, sizeof rel, "tests/fixtures/%s", fixture);
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	bool ok = ydoc_load_file(source_path(rel, path, sizeof path), &doc, &err);
	ydoc_destroy(doc);
	if (ok)
		return "loaded";
	/* Keep only "name:line:col: message" with the fixture's base name. */
	snprintf(err.file, sizeof err.file, "%s", fixture);
	return error_format(&err, message, sizeof message);
}

Test(yaml_doc, malformed_yaml_names_line_and_column)
{
	cr_assert_str_eq(load_error("malformed.yaml"),
			 "malformed.yaml:4:6: malformed YAML: did not find expected ',' or ']' while parsing a flow "
			 "sequence; expected valid YAML");
}

Test(yaml_doc, duplicate_keys_are_rejected_with_both_lines)
{
	cr_assert_str_eq(load_error("duplicate_key.yaml"),
			 "duplicate_key.yaml:5:3: duplicate key 'model' (first given at line 3); each key may appear once");
}

Test(yaml_doc, an_empty_file_is_an_error)
{
	cr_assert_str_eq(load_error("empty.yaml"), "empty.yaml:1:1: file is empty; expected a YAML mapping");
}

Test(yaml_doc, several_documents_are_an_error_at_the_second)
{
	cr_assert_str_eq(load_error("two_documents.yaml"),
			 "two_documents.yaml:2:1: more than one YAML document; expected exactly one");
}

Test(yaml_doc, a_recursive_alias_is_an_error_at_the_alias)
{
	cr_assert_str_eq(load_error("recursive_alias.yaml"),
			 "recursive_alias.yaml:2:6: document nested deeper than 64 levels (recursive alias?)");
}

/* Loads YAML text as file `name`: "loaded" or the formatted error. */
static const char *load_text(const char *name, const char *text)
{
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	bool ok = ydoc_load_string(name, text, &doc, &err);
	ydoc_destroy(doc);
	return ok ? "loaded" : error_format(&err, message, sizeof message);
}

/* The inputs below are sized so that the code before each fix took minutes on them (the
 * .timeout turns that into a failure rather than a slow pass); fixed, they take
 * milliseconds. */

/* name: [[[...]]], a million levels (2 MB): libyaml's document loader scanned it all, in
 * time quadratic in the depth, before our limit applied. */
Test(yaml_doc, deep_nesting_stops_at_the_limit_while_parsing, .timeout = 10)
{
	size_t levels = 1000000;
	char *text = malloc(2 * levels + 8);
	cr_assert_not_null(text);
	memcpy(text, "name: ", 6);
	memset(text + 6, '[', levels);
	memset(text + 6 + levels, ']', levels);
	memcpy(text + 6 + 2 * levels, "\n", 2);
	cr_assert_str_eq(load_text("deep.yaml", text),
			 "deep.yaml:1:71: document nested deeper than 64 levels; expected at most 64");
	free(text);
}

/* Eight levels of ten aliases to the level before, in 511 bytes, name 10^8 nodes: the
 * loader before the fix spent 40 s and 8 GB copying them, then ran out of memory. The
 * budget runs out at a4's eighth alias (12,351 nodes before a4's aliases, 11,111 each). */
Test(yaml_doc, an_alias_bomb_stops_at_the_node_budget, .timeout = 10)
{
	char text[1024] = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
	for (int level = 1; level <= 8; level++) {
		size_t used = strlen(text);
		used += (size_t)snprintf(text + used, sizeof text - used, "a%d: &a%d [", level, level);
		for (int i = 0; i < 10; i++)
			used += (size_t)snprintf(text + used, sizeof text - used, "%s*a%d", i ? ", " : "", level - 1);
		snprintf(text + used, sizeof text - used, "]\n");
	}
	cr_assert_str_eq(load_text("bomb.yaml", text),
			 "bomb.yaml:5:45: aliases expand this document past 100000 nodes; expected a document "
			 "without alias bombs");
}

/* The root, the key and the list leave room for 99,997 items: the next is one too many. */
Test(yaml_doc, a_document_of_too_many_written_nodes_is_refused)
{
	size_t items = 100000;
	char *text = malloc(3 * items + 8);
	cr_assert_not_null(text);
	memcpy(text, "a: [", 4);
	for (size_t i = 0; i < items; i++)
		memcpy(text + 4 + 3 * i, "1, ", 3);
	memcpy(text + 4 + 3 * items - 2, "]\n", 3);
	cr_assert_str_eq(load_text("big.yaml", text),
			 "big.yaml:1:299996: document has more than 100000 nodes; expected at most 100000");
	free(text);
}

/* 49,990 keys sharing a 100-character prefix (5 MB, under the node budget), then the first
 * again: compared with every earlier key, that took 30 s before the fix. */
Test(yaml_doc, a_duplicate_among_many_keys_is_found_fast, .timeout = 10)
{
	enum { KEYS = 49990, PREFIX = 100 };
	char prefix[PREFIX + 1], expected[512];
	memset(prefix, 'k', PREFIX);
	prefix[PREFIX] = '\0';
	char *text = malloc((size_t)KEYS * (PREFIX + 16) + 2 * PREFIX);
	cr_assert_not_null(text);
	size_t used = 0;
	for (int i = 0; i < KEYS; i++)
		used += (size_t)sprintf(text + used, "%s%d: 1\n", prefix, i);
	sprintf(text + used, "%s0: 2\n", prefix);
	snprintf(expected, sizeof expected,
		 "keys.yaml:%d:1: duplicate key '%s0' (first given at line 1); each key may appear once", KEYS + 1,
		 prefix);
	cr_assert_str_eq(load_text("keys.yaml", text), expected);
	free(text);
}

/* 30,000 anchors, then 30,000 aliases to the one defined first: anchors found by name in
 * a hash table, not by walking the list of all of them. */
Test(yaml_doc, many_anchors_are_found_fast, .timeout = 10)
{
	enum { ANCHORS = 30000 };
	char *text = malloc((size_t)ANCHORS * 32 + 16);
	cr_assert_not_null(text);
	size_t used = 0;
	for (int i = 0; i < ANCHORS; i++)
		used += (size_t)sprintf(text + used, "a%d: &a%d %d\n", i, i, i);
	used += (size_t)sprintf(text + used, "all: [");
	for (int i = 0; i < ANCHORS; i++)
		used += (size_t)sprintf(text + used, "*a0, ");
	sprintf(text + used - 2, "]\n");
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	cr_assert(ydoc_load_string("t.yaml", text, &doc, &err), "%s", err.message);
	const struct ydoc_node *all = ydoc_find(doc, "all");
	cr_assert_eq(all->count, ANCHORS);
	cr_assert_str_eq(all->items[ANCHORS - 1]->text, "0");
	ydoc_destroy(doc);
	free(text);
}

Test(yaml_doc, of_several_duplicate_keys_the_first_repeated_is_reported)
{
	cr_assert_str_eq(load_text("t.yaml", "a: 1\nb: 2\nc: {a: 1, b: 2}\nb: 3\na: 4\n"),
			 "t.yaml:4:1: duplicate key 'b' (first given at line 2); each key may appear once");
	cr_assert_str_eq(load_text("t.yaml", "m: {x: 1, y: 2, y: 3, x: 4}\n"),
			 "t.yaml:1:17: duplicate key 'y' (first given at line 1); each key may appear once");
}

Test(yaml_doc, an_alias_inside_its_own_list_is_recursive)
{
	cr_assert_str_eq(load_text("t.yaml", "a: &a [1, *a]\n"),
			 "t.yaml:1:11: document nested deeper than 64 levels (recursive alias?)");
}

Test(yaml_doc, aliases_are_copies_located_at_their_anchor)
{
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	cr_assert(ydoc_load_string("t.yaml", "d: &d {bw: 400Gbps, n: [1, 'x']}\nx: *d\ny: [*d]\n", &doc, &err),
		  "%s", err.message);
	const struct ydoc_node *n = ydoc_find(doc, "y.0.n.1");
	cr_assert(n && n->type == YDOC_SCALAR && n->quoted);
	cr_assert_str_eq(n->text, "x");
	cr_assert_eq(n->line, 1);
	cr_assert_eq(n->column, 28);
	cr_assert_str_eq(ydoc_find(doc, "x.bw")->text, "400Gbps");
	cr_assert_neq(ydoc_find(doc, "x.n"), ydoc_find(doc, "d.n"), "a copy, not a shared node");
	ydoc_destroy(doc);
}

Test(yaml_doc, undefined_and_repeated_anchors_are_errors)
{
	cr_assert_str_eq(load_text("t.yaml", "a: [*x, &x 1]\n"),
			 "t.yaml:1:5: malformed YAML: found undefined alias; expected valid YAML");
	cr_assert_str_eq(load_text("t.yaml", "a: &x 1\nb: &x 2\n"),
			 "t.yaml:2:4: anchor '&x' is given again (first at line 1); expected each anchor once");
}

Test(yaml_doc, scalars_keep_quotes_and_nulls)
{
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	cr_assert(ydoc_load_string("t.yaml", "a: [plain, 'q', null, ~, '', \"null\"]\nb:\n", &doc, &err));
	const struct ydoc_node *a = ydoc_find(doc, "a");
	enum ydoc_type types[] = {YDOC_SCALAR, YDOC_SCALAR, YDOC_NULL, YDOC_NULL, YDOC_SCALAR, YDOC_SCALAR};
	bool quoted[] = {false, true, false, false, true, true};
	cr_assert_eq(a->count, 6);
	for (size_t i = 0; i < 6; i++)
		cr_assert(a->items[i]->type == types[i] && a->items[i]->quoted == quoted[i], "item %zu", i);
	cr_assert_eq(ydoc_find(doc, "b")->type, YDOC_NULL);
	ydoc_destroy(doc);
}

Test(yaml_doc, a_document_of_only_comments_is_empty)
{
	cr_assert_str_eq(load_text("t.yaml", "# nothing\n"), "t.yaml:1:1: file is empty; expected a YAML mapping");
}

Test(yaml_doc, a_missing_file_says_it_cannot_be_opened)
{
	cr_assert_str_eq(load_error("no-such-file.yaml"),
			 "no-such-file.yaml: cannot open file: No such file or directory");
}

Test(yaml_doc, a_directory_is_not_a_platform)
{
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	char path[512];
	cr_assert_not(ydoc_load_file(source_path("tests/fixtures", path, sizeof path), &doc, &err));
	cr_assert_str_eq(err.message, "cannot read file: Is a directory");
}

Test(yaml_doc, find_walks_maps_and_sequences)
{
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	cr_assert(ydoc_load_string("t.yaml", "a:\n  b: [x, {c: 7}]\n", &doc, &err));
	const struct ydoc_node *n = ydoc_find(doc, "a.b.1.c");
	cr_assert_not_null(n);
	cr_assert_str_eq(n->text, "7");
	cr_assert_eq(n->line, 2);
	cr_assert_eq(n->column, 14);
	cr_assert_null(ydoc_find(doc, "a.b.2"));
	cr_assert_null(ydoc_find(doc, "a.z"));
	ydoc_destroy(doc);
}

/* The error of applying `assignment` to "a: [x, y]", or "ok" with a.1 then read back. */
static const char *override_error(const char *assignment)
{
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	cr_assert(ydoc_load_string("t.yaml", "a: [x, y]\n", &doc, &err));
	bool ok = ydoc_override(doc, assignment, assignment, &err);
	if (ok)
		snprintf(message, sizeof message, "ok: a.1 is %s", ydoc_find(doc, "a.1")->text);
	ydoc_destroy(doc);
	return ok ? message : error_format(&err, message, sizeof message);
}

/* Found by probing beside fuzz_set: strtoul took " 1", "+1" and "-0" as list indices. */
Test(yaml_doc, an_override_indexes_a_list_by_digits_only)
{
	cr_assert_str_eq(override_error("a.1=z"), "ok: a.1 is z");
	cr_assert_str_eq(override_error("a.+1=z"), "--set a.+1=z: '+1' is not an index of that list");
	cr_assert_str_eq(override_error("a. 1=z"), "--set a. 1=z: ' 1' is not an index of that list");
	cr_assert_str_eq(override_error("a.-0=z"), "--set a.-0=z: '-0' is not an index of that list");
	cr_assert_str_eq(override_error("a.2=z"), "--set a.2=z: '2' is not an index of that list");
	cr_assert_str_eq(override_error("a.99999999999999999999=z"),
			 "--set a.99999999999999999999=z: '99999999999999999999' is not an index of that list");
}

struct sample {
	long count;
	double bandwidth;
	char *label;
	bool flag;
	int choice;
	bool has_label;
};

static const char *const colours[] = {"red", "green", NULL};
static const struct yfield sample_fields[] = {
	{"count", YF_INT, offsetof(struct sample, count), true, .min = 1, .max = 100},
	{"bandwidth", YF_QUANTITY, offsetof(struct sample, bandwidth), false, UNIT_BANDWIDTH, 1, 1e12},
	{"label", YF_STRING, offsetof(struct sample, label), false,
	 .has_presence = true, .presence_offset = offsetof(struct sample, has_label)},
	{"flag", YF_BOOL, offsetof(struct sample, flag), false},
	{"colour", YF_CHOICE, offsetof(struct sample, choice), false, .choices = colours},
	{0}};

static const char *decode(const char *text, struct sample *s)
{
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	memset(s, 0, sizeof *s);
	bool ok = ydoc_load_string("t.yaml", text, &doc, &err) &&
		  ydoc_decode(doc, doc->root, "", sample_fields, s, &err);
	ydoc_destroy(doc);
	free(s->label);
	s->label = NULL;
	return ok ? "ok" : error_format(&err, message, sizeof message);
}

Test(yaml_doc, decode_fills_every_kind_of_field)
{
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	struct sample s = {0};
	cr_assert(ydoc_load_string("t.yaml", "count: 3\nbandwidth: 400Gbps\nlabel: hi\nflag: true\ncolour: green\n",
				   &doc, &err));
	cr_assert(ydoc_decode(doc, doc->root, "", sample_fields, &s, &err), "%s", err.message);
	cr_assert_eq(s.count, 3);
	cr_assert_float_eq(s.bandwidth, 5e10, 1);
	cr_assert_str_eq(s.label, "hi");
	cr_assert(s.flag && s.has_label);
	cr_assert_eq(s.choice, 1);
	free(s.label);
	ydoc_destroy(doc);
}

Test(yaml_doc, unknown_key_suggests_the_closest_known_one)
{
	struct sample s;
	cr_assert_str_eq(decode("count: 1\ncolor: red\n", &s),
			 "t.yaml:2:1: unknown key 'color' in the top level; did you mean 'colour'?");
}

Test(yaml_doc, unknown_key_far_from_all_lists_the_known_ones)
{
	struct sample s;
	cr_assert_str_eq(decode("count: 1\nzzzzzzzz: 1\n", &s),
			 "t.yaml:2:1: unknown key 'zzzzzzzz' in the top level; expected one of count, bandwidth, "
			 "label, flag, colour");
}

Test(yaml_doc, missing_required_key_is_named)
{
	struct sample s;
	cr_assert_str_eq(decode("flag: false\n", &s), "t.yaml:1:1: the top level is missing required key 'count'");
}

Test(yaml_doc, wrong_types_are_named)
{
	struct sample s;
	cr_assert_str_eq(decode("count: [1, 2]\n", &s), "t.yaml:1:8: count is a list; expected a whole number");
	cr_assert_str_eq(decode("count: 2.5\n", &s), "t.yaml:1:8: count is '2.5'; expected a whole number");
	cr_assert_str_eq(decode("count: 1\nflag: maybe\n", &s), "t.yaml:2:7: flag is 'maybe'; expected true or false");
	cr_assert_str_eq(decode("count: 1\ncolour: blue\n", &s),
			 "t.yaml:2:9: colour is 'blue'; expected one of red, green");
	cr_assert_str_eq(decode("- 1\n", &s), "t.yaml:1:1: the document is a list; expected a mapping of keys to values");
}

Test(yaml_doc, out_of_range_counts_say_what_is_expected)
{
	struct sample s;
	cr_assert_str_eq(decode("count: 0\n", &s), "t.yaml:1:8: count is 0; expected between 1 and 100");
	cr_assert_str_eq(decode("count: -3\n", &s), "t.yaml:1:8: count is -3; expected between 1 and 100");
}

Test(yaml_doc, bad_units_are_reported_with_the_key)
{
	struct sample s;
	const char *m = decode("count: 1\nbandwidth: 400Gbs\n", &s);
	cr_assert(strstr(m, "t.yaml:2:12: bandwidth: "), "%s", m);
}

Test(yaml_doc, a_key_without_value_is_an_error)
{
	struct sample s;
	cr_assert_str_eq(decode("count: 1\nlabel:\n", &s),
			 "t.yaml:2:1: label has no value; expected a value or remove the key");
}

Test(yaml_doc, closest_key_ignores_distant_words)
{
	cr_assert_str_eq(ydoc_closest_key("cuont", sample_fields), "count");
	cr_assert_null(ydoc_closest_key("q", sample_fields));
}

/* ---- excerpts of the offending line (error_excerpt) ---- */

/* Writes text to a new temporary file, its name into path[size]; the caller unlinks it. */
static void write_temp(const char *text, char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, size, "%s/trainsim-excerpt-XXXXXX", dir ? dir : "/tmp");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	cr_assert(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

/* `unit` `n` times, appended to buf. */
static char *append_repeat(char *buf, const char *unit, int n)
{
	for (int i = 0; i < n; i++)
		strcat(buf, unit);
	return buf;
}

static const char *excerpt_at(const char *path, int line, int column)
{
	struct ts_error err = {.line = line, .column = column};
	snprintf(err.file, sizeof err.file, "%s", path);
	static char excerpt[600]; /* as large as cli_report_error's */
	return error_excerpt(&err, excerpt, sizeof excerpt);
}

/* A 40 KB line is cut to 100 characters around the column, marked with "...", and the
 * lines after it are still counted right (a fixed buffer used to split it into "lines"). */
Test(yaml_doc, an_excerpt_of_a_long_line_shows_the_part_around_the_column)
{
	static char text[64 * 1024];
	append_repeat(strcpy(text, "a: 1\nk: ["), "1, ", 6000);
	append_repeat(strcat(text, "{c: 1, c: 2}"), ", 1", 7000);
	strcat(text, "]\nnext: x\n");
	char path[512];
	write_temp(text, path, sizeof path);
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	cr_assert_not(ydoc_load_file(path, &doc, &err));
	cr_assert_str_eq(err.message, "duplicate key 'c' (first given at line 2); each key may appear once");
	cr_assert_eq(err.line, 2);
	cr_assert_eq(err.column, 18012);
	char expected[600] = "  ... ";
	append_repeat(append_repeat(expected, "1, ", 14), "{c: 1, c: 2}", 1);
	append_repeat(expected, ", 1", 15);
	append_repeat(strcat(expected, "...\n     "), " ", 50);
	strcat(expected, "^");
	char excerpt[600];
	cr_assert_str_eq(error_excerpt(&err, excerpt, sizeof excerpt), expected);
	cr_assert_str_eq(excerpt_at(path, 3, 1), "  next: x\n  ^");
	unlink(path);
}

Test(yaml_doc, an_excerpt_caret_counts_characters_and_keeps_tabs)
{
	char text[1024] = "k:\tv!\nnam\xc3\xa9: \xc3\xa9!\n", path[512], expected[600] = "  ...";
	append_repeat(text, "\xc3\xa9", 150);
	strcat(text, "!\n");
	write_temp(text, path, sizeof path);
	cr_assert_str_eq(excerpt_at(path, 1, 5), "  k:\tv!\n    \t ^");
	cr_assert_str_eq(excerpt_at(path, 2, 8), "  nam\xc3\xa9: \xc3\xa9!\n         ^");
	/* near the end, the last 100 characters: 99 of the 150 'é' and the '!' */
	append_repeat(append_repeat(expected, "\xc3\xa9", 99), "!\n     ", 1);
	cr_assert_str_eq(excerpt_at(path, 3, 151), strcat(append_repeat(expected, " ", 99), "^"));
	cr_assert_str_eq(excerpt_at(path, 4, 1), "", "no such line");
	unlink(path);
}

/* libyaml locates a byte that is not UTF-8 by its offset alone, leaving its mark at 1:1; the
 * error used to point at the top of the file whatever line held the byte. */
Test(yaml_doc, a_byte_that_is_not_utf8_is_located_where_it_is)
{
	char path[512];
	write_temp("name: x\ndescription: caf\xe9 au lait\n", path, sizeof path);
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	bool ok = ydoc_load_file(path, &doc, &err);
	unlink(path);
	cr_assert_not(ok);
	cr_assert_eq(err.line, 2);
	cr_assert_eq(err.column, 17, "column %d", err.column);
	cr_assert_str_eq(err.message, "malformed YAML: invalid trailing UTF-8 octet; expected valid YAML");
	cr_assert_str_eq(load_text("t.yaml", "a: 1\nb: \xc3\xa9\xff\n"),
			 "t.yaml:2:5: malformed YAML: invalid leading UTF-8 octet; expected valid YAML");
	cr_assert_str_eq(load_text("t.yaml", "a: 1\nb: x\xc3"),
			 "t.yaml:2:5: malformed YAML: incomplete UTF-8 octet sequence; expected valid YAML");
}

/* strtok skipped the empty key of node..gpus, so the override applied to node.gpus. */
Test(yaml_doc, an_override_with_an_empty_key_is_refused)
{
	struct ydoc *doc = NULL;
	struct ts_error err = {0};
	cr_assert(ydoc_load_string("t.yaml", "node: {gpus: 8}\n", &doc, &err));
	const char *bad[] = {"node..gpus=4", "node.gpus.=4", ".node.gpus=4"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_not(ydoc_override(doc, bad[i], NULL, &err), "%s", bad[i]);
		char expected[256];
		snprintf(expected, sizeof expected, "--set %s: '%.*s' has an empty key between its dots; expected a dotted "
			 "key such as fabric.leaf.nodes=32", bad[i], (int)strcspn(bad[i], "="), bad[i]);
		cr_assert_str_eq(error_format(&err, message, sizeof message), expected);
	}
	cr_assert_str_eq(ydoc_find(doc, "node.gpus")->text, "8");
	ydoc_destroy(doc);
}
