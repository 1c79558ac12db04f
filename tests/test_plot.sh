#!/bin/sh
# Tests of analysis/plot: every plot renders from a run's and a sweep's files; the data the
# plots draw (--keep-data) matches the input, counted here independently of the script; a new
# column in the CSV files changes nothing; bad input exits 2 and leaves no plot behind. Needs
# gnuplot and the built trainsim ($TRAINSIM_BIN).
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
[ ! -e "$tmp/run/plots/data" ] || fail "data files kept without --keep-data"

# The data behind the plots, against the input. Counts from events.csv come from grep on its
# rows (replica,time_s,event,...), not from the script's way of reading them.
events=$tmp/run/events.csv
replicas=$(($(wc -l <"$tmp/run/replicas.csv") - 1))
[ "$replicas" -eq 12 ] || fail "replicas.csv has $replicas replicas, not 12"
rows() { # replica event -> the number of such rows in events.csv
	grep -c "^$1,[^,]*,$2," "$events" || true
}
lines() { # file -> its number of lines
	wc -l <"$1" | tr -d ' '
}
check_timeline() { # data-dir replica
	f=$(lines "$1/timeline-failures.dat")
	[ "$f" -eq "$(rows "$2" failure)" ] || fail "replica $2: $f failures drawn, $(rows "$2" failure) in events.csv"
	s=$(lines "$1/timeline-states.dat")
	[ "$s" -eq "$(rows "$2" state)" ] || fail "replica $2: $s state segments drawn, $(rows "$2" state) state rows in events.csv"
	r=$(lines "$1/timeline-repairs.dat")
	[ "$r" -eq "$(rows "$2" repair-start)" ] || fail "replica $2: $r repairs drawn, $(rows "$2" repair-start) started"
	# segments follow one another from day 0, each from the time of its state row
	awk -v k="$2" -F, '$1 == k && $3 == "state" {printf "%.6f\n", $2 / 86400}' "$events" >"$tmp/starts"
	awk '{print $1}' "$1/timeline-states.dat" | cmp -s - "$tmp/starts" || fail "replica $2: state segments do not start at its state rows"
	awk 'NR > 1 && $1 != end {exit 1} $2 < $1 {exit 1} {end = $2}' "$1/timeline-states.dat" ||
		fail "replica $2: state segments are not contiguous"
}
# replica 0 (the default) and the one with the most failures (--replica)
"$plot" "$tmp/run" --keep-data --out "$tmp/kept" >/dev/null 2>"$tmp/err" || fail "plot --keep-data: $(cat "$tmp/err")"
data=$tmp/kept/data
check_timeline "$data" 0
busiest=$(awk -F, '$3 == "failure" {c[$1]++} END {for (k in c) if (c[k] > m) {m = c[k]; r = k}; print r}' "$events")
[ "$(rows "$busiest" failure)" -gt 1 ] || fail "no replica with failures to check the timeline on"
"$plot" "$tmp/run" --keep-data --replica "$busiest" --out "$tmp/busiest" >/dev/null 2>"$tmp/err" ||
	fail "plot --replica $busiest: $(cat "$tmp/err")"
check_timeline "$tmp/busiest/data" "$busiest"
grep -q "replica $busiest," "$tmp/busiest/data/timeline.gp" || fail "timeline title does not name replica $busiest"
# the histogram counts every replica once; the CDF rises to 1 over all of them
[ "$(lines "$data/wallclock-days.dat")" -eq "$replicas" ] || fail "wallclock-days.dat: not one line per replica"
sum=$(awk '{s += $2} END {print s}' "$data/wallclock-histogram.dat")
[ "$sum" -eq "$replicas" ] || fail "histogram counts add up to $sum, not $replicas replicas"
[ "$(lines "$data/wallclock-cdf.dat")" -eq $((replicas + 2)) ] || fail "wallclock-cdf.dat: not one step per replica"
# the categories of the breakdown add up to the mean wall-clock (a column picked wrongly would not)
mean=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "wallclock_s") c = i; next} {s += $c} END {printf "%.6f", s / (NR - 1) / 86400}' \
	"$tmp/run/replicas.csv")
awk -v m="$mean" '{s += $2} END {d = s - m; exit !(d < 0.001 && d > -0.001)}' "$data/time-breakdown.dat" ||
	fail "time breakdown adds up to $(awk '{s += $2} END {print s}' "$data/time-breakdown.dat") d, mean wall-clock $mean d"
