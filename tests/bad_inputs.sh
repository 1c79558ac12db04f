#!/usr/bin/env bash
# Bad inputs, one per case, each run through build/trainsim: malformed and hostile YAML,
# wrong types, units and ranges, inconsistent workloads, reliability and power errors, bad
# --set items, bad options of every command, bad failure logs and bad summaries to compare.
# Each case must exit with status 2, print nothing on stdout, say on stderr where the problem
# is (FILE:LINE:COLUMN for a file, the '--set KEY=VALUE' item, or 'trainsim CMD:' for an
# option), write nothing into --out, and stay within an address-space bound and a hang
# detector. One line per case, then a count; exit 1 if any case fails.
#   tests/bad_inputs.sh            (from anywhere, after meson compile -C build)
#   tests/bad_inputs.sh --list     the cases' names and command lines, without running them
# bench/bad_inputs.sh times the same cases (BAD_INPUTS_RUNNER, below).
set -uo pipefail
root=${TRAINSIM_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
bin=${TRAINSIM_BIN:-$root/build/trainsim}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
list_only=false
[ "${1:-}" = --list ] && list_only=true

# A good run of the default scenario (16K GPUs, --replicas 2) needs about 1 GB of address
# space, most of it SimGrid's actor stacks; bad input never gets that far. 1.5 GB leaves room
# for a good run, so a case that goes wrong by accepting its input still runs rather than
# failing for memory, while a parser that blows up is stopped. A sanitizer build reserves
# terabytes of shadow memory up front, so there only the hang detector applies.
limit_kb=1572864
# (ldd's output is read whole first: under pipefail, grep -q quitting at the first match can
# leave ldd killed by SIGPIPE and the test failing, depending on timing)
libraries=$(ldd "$bin" 2>/dev/null)
if grep -q 'libasan\|libtsan' <<<"$libraries"; then
	limit_kb=unlimited
fi
hang_s=20 # a hang detector, not a speed target: bench/bad_inputs.sh has those

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1 # inputs are named relative to it, so messages name them as written

# ---- inputs: the golden scenario (valid, small, every section) and mutations of it ----

cp "$root/tests/golden/cluster.yaml" cluster.yaml
cp "$root/tests/golden/job.yaml" job.yaml
cp -r "$root/tests/fixtures/compare" compare
good="cluster.yaml job.yaml"
setup_failures=0

setup_fail() {
	echo "FAIL setup: $*"
	setup_failures=$((setup_failures + 1))
}

# mutate NEW FROM SED_EXPRESSION: NEW is FROM edited; the edit must change something.
mutate() {
	sed -e "$3" "$2" >"$1"
	cmp -s "$1" "$2" && setup_fail "$1: '$3' changed nothing in $2"
}

# ---- running a case ----

passed=0
failed=0
count=0

# The first line of stderr must say where: "FILE:LINE:COLUMN: " (an exact line and column
# when WHERE gives them), "FILE: " for a file that cannot be read at all, the --set item, or
# the command. Messages of compare and of sweep points carry a prefix before the location.
prefix='(trainsim [a-z]+: |trainsim: (sweep point|plan candidate|sensitivity point) [0-9]+ \([^)]*\): )?'
escape() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }

where_regex() {
	local kind=$1 what=$2
	case $kind in
	file) # FILE, FILE:LINE or FILE:LINE:COLUMN
		local f=${what%%:*} rest=
		[ "$f" != "$what" ] && rest=${what#*:}
		case $rest in
		'') echo "^$prefix$(escape "$f"):[0-9]+:[0-9]+: ." ;;
		*:*) echo "^$prefix$(escape "$f"):$rest: ." ;;
		*) echo "^$prefix$(escape "$f"):$rest:[0-9]+: ." ;;
		esac ;;
	unreadable) echo "^$prefix$(escape "$what"): ." ;;
	set) echo "^$prefix--set $(escape "$what"): ." ;;
	option) echo "^trainsim $(escape "$what"): ." ;;
	main) echo "^trainsim: ." ;;
	esac
}

fail_case() {
	echo "FAIL $1: $2"
	echo "    trainsim ${*:3}" | cut -c1-300
	sed 's/^/    stderr: /' "$work/stderr" | head -5 | cut -c1-300
	failed=$((failed + 1))
}

