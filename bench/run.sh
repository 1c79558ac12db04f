#!/usr/bin/env bash
# bench/run.sh: wall time and peak memory of one replica of `trainsim run` (platform and
# workload load, step simulation, the whole run with failures, repairs and restarts): the
# full Llama 3 405B run on 16K GPUs, a year of the frontier run on 100K GPUs, and the same
# year with a starved repair crew (2 technicians per site: thousands of open tickets), against
# the targets of issue 12 on a 2-core machine. Uses GNU time. Usage: bench/run.sh [RUNS]
# (default 3; the starved crew runs once).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
bin=build/trainsim
[ -x "$bin" ] || { meson setup build >/dev/null && meson compile -C build >/dev/null; }
command -v /usr/bin/time >/dev/null || { echo "bench/run.sh needs GNU time: apt-get install -y time" >&2; exit 2; }

# label | target seconds | arguments
cases=(
	"llama3-405b full run, 16K GPUs|0.6|run platforms/h100-16k.yaml workloads/llama3-405b.yaml"
	"frontier-100k, one year, 100K GPUs|3|run platforms/h100-100k.yaml workloads/frontier-100k.yaml --horizon 365d"
	"frontier-100k year, 2 technicians|10|run platforms/h100-100k.yaml workloads/frontier-100k.yaml --horizon 365d --set operations.technicians.per_site=2"
)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-40s %8s %9s %8s  %s\n' case "wall s" "target s" "peak MB" verdict
status=0
for c in "${cases[@]}"; do
	IFS='|' read -r label target args <<<"$c"
	walls=()
	peak_kb=0
	n=$runs
	[[ $label == *technicians* ]] && n=1
	for ((i = 0; i < n; i++)); do
		# shellcheck disable=SC2086
		out=$( { /usr/bin/time -f '%e %M' "$bin" $args --seed $((i + 1)) >/dev/null; } 2>&1 | tail -1)
		read -r wall kb <<<"$out"
		walls+=("$wall")
		((kb > peak_kb)) && peak_kb=$kb
	done
	median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	verdict=ok
	awk -v m="$median" -v t="$target" 'BEGIN {exit !(m > t)}' && verdict=SLOW && status=1
	printf '%-40s %8s %9s %8s  %s\n' "$label" "$median" "$target" "$((peak_kb / 1024))" "$verdict"
done
exit $status
