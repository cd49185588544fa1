#!/bin/bash
# scan --git --format sarif: each result carries the introducing commit as properties.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
git init -q "$repo"
printf 'token: %s\n' "$(fake_github_token)" > "$repo/a.yml"
git -C "$repo" add a.yml
git -C "$repo" commit -qm "Add settings"
commit=$(git -C "$repo" rev-parse HEAD)

"$NHISCAN" scan --git --format sarif "$repo" > "$WORK/out.sarif"
check "history finding exits 1" [ $? -eq 1 ]
check "sarif result names the commit" \
	[ "$(json_eval "$WORK/out.sarif" "d['runs'][0]['results'][0]['properties']['commit']")" = "$commit" ]
check "sarif result names the author" \
	[ "$(json_eval "$WORK/out.sarif" "d['runs'][0]['results'][0]['properties']['email']")" = "author@example.com" ]

"$NHISCAN" scan --format sarif "$repo" > "$WORK/tree.sarif"
check "working-tree sarif has no commit properties" \
	[ "$(json_eval "$WORK/tree.sarif" "'properties' in d['runs'][0]['results'][0]")" = False ]

finish
