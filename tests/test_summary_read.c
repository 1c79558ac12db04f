/* Tests of summary_read: what compare needs from reading a summary.json with jansson: located
 * syntax errors, duplicate keys refused, numbers as doubles, lookup, and values of a valid
 * document located in its text for type errors. */
#include <criterion/criterion.h>

#include "helpers.h"
#include "summary_read.h"

static char message[2048];

/* Reads `size` bytes of `text` as "t.json"; the formatted error, or "ok" with *out set (the
 * caller frees). */
static const char *read_bytes(const char *text, size_t size, struct summary_doc **out)
{
	struct ts_error err = {0};
	struct summary_doc *doc = NULL;
	if (!summary_read_string("t.json", text, size, &doc, &err)) {
		cr_assert_null(doc);
		return error_format(&err, message, sizeof message);
	}
	if (out)
		*out = doc;
	else
		summary_read_destroy(doc);
	return "ok";
}

static const char *read_json(const char *text, struct summary_doc **out)
{
	return read_bytes(text, strlen(text), out);
}

static struct summary_doc *parse(const char *text)
{
	struct summary_doc *doc = NULL;
	const char *result = read_json(text, &doc);
	cr_assert_str_eq(result, "ok", "%s", text);
	return doc;
}

/* Text that must fail, and the exact formatted error. */
struct bad_case {
	const char *text;
	const char *message;
};

static void expect_errors(const struct bad_case *cases, size_t count)
{
	for (size_t i = 0; i < count; i++)
		cr_assert_str_eq(read_json(cases[i].text, NULL), cases[i].message, "reading %s", cases[i].text);
}

Test(summary_read, text_that_stops_early_is_located_just_past_its_end)
{
	static const struct bad_case cases[] = {
		{"{\n  \"a\": 1", "t.json:2:9: '}' expected near end of file"},
		{"[1, 2", "t.json:1:6: ']' expected near end of file"},
		{"", "t.json:1:1: unexpected token near end of file"},
		{" \n ", "t.json:2:2: unexpected token near end of file"},
	};
	expect_errors(cases, sizeof cases / sizeof cases[0]);
}

Test(summary_read, syntax_errors_are_located_at_the_start_of_the_offending_token)
{
	static const struct bad_case cases[] = {
		{"{\"a\" 1}", "t.json:1:6: ':' expected near '1'"},
		{"{\"a\": 1,}", "t.json:1:9: string or '}' expected near '}'"},
		{"{1: 2}", "t.json:1:2: string or '}' expected near '1'"},
		{"[1,]", "t.json:1:4: unexpected token near ']'"},
		{"{\n  \"a\": [True]}", "t.json:2:9: invalid token near 'True'"},
		{"\"\xc3\xa9\" x", "t.json:1:5: end of file expected near 'x'"},
		{"\"abc", "t.json:1:1: premature end of input near '\"abc'"},
	};
	expect_errors(cases, sizeof cases / sizeof cases[0]);
}

Test(summary_read, numbers_outside_the_json_grammar_or_a_double_are_rejected)
{
	static const struct bad_case cases[] = {
		{"01", "t.json:1:1: invalid token near '0'"},
		{"[1.]", "t.json:1:2: invalid token near '1.'"},
		{"[+1]", "t.json:1:2: invalid token near '+'"},
		{"[.5]", "t.json:1:2: invalid token near '.'"},
		{"NaN", "t.json:1:1: invalid token near 'NaN'"},
		{"{\"x\": 1e999}", "t.json:1:7: real number overflow near '1e999'"},
	};
	expect_errors(cases, sizeof cases / sizeof cases[0]);
}

Test(summary_read, bad_strings_are_rejected)
{
	static const struct bad_case cases[] = {
		{"\"a\nb\"", "t.json:1:1: unexpected newline near '\"a'"},
		{"[\"\\x\"]", "t.json:1:2: invalid escape near '\"\\x'"},
		{"\"\\ud83d\"", "t.json:1:1: invalid Unicode '\\uD83D' near '\"\\ud83d\"'"},
		{"\"\\u0000\"", "t.json:1:1: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"\\u0000\"'"},
		{"[\"\xc3(\"]", "t.json:1:3: unable to decode byte 0xc3 near '\"'"},
	};
	expect_errors(cases, sizeof cases / sizeof cases[0]);
}

