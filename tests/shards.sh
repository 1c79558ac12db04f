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

# ---- a sweep in shards: the point directories, sweep.csv and the table ----
cp tests/golden/job.yaml "$work/job.yaml"
vary="--vary operations.technicians.per_site=1,2,4 --vary job.hot_spare_nodes=0,1 --replicas 3 --seed 2 --horizon 200d"
# shellcheck disable=SC2086
"$bin" sweep $scenario $vary --jobs 1 --out "$work/sweep" > "$work/sweep.txt" || fail "the one-process sweep failed"
for k in 0 1 2 3; do
	# shellcheck disable=SC2086
	"$bin" sweep $scenario $vary --shard $k/4 --out "$work/w$k" > /dev/null || fail "sweep shard $k/4 failed"
done
"$bin" merge --out "$work/wm" "$work/w3" "$work/w1" "$work/w0" "$work/w2" > "$work/wm.txt" || fail "merging the sweep failed"
diff -r "$work/sweep" "$work/wm" > /dev/null || { fail "merged sweep differs from the one-process sweep"; diff -r "$work/sweep" "$work/wm" | head; }
cmp -s "$work/sweep.txt" "$work/wm.txt" || fail "merged sweep prints another table"
expect_refusal "a missing sweep shard" "expected all of them" "$bin" merge --out "$work/y1" "$work/w0" "$work/w1" "$work/w2"
expect_refusal "a run shard among sweep shards" "cannot read" "$bin" merge --out "$work/y2" "$work/w0" "$work/s1" "$work/w2" "$work/w3"
# shellcheck disable=SC2086
"$bin" sweep $scenario $vary --seed 3 --shard 1/4 --out "$work/wother" > /dev/null || fail "the other sweep's shard failed"
expect_refusal "another sweep's shard" "not of sweep" "$bin" merge --out "$work/y3" "$work/w0" "$work/wother" "$work/w2" "$work/w3"
for d in y1 y2 y3; do [ -e "$work/$d" ] && fail "a sweep refusal left $d behind"; done

# ---- MPI ranks (when built with MPI and a launcher is at hand) ----
if [ -n "${MPI_RUN:-}" ]; then
	cp tests/golden/job.yaml "$work/job.yaml"
	# Open MPI itself leaks at MPI_Finalize (its plugins' buffers); under LeakSanitizer the
	# ranks would fail for that. Our rank code is leak-checked through the shard tests above,
	# which share it; here ASan still checks every access.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
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
	# shellcheck disable=SC2086
	"${mpi[@]}" "$bin" sweep $scenario $vary --out "$work/wmpi" > "$work/wmpi.txt" 2> "$work/mpi.err" ||
		fail "the sweep over 3 MPI ranks failed: $(head -c 500 "$work/mpi.err")"
	diff -r "$work/sweep" "$work/wmpi" > /dev/null || { fail "the sweep over MPI differs"; diff -r "$work/sweep" "$work/wmpi" | head; }
	cmp -s "$work/sweep.txt" "$work/wmpi.txt" || fail "the sweep over MPI prints another table"
	# a rank that fails (here: rank 1 cannot make its work directory) fails the run, with its
	# error, and no files
	args=(run $scenario $common --out "$work/rankfail")
	"$MPI_RUN" --allow-run-as-root --oversubscribe -n 1 "$bin" "${args[@]}" : -n 1 env TMPDIR=/nonexistent "$bin" "${args[@]}" \
		: -n 1 "$bin" "${args[@]}" > "$work/out.txt" 2> "$work/err.txt"
	rc=$?
	[ $rc -ne 0 ] || fail "a failing rank left exit status 0"
	grep -q "MPI rank 1: /nonexistent" "$work/err.txt" || fail "a failing rank's error is not reported: $(head -c 400 "$work/err.txt")"
	[ -e "$work/rankfail" ] && [ -n "$(ls -A "$work/rankfail")" ] && fail "a failing rank left files in --out"
	[ -s "$work/out.txt" ] && fail "a failing rank's run printed a summary"
	# a bad input is reported once, with exit 2, by every rank agreeing
	echo "job: [" > "$work/broken.yaml"
	"${mpi[@]}" "$bin" run "$work/cluster.yaml" "$work/broken.yaml" > "$work/out.txt" 2> "$work/err.txt"
	rc=$?
	[ $rc -eq 2 ] || fail "a bad input over MPI exited $rc, expected 2"
	[ "$(grep -c 'broken.yaml' "$work/err.txt")" -eq 1 ] || fail "a bad input over MPI is not reported once: $(cat "$work/err.txt")"
fi

[ $failures -eq 0 ] && echo "shards: all cases pass"
exit $((failures > 0))
