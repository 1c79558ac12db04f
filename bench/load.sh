#!/usr/bin/env bash
# bench/load.sh: wall time and peak memory of `trainsim describe` (YAML parse, validation,
# SimGrid XML generation, platform load and seal, sample routes) on the 16K, 100K and 400K
# platforms, against the targets of issue 2 on a 2-core machine. Uses GNU time
# (Debian package `time`). Usage: bench/load.sh [RUNS] (default 5; the median is kept).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
bin=build/trainsim
[ -x "$bin" ] || { meson setup build >/dev/null && meson compile -C build >/dev/null; }
command -v /usr/bin/time >/dev/null || { echo "bench/load.sh needs GNU time: apt-get install -y time" >&2; exit 2; }

# platform, target seconds, target MB
cases=(
	"platforms/h100-16k.yaml 1 0"
	"platforms/h100-100k.yaml 5 1536"
	"platforms/gb200-nvl72-400k.yaml 20 6144"
)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "runs per platform: $runs (median wall time, largest peak RSS)"
printf '%-34s %10s %10s %12s %12s  %s\n' platform "wall s" "target s" "peak MB" "target MB" verdict
status=0
for c in "${cases[@]}"; do
	read -r platform target_s target_mb <<<"$c"
	walls=()
	peak_kb=0
	for ((i = 0; i < runs; i++)); do
		out=$( { /usr/bin/time -f '%e %M' "$bin" describe "$platform" >/dev/null; } 2>&1 | tail -1)
		read -r wall kb <<<"$out"
		walls+=("$wall")
		((kb > peak_kb)) && peak_kb=$kb
	done
	median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	peak_mb=$((peak_kb / 1024))
	verdict=ok
	awk -v m="$median" -v t="$target_s" 'BEGIN {exit !(m > t)}' && verdict=SLOW
	((target_mb > 0 && peak_mb > target_mb)) && verdict="$verdict, OVER MEMORY"
	[ "$verdict" = ok ] || status=1
	printf '%-34s %10s %10s %12s %12s  %s\n' "$platform" "$median" "$target_s" "$peak_mb" \
		"$([ "$target_mb" -gt 0 ] && echo "$target_mb" || echo -)" "$verdict"
done
exit $status
