/* Tests of json_read: the values it builds, dotted-path lookup, and each located error. */
#include <criterion/criterion.h>
#include <math.h>

#include "helpers.h"
#include "json_read.h"

static char message[2048];

/* Reads `text` as "t.json"; the formatted error, or "ok" with *out set (the caller frees). */
static const char *read_json(const char *text, struct json_value **out)
{
	struct ts_error err = {0};
	struct json_value *v = NULL;
	if (!json_value_read_string("t.json", text, strlen(text), &v, &err)) {
		cr_assert_null(v);
		return error_format(&err, message, sizeof message);
	}
	if (out)
		*out = v;
	else
		json_value_destroy(v);
	return "ok";
}

static struct json_value *parse(const char *text)
{
	struct json_value *v = NULL;
	const char *result = read_json(text, &v);
	cr_assert_str_eq(result, "ok", "%s", text);
	return v;
}

static const char *string_of(const char *text)
{
	static char copy[256];
	struct json_value *v = parse(text);
	const char *s = "(not a string)";
	json_value_string(v, &s);
	snprintf(copy, sizeof copy, "%s", s);
	json_value_destroy(v);
	return copy;
}

static double number_of(const char *text)
{
	struct json_value *v = parse(text);
	double x = NAN;
	cr_assert(json_value_number(v, &x), "%s", text);
	json_value_destroy(v);
	return x;
}

Test(json_read, escapes_become_the_characters_they_name)
{
	cr_assert_str_eq(string_of("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\""), "a\"b\\c/d\b\f\n\r\t");
}

Test(json_read, unicode_escapes_become_utf8_including_surrogate_pairs)
{
	cr_assert_str_eq(string_of("\"\\u0041\\u00e9\\u20AC\""), "A\xc3\xa9\xe2\x82\xac");
	cr_assert_str_eq(string_of("\"\\ud83d\\ude00\""), "\xf0\x9f\x98\x80");
	cr_assert_str_eq(string_of("\"caf\xc3\xa9\""), "caf\xc3\xa9");
}

Test(json_read, numbers_follow_the_json_grammar)
{
	cr_assert_eq(number_of("0"), 0);
	cr_assert_eq(number_of("-0.5"), -0.5);
	cr_assert_eq(number_of("6566162.36"), 6566162.36);
	cr_assert_eq(number_of("1e3"), 1000);
	cr_assert_eq(number_of("2.5E-1"), 0.25);
	cr_assert_eq(number_of(" 12 \n"), 12);
}

Test(json_read, nested_values_are_reached_by_dotted_path)
{
	struct json_value *v = parse("{\"a\": {\"b\": [1, {\"c\": \"x\"}]}, \"t\": true, \"n\": null}");
	const char *s = NULL;
	double x = 0;
	bool b = false;
	cr_assert(json_value_string(json_value_get(v, "a.b.1.c"), &s));
	cr_assert_str_eq(s, "x");
	cr_assert(json_value_number(json_value_get(v, "a.b.0"), &x));
	cr_assert_eq(x, 1);
	cr_assert(json_value_bool(json_value_get(v, "t"), &b) && b);
	cr_assert_eq(json_value_get(v, "n")->type, JSON_VALUE_NULL);
	cr_assert_null(json_value_get(v, "a.b.2"));
	cr_assert_null(json_value_get(v, "a.missing"));
	cr_assert_null(json_value_get(v, "t.deeper"));
	cr_assert(!json_value_number(json_value_get(v, "a.b.1.c"), &x));
	json_value_destroy(v);
}

Test(json_read, members_keep_file_order_and_positions)
{
	struct json_value *v = parse("{\n  \"z\": 1,\n  \"a\": [true]\n}");
	cr_assert_eq(v->count, 2);
	cr_assert_str_eq(v->members[0].key, "z");
	cr_assert_str_eq(v->members[1].key, "a");
	cr_assert_eq(v->members[1].value->line, 3);
	cr_assert_eq(v->members[1].value->column, 8);
	json_value_destroy(v);
}

