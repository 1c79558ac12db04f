/* Tests of units: every accepted suffix gives the right SI value; every rejection says why. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "humanize.h"
#include "units.h"

#define DAY 86400.0
#define YEAR (365 * DAY)

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

/* The reason for refusing `text`, after checking the output was left alone. */
static const char *reject(enum unit_kind kind, const char *text)
{
	static char why[256];
	double v = 42;
	strcpy(why, "(not set)");
	cr_assert_not(units_parse(kind, text, &v, why, sizeof why), "'%s' was accepted as %g", text, v);
	cr_assert_eq(v, 42, "a failed parse of '%s' changed the output", text);
	return why;
}

static void reject_with(enum unit_kind kind, const char *text, const char *part)
{
	const char *why = reject(kind, text);
	cr_assert(strstr(why, part), "'%s' rejected with \"%s\", expected it to mention \"%s\"", text, why, part);
}

struct case_ok {
	enum unit_kind kind;
	const char *text;
	double want;
};

/* Every spelling each kind accepts, main and alias alike. */
static const struct case_ok every_suffix[] = {
	{UNIT_BANDWIDTH, "8bps", 1}, {UNIT_BANDWIDTH, "8Kbps", 1e3}, {UNIT_BANDWIDTH, "8kbps", 1e3},
	{UNIT_BANDWIDTH, "8Mbps", 1e6}, {UNIT_BANDWIDTH, "8Gbps", 1e9}, {UNIT_BANDWIDTH, "8Tbps", 1e12},
	{UNIT_BANDWIDTH, "8Pbps", 1e15}, {UNIT_BANDWIDTH, "3Bps", 3}, {UNIT_BANDWIDTH, "3KBps", 3e3},
	{UNIT_BANDWIDTH, "3kBps", 3e3}, {UNIT_BANDWIDTH, "3MBps", 3e6}, {UNIT_BANDWIDTH, "3GBps", 3e9},
	{UNIT_BANDWIDTH, "3TBps", 3e12}, {UNIT_BANDWIDTH, "3PBps", 3e15},
	{UNIT_BANDWIDTH, "8b/s", 1}, {UNIT_BANDWIDTH, "8Kb/s", 1e3}, {UNIT_BANDWIDTH, "8kb/s", 1e3},
	{UNIT_BANDWIDTH, "8Mb/s", 1e6}, {UNIT_BANDWIDTH, "8Gb/s", 1e9}, {UNIT_BANDWIDTH, "8Tb/s", 1e12},
	{UNIT_BANDWIDTH, "8Pb/s", 1e15}, {UNIT_BANDWIDTH, "3B/s", 3}, {UNIT_BANDWIDTH, "3KB/s", 3e3},
	{UNIT_BANDWIDTH, "3kB/s", 3e3}, {UNIT_BANDWIDTH, "3MB/s", 3e6}, {UNIT_BANDWIDTH, "3GB/s", 3e9},
	{UNIT_BANDWIDTH, "3TB/s", 3e12}, {UNIT_BANDWIDTH, "3PB/s", 3e15},
	{UNIT_TIME, "3ns", 3e-9}, {UNIT_TIME, "3us", 3e-6}, {UNIT_TIME, "3\xc2\xb5s", 3e-6},
	{UNIT_TIME, "3\xce\xbcs", 3e-6}, {UNIT_TIME, "3ms", 3e-3}, {UNIT_TIME, "3s", 3},
	{UNIT_TIME, "3min", 180}, {UNIT_TIME, "3h", 10800}, {UNIT_TIME, "3d", 3 * DAY},
	{UNIT_TIME, "3w", 21 * DAY}, {UNIT_TIME, "3y", 3 * YEAR}, {UNIT_TIME, "3yr", 3 * YEAR},
	{UNIT_POWER, "3mW", 3e-3}, {UNIT_POWER, "3W", 3}, {UNIT_POWER, "3kW", 3e3}, {UNIT_POWER, "3MW", 3e6},
	{UNIT_POWER, "3GW", 3e9},
	{UNIT_SIZE, "3B", 3}, {UNIT_SIZE, "3KB", 3e3}, {UNIT_SIZE, "3kB", 3e3}, {UNIT_SIZE, "3MB", 3e6},
	{UNIT_SIZE, "3GB", 3e9}, {UNIT_SIZE, "3TB", 3e12}, {UNIT_SIZE, "3PB", 3e15},
	{UNIT_SIZE, "3KiB", 3 * 1024.0}, {UNIT_SIZE, "3MiB", 3 * 1048576.0}, {UNIT_SIZE, "3GiB", 3 * 1073741824.0},
	{UNIT_SIZE, "3TiB", 3 * 1099511627776.0}, {UNIT_SIZE, "3PiB", 3 * 1125899906842624.0},
	{UNIT_COMPUTE, "3FLOPS", 3}, {UNIT_COMPUTE, "3KFLOPS", 3e3}, {UNIT_COMPUTE, "3kFLOPS", 3e3},
	{UNIT_COMPUTE, "3MFLOPS", 3e6}, {UNIT_COMPUTE, "3GFLOPS", 3e9}, {UNIT_COMPUTE, "3TFLOPS", 3e12},
	{UNIT_COMPUTE, "3PFLOPS", 3e15}, {UNIT_COMPUTE, "3EFLOPS", 3e18},
	{UNIT_COMPUTE, "3FLOP/s", 3}, {UNIT_COMPUTE, "3KFLOP/s", 3e3}, {UNIT_COMPUTE, "3kFLOP/s", 3e3},
	{UNIT_COMPUTE, "3MFLOP/s", 3e6}, {UNIT_COMPUTE, "3GFLOP/s", 3e9}, {UNIT_COMPUTE, "3TFLOP/s", 3e12},
	{UNIT_COMPUTE, "3PFLOP/s", 3e15}, {UNIT_COMPUTE, "3EFLOP/s", 3e18},
	{UNIT_COUNT, "3", 3}, {UNIT_COUNT, "3K", 3e3}, {UNIT_COUNT, "3k", 3e3}, {UNIT_COUNT, "3M", 3e6},
	{UNIT_COUNT, "3G", 3e9}, {UNIT_COUNT, "3B", 3e9}, {UNIT_COUNT, "3T", 3e12}, {UNIT_COUNT, "3P", 3e15},
	{UNIT_LENGTH, "3mm", 3e-3}, {UNIT_LENGTH, "3cm", 3e-2}, {UNIT_LENGTH, "3m", 3}, {UNIT_LENGTH, "3km", 3e3},
	{UNIT_RATE, "3/ns", 3e9}, {UNIT_RATE, "3/us", 3e6}, {UNIT_RATE, "3/ms", 3e3}, {UNIT_RATE, "3/s", 3},
	{UNIT_RATE, "3/min", 3 / 60.0}, {UNIT_RATE, "3/h", 3 / 3600.0}, {UNIT_RATE, "3/d", 3 / DAY},
	{UNIT_RATE, "3/day", 3 / DAY}, {UNIT_RATE, "3/w", 3 / (7 * DAY)}, {UNIT_RATE, "3/y", 3 / YEAR},
	{UNIT_RATE, "3/yr", 3 / YEAR},
	{UNIT_MONEY, "3USD", 3}, {UNIT_MONEY, "3kUSD", 3e3}, {UNIT_MONEY, "3KUSD", 3e3}, {UNIT_MONEY, "3MUSD", 3e6},
	{UNIT_MONEY, "3BUSD", 3e9},
	{UNIT_MONEY_RATE, "3USD/s", 3}, {UNIT_MONEY_RATE, "3USD/h", 3 / 3600.0}, {UNIT_MONEY_RATE, "3kUSD/d", 3e3 / DAY},
	{UNIT_MONEY_RATE, "3MUSD/yr", 3e6 / YEAR}, {UNIT_MONEY_RATE, "3USD/day", 3 / DAY},
	{UNIT_ENERGY_PRICE, "3USD/Wh", 3 / 3600.0}, {UNIT_ENERGY_PRICE, "3USD/kWh", 3 / 3.6e6},
	{UNIT_ENERGY_PRICE, "3USD/MWh", 3 / 3.6e9}, {UNIT_ENERGY_PRICE, "3kUSD/GWh", 3e3 / 3.6e12},
};