# bad NAME KIND WHAT [+TEXT ...] -- ARGS...: runs trainsim ARGS (run, sweep, explain, plan and sensitivity also get
# an empty --out directory) and checks the case. KIND WHAT says where the message points (see
# where_regex); each +TEXT must appear in stderr.
bad() {
	local name=$1 kind=$2 what=$3
	shift 3
	local texts=()
	while [ "$1" != -- ]; do
		texts+=("${1#+}")
		shift
	done
	shift
	local args=("$@") out=$work/out
	case ${args[0]:-} in run | sweep | explain | plan | sensitivity) args=("${args[0]}" --out "$out" "${args[@]:1}") ;; esac
	count=$((count + 1))
	if $list_only; then
		printf '%s\t%s\n' "$name" "${args[*]}" | cut -c1-200
		return
	fi
	if [ -n "${BAD_INPUTS_RUNNER:-}" ]; then # bench/bad_inputs.sh: time it, check nothing
		"$BAD_INPUTS_RUNNER" "$name" "$bin" "${args[@]}"
		return
	fi
	rm -rf "$out"
	mkdir "$out"
	local status=0
	(
		ulimit -v "$limit_kb" || exit 125
		exec timeout "$hang_s" "$bin" "${args[@]}"
	) >"$work/stdout" 2>"$work/stderr" </dev/null || status=$?
	local regex
	regex=$(where_regex "$kind" "$what")
	if ((status == 124)); then
		fail_case "$name" "no answer within ${hang_s}s (hang?)" "${args[@]}"
	elif ((status > 128)); then
		fail_case "$name" "killed by signal $((status - 128)) (crash or out of memory)" "${args[@]}"
	elif ((status != 2)); then
		fail_case "$name" "exit status $status, expected 2" "${args[@]}"
	elif [ -s "$work/stdout" ]; then
		fail_case "$name" "stdout not empty: $(head -c 200 "$work/stdout")" "${args[@]}"
	elif [ ! -s "$work/stderr" ]; then
		fail_case "$name" "stderr empty" "${args[@]}"
	elif ! head -1 "$work/stderr" | grep -Eq -- "$regex"; then
		fail_case "$name" "first line of stderr does not match /$regex/" "${args[@]}"
	elif [ -n "$(find "$out" -mindepth 1 -print -quit)" ]; then
		fail_case "$name" "wrote into --out: $(find "$out" -mindepth 1 | head -3 | tr '\n' ' ')" "${args[@]}"
	else
		local t missing=
		for t in "${texts[@]}"; do
			grep -qF -- "$t" "$work/stderr" || missing=$t
		done
		if [ -n "$missing" ]; then
			fail_case "$name" "stderr does not say '$missing'" "${args[@]}"
		else
			echo "ok   $name"
			passed=$((passed + 1))
		fi
	fi
}

# ---- malformed YAML and files that are not YAML ----

mutate tab.yaml cluster.yaml 's/^  gpus: 8$/\tgpus: 8/'
bad yaml-tab-indentation file tab.yaml:9 +tab -- validate tab.yaml
mutate bracket.yaml cluster.yaml 's/^nvlink: {domain: 8, bandwidth: 450GBps, latency: 1us}$/nvlink: {domain: 8, bandwidth: 450GBps/'
bad yaml-unclosed-brace file bracket.yaml -- describe bracket.yaml
mutate sequence.yaml cluster.yaml 's/^  - name: lab$/  - [name: lab/'
bad yaml-unclosed-bracket file sequence.yaml -- validate sequence.yaml
mutate indent.yaml cluster.yaml 's/^  host_power:/ host_power:/'
bad yaml-bad-indentation file indent.yaml -- validate indent.yaml
mutate quote.yaml cluster.yaml 's/^name: golden-cluster$/name: "golden-cluster/'
bad yaml-unclosed-quote file quote.yaml -- validate quote.yaml
printf 'name: *nowhere\n' >alias.yaml
bad yaml-undefined-alias file alias.yaml:1:7 -- validate alias.yaml
: >empty.yaml
bad empty-file file empty.yaml:1:1 +empty -- validate empty.yaml
printf '# nothing but a comment\n\n' >comment.yaml
bad comment-only-file file comment.yaml +empty -- describe comment.yaml
printf 'just some words\n' >scalar.yaml
bad document-is-a-scalar file scalar.yaml +mapping -- validate scalar.yaml
mkdir dir.yaml
bad directory-as-platform unreadable dir.yaml -- describe dir.yaml
bad directory-as-workload unreadable dir.yaml -- step cluster.yaml dir.yaml
bad missing-platform unreadable nosuch.yaml +"No such file" -- validate nosuch.yaml
bad missing-workload unreadable nosuch.yaml -- run cluster.yaml nosuch.yaml
head -c 4096 /dev/urandom >binary.yaml
bad binary-file file binary.yaml -- validate binary.yaml
{ head -6 cluster.yaml; printf 'description: caf\xe9 au lait\n'; tail -n +7 cluster.yaml; } >latin1.yaml
bad non-utf8-byte file latin1.yaml:7:17 +UTF-8 -- validate latin1.yaml
{ cat cluster.yaml; printf -- '---\nname: another\n'; } >two.yaml
bad second-document file two.yaml:50:1 +"more than one YAML document" -- validate two.yaml

# ---- keys: duplicates, unknown, wrong types, missing ----

mutate dupkey.yaml cluster.yaml 's/^name: golden-cluster$/name: golden-cluster\nname: again/'
bad duplicate-top-key file dupkey.yaml:7:1 +"duplicate key 'name'" -- validate dupkey.yaml
mutate dupflow.yaml cluster.yaml 's/{model: H100-SXM,/{model: H100-SXM, model: H200,/'
bad duplicate-key-in-flow-map file dupflow.yaml:7 +"duplicate key 'model'" -- describe dupflow.yaml
mutate unknown.yaml cluster.yaml 's/^  spares:$/  sparse:/'
bad unknown-key-did-you-mean file unknown.yaml:35:3 +"did you mean 'spares'?" -- validate unknown.yaml
mutate unknowntop.yaml cluster.yaml 's/^fabric:$/fabrik:/'
bad unknown-top-key-did-you-mean file unknowntop.yaml +"did you mean 'fabric'?" -- validate unknowntop.yaml
mutate unknownjob.yaml job.yaml 's/job: {gpus: 192,/job: {gpu: 192,/'
bad unknown-workload-key file unknownjob.yaml +"did you mean 'gpus'?" -- step cluster.yaml unknownjob.yaml
mutate listnum.yaml cluster.yaml 's/^  gpus: 8$/  gpus: [8, 16]/'
bad list-where-a-number-goes file listnum.yaml:9:9 +"is a list" -- validate listnum.yaml
mutate mapstr.yaml cluster.yaml 's/^name: golden-cluster$/name: {first: golden}/'
bad map-where-a-string-goes file mapstr.yaml:6:7 +"is a mapping" -- validate mapstr.yaml
mutate scalarmap.yaml cluster.yaml 's/^node:$/node: 8\nnode_spec:/'
bad scalar-where-a-mapping-goes file scalarmap.yaml:8:7 -- validate scalarmap.yaml
mutate scalarlist.yaml cluster.yaml 's/^sites:$/sites: lab\nsites_list:/'
bad scalar-where-a-list-goes file scalarlist.yaml -- validate scalarlist.yaml
mutate novalue.yaml cluster.yaml 's/^  gpus: 8$/  gpus:/'
bad key-without-value file novalue.yaml:9:3 +"has no value" -- validate novalue.yaml
mutate nosection.yaml cluster.yaml '/^nvlink:/d'
bad missing-required-section file nosection.yaml +"missing required key 'nvlink'" -- validate nosection.yaml
mutate nohbm.yaml cluster.yaml 's/ hbm: 80GB,//'
bad missing-required-key file nohbm.yaml:7 +"missing required key 'hbm'" -- validate nohbm.yaml
mutate nomodel.yaml job.yaml '/^model:/d'
bad missing-workload-section file nomodel.yaml +"missing required key 'model'" -- step cluster.yaml nomodel.yaml
bad files-swapped file job.yaml -- step job.yaml cluster.yaml

