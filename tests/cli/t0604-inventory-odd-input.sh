#!/bin/bash
# inventory with a file name that is not UTF-8, and settings errors that name their file.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo"
git init -q "$repo"
printf 'token = "%s"\n' "$(fake_github_token)" > "$repo/$(printf 'caf\xe9.py')"
timeout 60 "$NHISCAN" inventory --output "$WORK/inv.yaml" "$repo"
check "non-UTF-8 file name: inventory completes" [ $? -eq 0 ]
check "non-UTF-8 byte escaped in locations" grep -qF 'caf\xe9.py:1' "$WORK/inv.yaml"

"$NHISCAN" scan -c "$WORK/missing.yaml" "$repo" 2> "$WORK/err.txt"
check "missing settings file exits 2" [ $? -eq 2 ]
check "missing settings message names the file once" \
	[ "$(cat "$WORK/err.txt")" = "nhiscan: error: cannot load settings: cannot open '$WORK/missing.yaml': No such file or directory" ]

finish
