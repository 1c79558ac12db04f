/* Tests of units: every accepted suffix gives the right SI value; every rejection says why. */
#include <criterion/criterion.h>
#include <math.h>

#include "units.h"

static double parse_ok(enum unit_kind kind, const char *text)
{
	double v = -12345;
	char why[256] = "";
	cr_assert(units_parse(kind, text, &v, why, sizeof why), "'%s' rejected: %s", text, why);
	return v;
}

static void expect(enum unit_kind kind, const char *text, double want)
{
	double got = parse_ok(kind, text);
	cr_assert(fabs(got - want) <= 1e-12 * fabs(want), "'%s' gave %.17g, expected %.17g", text, got, want);
}

static const char *reject(enum unit_kind kind, const char *text)
{
	static char why[256];
	double v = 42;
	cr_assert_not(units_parse(kind, text, &v, why, sizeof why), "'%s' was accepted", text);
	cr_assert_eq(v, 42, "a failed parse changed the output");
	return why;
}

Test(units, bandwidth_in_bits_and_bytes)
{
	expect(UNIT_BANDWIDTH, "400Gbps", 5e10);
	expect(UNIT_BANDWIDTH, "450GBps", 4.5e11);
	expect(UNIT_BANDWIDTH, "1.6Tbps", 2e11);
	expect(UNIT_BANDWIDTH, "100 Mbps", 1.25e7);
	expect(UNIT_BANDWIDTH, "25GB/s", 2.5e10);
	expect(UNIT_BANDWIDTH, "800Gb/s", 1e11);
	expect(UNIT_BANDWIDTH, "8bps", 1);
}

Test(units, bandwidth_without_a_unit_is_ambiguous)
{
	cr_assert_str_eq(reject(UNIT_BANDWIDTH, "400"),
			 "bandwidth '400' needs a unit such as 400Gbps (bits) or 50GBps (bytes)");
	cr_assert_str_eq(reject(UNIT_BANDWIDTH, "400G"),
			 "bandwidth '400G' needs a unit such as 400Gbps (bits) or 50GBps (bytes)");
	cr_assert(strstr(reject(UNIT_BANDWIDTH, "400Gbs"), "unknown bandwidth unit 'Gbs' in '400Gbs'; expected one of"));
}

Test(units, time_from_nanoseconds_to_years)
{
	expect(UNIT_TIME, "600ns", 6e-7);
	expect(UNIT_TIME, "5us", 5e-6);
	expect(UNIT_TIME, "2ms", 2e-3);
	expect(UNIT_TIME, "30s", 30);
	expect(UNIT_TIME, "10min", 600);
	expect(UNIT_TIME, "4h", 14400);
	expect(UNIT_TIME, "14d", 1209600);
	expect(UNIT_TIME, "2w", 1209600);
	expect(UNIT_TIME, "1y", 31536000);
	expect(UNIT_TIME, "0.5yr", 15768000);
}

Test(units, time_rejects_m_and_bare_numbers)
{
	cr_assert_str_eq(reject(UNIT_TIME, "10m"), "'m' is ambiguous for a time in '10m'; write 'min' for minutes");
	cr_assert_str_eq(reject(UNIT_TIME, "30"), "'30' needs a unit, such as 30s");
	cr_assert_str_eq(reject(UNIT_TIME, "4hrs"),
			 "unknown time unit 'hrs' in '4hrs'; expected one of ns, us, ms, s, min, h, d, w, y, yr");
}

Test(units, power_from_watts_to_gigawatts)
{
	expect(UNIT_POWER, "700W", 700);
	expect(UNIT_POWER, "40kW", 4e4);
	expect(UNIT_POWER, "30MW", 3e7);
	expect(UNIT_POWER, "1.2GW", 1.2e9);
	cr_assert_str_eq(reject(UNIT_POWER, "700"), "'700' needs a unit, such as 700W");
	cr_assert(strstr(reject(UNIT_POWER, "700KW"), "unknown power unit 'KW'"));
}

Test(units, sizes_decimal_and_binary)
{
	expect(UNIT_SIZE, "80GB", 8e10);
	expect(UNIT_SIZE, "4GiB", 4294967296.0);
	expect(UNIT_SIZE, "5.7TB", 5.7e12);
	expect(UNIT_SIZE, "512B", 512);
	cr_assert_str_eq(reject(UNIT_SIZE, "80Gb"),
			 "size '80Gb' is in bits (Gb), which is ambiguous here; write bytes such as GB");
}

