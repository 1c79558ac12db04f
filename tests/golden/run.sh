#!/usr/bin/env bash
# Golden outputs (SimGrid's tesh habit): a small scenario that exercises every actor of the
# run is simulated and its text, summary.json, replicas.csv, events.csv and timeline.json are
# compared byte for byte with the files pinned in tests/golden/expected/. A change that
# moves them must update them in the same commit and say why:
#   tests/golden/run.sh --update     (from the source root, after meson compile -C build)
set -euo pipefail
root=${TRAINSIM_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
bin=${TRAINSIM_BIN:-$root/build/trainsim}
expected=$root/tests/golden/expected
update=false
[ "${1:-}" = --update ] && update=true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"   # sources are named relative to it in the outputs
scenario="tests/golden/cluster.yaml tests/golden/job.yaml"

# name | arguments ; each case's stdout becomes NAME.txt and its --out files NAME.FILE
cases=(
	"one|run $scenario --seed 3 --out @OUT@"
	"four|run $scenario --seed 5 --replicas 4 --jobs 2 --quiet --events 1 --set operations.technicians.per_site=3 --out @OUT@"
	"json|run $scenario --seed 1 --horizon 10d --json"
	"shrink|run $scenario --seed 5 --replicas 4 --jobs 2 --quiet --set job.on_failure=shrink"
	"step|step $scenario"
)

status=0
for c in "${cases[@]}"; do
	name=${c%%|*}
	args=${c#*|}
	out=$work/$name
	args=${args//@OUT@/$out}
	# shellcheck disable=SC2086
	"$bin" $args > "$work/$name.txt" || { echo "FAIL $name: trainsim $args exited $?"; status=1; continue; }
	files=("$work/$name.txt")
	[ -d "$out" ] && for f in "$out"/*; do cp "$f" "$work/$name.$(basename "$f")"; files+=("$work/$name.$(basename "$f")"); done
	for f in "${files[@]}"; do
		base=$(basename "$f")
		if $update; then
			mkdir -p "$expected"
			cp "$f" "$expected/$base"
		elif ! cmp -s "$f" "$expected/$base"; then
			echo "FAIL $name: $base differs from tests/golden/expected/$base:"
			diff -u "$expected/$base" "$f" | head -20 || true
			status=1
		fi
	done
done
if ! $update; then
	for f in "$expected"/*; do
		[ -e "$work/$(basename "$f")" ] || { echo "FAIL: $(basename "$f") is pinned but no case writes it"; status=1; }
	done
fi
$update && echo "updated $expected"
exit $status
