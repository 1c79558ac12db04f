#!/usr/bin/env bash
# Shards: a run split with --shard K/N and put together by `trainsim merge` writes exactly
# the files (and prints exactly the text) of the same run in one process, and merge refuses
# anything that is not every slice of one run, with its inputs unchanged. When MPI_RUN names
# a launcher (meson sets it when built with MPI), a run over MPI ranks must match too.
set -uo pipefail
root=${TRAINSIM_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${TRAINSIM_BIN:-$root/build/trainsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cp tests/golden/cluster.yaml tests/golden/job.yaml "$work/"
scenario="$work/cluster.yaml $work/job.yaml"
common="--seed 11 --replicas 7 --events 5 --horizon 200d"
files="summary.json replicas.csv events.csv timeline.json"

# same_set A B: the two directories hold the same run files, byte for byte.
same_set() {
	for f in $files; do
		cmp -s "$1/$f" "$2/$f" || { fail "$3: $f differs between $1 and $2"; diff <(head -c 2000 "$1/$f") <(head -c 2000 "$2/$f") | head -8; }
	done
}

# expect_refusal NAME PATTERN COMMAND...: exit 2, PATTERN in stderr, nothing on stdout.
expect_refusal() {
	local name=$1 pattern=$2
	shift 2
	"$@" > "$work/out.txt" 2> "$work/err.txt"
	local rc=$?
	[ $rc -eq 2 ] || fail "$name: exit $rc, expected 2 ($(head -c 300 "$work/err.txt"))"
	grep -q -- "$pattern" "$work/err.txt" || fail "$name: stderr lacks '$pattern': $(head -c 300 "$work/err.txt")"
	[ -s "$work/out.txt" ] && fail "$name: printed on stdout: $(head -c 200 "$work/out.txt")"
	return 0
}

# ---- one process, the reference ----
# shellcheck disable=SC2086
"$bin" run $scenario $common --jobs 2 --out "$work/one" > "$work/one.txt" || fail "the one-process run failed"

# ---- three shards, merged in any order ----
for k in 0 1 2; do
	# shellcheck disable=SC2086
	"$bin" run $scenario $common --jobs 1 --shard $k/3 --out "$work/s$k" > "$work/s$k.txt" ||
		fail "shard $k/3 failed"
	[ -f "$work/s$k/shard.bin" ] || fail "shard $k/3 wrote no shard.bin"
	grep -q "shard $k/3" "$work/s$k.txt" || fail "shard $k/3 did not say which slice it ran"
done
"$bin" merge --out "$work/merged" "$work/s2" "$work/s0" "$work/s1" > "$work/merged.txt" || fail "merge failed"
same_set "$work/one" "$work/merged" "3 shards"
cmp -s "$work/one.txt" "$work/merged.txt" || { fail "merge prints other text than the run"; diff "$work/one.txt" "$work/merged.txt" | head; }

# ---- more shards than replicas: empty slices are fine ----
for k in 0 1 2 3; do
	# shellcheck disable=SC2086
	"$bin" run $scenario --seed 11 --replicas 2 --horizon 200d --shard $k/4 --out "$work/e$k" > /dev/null ||
		fail "shard $k/4 of 2 replicas failed"
done
# shellcheck disable=SC2086
"$bin" run $scenario --seed 11 --replicas 2 --horizon 200d --out "$work/two" > /dev/null || fail "2 replicas failed"
"$bin" merge --out "$work/e" "$work/e0" "$work/e1" "$work/e2" "$work/e3" > /dev/null || fail "merging empty slices failed"
same_set "$work/two" "$work/e" "4 shards of 2 replicas"

# ---- refusals: each exits 2, says why, and leaves no --out ----
expect_refusal "a missing shard" "expected all of them" "$bin" merge --out "$work/x1" "$work/s0" "$work/s1"
expect_refusal "a shard twice" "given twice" "$bin" merge --out "$work/x2" "$work/s0" "$work/s0" "$work/s1"
# shellcheck disable=SC2086
"$bin" run $scenario $common --seed 12 --shard 2/3 --out "$work/other" > /dev/null || fail "the other run's shard failed"
expect_refusal "another run's shard" "not of run" "$bin" merge --out "$work/x3" "$work/s0" "$work/s1" "$work/other"
expect_refusal "no shard.bin" "cannot read" "$bin" merge --out "$work/x4" "$work/s0" "$work/s1" "$work/one"
head -c 100 "$work/s1/shard.bin" > "$work/cut.bin"
mkdir -p "$work/cut" && mv "$work/cut.bin" "$work/cut/shard.bin"
expect_refusal "a shard cut short" "shard.bin" "$bin" merge --out "$work/x5" "$work/s0" "$work/cut" "$work/s2"
printf 'not a shard at all\n' > "$work/cut/shard.bin"
expect_refusal "not a shard" "shard.bin" "$bin" merge --out "$work/x6" "$work/s0" "$work/cut" "$work/s2"
expect_refusal "merge without --out" "needs --out" "$bin" merge "$work/s0" "$work/s1" "$work/s2"
# shellcheck disable=SC2086
expect_refusal "--shard without --out" "needs --out" "$bin" run $scenario --shard 0/2
# shellcheck disable=SC2086
expect_refusal "--shard 3/3" "not K/N" "$bin" run $scenario --shard 3/3 --out "$work/x7"
# shellcheck disable=SC2086
expect_refusal "--shard 1-2" "not K/N" "$bin" run $scenario --shard 1-2 --out "$work/x8"
for d in x1 x2 x3 x4 x5 x6 x7 x8; do [ -e "$work/$d" ] && fail "a refusal left $d behind"; done
# the inputs changed after the shards ran
echo "# edited" >> "$work/job.yaml"
expect_refusal "a changed input" "has changed since the shards ran" "$bin" merge --out "$work/x9" "$work/s0" "$work/s1" "$work/s2"
[ -e "$work/x9" ] && fail "the changed-input refusal left x9 behind"

# ---- MPI ranks (when built with MPI and a launcher is at hand) ----
if [ -n "${MPI_RUN:-}" ]; then
	cp tests/golden/job.yaml "$work/job.yaml"
	mpi=("$MPI_RUN" --allow-run-as-root --oversubscribe -n 3)
	# shellcheck disable=SC2086
	"${mpi[@]}" "$bin" run $scenario $common --out "$work/mpi" > "$work/mpi.txt" 2> "$work/mpi.err" ||
		fail "the run over 3 MPI ranks failed: $(head -c 500 "$work/mpi.err")"
	same_set "$work/one" "$work/mpi" "3 MPI ranks"
	cmp -s "$work/one.txt" "$work/mpi.txt" || { fail "3 MPI ranks print other text"; diff "$work/one.txt" "$work/mpi.txt" | head; }
	# shellcheck disable=SC2086
	"${mpi[@]}" "$bin" run $scenario --seed 11 --replicas 5 --horizon 200d --json > "$work/mpi.json" 2> "$work/mpi.err" ||
		fail "--json over MPI failed: $(head -c 500 "$work/mpi.err")"
	# shellcheck disable=SC2086
	"$bin" run $scenario --seed 11 --replicas 5 --horizon 200d --json > "$work/one.json" || fail "--json run failed"
	cmp -s "$work/one.json" "$work/mpi.json" || fail "--json over 3 MPI ranks differs from one process"
	# a bad input is reported once, with exit 2, by every rank agreeing
	echo "job: [" > "$work/broken.yaml"
	"${mpi[@]}" "$bin" run "$work/cluster.yaml" "$work/broken.yaml" > "$work/out.txt" 2> "$work/err.txt"
	rc=$?
	[ $rc -eq 2 ] || fail "a bad input over MPI exited $rc, expected 2"
	[ "$(grep -c 'broken.yaml' "$work/err.txt")" -eq 1 ] || fail "a bad input over MPI is not reported once: $(cat "$work/err.txt")"
fi

[ $failures -eq 0 ] && echo "shards: all cases pass"
exit $((failures > 0))