Test(units, every_accepted_suffix_gives_its_si_value)
{
	for (size_t i = 0; i < sizeof every_suffix / sizeof every_suffix[0]; i++)
		expect(every_suffix[i].kind, every_suffix[i].text, every_suffix[i].want);
}

Test(units, bandwidth_in_bits_and_bytes)
{
	expect(UNIT_BANDWIDTH, "400Gbps", 5e10);
	expect(UNIT_BANDWIDTH, "450GBps", 4.5e11);
	expect(UNIT_BANDWIDTH, "1.6Tbps", 2e11);
	expect(UNIT_BANDWIDTH, "100 Mbps", 1.25e7);
	expect(UNIT_BANDWIDTH, "25GB/s", 2.5e10);
	expect(UNIT_BANDWIDTH, "800Gb/s", 1e11);
}

Test(units, bandwidth_without_bits_or_bytes_is_ambiguous)
{
	cr_assert_str_eq(reject(UNIT_BANDWIDTH, "400"),
			 "bandwidth '400' needs a unit such as 400Gbps (bits) or 50GBps (bytes)");
	cr_assert_str_eq(reject(UNIT_BANDWIDTH, "400G"),
			 "'G' is ambiguous for a bandwidth in '400G'; "
			 "write 'Gbps' for bits or 'GBps' for bytes per second");
	reject_with(UNIT_BANDWIDTH, "1.6T", "write 'Tbps' for bits or 'TBps' for bytes");
	cr_assert_str_eq(reject(UNIT_BANDWIDTH, "400Gbs"),
			 "unknown bandwidth unit 'Gbs' in '400Gbs'; expected one of bps, Kbps, Mbps, Gbps, Tbps, Pbps, "
			 "Bps, KBps, MBps, GBps, TBps, PBps");
	reject_with(UNIT_BANDWIDTH, "400gbps", "unknown bandwidth unit 'gbps'");
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
	expect(UNIT_TIME, "5 min", 300);
}