# ---- numbers, units and ranges ----

mutate nounit.yaml cluster.yaml 's/fiber: {bandwidth: 400Gbps}/fiber: {bandwidth: 400}/'
bad bandwidth-without-unit file nounit.yaml:20:22 +"needs a unit" -- validate nounit.yaml
mutate notime.yaml job.yaml 's/interval: 2h,/interval: 7200,/'
bad time-without-unit file notime.yaml -- step cluster.yaml notime.yaml
mutate wrongkind.yaml cluster.yaml 's/hbm: 80GB/hbm: 80W/'
bad unit-of-the-wrong-kind file wrongkind.yaml:7:51 +"unknown size unit 'W'" -- validate wrongkind.yaml
mutate bits.yaml cluster.yaml 's/hbm: 80GB/hbm: 80Gb/'
bad bits-for-a-size file bits.yaml +ambiguous -- validate bits.yaml
mutate minutes.yaml cluster.yaml 's/latency: 600ns}/latency: 5m}/'
bad ambiguous-minutes file minutes.yaml +"write 'min'" -- validate minutes.yaml
mutate zero.yaml cluster.yaml 's/racks: 8,/racks: 0,/'
bad zero-racks file zero.yaml:24:29 +"is 0" -- validate zero.yaml
mutate zeronodes.yaml cluster.yaml 's/^  nodes: 4$/  nodes: 0/'
bad zero-nodes-per-rack file zeronodes.yaml -- describe zeronodes.yaml
mutate negative.yaml cluster.yaml 's/{bandwidth: 400Gbps}/{bandwidth: -400Gbps}/'
bad negative-bandwidth file negative.yaml:20:22 -- validate negative.yaml
mutate percent.yaml job.yaml 's/matmul: 68%/matmul: 200%/'
bad efficiency-200-percent file percent.yaml:7:22 +200% -- step cluster.yaml percent.yaml
mutate breaks.yaml cluster.yaml 's/breaks: 5%/breaks: 200%/'
bad power-cycle-200-percent file breaks.yaml +200% -- validate breaks.yaml
mutate fraction.yaml job.yaml 's/matmul: 68%/matmul: 50/'
bad bare-fraction-over-1 file fraction.yaml -- step cluster.yaml fraction.yaml
mutate huge.yaml cluster.yaml 's/hbm: 80GB/hbm: 1e400GB/'
bad huge-size-1e400 file huge.yaml:7:51 +"too large" -- validate huge.yaml
mutate hugecount.yaml cluster.yaml 's/^  gpus: 8$/  gpus: 1e400/'
bad huge-count-1e400 file hugecount.yaml:9:9 -- validate hugecount.yaml
mutate hugewhole.yaml cluster.yaml 's/^  gpus: 8$/  gpus: 99999999999999999999999/'
bad huge-whole-number file hugewhole.yaml:9:9 -- validate hugewhole.yaml
mutate tiny.yaml cluster.yaml 's|rate: 0.004/d|rate: 1e-400/d|'
bad tiny-rate-1e-400 file tiny.yaml:26 -- validate tiny.yaml
mutate nan.yaml cluster.yaml 's/hbm: 80GB/hbm: nanGB/'
bad nan-size file nan.yaml:7:51 +"not a number" -- validate nan.yaml
mutate yamlnan.yaml cluster.yaml 's/shape: 0.7/shape: .nan/'
bad yaml-nan-count file yamlnan.yaml:27 -- validate yamlnan.yaml
mutate inf.yaml cluster.yaml 's|rate: 0.004/d|rate: inf/d|'
bad inf-rate file inf.yaml:26 +"not a number" -- validate inf.yaml
mutate yamlinf.yaml job.yaml 's/planned: 18d/planned: .inf/'
bad yaml-inf-time file yamlinf.yaml -- step cluster.yaml yamlinf.yaml
mutate neginf.yaml cluster.yaml 's/^  gpus: 8$/  gpus: -.inf/'
bad negative-inf-whole file neginf.yaml:9:9 -- validate neginf.yaml
mutate hex.yaml cluster.yaml 's/^  gpus: 8$/  gpus: 0x8/'
bad hex-number file hex.yaml:9:9 -- validate hex.yaml
mutate half.yaml cluster.yaml 's/^  gpus: 8$/  gpus: 8.5/'
bad fractional-whole-number file half.yaml:9:9 -- validate half.yaml
mutate date.yaml job.yaml 's/start: 2025-01-06/start: 2025-02-30/'
bad impossible-date file date.yaml +"calendar date" -- step cluster.yaml date.yaml

