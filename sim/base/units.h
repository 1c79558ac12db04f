/* units: parse human-readable quantities ("400Gbps", "2h", "15.6T", "3:1") into SI doubles.
 * One table per unit kind; anything not in the table, or ambiguous, is rejected with a reason. */
#ifndef TRAINSIM_UNITS_H
#define TRAINSIM_UNITS_H

#include <stdbool.h>
#include <stddef.h>

/* What a value measures, and so which suffixes it may carry. SI results:
 * bandwidth -> bytes per second; time -> seconds; power -> watts; size -> bytes;
 * compute -> FLOP per second; count -> plain number; fraction -> 0..1 from a percent;
 * ratio -> a/b from "a:b"; length -> metres; rate -> events per second; money -> US dollars;
 * money rate -> US dollars per second; energy price -> US dollars per joule. */
enum unit_kind {
	UNIT_BANDWIDTH,
	UNIT_TIME,
	UNIT_POWER,
	UNIT_SIZE,
	UNIT_COMPUTE,
	UNIT_COUNT,
	UNIT_FRACTION,
	UNIT_RATIO,
	UNIT_LENGTH,
	UNIT_RATE,
	UNIT_MONEY,        /* "30kUSD": trainsim counts money in US dollars only */
	UNIT_MONEY_RATE,   /* "2.5USD/h": money per unit of time */
	UNIT_ENERGY_PRICE, /* "80USD/MWh": money per unit of energy */
};

/* Parse `text` as a quantity of `kind` into *out (SI).
 * Returns true on success. On failure returns false, leaves *out untouched and writes
 * a one-line reason (no trailing period, no location) into why[why_size], e.g.
 * "unknown bandwidth unit 'Gbs'; expected one of bps, Kbps, Mbps, Gbps, Tbps, Bps, KBps, MBps, GBps, TBps". */
bool units_parse(enum unit_kind kind, const char *text, double *out, char *why, size_t why_size);

/* Parse a calendar date YYYY-MM-DD (UTC midnight, from 1970 to 9999) into seconds since
 * 1970; false (why filled, as units_parse) when it is not one. */
bool units_parse_date(const char *text, double *epoch_s, char *why, size_t why_size);

/* Human name of a kind ("bandwidth", "time", ...), for messages. */
const char *units_kind_name(enum unit_kind kind);

/* One short example of a valid value of this kind ("400Gbps"), for messages. */
const char *units_kind_example(enum unit_kind kind);

#endif