Test(units, time_rejects_m_bare_numbers_and_unknown_units)
{
	cr_assert_str_eq(reject(UNIT_TIME, "10m"), "'m' is ambiguous for a time in '10m'; write 'min' for minutes");
	cr_assert_str_eq(reject(UNIT_TIME, "30"), "time '30' needs a unit such as 30s");
	cr_assert_str_eq(reject(UNIT_TIME, "4hrs"),
			 "unknown time unit 'hrs' in '4hrs'; expected one of ns, us, ms, s, min, h, d, w, y");
	reject_with(UNIT_TIME, "14day", "unknown time unit 'day'");
	reject_with(UNIT_TIME, "1S", "unknown time unit 'S'");
}

Test(units, power_from_milliwatts_to_gigawatts)
{
	expect(UNIT_POWER, "700W", 700);
	expect(UNIT_POWER, "40kW", 4e4);
	expect(UNIT_POWER, "30MW", 3e7);
	expect(UNIT_POWER, "1.2GW", 1.2e9);
	expect(UNIT_POWER, "5mW", 5e-3);
	cr_assert_str_eq(reject(UNIT_POWER, "700"), "power '700' needs a unit such as 700W");
	cr_assert_str_eq(reject(UNIT_POWER, "700KW"),
			 "unknown power unit 'KW' in '700KW'; expected one of mW, W, kW, MW, GW");
}

Test(units, sizes_decimal_and_binary)
{
	expect(UNIT_SIZE, "80GB", 8e10);
	expect(UNIT_SIZE, "4GiB", 4294967296.0);
	expect(UNIT_SIZE, "5.7TB", 5.7e12);
	expect(UNIT_SIZE, "512B", 512);
}

Test(units, sizes_in_bits_or_without_a_unit_are_refused)
{
	cr_assert_str_eq(reject(UNIT_SIZE, "80Gb"),
			 "'Gb' is ambiguous for a size in '80Gb'; write 'GB' for bytes (Gb is bits)");
	reject_with(UNIT_SIZE, "8b", "write 'B' for bytes");
	reject_with(UNIT_SIZE, "8Kb", "write 'KB' for bytes");
	reject_with(UNIT_SIZE, "8kb", "write 'kB' for bytes");
	reject_with(UNIT_SIZE, "8Mb", "write 'MB' for bytes");
	reject_with(UNIT_SIZE, "8Tb", "write 'TB' for bytes");
	reject_with(UNIT_SIZE, "8Pb", "write 'PB' for bytes");
	cr_assert_str_eq(reject(UNIT_SIZE, "80"), "size '80' needs a unit such as 80GB");
	reject_with(UNIT_SIZE, "80Gib",
		    "unknown size unit 'Gib' in '80Gib'; expected one of B, KB, MB, GB, TB, PB, KiB");
}