Test(units, compute_in_flops)
{
	expect(UNIT_COMPUTE, "989TFLOPS", 9.89e14);
	expect(UNIT_COMPUTE, "2.5PFLOPS", 2.5e15);
	expect(UNIT_COMPUTE, "312TFLOP/s", 3.12e14);
	cr_assert(strstr(reject(UNIT_COMPUTE, "989TF"), "unknown compute unit 'TF'"));
}

Test(units, counts_with_si_suffixes)
{
	expect(UNIT_COUNT, "15.6T", 1.56e13);
	expect(UNIT_COUNT, "405B", 4.05e11);
	expect(UNIT_COUNT, "8", 8);
	expect(UNIT_COUNT, "16M", 1.6e7);
	expect(UNIT_COUNT, "-3", -3);
	cr_assert(strstr(reject(UNIT_COUNT, "15.6 tokens"), "unknown count unit 'tokens'"));
}

Test(units, fractions_from_percent_or_unit_interval)
{
	expect(UNIT_FRACTION, "50%", 0.5);
	expect(UNIT_FRACTION, "0.25", 0.25);
	expect(UNIT_FRACTION, "150%", 1.5);
	cr_assert_str_eq(reject(UNIT_FRACTION, "50"),
			 "fraction '50' is ambiguous; write a percent such as 50% or a number from 0 to 1");
}

Test(units, ratios_as_a_to_b)
{
	expect(UNIT_RATIO, "3:1", 3);
	expect(UNIT_RATIO, "1:7", 1.0 / 7);
	expect(UNIT_RATIO, "1:1", 1);
	cr_assert_str_eq(reject(UNIT_RATIO, "3"), "ratio '3' must be written as a:b, such as 3:1");
	cr_assert_str_eq(reject(UNIT_RATIO, "3:0"), "ratio '3:0' needs two positive numbers");
	cr_assert_str_eq(reject(UNIT_RATIO, "a:1"), "ratio 'a:1' must be two numbers a:b, such as 3:1");
}

Test(units, lengths_in_metres)
{
	expect(UNIT_LENGTH, "100km", 1e5);
	expect(UNIT_LENGTH, "3m", 3);
	expect(UNIT_LENGTH, "5mm", 5e-3);
}

Test(units, rates_per_unit_of_time)
{
	expect(UNIT_RATE, "3/d", 3.0 / 86400);
	expect(UNIT_RATE, "0.5/h", 0.5 / 3600);
	expect(UNIT_RATE, "9%/yr", 0.09 / 31536000);
	expect(UNIT_RATE, "1.67e-4/d", 1.67e-4 / 86400);
	expect(UNIT_RATE, "2/day", 2.0 / 86400);
	cr_assert_str_eq(reject(UNIT_RATE, "3"), "rate '3' must be a number per time, such as 3/d or 9%/yr");
	cr_assert(strstr(reject(UNIT_RATE, "3/fortnight"), "unknown time unit 'fortnight'"));
}

Test(units, things_that_are_not_numbers)
{
	cr_assert_str_eq(reject(UNIT_TIME, "abc"), "'abc' is not a number");
	cr_assert_str_eq(reject(UNIT_TIME, ""), "'' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "inf"), "'inf' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "nan"), "'nan' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "0x10"), "'0x10' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "1e400"), "'1e400' is not a number");
	cr_assert_str_eq(reject(UNIT_TIME, " 5s"), "' 5s' is not a number");
	cr_assert_str_eq(reject(UNIT_TIME, NULL), "no value given");
}

Test(units, a_missing_reason_buffer_is_safe)
{
	double v;
	cr_assert_not(units_parse(UNIT_TIME, "bad", &v, NULL, 0));
}

Test(units, kinds_have_names_and_examples)
{
	cr_assert_str_eq(units_kind_name(UNIT_BANDWIDTH), "bandwidth");
	cr_assert_str_eq(units_kind_example(UNIT_RATE), "3/d");
	double v;
	for (int k = UNIT_BANDWIDTH; k <= UNIT_RATE; k++)
		cr_assert(units_parse((enum unit_kind)k, units_kind_example((enum unit_kind)k), &v, NULL, 0),
			  "example of %s does not parse", units_kind_name((enum unit_kind)k));
}