# interruptions: the means by cause times the replicas are all the interruptions, from
# summary.json (all 12 replicas: replicas.csv's interruptions column) and, without it, from
# events.csv (which has only the first 10 replicas: its interruption rows)
check_causes() { # file replicas interruptions what
	awk -v n="$2" -v want="$3" '{s += $2 * n} END {d = s - want; exit !(d < 0.01 && d > -0.01)}' "$1" ||
		fail "$4: interruptions by cause add up to $(awk -v n="$2" '{s += $2 * n} END {print s}' "$1"), not $3"
}
all=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "interruptions") c = i; next} {s += $c} END {print s}' "$tmp/run/replicas.csv")
[ "$all" -gt 0 ] || fail "no interruptions in the run"
check_causes "$data/interruptions-by-cause.dat" "$replicas" "$all" "from summary.json"
with_events=$(cut -d, -f1 "$events" | sed 1d | sort -u | wc -l)
[ "$with_events" -eq 10 ] || fail "events.csv has $with_events replicas, not the first 10"
mkdir "$tmp/nosummary"
cp "$tmp/run/replicas.csv" "$tmp/run/events.csv" "$tmp/nosummary/"
"$plot" "$tmp/nosummary" --keep-data >/dev/null 2>"$tmp/err" || fail "plot without summary.json: $(cat "$tmp/err")"
check_causes "$tmp/nosummary/plots/data/interruptions-by-cause.dat" "$with_events" \
	"$(grep -c '^[0-9]*,[^,]*,interruption,' "$events")" "from events.csv"

# A column added in the middle of each file changes none of the data drawn.
mkdir "$tmp/widened"
cp "$tmp/run/summary.json" "$tmp/widened/"
for f in replicas.csv events.csv; do
	awk -F, -v OFS=, '{$2 = (NR == 1 ? "added" : "x") OFS $2; print}' "$tmp/run/$f" >"$tmp/widened/$f"