Test(units, compute_in_flops)
{
	expect(UNIT_COMPUTE, "989TFLOPS", 9.89e14);
	expect(UNIT_COMPUTE, "2.5PFLOPS", 2.5e15);
	expect(UNIT_COMPUTE, "312TFLOP/s", 3.12e14);
	cr_assert_str_eq(reject(UNIT_COMPUTE, "989"), "compute '989' needs a unit such as 989TFLOPS");
	cr_assert_str_eq(reject(UNIT_COMPUTE, "989TF"),
			 "unknown compute unit 'TF' in '989TF'; expected one of FLOPS, KFLOPS, MFLOPS, GFLOPS, TFLOPS, "
			 "PFLOPS, EFLOPS");
	reject_with(UNIT_COMPUTE, "989Tflops", "unknown compute unit 'Tflops'");
}

Test(units, counts_with_si_suffixes)
{
	expect(UNIT_COUNT, "15.6T", 1.56e13);
	expect(UNIT_COUNT, "405B", 4.05e11);
	expect(UNIT_COUNT, "8", 8);
	expect(UNIT_COUNT, "16M", 1.6e7);
	expect(UNIT_COUNT, "-3", -3);
	expect(UNIT_COUNT, "+3", 3);
	expect(UNIT_COUNT, "1e6", 1e6);
	expect(UNIT_COUNT, ".5", 0.5);
	cr_assert_str_eq(reject(UNIT_COUNT, "15.6 Tokens"),
			 "unknown count unit 'Tokens' in '15.6 Tokens'; expected one of K, M, G, B, T, P");
	reject_with(UNIT_COUNT, "8x", "unknown count unit 'x'");
}

Test(units, fractions_from_percent_or_unit_interval)
{
	expect(UNIT_FRACTION, "50%", 0.5);
	expect(UNIT_FRACTION, "50 %", 0.5);
	expect(UNIT_FRACTION, "0.25", 0.25);
	expect(UNIT_FRACTION, "1", 1);
	expect(UNIT_FRACTION, "150%", 1.5);
	expect(UNIT_FRACTION, "-0.5", -0.5);
	cr_assert_str_eq(reject(UNIT_FRACTION, "50"),
			 "fraction '50' is ambiguous; write a percent such as 50% or a number from 0 to 1");
	reject_with(UNIT_FRACTION, "-2", "fraction '-2' is ambiguous");
	cr_assert_str_eq(reject(UNIT_FRACTION, "0.5x"),
			 "unknown fraction unit 'x' in '0.5x'; expected % or a number from 0 to 1");
}

Test(units, ratios_as_a_to_b)
{
	expect(UNIT_RATIO, "3:1", 3);
	expect(UNIT_RATIO, "1:7", 1.0 / 7);
	expect(UNIT_RATIO, "1:1", 1);
	expect(UNIT_RATIO, "2.5:0.5", 5);
	cr_assert_str_eq(reject(UNIT_RATIO, "3"), "ratio '3' must be written as a:b, such as 3:1");
	cr_assert_str_eq(reject(UNIT_RATIO, "3:0"), "ratio '3:0' needs two positive numbers");
	reject_with(UNIT_RATIO, "-3:1", "needs two positive numbers");
	cr_assert_str_eq(reject(UNIT_RATIO, "a:1"), "ratio 'a:1' must be two numbers a:b, such as 3:1");
	reject_with(UNIT_RATIO, "3:", "must be two numbers a:b");
	reject_with(UNIT_RATIO, "3:1:2", "must be two numbers a:b");
	reject_with(UNIT_RATIO, "3 : 1", "must be two numbers a:b");
	reject_with(UNIT_RATIO, "3:1 ", "must be two numbers a:b");
	cr_assert_str_eq(reject(UNIT_RATIO, "1e300:1e-300"), "ratio '1e300:1e-300' is out of range");
	cr_assert_str_eq(reject(UNIT_RATIO, "1e400:1"), "number in '1e400:1' is too large");
}

Test(units, lengths_in_metres)
{
	expect(UNIT_LENGTH, "100km", 1e5);
	expect(UNIT_LENGTH, "3m", 3);
	expect(UNIT_LENGTH, "5mm", 5e-3);
	cr_assert_str_eq(reject(UNIT_LENGTH, "100"), "length '100' needs a unit such as 100km");
	reject_with(UNIT_LENGTH, "100M", "unknown length unit 'M' in '100M'; expected one of mm, cm, m, km");
}

