#!/usr/bin/env bash
# bench/bad_inputs.sh: wall time and peak memory of `trainsim` on every case of
# tests/bad_inputs.sh (the same catalogue, generated the same way), against the targets for
# bad input: under 1 s and under 200 MB each, on a 2-core machine. Bad input is refused while
# it is read, before SimGrid, so anything near the targets is a parser doing too much. Prints a
# table and the worst case of each; exits 1 when a case is over a target. A benchmark, not a
# test: the test checks the answers, this only the cost. Uses GNU time (Debian package
# `time`). Usage: bench/bad_inputs.sh [RUNS] (default 3; the median wall time and the largest
# peak RSS of the runs are kept).
set -euo pipefail

target_s=1
target_mb=200

# Called back by tests/bad_inputs.sh for each case (BAD_INPUTS_RUNNER): NAME BIN ARGS...,
# one row "name wall_s peak_kb" appended to $BAD_INPUTS_RESULTS.
if [ -n "${BAD_INPUTS_RESULTS:-}" ]; then
	name=$1 bin=$2
	shift 2
	walls=() peak_kb=0
	for ((i = 0; i < ${BAD_INPUTS_RUNS:-3}; i++)); do
		stats=$(mktemp)
		# a hang guard only; the exit status is the test's business
		/usr/bin/time -f '%e %M' -o "$stats" timeout 60 "$bin" "$@" >/dev/null 2>&1 </dev/null || true
		# GNU time puts "Command exited with non-zero status 2" first: the figures are the last line
		read -r wall kb < <(tail -1 "$stats") || { wall=60 kb=0; }
		rm -f "$stats"
		walls+=("$wall")
		((kb > peak_kb)) && peak_kb=$kb
	done
	median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
	echo "$name $median $peak_kb" >>"$BAD_INPUTS_RESULTS"
	exit 0
fi

cd "$(dirname "$0")/.."
root=$PWD
self=$root/bench/bad_inputs.sh
bin=$root/build/trainsim
[ -x "$bin" ] || { meson setup build >/dev/null && meson compile -C build >/dev/null; }
command -v /usr/bin/time >/dev/null || { echo "bench/bad_inputs.sh needs GNU time: apt-get install -y time" >&2; exit 2; }

results=$(mktemp)
trap 'rm -f "$results"' EXIT
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "runs per case: ${1:-3} (median wall time, largest peak RSS); targets: ${target_s} s, ${target_mb} MB"
BAD_INPUTS_RESULTS=$results BAD_INPUTS_RUNS=${1:-3} BAD_INPUTS_RUNNER=$self TRAINSIM_BIN=$bin \
	TRAINSIM_SOURCE_DIR=$root "$root/tests/bad_inputs.sh" >/dev/null

[ -s "$results" ] || { echo "bench/bad_inputs.sh: tests/bad_inputs.sh ran no case" >&2; exit 2; }
printf '%-40s %8s %9s  %s\n' case "wall s" "peak MB" verdict
status=0
while read -r name wall kb; do
	mb=$(awk -v k="$kb" 'BEGIN {printf "%.1f", k / 1024}')
	over=()
	awk -v w="$wall" -v t="$target_s" 'BEGIN {exit !(w >= t)}' && over+=(SLOW)
	awk -v m="$mb" -v t="$target_mb" 'BEGIN {exit !(m >= t)}' && over+=("OVER MEMORY")
	verdict=ok
	((${#over[@]} == 0)) || { verdict=$(IFS=,; echo "${over[*]}"); status=1; }
	printf '%-40s %8s %9s  %s\n' "$name" "$wall" "$mb" "$verdict"
done <"$results"
cases=$(wc -l <"$results")
slowest=$(sort -k2,2 -g "$results" | tail -1)
largest=$(sort -k3,3 -n "$results" | tail -1)
read -r sname swall _ <<<"$slowest"
read -r lname _ lkb <<<"$largest"
echo "$cases cases; worst time: $sname ${swall} s (target ${target_s} s); worst memory: $lname" \
	"$(awk -v k="$lkb" 'BEGIN {printf "%.1f", k / 1024}') MB (target ${target_mb} MB)"
((status == 0)) || echo "some cases are over a target"
exit $status