# ---- hostile documents: alias bombs, depth, breadth, length ----

{
	echo 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'
	for i in 1 2 3 4 5 6 7 8 9; do
		printf 'a%d: &a%d [' "$i" "$i"
		for j in 1 2 3 4 5 6 7 8 9; do printf '*a%d, ' $((i - 1)); done
		printf '*a%d]\n' $((i - 1))
	done
} >bomb.yaml
bad alias-bomb file bomb.yaml +"alias bombs" -- validate bomb.yaml
cp "$root/tests/fixtures/recursive_alias.yaml" recursive.yaml
bad recursive-alias file recursive.yaml -- validate recursive.yaml
awk 'BEGIN { printf "name: "; for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' >deep.yaml
bad nesting-100000-deep-lists file deep.yaml:1 +"nested deeper" -- validate deep.yaml
awk 'BEGIN { printf "name: "; for (i = 0; i < 100000; i++) printf "{a: "; printf "1"; for (i = 0; i < 100000; i++) printf "}"; print "" }' >deepmap.yaml
bad nesting-100000-deep-maps file deepmap.yaml:1 -- describe deepmap.yaml
{ cat cluster.yaml; awk 'BEGIN { print "extra:"; for (i = 0; i < 100000; i++) printf "  k%d: %d\n", i, i }'; } >wide.yaml
bad mapping-of-100000-keys file wide.yaml -- validate wide.yaml
awk 'BEGIN { printf "sites:"; for (i = 0; i < 100000; i++) printf "\n  - {name: s%d, halls: []}", i; print "" }' >manysites.yaml
bad list-of-100000-entries file manysites.yaml -- validate manysites.yaml
awk '/^gpu:/ { printf "gpu: {model: \""; for (i = 0; i < 1048576; i++) printf "x"; print "\", peak_bf16: 989TFLOPS, hbm: 80W, power: {busy: 700W, idle: 90W}}"; next } { print }' cluster.yaml >longline.yaml
bad line-of-1MB file longline.yaml:7:1048621 +"unknown size unit 'W'" -- validate longline.yaml
awk 'BEGIN { printf "name: \""; for (i = 0; i < 1048576; i++) printf "x"; print "" }' >longquote.yaml
bad unclosed-quote-of-1MB file longquote.yaml -- validate longquote.yaml

# ---- workloads that do not fit their platform or themselves ----

mutate product.yaml job.yaml 's/gpus: 192/gpus: 200/'
bad parallelism-product-not-gpus file product.yaml:10:13 +"expected them equal" -- step cluster.yaml product.yaml
mutate toobig.yaml job.yaml 's/dp: 12/dp: 24/; s/gpus: 192/gpus: 384/'
bad more-gpus-than-the-platform file toobig.yaml:10:13 +"has 32" -- run cluster.yaml toobig.yaml
mutate heads.yaml job.yaml 's/heads: 32, kv_heads: 8/heads: 36, kv_heads: 4/; s/hidden: 4096/hidden: 4104/'
bad heads-not-divisible-by-tp file heads.yaml +"does not divide" -- step cluster.yaml heads.yaml
mutate batch.yaml job.yaml 's/global_batch: 1572864/global_batch: 1572865/'
bad batch-not-divisible file batch.yaml:5:40 +"not a multiple" -- run cluster.yaml batch.yaml
mutate layers.yaml job.yaml 's/pp: 2,/pp: 3,/; s/dp: 12,/dp: 8,/'
bad layers-not-divisible-by-pp file layers.yaml -- step cluster.yaml layers.yaml

# ---- reliability, operations and power ----

mutate part.yaml cluster.yaml 's/part: gpu, repair: 3h/part: cpu, repair: 3h/'
bad unknown-part file part.yaml:26 +"no such part" -- validate part.yaml
mutate hands.yaml cluster.yaml 's/detection: 5min, technician: true, part: gpu/detection: 5min, technician: false, part: gpu/'
bad part-without-technician file hands.yaml:26 +"technician: true" -- validate hands.yaml
mutate weibull.yaml cluster.yaml 's/distribution: weibull, shape: 0.7,/distribution: weibull,/'
bad weibull-without-shape file weibull.yaml:27 +"needs a shape" -- validate weibull.yaml
mutate shape.yaml cluster.yaml 's|software: {per: job, rate: 0.3/d,|software: {per: job, rate: 0.3/d, shape: 2,|'
bad shape-without-weibull file shape.yaml:28 -- validate shape.yaml
mutate degrade.yaml cluster.yaml 's/host:     {per: node,/host:     {per: node, effect: degrade,/'
bad degrade-on-a-node file degrade.yaml:27 +"applies to links" -- validate degrade.yaml
mutate ratemtbf.yaml cluster.yaml 's|software: {per: job, rate: 0.3/d,|software: {per: job, rate: 0.3/d, mtbf: 3d,|'
bad rate-and-mtbf file ratemtbf.yaml:28 +"exactly one of rate" -- validate ratemtbf.yaml
mutate per.yaml cluster.yaml 's/software: {per: job,/software: {per: jobs,/'
bad unknown-component-kind file per.yaml:28:19 -- validate per.yaml
mutate reserved.yaml cluster.yaml 's/^  software:/  grid_outage:/'
bad reserved-power-class-name file reserved.yaml:28 -- validate reserved.yaml
mutate grid.yaml cluster.yaml 's|grid: {events: 0.3/d, duration: 1s, sigma: 2}|grid: {events: 0.3/d, sigma: 2}|'
bad grid-without-duration file grid.yaml:46 +"'duration'" -- validate grid.yaml
mutate nobody.yaml cluster.yaml 's/per_site: 2,/per_site: 0,/'
if ! "$bin" describe nobody.yaml >/dev/null 2>&1 || ! "$bin" validate nobody.yaml >/dev/null 2>&1; then
	setup_fail "nobody.yaml (per_site 0) should pass describe and validate; only run refuses it"