Test(units, rates_per_unit_of_time)
{
	expect(UNIT_RATE, "3/d", 3.0 / 86400);
	expect(UNIT_RATE, "0.5/h", 0.5 / 3600);
	expect(UNIT_RATE, "9%/yr", 0.09 / 31536000);
	expect(UNIT_RATE, "2/yr", 2.0 / 31536000);
	expect(UNIT_RATE, "1.67e-4/d", 1.67e-4 / 86400);
	expect(UNIT_RATE, "2/day", 2.0 / 86400);
	expect(UNIT_RATE, "3 /d", 3.0 / 86400);
}

Test(units, rates_need_a_bare_time_unit_after_the_slash)
{
	cr_assert_str_eq(reject(UNIT_RATE, "3"), "rate '3' must be a number per time, such as 3/d or 9%/yr");
	cr_assert_str_eq(reject(UNIT_RATE, "3/fortnight"),
			 "unknown time unit 'fortnight' in '3/fortnight'; "
			 "expected one of ns, us, ms, s, min, h, d, w, y");
	/* not 3 per 15 s, as gluing a "1" before the unit would read it */
	reject_with(UNIT_RATE, "3/5s", "unknown time unit '5s' in '3/5s'");
	cr_assert_str_eq(reject(UNIT_RATE, "3/m"), "'m' is ambiguous for a time in '3/m'; write 'min' for minutes");
	cr_assert_str_eq(reject(UNIT_RATE, "3/"), "rate '3/' needs a time unit after '/', such as 3/d");
	reject_with(UNIT_RATE, "3/ d", "unknown time unit ' d'");
	cr_assert_str_eq(reject(UNIT_RATE, "3x/d"),
			 "rate '3x/d' must be a number or percent per time, such as 3/d or 9%/yr");
	cr_assert_str_eq(reject(UNIT_RATE, "often/d"), "'often/d' is not a number");
}

Test(units, money_in_us_dollars_with_k_m_b_prefixes)
{
	expect(UNIT_MONEY, "30kUSD", 30e3);
	expect(UNIT_MONEY, "1.2MUSD", 1.2e6);
	expect(UNIT_MONEY, "2.5 USD", 2.5);
	expect(UNIT_MONEY, "0USD", 0);
	cr_assert_str_eq(reject(UNIT_MONEY, "30000"), "money '30000' needs a unit such as 30kUSD");
	cr_assert_str_eq(reject(UNIT_MONEY, "30k"), "unknown money unit 'k' in '30k'; expected one of USD, kUSD, MUSD, BUSD");
	reject_with(UNIT_MONEY, "30EUR", "unknown money unit 'EUR' in '30EUR'; expected one of USD, kUSD, MUSD, BUSD");
	reject_with(UNIT_MONEY, "30usd", "unknown money unit 'usd'");
	cr_assert_str_eq(reject(UNIT_MONEY, "2mUSD"), "'mUSD' is ambiguous for a money in '2mUSD'; write 'MUSD' for "
			 "millions (m is milli)");
	reject_with(UNIT_MONEY, "2GUSD", "write 'BUSD' for billions");
	cr_assert_str_eq(reject(UNIT_MONEY, "$30k"), "'$' in '$30k' could be any dollar; write the amount then USD, "
			 "such as 30kUSD");
	reject_with(UNIT_MONEY, "30k$", "could be any dollar");
	reject_with(UNIT_MONEY, "1e308BUSD", "is too large");
}

