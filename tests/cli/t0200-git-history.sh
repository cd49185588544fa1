#!/bin/bash
# scan --git: every blob reachable from any reference, scanned once, with the introducing commit.
# Each case builds its own repository with git, then scans it with --format json.
. "$(dirname "$0")/lib.sh"

# new_repo DIR: an empty repository with branch main.
new_repo() {
	git init -q -b main "$1"
}

# commit_all DIR MESSAGE: commit every change in DIR and print the new commit id.
commit_all() {
	git -C "$1" add -A && git -C "$1" commit -q --allow-empty -m "$2" && git -C "$1" rev-parse HEAD
}

# scan_git DIR NAME [OPTIONS...]: scan DIR's history into $WORK/NAME.json; the exit status is in $status.
scan_git() {
	dir=$1 name=$2
	shift 2
	"$NHISCAN" scan --git --format json "$@" "$dir" > "$WORK/$name.json" 2> "$WORK/$name.err"
	status=$?
}

# findings NAME: "path line commit" for each finding of the scan NAME, sorted.
findings() {
	json_eval "$WORK/$1.json" "sorted((f['path'], f['line'], f.get('commit')) for f in d['findings'])"
}

# Added, then deleted: still found, attributed to the commit that added it, with author and date.
repo=$WORK/removed
new_repo "$repo"
echo "readme" > "$repo/README"
commit_all "$repo" "first" > /dev/null
key=$(fake_aws_key_id)
printf '[default]\naws_access_key_id = %s\n' "$key" > "$repo/creds.ini"
added=$(GIT_AUTHOR_DATE="2021-03-04T05:06:07+0100" GIT_AUTHOR_NAME="Dana Dev" GIT_AUTHOR_EMAIL=dana@example.com \
	commit_all "$repo" "add credentials")
git -C "$repo" rm -q creds.ini
commit_all "$repo" "remove credentials" > /dev/null
echo "more" >> "$repo/README"
commit_all "$repo" "later work" > /dev/null
scan_git "$repo" removed
check "deleted secret: exit status 1" [ "$status" -eq 1 ]
check "deleted secret: found once at its path and line" \
	[ "$(findings removed)" = "[('creds.ini', 2, '$added')]" ]
check "deleted secret: author, email and date of the adding commit" \
	[ "$(json_eval "$WORK/removed.json" "[(f['author'], f['email'], f['date']) for f in d['findings']]")" = \
	  "[('Dana Dev', 'dana@example.com', '2021-03-04T05:06:07+01:00')]" ]
check "deleted secret: no raw secret in the report" sh -c "! grep -qF '$key' '$WORK/removed.json'"
check "deleted secret: each blob scanned once" \
	[ "$(json_eval "$WORK/removed.json" "d['stats']['files_scanned']")" = 3 ]
"$NHISCAN" scan --git "$repo" > "$WORK/removed.txt"
check "text output names the introducing commit" grep -q "introduced in ${added:0:12} by Dana Dev <dana@example.com>" "$WORK/removed.txt"

# Modified around the secret: one finding from the first version; a replaced secret is a new one.
repo=$WORK/modified
new_repo "$repo"
key1=$(fake_aws_key_id)
key2=$(fake_aws_key_id)
printf 'id = %s\n' "$key1" > "$repo/app.conf"
first=$(commit_all "$repo" "add key")
printf 'debug = true\nid = %s\n' "$key1" > "$repo/app.conf"
commit_all "$repo" "add a setting above the key" > /dev/null
printf 'debug = true\nid = %s\n' "$key2" > "$repo/app.conf"
rotated=$(commit_all "$repo" "rotate key")
scan_git "$repo" modified
check "modified file: old key once from its first version, new key from the rotation" \
	[ "$(findings modified)" = "[('app.conf', 1, '$first'), ('app.conf', 2, '$rotated')]" ]
check "modified file: every version scanned" [ "$(json_eval "$WORK/modified.json" "d['stats']['files_scanned']")" = 3 ]