fi
bad run-refuses-per-site-0 file nobody.yaml:34:27 +"nothing would ever be repaired" -- run nobody.yaml job.yaml
bad sweep-refuses-per-site-0 file nobody.yaml:34:27 -- sweep nobody.yaml job.yaml --vary job.hot_spare_nodes=0,1

# ---- bring-up and the failures of a new cluster ----

bringup() { { cat cluster.yaml; printf '%s\n' "$2"; } >"$1"; }
bringup delivery-hall.yaml 'bring_up: {deliveries: [{hall: 7, at: 0d}], acceptance: {hands_on: 8h}}'
bad delivery-of-no-hall file delivery-hall.yaml:50 +"hall index from 0 to 0" -- validate delivery-hall.yaml
bringup delivery-both.yaml 'bring_up: {deliveries: [{hall: 0, site: lab, at: 0d}], acceptance: {hands_on: 8h}}'
bad delivery-hall-and-site file delivery-both.yaml:50 +"exactly one of hall" -- validate delivery-both.yaml
bringup delivery-site.yaml 'bring_up: {deliveries: [{site: moon, at: 0d}], acceptance: {hands_on: 8h}}'
bad delivery-of-no-site file delivery-site.yaml:50 +"no site of this platform" -- validate delivery-site.yaml
bringup delivery-twice.yaml 'bring_up: {deliveries: [{hall: 0, at: 0d}, {hall: 0, at: 9d}], acceptance: {hands_on: 8h}}'
bad a-hall-delivered-twice file delivery-twice.yaml:50 +"delivers too" -- validate delivery-twice.yaml
bringup delivery-date.yaml 'bring_up: {deliveries: [{hall: 0, at: 2025-02-30}], acceptance: {hands_on: 8h}}'
bad delivery-on-no-date file delivery-date.yaml:50 +"not a calendar date" -- validate delivery-date.yaml
bringup delivery-before.yaml 'bring_up: {deliveries: [{hall: 0, at: -3d}], acceptance: {hands_on: 8h}}'
bad delivery-before-the-start file delivery-before.yaml:50 +"from 0 to 20 years" -- validate delivery-before.yaml
bringup acceptance.yaml 'bring_up: {deliveries: [{hall: 0, at: 0d}]}'
bad bring-up-without-acceptance file acceptance.yaml:50 +"'acceptance'" -- validate acceptance.yaml
bringup doa.yaml 'bring_up: {deliveries: [{hall: 0, at: 0d}], acceptance: {hands_on: 8h}, dead_on_arrival: {fraction: 2%, part: psu}}'
bad dead-on-arrival-part-not-stocked file doa.yaml:50 +"not in operations.spares.parts" -- validate doa.yaml
mutate grow.yaml cluster.yaml 's/per_site: 2, shift/per_site: 2, grow: [{at: 9d, per_site: 4}, {at: 3d, per_site: 6}], shift/'
bad crews-growing-out-of-order file grow.yaml:34 +"in time order" -- validate grow.yaml
mutate hits.yaml cluster.yaml 's|software: {per: job, rate: 0.3/d,|software: {per: job, rate: 0.3/d, hits: 10%,|'
bad hits-on-the-job file hits.yaml:28 +"takes down nodes" -- validate hits.yaml
mutate bad.yaml cluster.yaml 's/host:     {per: node,/host:     {per: node, misdiagnosis: 20%,/'
bad misdiagnosis-without-bad-factor file bad.yaml:27 +"bad_factor above 1" -- validate bad.yaml
mutate rootsigma.yaml cluster.yaml 's|software: {per: job, rate: 0.3/d,|software: {per: job, rate: 0.3/d, root_cause_sigma: 1,|'
bad root-cause-sigma-alone file rootsigma.yaml:28 +"needs root_cause" -- validate rootsigma.yaml
mutate start.yaml job.yaml 's/hot_spare_nodes: 2}/hot_spare_nodes: 2, start_with: 0%}/'
bad start-with-nothing file start.yaml:10 +"start_with" -- validate --platform cluster.yaml start.yaml

# ---- operations policies: retiring nodes, borrowed spares, escalation, idle failure factor ----