Test(units, money_rates_and_energy_prices_need_a_currency_and_a_bare_unit)
{
	expect(UNIT_MONEY_RATE, "2.5USD/h", 2.5 / 3600);
	expect(UNIT_ENERGY_PRICE, "0.08USD/kWh", 0.08 / 3.6e6);
	expect(UNIT_ENERGY_PRICE, "80USD/MWh", 80 / 3.6e9);
	cr_assert_str_eq(reject(UNIT_MONEY_RATE, "2.5USD"), "money rate '2.5USD' must be money per time, such as "
			 "2.5USD/h");
	cr_assert_str_eq(reject(UNIT_ENERGY_PRICE, "80USD"), "energy price '80USD' must be money per energy, such as "
			 "80USD/MWh");
	cr_assert_str_eq(reject(UNIT_MONEY_RATE, "2.5/h"), "money rate '2.5/h' needs a currency before '/', such as "
			 "2.5USD/h");
	cr_assert_str_eq(reject(UNIT_MONEY_RATE, "2.5USD/"), "money rate '2.5USD/' needs a time unit after '/', such as "
			 "2.5USD/h");
	reject_with(UNIT_MONEY_RATE, "2.5USD/2h", "unknown time unit '2h' in '2.5USD/2h'");
	reject_with(UNIT_MONEY_RATE, "2.5EUR/h", "unknown money unit 'EUR' in '2.5EUR/h'");
	reject_with(UNIT_MONEY_RATE, "2.5USD/m", "write 'min' for minutes");
	cr_assert_str_eq(reject(UNIT_ENERGY_PRICE, "80USD/"), "energy price '80USD/' needs an energy unit after '/', "
			 "such as 80USD/MWh");
	cr_assert_str_eq(reject(UNIT_ENERGY_PRICE, "80USD/kwh"), "unknown energy unit 'kwh' in '80USD/kwh'; expected "
			 "one of Wh, kWh, MWh, GWh");
	reject_with(UNIT_ENERGY_PRICE, "$80/MWh", "could be any dollar");
	reject_with(UNIT_ENERGY_PRICE, "80USDUSDUSDUSDUSD/MWh", "unknown money unit 'USDUSDUSDUSDUSD'");
	reject_with(UNIT_MONEY_RATE, "1e308BUSD/ns", "is too large");
	cr_assert_str_eq(reject(UNIT_MONEY_RATE, "cheap/h"), "'cheap/h' is not a number");
}

Test(units, money_reads_back_in_usd_with_a_prefix)
{
	char buf[64];
	cr_assert_str_eq(humanize(UNIT_MONEY, 412.34e6, buf, sizeof buf), "412.3 MUSD");
	cr_assert_str_eq(humanize(UNIT_MONEY, 30e3, buf, sizeof buf), "30 kUSD");
	cr_assert_str_eq(humanize(UNIT_MONEY, 1.5e9, buf, sizeof buf), "1.5 BUSD");
	cr_assert_str_eq(humanize(UNIT_MONEY, 0, buf, sizeof buf), "0 USD");
	cr_assert_str_eq(humanize(UNIT_MONEY_RATE, 2.5 / 3600, buf, sizeof buf), "2.5 USD/h");
	cr_assert_str_eq(humanize(UNIT_ENERGY_PRICE, 80 / 3.6e9, buf, sizeof buf), "80 USD/MWh");
}

Test(units, things_that_are_not_numbers)
{
	cr_assert_str_eq(reject(UNIT_TIME, "abc"), "'abc' is not a number");
	cr_assert_str_eq(reject(UNIT_TIME, ""), "'' is not a number");
	cr_assert_str_eq(reject(UNIT_TIME, "s"), "'s' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "inf"), "'inf' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "-inf"), "'-inf' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "nan"), "'nan' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "0x10"), "'0x10' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "-"), "'-' is not a number");
	cr_assert_str_eq(reject(UNIT_COUNT, "- 3"), "'- 3' is not a number");
	cr_assert_str_eq(reject(UNIT_TIME, " 5s"), "' 5s' is not a number");
	cr_assert_str_eq(reject(UNIT_TIME, NULL), "no value given");
}

Test(units, numbers_out_of_range_are_refused)
{
	cr_assert_str_eq(reject(UNIT_COUNT, "1e400"), "number in '1e400' is too large");
	cr_assert_str_eq(reject(UNIT_COUNT, "-1e400"), "number in '-1e400' is too large");
	cr_assert_str_eq(reject(UNIT_TIME, "1e-400s"), "number in '1e-400s' is too close to zero");
	cr_assert_str_eq(reject(UNIT_SIZE, "1e308PB"), "'1e308PB' is too large");
	reject_with(UNIT_RATE, "1e400/d", "is too large");
}

Test(units, spaces_only_between_number_and_unit)
{
	expect(UNIT_BANDWIDTH, "400 Gbps", 5e10);
	expect(UNIT_BANDWIDTH, "400  Gbps", 5e10);
	cr_assert_str_eq(reject(UNIT_COUNT, "8 "), "'8 ' ends in a space");
	reject_with(UNIT_FRACTION, "0.5 ", "ends in a space");
	reject_with(UNIT_TIME, "5s ", "unknown time unit 's '");
	reject_with(UNIT_TIME, "5\ts", "unknown time unit '\ts'");
	reject_with(UNIT_BANDWIDTH, "400 G bps", "unknown bandwidth unit 'G bps'");
}