# Renamed: a pure rename is the same blob, so one finding at the path where it appeared.
repo=$WORK/renamed
new_repo "$repo"
printf 'key = %s\n' "$(fake_aws_key_id)" > "$repo/old.ini"
added=$(commit_all "$repo" "add")
git -C "$repo" mv old.ini new.ini
commit_all "$repo" "rename" > /dev/null
scan_git "$repo" renamed
check "renamed file: one finding at the first path and commit" [ "$(findings renamed)" = "[('old.ini', 1, '$added')]" ]
git -C "$repo" mv new.ini edited.ini
echo "# comment" >> "$repo/edited.ini"
edited=$(commit_all "$repo" "rename and edit")
scan_git "$repo" renamed2
check "renamed and edited: the new version at the new path is a new finding" \
	[ "$(findings renamed2)" = "[('edited.ini', 1, '$edited'), ('old.ini', 1, '$added')]" ]

# Present only on a branch other than HEAD's.
repo=$WORK/branch
new_repo "$repo"
echo "main" > "$repo/README"
commit_all "$repo" "main" > /dev/null
git -C "$repo" checkout -q -b feature
printf 'token = %s\n' "$(fake_aws_key_id)" > "$repo/feature.ini"
feature=$(commit_all "$repo" "feature")
git -C "$repo" checkout -q main
scan_git "$repo" branch
check "secret only on another branch" [ "$(findings branch)" = "[('feature.ini', 1, '$feature')]" ]

# Present only on tags: a lightweight tag, an annotated tag, and a tag that names a blob.
repo=$WORK/tags
new_repo "$repo"
echo "main" > "$repo/README"
commit_all "$repo" "main" > /dev/null
git -C "$repo" checkout -q -b temp
printf 'a = %s\n' "$(fake_aws_key_id)" > "$repo/light.ini"
light=$(commit_all "$repo" "for a lightweight tag")
git -C "$repo" tag v-light
printf 'b = %s\n' "$(fake_aws_key_id)" > "$repo/annotated.ini"
annotated=$(commit_all "$repo" "for an annotated tag")
git -C "$repo" tag -a -m "release" v-annotated
git -C "$repo" checkout -q main
git -C "$repo" branch -q -D temp
printf 'c = %s\n' "$(fake_aws_key_id)" > "$WORK/loose.ini"
git -C "$repo" tag blob-tag "$(git -C "$repo" hash-object -w "$WORK/loose.ini")"
scan_git "$repo" tags
check "secrets only on tags, and a tagged blob under the tag's name" \
	[ "$(findings tags)" = "[('annotated.ini', 1, '$annotated'), ('light.ini', 1, '$light'), ('refs/tags/blob-tag', 1, None)]" ]

# Introduced by a merge: the resolution adds a file that neither parent has.
repo=$WORK/merge
new_repo "$repo"
echo "base" > "$repo/README"
commit_all "$repo" "base" > /dev/null
git -C "$repo" checkout -q -b side
echo "side" > "$repo/side.txt"
commit_all "$repo" "side work" > /dev/null
git -C "$repo" checkout -q main
echo "main" > "$repo/main.txt"
commit_all "$repo" "main work" > /dev/null
git -C "$repo" merge -q --no-ff --no-commit side > /dev/null 2>&1
printf 'merged = %s\n' "$(fake_aws_key_id)" > "$repo/merge.ini"
merge=$(commit_all "$repo" "merge side")
scan_git "$repo" merge
check "secret introduced in a merge commit" [ "$(findings merge)" = "[('merge.ini', 1, '$merge')]" ]
check "the merge commit has two parents" [ "$(git -C "$repo" rev-list --parents -n 1 HEAD | wc -w)" -eq 3 ]

# In the stash: the newest stash and an older one that only the stash reflog keeps.
repo=$WORK/stash
new_repo "$repo"
echo "tracked" > "$repo/app.conf"
commit_all "$repo" "base" > /dev/null
printf 'first = %s\n' "$(fake_aws_key_id)" >> "$repo/app.conf"
git -C "$repo" stash -q
printf 'second = %s\n' "$(fake_aws_key_id)" > "$repo/staged.ini"
git -C "$repo" add staged.ini
git -C "$repo" stash -q
scan_git "$repo" stash
check "both stashes scanned" \
	[ "$(json_eval "$WORK/stash.json" "sorted((f['path'], f['line']) for f in d['findings'])")" = "[('app.conf', 2), ('staged.ini', 1)]" ]
