#!/bin/bash
# Working-tree scan benchmark: cold start (rule database compiled), warm start on an empty
# folder (database loaded from the cache), and a warm scan of a real tree.
#   bench/worktree.sh [TREE] [RUNS]
# TREE defaults to this repository; RUNS (default 10) is how many timed runs give each median.
# Prints one line per measurement: median and min wall time in ms, and for the tree scan the
# throughput in MB/s and the peak RSS.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
nhiscan=${NHISCAN:-$top/build/nhiscan}
tree=${1:-$top}
runs=${2:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache
mkdir -p "$work/empty"

# time_ms CMD...: wall time of one run in milliseconds (output discarded).
time_ms() {
	local start end
	start=$(date +%s%N)
	"$@" > /dev/null 2>&1 || true
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

# summarize LABEL TIMES...: median and minimum.
summarize() {
	local label=$1
	shift
	printf '%s\n' "$@" | sort -n | awk -v label="$label" '
		{ v[NR] = $1 }
		END { printf "%-28s median %6d ms   min %6d ms   (%d runs)\n", label, v[int((NR + 1) / 2)], v[1], NR }'
}

cold=()
for _ in $(seq "$runs"); do
	rm -rf "$XDG_CACHE_HOME"
	cold+=("$(time_ms "$nhiscan" scan --no-config "$work/empty")")
done
summarize "cold start, empty folder" "${cold[@]}"

"$nhiscan" scan --no-config "$work/empty" > /dev/null
warm=()
for _ in $(seq "$runs"); do
	warm+=("$(time_ms "$nhiscan" scan --no-config "$work/empty")")
done
summarize "warm start, empty folder" "${warm[@]}"

scan=()
for _ in $(seq "$runs"); do
	scan+=("$(time_ms "$nhiscan" scan --no-config "$tree")")
done
summarize "warm scan of $(basename "$tree")" "${scan[@]}"

bytes=$("$nhiscan" scan --no-config --format json "$tree" 2> /dev/null |
	python3 -c 'import json, sys; s = json.load(sys.stdin)["stats"]; print(s["bytes_scanned"], s["files_scanned"])' || true)
median=$(printf '%s\n' "${scan[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
read -r nbytes nfiles <<< "$bytes"
awk -v b="$nbytes" -v f="$nfiles" -v ms="$median" \
	'BEGIN { printf "%-28s %d files, %.1f MB, %.0f MB/s at the median\n", "tree", f, b / 1e6, (b / 1e6) / (ms / 1000) }'

if command -v /usr/bin/time > /dev/null; then
	/usr/bin/time -f "%M" -o "$work/rss" "$nhiscan" scan --no-config "$tree" > /dev/null 2>&1 || true
	printf "%-28s %d MB\n" "peak RSS, tree scan" "$(($(tail -n 1 "$work/rss") / 1024))"
fi