Test(units, junk_after_a_long_number_is_not_dropped)
{
	char text[200];
	memset(text, '1', 50);
	strcpy(text + 50, "junk:1");
	reject_with(UNIT_RATIO, text, "must be two numbers a:b");
	strcpy(text + 50, "junk/d");
	reject_with(UNIT_RATE, text, "must be a number or percent per time");
	strcpy(text + 50, "junk");
	reject_with(UNIT_COUNT, text, "unknown count unit 'junk'");
}

/* A value longer than any quantity is refused before it is quoted, so the message keeps
 * what was expected. */
Test(units, a_value_too_long_for_a_quantity_says_what_was_expected)
{
	char text[200];
	memset(text, '1', 150);
	strcpy(text + 150, "junk");
	reject_with(UNIT_COUNT, text, "(154 characters) is too long for a count; expected a value such as 15.6T");
	reject_with(UNIT_TIME, text, "is too long for a time; expected a value such as 30s");
}

Test(units, a_missing_or_short_reason_buffer_is_safe)
{
	double v = 42;
	cr_assert_not(units_parse(UNIT_TIME, "bad", &v, NULL, 0));
	char why[8];
	memset(why, 'x', sizeof why);
	cr_assert_not(units_parse(UNIT_TIME, "bad", &v, why, 0));
	cr_assert_eq(why[0], 'x', "why_size 0 must not write");
	cr_assert_not(units_parse(UNIT_TIME, "bad", &v, why, sizeof why));
	cr_assert_str_eq(why, "'bad' i");
	cr_assert_eq(v, 42);
}

Test(units, an_unknown_kind_is_refused)
{
	double v = 42;
	char why[64];
	cr_assert_not(units_parse((enum unit_kind)99, "3", &v, why, sizeof why));
	cr_assert_str_eq(why, "unknown kind of quantity 99");
	cr_assert_eq(v, 42);
	cr_assert_str_eq(units_kind_name((enum unit_kind)99), "quantity");
	cr_assert_str_eq(units_kind_example((enum unit_kind)-1), "");
}

Test(units, kinds_have_names_and_examples_that_parse)
{
	static const char *const names[] = {"bandwidth", "time", "power", "size", "compute", "count", "fraction",
					    "ratio", "length", "rate", "money", "money rate", "energy price"};
	static const char *const examples[] = {"400Gbps", "30s", "700W", "80GB", "989TFLOPS", "15.6T", "50%",
					       "3:1", "100km", "3/d", "30kUSD", "2.5USD/h", "80USD/MWh"};
	for (int k = UNIT_BANDWIDTH; k <= UNIT_ENERGY_PRICE; k++) {
		cr_assert_str_eq(units_kind_name((enum unit_kind)k), names[k]);
		cr_assert_str_eq(units_kind_example((enum unit_kind)k), examples[k]);
		parse_ok((enum unit_kind)k, examples[k]);
	}
}

Test(units, dates_parse_to_seconds_since_1970_and_bad_ones_say_why)
{
	double t;
	char why[128];
	cr_assert(units_parse_date("2024-03-01", &t, why, sizeof why));
	cr_assert_eq(t, 19783.0 * 86400);
	cr_assert_not(units_parse_date("2024-02-30", &t, why, sizeof why));
	cr_assert_str_eq(why, "'2024-02-30' is not a calendar date from 1970 on");
	cr_assert_not(units_parse_date("24-3-1", &t, why, sizeof why));
	cr_assert_str_eq(why, "'24-3-1' is not a date; expected one such as 2024-03-01");
}

Test(units, long_spans_read_in_weeks_months_or_years)
{
	char buf[32];
	cr_assert_str_eq(humanize_span_note(27 * 86400.0, buf, sizeof buf), "");
	cr_assert_str_eq(humanize_span_note(38 * 86400.0, buf, sizeof buf), " = 5.4 weeks");
	cr_assert_str_eq(humanize_span_note(222 * 86400.0, buf, sizeof buf), " = 7.3 months");
	cr_assert_str_eq(humanize_span_note(800 * 86400.0, buf, sizeof buf), " = 2.2 years");
	cr_assert_str_eq(humanize_span_note(INFINITY, buf, sizeof buf), "");
}
