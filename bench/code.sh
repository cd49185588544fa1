#!/bin/bash
# Cost of the tree-sitter code extractor on a working-tree scan: CPU time of
# `nhiscan scan -j1 --quiet --format json TREE` with the extractor and with `--no-code`, and the
# extractor's own counters from `--stats`.
#   bench/code.sh [TREE] [RUNS]
# TREE defaults to this repository; RUNS (default 5) is how many timed runs give each median.
# CPU time is task-clock from `perf stat`, or user+sys from /usr/bin/time when perf cannot count,
# so that other programs on a shared machine do not inflate it. The rule database and the code
# prefilter's database are compiled into a private cache folder by an untimed run first, so no
# timed run pays for them.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
nhiscan=${NHISCAN:-$top/build/nhiscan}
tree=${1:-$top}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache

if perf stat -x, -e task-clock true > /dev/null 2> "$work/probe" && grep -q task-clock "$work/probe"; then
	clock="perf stat -e task-clock"
else
	clock="/usr/bin/time user+sys"
fi

# cpu_ms ARGS...: CPU milliseconds of one scan of TREE with ARGS; its stderr is kept in $work/stderr.
cpu_ms() {
	if [ "$clock" = "perf stat -e task-clock" ]; then
		perf stat -x, -e task-clock -o "$work/clock" \
			"$nhiscan" scan -j1 --quiet --format json "$@" "$tree" > /dev/null 2> "$work/stderr" || true
		awk -F, '$3 ~ /^task-clock/ { printf "%.0f\n", $1 }' "$work/clock"
	else
		/usr/bin/time -f "%U %S" -o "$work/clock" \
			"$nhiscan" scan -j1 --quiet --format json "$@" "$tree" > /dev/null 2> "$work/stderr" || true
		awk '{ printf "%.0f\n", ($1 + $2) * 1000 }' "$work/clock"
	fi
}

# median VALUES...
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# stat_value KEY: the value of KEY in the `nhiscan: stats:` line of the last run's stderr.
stat_value() {
	sed -n 's/^nhiscan: stats: //p' "$work/stderr" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

"$nhiscan" scan -j1 --quiet "$tree" > /dev/null 2>&1 || true
load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)

without=()
with=()
declare -A stages
keys=(prefilter_build_ms prefilter_ms query_compile_ms parse_ms analysis_ms)
for _ in $(seq "$runs"); do
	without+=("$(cpu_ms --no-code)")
	with+=("$(cpu_ms --stats)")
	for key in "${keys[@]}"; do
		stages[$key]="${stages[$key]:-} $(stat_value "$key")"
	done
done

files=$(stat_value code_files)
parsed=$(stat_value code_files_parsed)
bytes=$(stat_value code_bytes_parsed)
read -r scanned scanned_bytes < <("$nhiscan" scan -j1 --quiet --format json "$tree" 2> /dev/null |
	python3 -c 'import json, sys; s = json.load(sys.stdin)["stats"]; print(s["files_scanned"], s["bytes_scanned"])' ||
	echo "? 0")

printf 'tree %s: %s files scanned, %.1f MB; CPU from %s, median of %d runs\n' \
	"$(basename "$tree")" "$scanned" "$(awk -v b="$scanned_bytes" 'BEGIN { print b / 1e6 }')" "$clock" "$runs"
printf '%-34s %s before, %s after\n' "load average (1, 5, 15 min)" "$load_before" "$(cut -d ' ' -f 1-3 /proc/loadavg)"
printf '%-34s %s\n' "files of a parsed language" "$files"
printf '%-34s %s\n' "files parsed" "$parsed"
printf '%-34s %.2f MB\n' "bytes parsed" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')"
printf '%-34s %6d ms   (min %d)\n' "CPU without the code extractor" "$(median "${without[@]}")" \
	"$(printf '%s\n' "${without[@]}" | sort -n | head -n 1)"
printf '%-34s %6d ms   (min %d)\n' "CPU with the code extractor" "$(median "${with[@]}")" \
	"$(printf '%s\n' "${with[@]}" | sort -n | head -n 1)"
echo "inside the extractor, CPU ms (median over the runs with it):"
for key in "${keys[@]}"; do
	# shellcheck disable=SC2086 # the values are a space-separated list of numbers
	printf '  %-32s %8.1f\n' "$key" "$(median ${stages[$key]})"
done
