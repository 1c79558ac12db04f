#!/usr/bin/env bash
# bench/step.sh: wall time and peak memory of `trainsim step` (platform and workload load,
# SimGrid platform load, every collective simulated, composition) for Llama 3 405B on 16K
# GPUs and a frontier run on 100K GPUs, against the targets of issue 3 on a 2-core machine.
# Uses GNU time (Debian package `time`). Usage: bench/step.sh [RUNS] (default 5; median kept).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
bin=build/trainsim
[ -x "$bin" ] || { meson setup build >/dev/null && meson compile -C build >/dev/null; }
command -v /usr/bin/time >/dev/null || { echo "bench/step.sh needs GNU time: apt-get install -y time" >&2; exit 2; }

# platform, workload, target seconds
cases=(
	"platforms/h100-16k.yaml workloads/llama3-405b.yaml 1"
	"platforms/h100-100k.yaml workloads/frontier-100k.yaml 10"
)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "runs per case: $runs (median wall time, largest peak RSS)"
printf '%-58s %8s %9s %8s  %s\n' "platform + workload" "wall s" "target s" "peak MB" verdict
status=0
for c in "${cases[@]}"; do
	read -r platform workload target_s <<<"$c"
	walls=()
	peak_kb=0
	for ((i = 0; i < runs; i++)); do
		out=$( { /usr/bin/time -f '%e %M' "$bin" step "$platform" "$workload" >/dev/null; } 2>&1 | tail -1)
		read -r wall kb <<<"$out"
		walls+=("$wall")
		((kb > peak_kb)) && peak_kb=$kb
	done
	median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	verdict=ok
	awk -v m="$median" -v t="$target_s" 'BEGIN {exit !(m > t)}' && verdict=SLOW && status=1
	printf '%-58s %8s %9s %8s  %s\n' "$(basename "$platform") + $(basename "$workload")" "$median" "$target_s" \
		"$((peak_kb / 1024))" "$verdict"
done
exit $status
