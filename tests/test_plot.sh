#!/bin/sh
# Tests of analysis/plot: every plot renders from a run's and a sweep's files, bad input
# exits 2 and leaves no plot behind. Needs gnuplot and the built trainsim ($TRAINSIM_BIN).
set -eu
root=${TRAINSIM_SOURCE_DIR:-$(dirname "$0")/..}
bin=${TRAINSIM_BIN:-$root/build/trainsim}
plot=$root/analysis/plot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
scenario="$root/tests/fixtures/mc-node.yaml $root/tests/fixtures/mc-job.yaml"

# shellcheck disable=SC2086
"$bin" run $scenario --replicas 12 --quiet --out "$tmp/run" >/dev/null
"$plot" "$tmp/run" >/dev/null 2>"$tmp/err" || fail "plot of a run: $(cat "$tmp/err")"
for name in wallclock-histogram wallclock-cdf time-breakdown interruptions-by-cause timeline; do
	for ext in svg png; do
		f=$tmp/run/plots/$name.$ext
		[ -s "$f" ] || fail "$f missing or empty"
	done
	head -c 200 "$tmp/run/plots/$name.svg" | grep -q "<svg\|<?xml" || fail "$name.svg is not SVG"
	head -c 8 "$tmp/run/plots/$name.png" | grep -q "PNG" || fail "$name.png is not PNG"
done
[ -z "$(find "$tmp/run/plots" -name '.plot-*')" ] || fail "work files left behind"

# shellcheck disable=SC2086
"$bin" sweep $scenario --vary operations.technicians.per_site=1,3 --replicas 3 --quiet --out "$tmp/sweep" >/dev/null
"$plot" "$tmp/sweep" --out "$tmp/sweep-plots" >/dev/null 2>&1 || fail "plot of a sweep"
[ -s "$tmp/sweep-plots/sweep.svg" ] && [ -s "$tmp/sweep-plots/sweep.png" ] || fail "sweep plot missing"

# bad input: exit 2, a message naming the file, nothing written
status=0
"$plot" "$tmp/none" 2>"$tmp/err" || status=$?
[ $status = 2 ] || fail "missing directory: status $status"
grep -q "$tmp/none: no such directory" "$tmp/err" || fail "missing directory: $(cat "$tmp/err")"
mkdir "$tmp/bad"
printf 'replica,when\n0,1\n' >"$tmp/bad/replicas.csv"
status=0
"$plot" "$tmp/bad" 2>"$tmp/err" || status=$?
[ $status = 2 ] || fail "bad header: status $status"
grep -q "replicas.csv: unexpected header" "$tmp/err" || fail "bad header: $(cat "$tmp/err")"
[ ! -e "$tmp/bad/plots" ] || [ -z "$(ls -A "$tmp/bad/plots")" ] || fail "plots written from bad input"
mkdir "$tmp/empty"
status=0
"$plot" "$tmp/empty" 2>/dev/null || status=$?
[ $status = 2 ] || fail "empty directory: status $status"
echo "ok"
