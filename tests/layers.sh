#!/usr/bin/env bash
# Data flows one way through sim/'s folders: base -> model -> engine -> run -> replicas ->
# report -> cli. A file may include headers of its own folder and of folders before it,
# never after (no module reaches back). Also: no sim/ file over 800 lines.
set -euo pipefail
root=${TRAINSIM_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root/sim"
layers=(base model engine run replicas report cli)
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && echo "$i" && return; done; echo -1; }

declare -A home
for d in "${layers[@]}"; do
	for h in "$d"/*.h; do [ -e "$h" ] && home[$(basename "$h")]=$d; done
done
status=0
for d in "${layers[@]}"; do
	for f in "$d"/*.[ch]; do
		[ -e "$f" ] || continue
		while read -r inc; do
			target=${home[$inc]:-}
			[ -n "$target" ] || continue
			if (($(rank "$target") > $(rank "$d"))); then
				echo "FAIL: sim/$f includes $inc from $target/, which comes after $d/ in the data flow"
				status=1
			fi
		done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
		lines=$(wc -l < "$f")
		if ((lines > 800)); then
			echo "FAIL: sim/$f has $lines lines; keep files under 800"
			status=1
		fi
	done
done
exit $status