done
"$plot" "$tmp/widened" --keep-data >/dev/null 2>"$tmp/err" || fail "plot with an added column: $(cat "$tmp/err")"
for f in "$data"/*.dat; do
	cmp -s "$f" "$tmp/widened/plots/data/$(basename "$f")" || fail "an added column changes $(basename "$f")"
done

# shellcheck disable=SC2086
"$bin" sweep $scenario --vary operations.technicians.per_site=1,3 --replicas 3 --quiet --out "$tmp/sweep" >/dev/null
"$plot" "$tmp/sweep" --out "$tmp/sweep-plots" >/dev/null 2>&1 || fail "plot of a sweep"
[ -s "$tmp/sweep-plots/sweep.svg" ] && [ -s "$tmp/sweep-plots/sweep.png" ] || fail "sweep plot missing"
"$plot" "$tmp/sweep" --keep-data --out "$tmp/sweep-kept" >/dev/null 2>&1 || fail "plot of a sweep, --keep-data"
# one point per sweep point, P10 <= P50 <= P90 as sweep.csv has them (its columns found by name)
awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
	{printf "%d %.6f %.6f %.6f\n", $c["point"], $c["p50_s"] / 86400, $c["p10_s"] / 86400, $c["p90_s"] / 86400}' \
	"$tmp/sweep/sweep.csv" >"$tmp/sweep-want"
awk '{print $1, $2, $3, $4}' "$tmp/sweep-kept/data/sweep.dat" | cmp -s - "$tmp/sweep-want" ||
	fail "sweep.dat does not match sweep.csv"

# The waterfall of an explanation: failure-free, one bar per cause as tall as its days in
# explain.json (in its order), stacked up to the estimate.
# shellcheck disable=SC2086
"$bin" explain $root/tests/golden/cluster.yaml $root/tests/golden/job.yaml --replicas 4 --quiet --out "$tmp/explain" >/dev/null
"$plot" "$tmp/explain" --keep-data >/dev/null 2>"$tmp/err" || fail "plot of an explanation: $(cat "$tmp/err")"
[ ! -s "$tmp/err" ] || fail "plot of an explanation says: $(cat "$tmp/err")"
for ext in svg png; do
	[ -s "$tmp/explain/plots/explain-waterfall.$ext" ] || fail "explain-waterfall.$ext missing or empty"
done
bars=$tmp/explain/plots/data/explain-waterfall.dat
sed -n 's/^      "days": \([-0-9.eE+]*\),$/\1/p' "$tmp/explain/explain.json" >"$tmp/explain-days"
causes=$(lines "$tmp/explain-days")
[ "$causes" -gt 5 ] || fail "explain.json has $causes causes"
[ "$(lines "$bars")" -eq $((causes + 2)) ] || fail "explain-waterfall.dat: not failure-free, one bar per cause and the estimate"
awk -v n="$causes" 'NR > 1 && NR <= n + 1 {print $3 - $2}' "$bars" | paste - "$tmp/explain-days" |
	awk '{d = $1 - $2; if (d > 1e-5 || d < -1e-5) exit 1}' || fail "waterfall bars are not the causes' days"
estimate=$(sed -n 's/^  "estimate_s": \([-0-9.eE+]*\),$/\1/p' "$tmp/explain/explain.json")
awk -v n="$causes" -v e="$estimate" 'NR == n + 1 {d = $3 - e / 86400; exit !(d < 1e-4 && d > -1e-4)}' "$bars" ||
	fail "the causes do not stack up to the estimate"
mkdir "$tmp/not-explain"
sed 's/"trainsim-explain"/"trainsim-summary"/' "$tmp/explain/explain.json" >"$tmp/not-explain/explain.json"
status=0
"$plot" "$tmp/not-explain" 2>"$tmp/err" || status=$?
[ $status = 2 ] || fail "explain.json of another schema: status $status"
grep -q "explain.json: unexpected schema" "$tmp/err" || fail "explain.json of another schema: $(cat "$tmp/err")"
# Two --vary keys: one line per value of the second key (sweep-lines.dat, one gnuplot index
# per value), each line's points at the first key's positions, as sweep.csv has them.
# shellcheck disable=SC2086
"$bin" sweep $scenario --vary operations.technicians.per_site=1,2,3 --vary operations.spares.hot_nodes=0,2 \
	--replicas 2 --quiet --out "$tmp/sweep2" >/dev/null
"$plot" "$tmp/sweep2" --keep-data --out "$tmp/sweep2-kept" >/dev/null 2>&1 || fail "plot of a two-key sweep"
[ -s "$tmp/sweep2-kept/sweep.svg" ] || fail "two-key sweep plot missing"
lines_dat=$tmp/sweep2-kept/data/sweep-lines.dat
[ -s "$lines_dat" ] || fail "no sweep-lines.dat for two keys"
[ "$(cat "$tmp/sweep2-kept/data/sweep-lines.txt")" = "$(printf 'operations.spares.hot_nodes=0\noperations.spares.hot_nodes=2')" ] ||
	fail "sweep-lines.txt: $(cat "$tmp/sweep2-kept/data/sweep-lines.txt")"
# block b (0-based), row i: sweep.csv's point 2i + b + 1 (the second key varies fastest)
awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
	{b = ($c["point"] - 1) % 2; x = int(($c["point"] - 1) / 2) + 1
	 out[b] = out[b] sprintf("%d %.6f\n", x, $c["p50_s"] / 86400)}
	END {printf "%s\n\n%s", out[0], out[1]}' "$tmp/sweep2/sweep.csv" >"$tmp/lines-want"
awk '{print (NF ? $1 " " $2 : "")}' "$lines_dat" | cmp -s - "$tmp/lines-want" ||
	fail "sweep-lines.dat does not follow sweep.csv: $(cat "$lines_dat")"

# trainsim sensitivity: the tornado, one bar per row of sensitivity.json in its order (the
# largest swing on top), each from the P50 at the low value to the P50 at the high value
# shellcheck disable=SC2086
"$bin" sensitivity $scenario --key operations.technicians.per_site=1,3 --key operations.spares.hot_nodes=0,2 \
	--replicas 2 --quiet --out "$tmp/sens" >/dev/null
"$plot" "$tmp/sens" --keep-data --out "$tmp/sens-kept" >/dev/null 2>"$tmp/err" || fail "plot of a sensitivity: $(cat "$tmp/err")"
for ext in svg png; do
	[ -s "$tmp/sens-kept/sensitivity-tornado.$ext" ] || fail "sensitivity-tornado.$ext missing or empty"
done
[ -z "$(cat "$tmp/err")" ] || fail "plot of a sensitivity said: $(cat "$tmp/err")"
tornado=$tmp/sens-kept/data/sensitivity-tornado.dat
sed -n 's/^      "p50_\(low\|high\)_s": \([-0-9.eE+]*\),*$/\2/p' "$tmp/sens/sensitivity.json" |
	awk '{printf "%.6f%s", $1 / 86400, NR % 2 ? " " : "\n"}' >"$tmp/tornado-want"
awk '{print $2, $3}' "$tornado" | cmp -s - "$tmp/tornado-want" || fail "sensitivity-tornado.dat does not follow sensitivity.json: $(cat "$tornado")"
[ "$(awk '{print $1}' "$tornado" | tr '\n' ' ')" = "2 1 " ] || fail "tornado rows not from the top: $(cat "$tornado")"
sed 's/trainsim-sensitivity/trainsim-other/' "$tmp/sens/sensitivity.json" >"$tmp/other.json"
mkdir "$tmp/sens-bad" && mv "$tmp/other.json" "$tmp/sens-bad/sensitivity.json"
status=0
"$plot" "$tmp/sens-bad" 2>"$tmp/err" || status=$?
[ $status = 2 ] || fail "sensitivity.json of another schema: status $status"
grep -q "sensitivity.json: unexpected schema" "$tmp/err" || fail "sensitivity.json of another schema: $(cat "$tmp/err")"

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
