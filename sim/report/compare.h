/* compare: `trainsim compare BASE.json NEW.json`, the CI gate on simulated wall-clock: reads two
 * run summaries, refuses to compare different scenarios, prints both side by side and a verdict. */
#ifndef TRAINSIM_COMPARE_H
#define TRAINSIM_COMPARE_H

#include <stdio.h>

/* The summary.json layout compare understands: "schema" must be this string and
 * "schema_version" an integer. Summaries of different versions are never compared, not even
 * with --force (a renamed or re-defined key would compare the wrong numbers silently); any one
 * version is accepted as long as both files have it and carry the keys compare reads. */
#define COMPARE_SCHEMA "trainsim-summary"

/* Run the compare command. argv[0] is "compare"; the rest are
 * BASE.json NEW.json [--tolerance 2%|0.02] [--metric p50|mean|p90] [--force] [--help]
 * (an option's value may also follow '=': --tolerance=2%).
 * Writes the table and verdict to `out`; errors and notes to `err`, each line prefixed
 * "trainsim compare: " and naming the file (with line:column for errors inside it).
 * Returns the process exit status: 0 NEW is within tolerance or faster (also --help),
 * 1 NEW's metric exceeds BASE's * (1 + tolerance), 2 bad usage or input: unreadable or
 * malformed file, wrong schema, missing keys or keys of the wrong type, different schema
 * versions, or scenarios that differ in platform, workload, overrides, horizon or failure
 * scale (2 unless --force, which turns those into notes). A different seed or replica
 * count is only noted. */
int compare_main(int argc, char **argv, FILE *out, FILE *err);

#endif