Test(summary_read, a_long_token_is_located_where_jansson_stopped)
{
	/* jansson names a token only up to 20 bytes; past that, the last character it read */
	cr_assert_str_eq(read_json("[\"a string longer than twenty bytes\\q\"]", NULL),
			 "t.json:1:37: invalid escape");
}

Test(summary_read, a_nul_byte_is_an_error_not_the_end)
{
	cr_assert_str_eq(read_bytes("[1]\0", 4, NULL), "t.json:1:4: end of file expected near end of file");
}

Test(summary_read, duplicate_keys_are_rejected_where_the_key_is_repeated)
{
	cr_assert_str_eq(read_json("{\"a\": 1,\n \"a\": 2}", NULL), "t.json:2:2: duplicate object key near '\"a\"'");
	cr_assert_str_eq(read_json("{\"s\": {\"p50\": 1,\n   \"p90\": 2, \"p50\": 3}}", NULL),
			 "t.json:2:14: duplicate object key near '\"p50\"'");
	cr_assert_str_eq(read_json("[{\"a\": 1}, {\"a\": 2}]", NULL), "ok", "the same key in two objects is fine");
}

Test(summary_read, integers_and_reals_are_both_numbers_read_as_doubles)
{
	struct summary_doc *doc = parse("[0, -0.5, 6566162.36, 1e3, 2.5E-1, 123456789012345678901234567890]");
	const double expected[] = {0, -0.5, 6566162.36, 1000, 0.25, 1.2345678901234568e29};
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		double x = -1;
		cr_assert(summary_read_number(json_array_get(summary_read_root(doc), i), &x), "item %zu", i);
		cr_assert_eq(x, expected[i], "item %zu", i);
	}
	summary_read_destroy(doc);
	doc = parse("[200, 200.0, \"200\"]");
	const json_t *root = summary_read_root(doc);
	cr_assert(json_equal(json_array_get(root, 0), json_array_get(root, 1)), "200 and 200.0 are the same number");
	double x;
	cr_assert_not(summary_read_number(json_array_get(root, 2), &x));
	cr_assert_not(summary_read_number(NULL, &x));
	summary_read_destroy(doc);
}

Test(summary_read, nested_values_are_reached_by_dotted_path)
{
	struct summary_doc *doc = parse("{\"a\": {\"b\": [1, {\"c\": \"x\"}]}, \"t\": true, \"n\": null}");
	const json_t *root = summary_read_root(doc);
	cr_assert_str_eq(json_string_value(summary_read_get(root, "a.b.1.c")), "x");
	cr_assert_eq(json_number_value(summary_read_get(root, "a.b.0")), 1);
	cr_assert(json_is_true(summary_read_get(root, "t")));
	cr_assert(json_is_null(summary_read_get(root, "n")));
	cr_assert_eq(summary_read_get(root, ""), root);
	cr_assert_null(summary_read_get(root, "a.b.2"));
	cr_assert_null(summary_read_get(root, "a.b.x"));
	cr_assert_null(summary_read_get(root, "a.missing"));
	cr_assert_null(summary_read_get(root, "t.deeper"));
	summary_read_destroy(doc);
}

Test(summary_read, members_keep_file_order)
{
	struct summary_doc *doc = parse("{\"z\": 1, \"a\": 2, \"m\": 3}");
	const char *order[] = {"z", "a", "m"}, *key;
	json_t *value;
	size_t i = 0;
	json_object_foreach ((json_t *)summary_read_root(doc), key, value)
		cr_assert_str_eq(key, order[i++]);
	cr_assert_eq(i, 3);
	summary_read_destroy(doc);
}

/* The 1-based line:column summary_read_locate gives for `path`, as text ("absent" if none). */
static const char *where(const struct summary_doc *doc, const char *path)
{
	static char text[32];
	int line = 0, column = 0;
	if (!summary_read_locate(doc, path, &line, &column))
		return "absent";
	snprintf(text, sizeof text, "%d:%d", line, column);
	return text;
}

