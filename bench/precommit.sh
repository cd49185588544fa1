#!/bin/bash
# Pre-commit benchmark: a warm `nhiscan scan --staged` on a 10-file change in a large repository,
# beside `git diff --cached` (what git itself spends comparing the index with HEAD) and the
# installed pre-commit hook script end to end.
#   bench/precommit.sh [REPO] [RUNS]
# REPO is cloned into a temporary folder (default: the git snapshot in /work/.mirror/git+git/repo),
# so the original is never changed; RUNS (default 20) timed runs give each median. Ten tracked
# files get a few new lines each and are staged, once without a credential and once with a fake
# key in one of them. "Warm" means the rule database is already in the cache and the repository's
# files are in the page cache from the runs before. Prints median and minimum wall time per
# measurement, the CPU time and peak RSS of one scan from /usr/bin/time, and the mean CPU time
# of a scan from `perf stat` when perf is installed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
nhiscan=${NHISCAN:-$top/build/nhiscan}
source_repo=${1:-/work/.mirror/git+git/repo}
runs=${2:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

time_ms() {
	local start end
	start=$(date +%s%N)
	"$@" > /dev/null 2>&1 || true
	end=$(date +%s%N)
	echo $(((end - start) / 1000000))
}

summarize() {
	local label=$1
	shift
	printf '%s\n' "$@" | sort -n | awk -v label="$label" '
		{ v[NR] = $1 }
		END { printf "%-36s median %5d ms   min %5d ms   (%d runs)\n", label, v[int((NR + 1) / 2)], v[1], NR }'
}

# measure LABEL CMD...: one untimed run to warm the caches, then RUNS timed runs.
measure() {
	local label=$1 times=()
	shift
	"$@" > /dev/null 2>&1 || true
	for _ in $(seq "$runs"); do
		times+=("$(time_ms "$@")")
	done
	summarize "$label" "${times[@]}"
}

# A fake AWS access key id built at run time: AKIA and 16 characters of the base-32 alphabet.
fake_key() {
	python3 -c 'import secrets; print("AKIA" + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)))'
}

repo=$work/repo
git clone -q "$source_repo" "$repo"
files=$(git -C "$repo" ls-files '*.c' | sed -n 1,10p)
echo "repository: $source_repo at $(git -C "$repo" rev-parse --short HEAD)," \
	"$(git -C "$repo" ls-files | wc -l) tracked files, $(git -C "$repo" rev-list --count HEAD) commits"
echo "change: 5 new lines in each of $(echo "$files" | wc -l) files"

for f in $files; do
	printf '\n/* benchmark line 1 */\nstatic int benchmark_value = %d;\n/* 3 */\n/* 4 */\n/* 5 */\n' "$RANDOM" >> "$repo/$f"
done
# shellcheck disable=SC2086 # one word per file
git -C "$repo" add $files

"$nhiscan" install-hooks "$repo" > /dev/null
hook=$repo/.git/hooks/pre-commit

measure "git diff --cached (clean change)" git -C "$repo" diff --cached --quiet
measure "nhiscan scan --staged (clean change)" "$nhiscan" scan --staged --quiet "$repo"
measure "pre-commit hook (clean change)" sh -c "cd '$repo' && '$hook'"
echo "one clean scan, /usr/bin/time: $( { /usr/bin/time -f '%e s wall, %U s user, %S s system, %M KB peak RSS' \
	"$nhiscan" scan --staged --quiet "$repo" > /dev/null; } 2>&1 | tail -n 1)"
# CPU time does not depend on what else the machine runs, unlike wall time.
if command -v perf > /dev/null 2>&1; then
	echo "CPU time of a clean scan (perf stat, $runs runs): $(perf stat -r "$runs" -e task-clock -x, \
		"$nhiscan" scan --staged --quiet "$repo" 2>&1 > /dev/null | awk -F, '/task-clock/ { printf "%.1f ms", $1 }')"
fi

first=$(echo "$files" | head -n 1)
printf 'const char *key = "%s";\n' "$(fake_key)" >> "$repo/$first"
git -C "$repo" add "$first"
measure "nhiscan scan --staged (one key)" "$nhiscan" scan --staged --quiet "$repo"