check "stash findings carry a commit" [ "$(json_eval "$WORK/stash.json" "all(f.get('commit') for f in d['findings'])")" = True ]

# Detached HEAD: a commit that only HEAD reaches.
repo=$WORK/detached
new_repo "$repo"
echo "base" > "$repo/README"
commit_all "$repo" "base" > /dev/null
git -C "$repo" checkout -q --detach
printf 'detached = %s\n' "$(fake_aws_key_id)" > "$repo/detached.ini"
detached=$(commit_all "$repo" "on a detached HEAD")
scan_git "$repo" detached
check "secret reachable only from a detached HEAD" [ "$(findings detached)" = "[('detached.ini', 1, '$detached')]" ]

# Remote-tracking ref: fetched from origin, no local branch.
origin=$WORK/origin
new_repo "$origin"
echo "base" > "$origin/README"
commit_all "$origin" "base" > /dev/null
git clone -q "$origin" "$WORK/clone"
git -C "$origin" checkout -q -b remote-only
printf 'remote = %s\n' "$(fake_aws_key_id)" > "$origin/remote.ini"
remote=$(commit_all "$origin" "remote only")
git -C "$WORK/clone" fetch -q origin
scan_git "$WORK/clone" remote
check "secret only on a remote-tracking branch" [ "$(findings remote)" = "[('remote.ini', 1, '$remote')]" ]

# A bare repository scans like its work tree.
git clone -q --bare "$WORK/removed" "$WORK/bare.git"
scan_git "$WORK/bare.git" bare
check "bare repository" [ "$(json_eval "$WORK/bare.json" "[f['path'] for f in d['findings']]")" = "['creds.ini']" ]

# Empty repositories: nothing to scan, no error.
new_repo "$WORK/empty"
scan_git "$WORK/empty" empty
check "empty repository exits 0" [ "$status" -eq 0 ]
check "empty repository has no findings" [ "$(json_eval "$WORK/empty.json" "len(d['findings'])")" = 0 ]
check "empty repository prints no error" [ ! -s "$WORK/empty.err" ]
git init -q --bare "$WORK/empty.git"
scan_git "$WORK/empty.git" empty-bare
check "empty bare repository exits 0" [ "$status" -eq 0 ]

# skip-paths from .nhiscan.yaml apply to paths in history too.
repo=$WORK/skip
new_repo "$repo"
mkdir -p "$repo/vendor"
printf 'vendored = %s\n' "$(fake_aws_key_id)" > "$repo/vendor/lib.ini"
printf 'own = %s\n' "$(fake_aws_key_id)" > "$repo/own.ini"
printf 'skip-paths:\n  - path: vendor/\n    reason: third-party code\n' > "$repo/.nhiscan.yaml"
commit_all "$repo" "vendored code" > /dev/null
scan_git "$repo" skip
check "skip-paths leave vendored history out" [ "$(json_eval "$WORK/skip.json" "[f['path'] for f in d['findings']]")" = "['own.ini']" ]
check "skip-paths are counted" [ "$(json_eval "$WORK/skip.json" "d['stats']['ignored'] >= 1")" = True ]

# A folder that is not a repository, and a folder inside one: no search upwards.
mkdir -p "$WORK/plain" "$WORK/removed/sub"
scan_git "$WORK/plain" plain
check "not a repository: exit 2" [ "$status" -eq 2 ]
check "not a repository: says so" grep -q "is not a git repository" "$WORK/plain.err"
scan_git "$WORK/removed/sub" sub
check "a subfolder of a work tree is not searched upwards" [ "$status" -eq 2 ]
scan_git "$WORK/no-such-folder" missing
check "a path that does not exist: exit 2" [ "$status" -eq 2 ]
check "a path that does not exist: says so" grep -q "'$WORK/no-such-folder' does not exist" "$WORK/missing.err"

finish
