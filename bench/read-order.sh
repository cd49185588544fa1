#!/bin/bash
# Read-order benchmark: what reading every blob of a history costs through libgit2 in three
# orders, to choose the order of a history scan (src/git/packorder.h).
#   bench/read-order.sh REPO
#
#   walk     the order of git rev-list --objects --all, close to the order in which nhiscan's
#            history walk meets blobs
#   batches  that order cut into batches of 4096, each sorted by pack offset: what
#            scan --git does
#   pack     every blob sorted by pack offset
#
# Each order is read once by bench/read-order.c under /usr/bin/time; the table gives CPU time
# (user + system) and peak RSS. REPO must be packed (one pack or more); loose objects are left
# out. Needs cc and the libgit2 headers, as the build does.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
repo=${1:?usage: bench/read-order.sh REPO}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cc -O2 -o "$work/read-order" "$top/bench/read-order.c" $(pkg-config --cflags --libs libgit2)
git_dir=$(git -C "$repo" rev-parse --absolute-git-dir)

# Blob ids in walk order; missing objects (a snapshot without its large blobs) are left out.
git -C "$repo" rev-list --objects --all --missing=allow-any | awk '{ print $1 }' |
	git -C "$repo" cat-file --batch-check='%(objectname) %(objecttype)' 2> /dev/null |
	awk '$2 == "blob" { print $1 }' > "$work/walk"

# "id offset" for every packed object, then the walk order with each blob's offset.
for idx in "$git_dir"/objects/pack/*.idx; do
	git -C "$repo" show-index < "$idx"
done | awk '{ print $2, $1 }' > "$work/offsets"
awk 'NR == FNR { offset[$1] = $2; next } ($1 in offset) { print FNR, $1, offset[$1] }' \
	"$work/offsets" "$work/walk" > "$work/annotated"

awk '{ print $2 }' "$work/annotated" > "$work/order-walk"
awk '{ print int(($1 - 1) / 4096), $3, $2 }' "$work/annotated" | sort -k1,1n -k2,2n |
	awk '{ print $3 }' > "$work/order-batches"
sort -k3,3n "$work/annotated" | awk '{ print $2 }' > "$work/order-pack"

echo "repository  $repo"
echo "blobs       $(wc -l < "$work/order-walk") packed blobs reachable from refs"
echo "machine     $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-8s %10s %12s\n' order "cpu s" "peak RSS MB"
for order in walk batches pack; do
	/usr/bin/time -f '%U %S %M' -o "$work/time" "$work/read-order" "$repo" < "$work/order-$order" > /dev/null
	awk -v order="$order" '{ printf "%-8s %10.2f %12.1f\n", order, $1 + $2, $3 / 1024 }' "$work/time"
done
