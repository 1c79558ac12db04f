#!/usr/bin/env bash
# bench/explain.sh: wall time and peak memory of `trainsim explain` against issue 11's target:
# the GPT-4.5-style scenario (platforms/frontier-new-100k.yaml with
# workloads/frontier-2-months.yaml), --replicas 20 --jobs 2, within 10 minutes on a 2-core
# machine; and the default scenario, for scale. Uses GNU time. Usage:
#   bench/explain.sh [REPLICAS] [MAX_GROUPS]   (defaults 20 and 10, the target's)
# A run over the target is stopped at twice the target (timeout) and reported as missed.
set -euo pipefail
cd "$(dirname "$0")/.."

replicas=${1:-20}
groups=${2:-10}
bin=build/trainsim
[ -x "$bin" ] || { meson setup build >/dev/null && meson compile -C build >/dev/null; }
command -v /usr/bin/time >/dev/null || { echo "bench/explain.sh needs GNU time: apt-get install -y time" >&2; exit 2; }

# label | target seconds | arguments
cases=(
	"default scenario (16K GPUs)|600|explain platforms/h100-16k.yaml workloads/llama3-405b.yaml"
	"frontier-new-100k, 2 months planned|600|explain platforms/frontier-new-100k.yaml workloads/frontier-2-months.yaml"
)

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)"
echo "explain --replicas $replicas --jobs 2 --max-groups $groups"
printf '%-40s %9s %9s %8s  %s\n' case "wall s" "target s" "peak MB" verdict
status=0
for c in "${cases[@]}"; do
	IFS='|' read -r label target args <<<"$c"
	# shellcheck disable=SC2086
	out=$( { timeout $((2 * target)) /usr/bin/time -f '%e %M' "$bin" $args --replicas "$replicas" --jobs 2 \
		--max-groups "$groups" --quiet >/dev/null; } 2>&1 | tail -1) || out="stopped 0"
	read -r wall kb <<<"$out"
	verdict=ok
	if [ "$wall" = stopped ]; then
		verdict="MISSED (stopped at $((2 * target)) s)"
		status=1
	elif awk -v w="$wall" -v t="$target" 'BEGIN {exit !(w > t)}'; then
		verdict=MISSED
		status=1
	fi
	printf '%-40s %9s %9s %8.0f  %s\n' "$label" "$wall" "$target" "$((kb / 1024))" "$verdict"
done
exit $status
