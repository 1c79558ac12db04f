#!/usr/bin/env bash
# bench/montecarlo.sh: wall time and peak memory of 1,000 replicas of the full Llama 3 405B
# run on 16K GPUs (the built-in default scenario), with --jobs 1 and 2, against issue 5's
# target (under 60 s with --jobs 2 on a 2-core machine) and issue 12's (under 12 s). Uses GNU time.
# Usage: bench/montecarlo.sh [REPLICAS] (default 1000).
set -euo pipefail
cd "$(dirname "$0")/.."

replicas=${1:-1000}
bin=build/trainsim
[ -x "$bin" ] || { meson setup build >/dev/null && meson compile -C build >/dev/null; }
command -v /usr/bin/time >/dev/null || { echo "bench/montecarlo.sh needs GNU time: apt-get install -y time" >&2; exit 2; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf '%-6s %9s %10s %9s  %s\n' jobs replicas "wall s" "peak MB" verdict
status=0
for jobs in 1 2; do
	out=$( { /usr/bin/time -f '%e %M' "$bin" run --replicas "$replicas" --jobs "$jobs" --quiet --json >/dev/null; } 2>&1 | tail -1)
	read -r wall kb <<<"$out"
	verdict=-
	if [ "$jobs" = 2 ]; then
		verdict=ok
		awk -v w="$wall" -v r="$replicas" 'BEGIN {exit !(w > 12 * r / 1000)}' && verdict=SLOW && status=1
	fi
	printf '%-6s %9s %10s %9s  %s\n' "$jobs" "$replicas" "$wall" "$((kb / 1024))" "$verdict"
done
exit $status
