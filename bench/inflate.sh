#!/bin/bash
# Inflater benchmark: the CPU time of inflating every object of a repository's packs with zlib
# and with libdeflate (bench/inflate.c), the choice behind src/git/packread.c.
#   bench/inflate.sh REPO
# Objects are inflated in pack order, deltas as stored. Needs cc and the zlib and libdeflate
# headers, as the build does.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
repo=${1:?usage: bench/inflate.sh REPO}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cc -O2 -o "$work/inflate" "$top/bench/inflate.c" $(pkg-config --cflags --libs zlib libdeflate)
git_dir=$(git -C "$repo" rev-parse --absolute-git-dir)

printf '%-48s %9s %10s %8s %11s\n' pack objects "MB out" "zlib s" "libdeflate s"
for idx in "$git_dir"/objects/pack/*.idx; do
	git -C "$repo" show-index < "$idx" | awk '{ print $1 }' | sort -n > "$work/offsets"
	cat "${idx%.idx}.pack" > /dev/null
	read -r objects bytes zlib_s deflate_s failed < <("$work/inflate" "${idx%.idx}.pack" < "$work/offsets")
	[ "$failed" -eq 0 ] || echo "bench/inflate.sh: $failed objects failed to inflate" >&2
	printf '%-48s %9d %10.1f %8.2f %11.2f\n' "$(basename "${idx%.idx}")" "$objects" \
		"$(awk -v bytes="$bytes" 'BEGIN { print bytes / 1000000 }')" "$zlib_s" "$deflate_s"
done