Test(json_read, equal_and_format_describe_values)
{
	struct json_value *a = parse("{\"o\": [\"x\", 1.5, null], \"h\": null}");
	struct json_value *b = parse("{\"o\": [\"x\", 1.5, null], \"h\": null}");
	struct json_value *c = parse("{\"o\": [\"x\", 1.5], \"h\": null}");
	char buf[64];
	cr_assert(json_value_equal(a, b));
	cr_assert(!json_value_equal(a, c));
	cr_assert_str_eq(json_value_format(a, buf, sizeof buf), "{\"o\": [\"x\", 1.5, null], \"h\": null}");
	cr_assert_str_eq(json_value_format(a, buf, 12), "{\"o\": [\"...");
	json_value_destroy(a);
	json_value_destroy(b);
	json_value_destroy(c);
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

Test(json_read, truncated_object_names_the_end_and_what_was_expected)
{
	static const struct bad_case cases[] = {
		{"{\n  \"a\": 1",
		 "t.json:2:9: unexpected end of file inside an object; expected , or }"},
		{"[1, 2",
		 "t.json:1:6: unexpected end of file inside an array; expected , or ]"},
		{"\"abc",
		 "t.json:1:5: unexpected end of file inside a string; expected a closing \""},
	};
	expect_errors(cases, sizeof cases / sizeof cases[0]);
}

Test(json_read, syntax_errors_are_located)
{
	static const struct bad_case cases[] = {
		{"{\"a\" 1}",
		 "t.json:1:6: unexpected '1' inside an object; expected : after "
		 "the key"},
		{"{\"a\": 1,}",
		 "t.json:1:9: unexpected '}' inside an object; expected a "
		 "\"key\""},
		{"{1: 2}",
		 "t.json:1:2: unexpected '1' inside an object; expected a \"key\" "
		 "or }"},
		{"[1,]",
		 "t.json:1:4: unexpected ']' inside an array; expected a value"},
		{"",
		 "t.json:1:1: file is empty; expected a JSON value"},
		{"[True]",
		 "t.json:1:2: unexpected 'True'; expected a value (true, false, "
		 "null, a number, a string, an array or an object)"},
		{"\"\xc3\xa9\" x",
		 "t.json:1:5: unexpected 'x' after the JSON value; "
		 "expected end of file"},
	};
	expect_errors(cases, sizeof cases / sizeof cases[0]);
}

Test(json_read, bad_numbers_are_rejected)
{
	static const struct bad_case cases[] = {
		{"01",
		 "t.json:1:2: unexpected '1' in a number; expected . or an exponent "
		 "after a leading 0"},
		{"1.",
		 "t.json:1:3: unexpected end of file in a number; expected a digit"},
		{"-x",
		 "t.json:1:2: unexpected 'x' in a number; expected a digit"},
		{"[+1]",
		 "t.json:1:2: unexpected '+' inside an array; expected a value"},
		{"[.5]",
		 "t.json:1:2: unexpected '.' inside an array; expected a value"},
		{"1e999",
		 "t.json:1:1: number 1e999 is out of range; expected a number of "
		 "magnitude below 1.8e308"},
		{"NaN",
		 "t.json:1:1: unexpected 'NaN'; expected a value (true, false, null, "
		 "a number, a string, an array or an object)"},
	};
	expect_errors(cases, sizeof cases / sizeof cases[0]);
}

Test(json_read, bad_strings_are_rejected)
{
	static const struct bad_case cases[] = {
		{"\"a\nb\"",
		 "t.json:1:3: unexpected control character U+000A inside a "
		 "string; expected an escape such as \\n"},
		{"\"\\x\"",
		 "t.json:1:3: unexpected 'x' after \\ in a string; expected one "
		 "of \" \\ / b f n r t u"},
		{"\"\\u12g4\"",
		 "t.json:1:6: unexpected 'g' in a \\u escape; expected 4 hex "
		 "digits"},
		{"\"\\ud83d\"",
		 "t.json:1:2: unpaired high surrogate \\uD83D; expected a "
		 "low surrogate \\uDC00-\\uDFFF after it"},
		{"\"\\ude00\"",
		 "t.json:1:2: unpaired low surrogate \\uDE00; expected a "
		 "high surrogate \\uD800-\\uDBFF before it"},
		{"\"\\u0000\"",
		 "t.json:1:2: \\u0000 in a string; expected text without NUL "
		 "characters"},
		{"\"\xc3(\"",
		 "t.json:1:2: invalid UTF-8 in a string; expected UTF-8 text"},
		{"\"\xed\xa0\x80\"",
		 "t.json:1:2: invalid UTF-8 in a string; expected UTF-8 "
		 "text"},
	};
	expect_errors(cases, sizeof cases / sizeof cases[0]);
}

Test(json_read, duplicate_keys_are_rejected_with_the_first_line)
{
	cr_assert_str_eq(read_json("{\"a\": 1,\n \"a\": 2}", NULL), "t.json:2:2: duplicate key 'a' (first given at "
			 "line 1); each key may appear once");
}

Test(json_read, nesting_is_limited)
{
	char deep[200];
	memset(deep, '[', 100);
	deep[100] = '\0';
	cr_assert_str_eq(read_json(deep, NULL), "t.json:1:65: nested deeper than 64 levels; expected flatter data");
	memset(deep, '[', 64);
	memset(deep + 64, ']', 64);
	deep[128] = '\0';
	cr_assert_str_eq(read_json(deep, NULL), "ok");
}

Test(json_read, a_nul_byte_is_an_error_not_the_end)
{
	struct ts_error err = {0};
	struct json_value *v = NULL;
	cr_assert(!json_value_read_string("t.json", "[1]\0", 4, &v, &err));
	cr_assert_str_eq(error_format(&err, message, sizeof message), "t.json:1:4: unexpected control character "
			 "U+0000 after the JSON value; expected end of file");
}

Test(json_read, an_unreadable_file_names_the_reason)
{
	struct ts_error err = {0};
	struct json_value *v = NULL;
	cr_assert(!json_value_read_file("/nonexistent/summary.json", &v, &err));
	cr_assert_str_eq(error_format(&err, message, sizeof message),
			 "/nonexistent/summary.json: cannot read: No such file or directory");
	cr_assert(!json_value_read_file("/", &v, &err));
	cr_assert_str_eq(error_format(&err, message, sizeof message), "/: cannot read: Is a directory");
}