Test(summary_read, a_value_in_a_valid_document_is_located_at_its_start)
{
	struct summary_doc *doc = parse("{\n"
					"  \"s\": \"with } ] , \\\" and \\\\\",\n"
					"  \"caf\xc3\xa9\": {\"x\": [1, {\"a\": null}], \"y\": true},\n"
					"  \"o\": {\"p50\": 1, \"s\": {\"p50\": \"deep\"}},\n"
					"  \"e\\u0073c\": 5,\n"
					"  \"last\":[]}");
	cr_assert_str_eq(where(doc, ""), "1:1");
	cr_assert_str_eq(where(doc, "s"), "2:8");
	cr_assert_str_eq(where(doc, "caf\xc3\xa9.y"), "3:40", "after a string full of brackets and escapes");
	cr_assert_str_eq(where(doc, "caf\xc3\xa9.x.1.a"), "3:27", "a character counts once, not per byte");
	cr_assert_str_eq(where(doc, "o.s.p50"), "4:32", "the p50 asked for, not the first one");
	cr_assert_str_eq(where(doc, "esc"), "5:15", "a key written with an escape");
	cr_assert_str_eq(where(doc, "last"), "6:10");
	cr_assert_str_eq(where(doc, "missing"), "absent");
	cr_assert_str_eq(where(doc, "caf\xc3\xa9.x.2"), "absent");
	cr_assert_str_eq(where(doc, "s.deeper"), "absent");
	cr_assert_str_eq(where(doc, "last.0"), "absent");
	summary_read_destroy(doc);
}

Test(summary_read, values_are_named_and_rendered_for_messages)
{
	struct summary_doc *doc = parse("{\"o\": [\"x\\\"\", 1.5, null, true], \"h\": 86400, \"m\": 6566162.36}");
	const json_t *root = summary_read_root(doc);
	char buf[64];
	cr_assert_str_eq(summary_read_format(root, buf, sizeof buf),
			 "{\"o\": [\"x\\\"\", 1.5, null, true], \"h\": 86400, \"m\": 6566162.36}");
	cr_assert_str_eq(summary_read_format(root, buf, 12), "{\"o\": [\"...");
	cr_assert_str_eq(summary_read_format(NULL, buf, sizeof buf), "");
	const char *names[][2] = {{"", "an object"}, {"o", "an array"}, {"o.0", "a string"}, {"o.1", "a number"},
				  {"o.2", "null"}, {"o.3", "a boolean"}, {"h", "a number"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		cr_assert_str_eq(summary_read_type_name(summary_read_get(root, names[i][0])), names[i][1], "%s",
				 names[i][0]);
	summary_read_destroy(doc);
}

Test(summary_read, an_unreadable_file_names_the_reason)
{
	struct ts_error err = {0};
	struct summary_doc *doc = NULL;
	cr_assert_not(summary_read_file("/nonexistent/summary.json", &doc, &err));
	cr_assert_null(doc);
	cr_assert_str_eq(error_format(&err, message, sizeof message),
			 "/nonexistent/summary.json: cannot read: No such file or directory");
	cr_assert_not(summary_read_file("/", &doc, &err));
	cr_assert_str_eq(error_format(&err, message, sizeof message), "/: cannot read: Is a directory");
}

Test(summary_read, a_file_larger_than_one_read_is_read_whole)
{
	char dir[512], path[600];
	cr_assert_not_null(temp_dir(dir, sizeof dir));
	snprintf(path, sizeof path, "%s/big.json", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("{\"pad\": \"", f);
	for (int i = 0; i < 20000; i++)
		fputc('x', f);
	fputs("\",\n \"v\": 7}", f);
	cr_assert_eq(fclose(f), 0);
	struct ts_error err = {0};
	struct summary_doc *doc = NULL;
	bool ok = summary_read_file(path, &doc, &err);
	unlink(path);
	rmdir(dir);
	cr_assert(ok, "%s", err.message);
	cr_assert_eq(json_number_value(summary_read_get(summary_read_root(doc), "v")), 7);
	cr_assert_str_eq(where(doc, "v"), "2:7");
	summary_read_destroy(doc);
}