mutate retire0.yaml cluster.yaml 's/^  burn_in: 2h$/  burn_in: 2h\n  retire: {failures: 0, within: 30d}/'
bad retire-after-no-failures file retire0.yaml:42:22 +"between 1 and 100" -- validate retire0.yaml
mutate retireunit.yaml cluster.yaml 's/^  burn_in: 2h$/  burn_in: 2h\n  retire: {failures: 3, within: 30}/'
bad retire-window-without-unit file retireunit.yaml:42:33 +"retire.within" -- validate retireunit.yaml
mutate retirecount.yaml cluster.yaml 's/^  burn_in: 2h$/  burn_in: 2h\n  retire: {within: 30d}/'
bad retire-without-failures file retirecount.yaml:42 +"missing required key 'failures'" -- validate retirecount.yaml
mutate borrowpre.yaml cluster.yaml 's/^    hot_nodes: 1$/    hot_nodes: 1\n    borrowed: {nodes: 16}/'
bad borrowed-without-preemption file borrowpre.yaml:37 +"missing required key 'preemption'" -- validate borrowpre.yaml
mutate borrow0.yaml cluster.yaml 's/^    hot_nodes: 1$/    hot_nodes: 1\n    borrowed: {nodes: 0, preemption: 20min}/'
bad borrowed-no-nodes file borrow0.yaml:37:23 +"operations.spares.borrowed.nodes" -- validate borrow0.yaml
mutate borrowneg.yaml cluster.yaml 's/^    hot_nodes: 1$/    hot_nodes: 1\n    borrowed: {nodes: 4, preemption: -5min}/'
bad borrowed-negative-preemption file borrowneg.yaml:37 +"preemption" -- run borrowneg.yaml job.yaml
mutate idle.yaml cluster.yaml 's/^  burn_in: 2h$/  burn_in: 2h\n  idle_failure_factor: 130%/'
bad idle-factor-above-100 file idle.yaml:42:24 +"between 0% and 100%" -- validate idle.yaml
mutate idlebare.yaml cluster.yaml 's/^  burn_in: 2h$/  burn_in: 2h\n  idle_failure_factor: 30/'
bad idle-factor-bare-30 file idlebare.yaml:42:24 -- validate idlebare.yaml
mutate idleswitch.yaml cluster.yaml 's/rate: 0.002\/d, detection: 2min,/rate: 0.002\/d, idle_failure_factor: 50%, detection: 2min,/'
bad idle-factor-on-a-switch file idleswitch.yaml:30 +"parts of nodes" -- validate idleswitch.yaml
mutate escjob.yaml cluster.yaml 's|software: {per: job, rate: 0.3/d,|software: {per: job, rate: 0.3/d, escalation: {automated: 5min, fixes: 50%},|'
bad escalation-without-technician file escjob.yaml:28 +"needs a technician" -- validate escjob.yaml
mutate escfix.yaml cluster.yaml 's/part: gpu, repair: 3h,/part: gpu, escalation: {automated: 10min, fixes: 160%}, repair: 3h,/'
bad escalation-fixes-over-100 file escfix.yaml:26 +"escalation.fixes" -- validate escfix.yaml
mutate escmiss.yaml cluster.yaml 's/part: gpu, repair: 3h,/part: gpu, escalation: {automated: 10min}, repair: 3h,/'
bad escalation-without-fixes file escmiss.yaml:26 +"missing required key 'fixes'" -- validate escmiss.yaml
mutate escscalar.yaml cluster.yaml 's/part: gpu, repair: 3h,/part: gpu, escalation: 10min, repair: 3h,/'
bad escalation-as-a-time file escscalar.yaml:26 +"expected a mapping" -- validate escscalar.yaml
bad set-retire-too-many-failures set operations.retire.failures=1000 +"between 1 and 100" -- run $good --set operations.retire.failures=1000
# ---- costs ----

bringup costs-money.yaml 'costs: {gpu_hour: 2.5USD/h, parts: {gpu: 25k}}'
bad costs-price-without-currency file costs-money.yaml:50 +"unknown money unit 'k' in '25k'" -- validate costs-money.yaml
bringup costs-dollar.yaml 'costs: {gpu_hour: $2.5/h}'
bad costs-dollar-sign file costs-dollar.yaml:50:19 +"could be any dollar" -- validate costs-dollar.yaml
bringup costs-part.yaml 'costs: {gpu_hour: 2.5USD/h, parts: {psu: 300USD}}'
bad costs-unknown-part file costs-part.yaml:50:37 +"costs.parts.psu names no part of operations.spares.parts; expected one of gpu, optic" -- validate costs-part.yaml
bringup costs-both.yaml 'costs: {gpu_hour: 2.5USD/h, gpu_capital: 30kUSD}'
bad costs-rented-and-owned file costs-both.yaml:50:42 +"both gpu_hour" -- validate costs-both.yaml
bringup costs-none.yaml 'costs: {energy: 80USD/MWh}'
bad costs-without-gpu-time file costs-none.yaml:50 +"needs the price of GPU time" -- validate costs-none.yaml
bringup costs-energy.yaml 'costs: {gpu_hour: 2.5USD/h, energy: 80USD}'
bad costs-energy-per-nothing file costs-energy.yaml:50 +"must be money per energy" -- validate costs-energy.yaml
bad set-costs-depreciation-when-rented set costs.depreciation=4y +"expected it with gpu_capital" -- run $good --set costs.gpu_hour=2USD/h --set costs.depreciation=4y

# ---- --set items ----

bad set-without-equals option run +"'foo' is not KEY=VALUE" -- run $good --set foo
bad set-without-key option run -- run $good --set =8
bad set-unknown-top-key set nosuch.key=1 +"not a key of the platform" -- run $good --set nosuch.key=1
bad set-unknown-nested-key set node.nosuch=1 +"unknown key 'nosuch' in node" -- run $good --set node.nosuch=1
bad set-bad-value set node.gpus=abc +"expected a whole number" -- run $good --set node.gpus=abc
bad set-empty-value set node.gpus= -- step $good --set node.gpus=
bad set-value-out-of-range set node.gpus=0 -- validate cluster.yaml --set node.gpus=0
bad set-path-through-a-scalar set node.gpus.x=1 +"inside a single value" -- run $good --set node.gpus.x=1
bad set-index-out-of-the-list set sites.5.name=x +"not an index" -- run $good --set sites.5.name=x
bad set-index-not-a-number set sites.first.name=x +"not an index" -- describe cluster.yaml --set sites.first.name=x
bad set-list-replaced-by-scalar set sites=1 -- describe cluster.yaml --set sites=1
bad set-breaks-a-cross-check set job.gpus=100 +"expected them equal" -- run $good --set job.gpus=100
bad set-per-site-0-for-run set operations.technicians.per_site=0 -- run $good --set operations.technicians.per_site=0
bad set-empty-path-segment set node..gpus=8 -- run $good --set node..gpus=8

