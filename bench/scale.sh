#!/usr/bin/env bash
# bench/scale.sh: replicas per second of the default scenario (Llama 3 405B on 16K GPUs)
# against the number of worker processes (--jobs 1, 2) and of MPI ranks (1, 2, and 4
# oversubscribed on a 2-core machine), with the parallel efficiency against one worker:
# efficiency = rate / (rate of one worker x workers), counting at most one worker per core
# (4 ranks on 2 cores can at best match 2). Every configuration must write the same
# summary.json, byte for byte, or the benchmark fails. Uses GNU time.
# Usage: bench/scale.sh [REPLICAS] (default 400).
set -euo pipefail
cd "$(dirname "$0")/.."

replicas=${1:-400}
bin=build/trainsim
[ -x "$bin" ] || { meson setup build >/dev/null && meson compile -C build >/dev/null; }
command -v /usr/bin/time >/dev/null || { echo "bench/scale.sh needs GNU time: apt-get install -y time" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cores=$(nproc)

echo "machine: $cores cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "$replicas replicas of the default scenario"
printf '%-22s %8s %12s %10s %9s\n' configuration "wall s" "replicas/s" efficiency "peak MB"

base_rate=
status=0
# label | parallel workers | command prefix | options
configs=("--jobs 1|1||--jobs 1" "--jobs 2|2||--jobs 2")
if command -v mpirun >/dev/null && grep -q libmpi <<<"$(ldd "$bin")"; then
	mpi="mpirun --allow-run-as-root --oversubscribe -n"
	configs+=("mpirun -n 1|1|$mpi 1|" "mpirun -n 2|2|$mpi 2|" "mpirun -n 4 (oversub.)|4|$mpi 4|")
else
	echo "(no MPI: build with libopenmpi-dev installed for the MPI rows)"
fi
for c in "${configs[@]}"; do
	IFS='|' read -r label workers prefix options <<<"$c"
	out=$work/$(echo "$label" | tr -c 'a-z0-9' _)
	# shellcheck disable=SC2086
	timing=$( { /usr/bin/time -f '%e %M' $prefix "$bin" run --replicas "$replicas" --quiet $options --out "$out" >/dev/null; } 2>&1 | tail -1)
	read -r wall kb <<<"$timing"
	rate=$(awk -v r="$replicas" -v w="$wall" 'BEGIN {printf "%.1f", r / w}')
	[ -n "$base_rate" ] || base_rate=$rate
	used=$((workers < cores ? workers : cores))
	efficiency=$(awk -v r="$rate" -v b="$base_rate" -v n="$used" 'BEGIN {printf "%.0f%%", 100 * r / (b * n)}')
	printf '%-22s %8s %12s %10s %9s\n' "$label" "$wall" "$rate" "$efficiency" "$((kb / 1024))"
	if [ -f "$work/first.json" ]; then
		cmp -s "$work/first.json" "$out/summary.json" || { echo "  summary.json differs from --jobs 1's"; status=1; }
	else
		cp "$out/summary.json" "$work/first.json"
	fi
done
exit $status
