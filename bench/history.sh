#!/bin/bash
# History-scan benchmark: three readers of one repository's history, side by side in one run.
#   bench/history.sh REPO [RUNS]
#
#   floor     git cat-file --batch-all-objects --unordered --batch: git reads the content of every
#             object, single-threaded. No history scanner that reads every blob can beat it by
#             much, whatever it matches.
#   nhiscan   nhiscan scan --git: every blob reachable from a reference, scanned once, with the
#             built-in rules, on one thread per CPU (-j sets it through NHISCAN_THREADS).
#   log -p    git log -p -U0 --all: the diff text that diff-based scanners read before matching.
#
# Each reader runs RUNS times (default 1) under /usr/bin/time -v, after one untimed pass over the
# pack files to bring them into the page cache and one nhiscan run to fill its rule cache. The
# table gives the median wall time and the CPU time (user + system) of that run. It also gives
# the ratio of wall times to the floor and the peak RSS, which /usr/bin/time reports for the
# largest single process (git itself for the floor and log -p). REPO is only read, so a bare
# clone works.
#
# Environment: NHISCAN (binary, default build/nhiscan), NHISCAN_THREADS (passed as -j).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
nhiscan=${NHISCAN:-$top/build/nhiscan}
repo=${1:?usage: bench/history.sh REPO [RUNS]}
runs=${2:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ ! -x /usr/bin/time ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
		apt-get install -y -qq time > /dev/null
	else
		echo "bench/history.sh: /usr/bin/time is missing; install Debian's 'time' package" >&2
		exit 2
	fi
fi
git -C "$repo" rev-parse --git-dir > /dev/null
threads=()
[ -n "${NHISCAN_THREADS:-}" ] && threads=(-j "$NHISCAN_THREADS")

# measure NAME CMD...: run CMD under /usr/bin/time -v; append "wall cpu rss_kb status" to
# $work/NAME, where status is CMD's exit status.
measure() {
	local name=$1 status=0
	shift
	/usr/bin/time -v -o "$work/time.txt" "$@" > /dev/null 2> "$work/$name.err" || status=$?
	awk -F': ' -v status="$status" '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = (n == 3) ? p[1] * 3600 + p[2] * 60 + p[3] : p[1] * 60 + p[2] }
		/User time/ { cpu += $2 }
		/System time/ { cpu += $2 }
		/Maximum resident set size/ { rss = $2 }
		END { printf "%.2f %.2f %d %d\n", wall, cpu, rss, status }' "$work/time.txt" >> "$work/$name"
}

# median_row NAME: the run with the median wall time.
median_row() {
	sort -n "$work/$1" | awk '{ row[NR] = $0 } END { print row[int((NR + 1) / 2)] }'
}

floor_cmd=(git -C "$repo" cat-file --batch-all-objects --unordered --batch)
nhiscan_cmd=("$nhiscan" scan --git --quiet --no-config "${threads[@]}" --format json --output "$work/findings.json" "$repo")
log_cmd=(git -C "$repo" log -p -U0 --all --no-ext-diff --no-textconv)

# Warm-up: pack files into the page cache, and the rule database into nhiscan's cache by a
# scan of an empty repository.
git_dir=$(git -C "$repo" rev-parse --absolute-git-dir)
cat "$git_dir"/objects/pack/*.pack > /dev/null 2>&1 || true
git init -q "$work/empty"
"$nhiscan" scan --git --quiet --no-config "$work/empty" > /dev/null 2>&1 || true

for _ in $(seq "$runs"); do
	measure floor "${floor_cmd[@]}"
	measure nhiscan "${nhiscan_cmd[@]}"
	measure log "${log_cmd[@]}"
done

read -r floor_wall floor_cpu floor_rss floor_status <<< "$(median_row floor)"
read -r scan_wall scan_cpu scan_rss scan_status <<< "$(median_row nhiscan)"
read -r log_wall log_cpu log_rss log_status <<< "$(median_row log)"

objects=$(git -C "$repo" count-objects -v | awk '/^(count|in-pack):/ { n += $2 } END { print n }')
commits=$(git -C "$repo" rev-list --all --count)
stats=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); s = d["stats"]; print(len(d["findings"]), s["files_scanned"], s["bytes_scanned"])' "$work/findings.json" 2> /dev/null || echo "? ? ?")
read -r findings blobs bytes <<< "$stats"

echo "repository  $repo"
echo "objects     $objects objects, $commits commits reachable from refs"
echo "nhiscan     $blobs blobs scanned ($(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB), $findings findings, ${NHISCAN_THREADS:-$(nproc)} threads"
echo "machine     $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, $runs run(s) each"
echo
printf '%-10s %10s %10s %10s %12s\n' reader "wall s" "cpu s" "x floor" "peak RSS MB"
# row NAME WALL CPU RSS STATUS ERRFILE: one line of the table. nhiscan exits 1 when it finds
# something; any other reader that did not exit 0 stopped early, so its times mean nothing.
row() {
	if [ "$5" -ne 0 ] && { [ "$1" != nhiscan ] || [ "$5" -ne 1 ]; }; then
		printf '%-10s failed with status %s: %s\n' "$1" "$5" "$(head -n 1 "$6")"
		return
	fi
	awk -v name="$1" -v wall="$2" -v cpu="$3" -v rss="$4" -v floor="$floor_wall" \
		'BEGIN { printf "%-10s %10.2f %10.2f %10.2f %12.1f\n", name, wall, cpu, (floor > 0 ? wall / floor : 0), rss / 1024 }'
}
row floor "$floor_wall" "$floor_cpu" "$floor_rss" "$floor_status" "$work/floor.err"
row nhiscan "$scan_wall" "$scan_cpu" "$scan_rss" "$scan_status" "$work/nhiscan.err"
row "log -p" "$log_wall" "$log_cpu" "$log_rss" "$log_status" "$work/log.err"
if [ -s "$work/nhiscan.err" ]; then
	echo
	echo "nhiscan warnings (first 5):"
	head -n 5 "$work/nhiscan.err"
fi