# ---- options of every command ----

bad no-command main trainsim --
bad unknown-command main trainsim +"unknown command" -- simulate
bad help-unknown-command main trainsim -- help simulate
bad version-unknown-option option version -- version --bogus
bad describe-unknown-option option describe +"unknown option '--bogus'" -- describe --bogus
bad describe-set-missing-value option describe +"needs a value" -- describe --set
bad describe-json-with-value option describe +"takes no value" -- describe cluster.yaml --json=1
bad describe-two-files option describe +"one too many" -- describe $good
bad step-one-file option step -- step cluster.yaml
bad step-three-files option step +"one too many" -- step $good cluster.yaml
bad step-unknown-option option step -- step $good --seed 1
bad run-unknown-option option run +"unknown option" -- run $good --seeds 1
bad run-seed-missing-value option run +"needs a value" -- run $good --seed
bad run-seed-not-a-number option run -- run $good --seed abc
bad run-negative-replicas option run -- run $good --replicas -1
bad run-zero-replicas option run -- run $good --replicas 0
bad run-jobs-0 option run -- run $good --jobs 0
bad run-horizon-0s option run +"positive time" -- run $good --horizon 0s
bad run-horizon-without-unit option run -- run $good --horizon 5
bad run-failure-scale-negative option run -- run $good --failure-scale -1
bad run-failure-scale-nan option run -- run $good --failure-scale nan
bad run-events-negative option run -- run $good --events -1
bad run-max-events-0 option run -- run $good --max-events 0
bad run-quiet-with-value option run +"takes no value" -- run $good --quiet=yes
bad run-one-file option run -- run cluster.yaml
bad run-three-files option run -- run $good job.yaml
bad run-out-missing-value option run -- run $good --horizon 1d --out
bad sweep-without-vary option sweep +"--vary" -- sweep $good
bad sweep-vary-without-values option sweep -- sweep $good --vary node.gpus
bad sweep-vary-empty-value option sweep +"empty value" -- sweep $good --vary node.gpus=8,,16
bad sweep-vary-bad-point set node.gpus=0 +"sweep point 1" -- sweep $good --vary node.gpus=0,8
bad sweep-jobs-0 option sweep -- sweep $good --vary node.gpus=8 --jobs 0
bad sweep-unknown-option option sweep -- sweep $good --vary node.gpus=8 --bogus
bad explain-shard option explain +"cannot be sliced" -- explain $good --shard 0/2
bad explain-max-groups-0 option explain -- explain $good --max-groups 0
bad explain-max-groups-leaves-no-room option explain +"leaves no room for the failures" -- explain $good --max-groups 3 --quiet
bad explain-events option explain +"unknown option" -- explain $good --events 3
bad explain-one-file option explain -- explain cluster.yaml
bad explain-bad-set set node.gpus=0 -- explain $good --set node.gpus=0
bad plan-without-deadline option plan +"needs --deadline" -- plan $good --vary operations.technicians.per_site=1..3
bad plan-bad-deadline option plan +"is not PERCENTILE<=DURATION" -- plan $good --vary operations.technicians.per_site=1..3 --deadline P90=40d
bad plan-deadline-percentile option plan +"P95<=40d" -- plan $good --vary operations.technicians.per_site=1..3 --deadline 'P95<=40d'
bad plan-deadline-unit option plan +"P90<=40 days" -- plan $good --vary operations.technicians.per_site=1..3 --deadline 'P90<=40 days'
bad plan-without-vary option plan +"needs at least one --vary" -- plan $good --deadline 'P90<=40d'
bad plan-backwards-range option plan +"is not a range" -- plan $good --vary operations.technicians.per_site=6..1 --deadline 'P90<=40d'
bad plan-range-step-0 option plan +"is not a range" -- plan $good --vary operations.technicians.per_site=0..6/0 --deadline 'P90<=40d'
bad plan-grid-too-large option plan +"more than 400 candidates" -- plan $good --vary operations.technicians.per_site=1..30 --vary operations.spares.hot_nodes=0..20 --deadline 'P90<=40d'
bad plan-bad-candidate set operations.technicians.per_site=0 +"plan candidate 1" -- plan $good --vary operations.technicians.per_site=0..2 --deadline 'P90<=40d'
bad plan-cost-without-costs option plan +"needs a costs section" -- plan $good --vary operations.technicians.per_site=1..2 --deadline 'P90<=40d' --objective cost
bad plan-bad-objective option plan +"is not an objective" -- plan $good --vary operations.technicians.per_site=1..2 --deadline 'P90<=40d' --objective speed
bad plan-shard option plan +"cannot be sliced" -- plan $good --vary operations.technicians.per_site=1..2 --deadline 'P90<=40d' --shard 0/2
bad sensitivity-key-without-high option sensitivity +"is not KEY=LOW,HIGH" -- sensitivity $good --key operations.technicians.per_site=2
bad sensitivity-key-three-values option sensitivity +"is not KEY=LOW,HIGH" -- sensitivity $good --key operations.technicians.per_site=1,2,3
bad sensitivity-bad-low-value set operations.technicians.per_site=0 +"sensitivity point 2" -- sensitivity $good --key operations.technicians.per_site=0,4
bad sensitivity-unknown-key set operations.technicians.per_sight=1 -- sensitivity $good --key operations.technicians.per_sight=1,4
bad sensitivity-shard option sensitivity +"cannot be sliced" -- sensitivity $good --shard 0/2
bad sensitivity-replicas-0 option sensitivity -- sensitivity $good --replicas 0
bad compare-no-files option compare -- compare
bad compare-one-file option compare -- compare compare/base.json
bad compare-three-files option compare +"one too many" -- compare compare/base.json compare/base.json compare/base.json
bad compare-tolerance-missing-value option compare -- compare compare/base.json compare/base.json --tolerance
bad compare-tolerance-negative option compare -- compare compare/base.json compare/base.json --tolerance -1%
bad compare-unknown-metric option compare -- compare compare/base.json compare/base.json --metric p77
bad compare-force-with-value option compare -- compare compare/base.json compare/base.json --force=yes
bad validate-no-files option validate -- validate
bad validate-platform-missing-value option validate -- validate job.yaml --platform
bad validate-unknown-option option validate -- validate cluster.yaml --json

# ---- failure logs ----

logrun() { # NAME KIND WHAT [+TEXT...] -- CSV: run the good scenario replaying CSV
	local args=()
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	bad "${args[@]}" -- run $good --horizon 2d --failure-log "$2"
}
awk 'BEGIN { printf "1h,gpu:1,"; for (i = 0; i < 1048576; i++) printf "g"; print "" }' >long.csv
logrun log-long-line file long.csv:1:10 -- long.csv
printf -- '-1h,gpu:1,gpu\n' >negative.csv
logrun log-negative-time file negative.csv:1:1 +"before the run starts" -- negative.csv
printf '1h,gpu:1,gpu,extra\n' >extra.csv
logrun log-extra-column file extra.csv:1:13 +"fourth column" -- extra.csv
printf '1h,gpu:1\n' >short.csv
logrun log-two-columns file short.csv:1:1 -- short.csv
printf 'time,component,cause\n1h,gpu:1,overheat\n' >cause.csv
logrun log-unknown-cause file cause.csv:2:10 +"not a failure class" -- cause.csv
printf '1h,node:1,gpu\n' >kind.csv
logrun log-wrong-component-kind file kind.csv:1:4 +"should be gpu:INDEX" -- kind.csv
printf '1h,gpu:256,gpu\n' >range.csv
logrun log-index-out-of-range file range.csv:1:8 +"256 gpu components" -- range.csv
printf '1h,gpu:-1,gpu\n' >negindex.csv
logrun log-negative-index file negindex.csv:1:8 -- negindex.csv
printf '2h,gpu:1,gpu\n1h,gpu:2,gpu\n' >back.csv
logrun log-times-going-back file back.csv:2:1 +"must not go back" -- back.csv
printf '1,gpu:1,gpu\n' >unitless.csv
logrun log-time-without-unit file unitless.csv:1:1 -- unitless.csv
printf 'nan,gpu:1,gpu\n' >nantime.csv
logrun log-nan-time file nantime.csv:1:1 -- nantime.csv
printf '1h,gpu:1,gpu\0\377\376junk\n' >nul.csv
logrun log-nul-byte file nul.csv:1:13 +"NUL byte" -- nul.csv
head -c 4096 /dev/urandom >binary.csv
logrun log-binary file binary.csv -- binary.csv
logrun log-missing-file unreadable nosuch.csv +"No such file" -- nosuch.csv
logrun log-directory unreadable dir.yaml -- dir.yaml

# ---- summaries to compare ----

bad compare-truncated-json file compare/truncated.json:64:19 -- compare compare/base.json compare/truncated.json
bad compare-corrupt-json file compare/corrupt.json:20:19 -- compare compare/corrupt.json compare/base.json
bad compare-duplicate-key file compare/duplicate_p50.json:39:7 +duplicate -- compare compare/base.json compare/duplicate_p50.json
bad compare-wrong-schema file compare/wrong_schema.json:2:13 -- compare compare/wrong_schema.json compare/base.json
bad compare-different-versions file compare/version_2.json:3 +"not even with --force" -- compare compare/base.json compare/version_2.json --force
bad compare-version-not-integer file compare/version_not_integer.json:3:21 -- compare compare/base.json compare/version_not_integer.json
bad compare-missing-key file compare/missing_p50.json +"p50 is missing" -- compare compare/base.json compare/missing_p50.json
grep -v '"schema_version"' compare/base.json >noversion.json
bad compare-missing-version file noversion.json +"schema_version is missing" -- compare compare/base.json noversion.json
bad compare-wrong-type file compare/p50_is_a_string.json:38:14 +"is a string" -- compare compare/p50_is_a_string.json compare/base.json
bad compare-wrong-item-type file compare/override_not_a_string.json:13:7 -- compare compare/override_not_a_string.json compare/base.json
bad compare-null-metric file compare/p50_null.json:38:14 -- compare compare/base.json compare/p50_null.json
printf '[1, 2]\n' >array.json
bad compare-array-document file array.json:1:1 -- compare compare/base.json array.json
: >empty.json
bad compare-empty-file file empty.json:1:1 -- compare compare/base.json empty.json
head -c 4096 /dev/urandom >binary.json
bad compare-binary-file file binary.json -- compare binary.json compare/base.json
bad compare-directory unreadable compare +"Is a directory" -- compare compare/base.json compare
bad compare-missing-file unreadable nosuch.json -- compare nosuch.json compare/base.json

{ $list_only || [ -n "${BAD_INPUTS_RUNNER:-}" ]; } && exit 0
echo "$passed of $count cases ok, $failed failed"
((setup_failures == 0)) || echo "$setup_failures setup steps failed"
((failed == 0 && setup_failures == 0 && count >= 70))
