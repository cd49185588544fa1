#!/bin/bash
# scan --staged: only the lines that the index adds relative to HEAD, as a pre-commit hook needs.
. "$(dirname "$0")/lib.sh"

commit_all() {
	git -C "$1" add -A && git -C "$1" commit -q --allow-empty -m "$2"
}

scan_staged() {
	dir=$1 name=$2
	shift 2
	"$NHISCAN" scan --staged --format json "$@" "$dir" > "$WORK/$name.json" 2> "$WORK/$name.err"
	status=$?
}

# findings NAME: "path line" for each finding, sorted.
findings() {
	json_eval "$WORK/$1.json" "sorted((f['path'], f['line']) for f in d['findings'])"
}

# No commit yet: everything in the index is new.
repo=$WORK/unborn
git init -q -b main "$repo"
printf 'first = %s\n' "$(fake_aws_key_id)" > "$repo/new.ini"
git -C "$repo" add new.ini
scan_staged "$repo" unborn
check "no commit yet: exit 1" [ "$status" -eq 1 ]
check "no commit yet: the staged file is reported" [ "$(findings unborn)" = "[('new.ini', 1)]" ]
check "no commit yet: no commit fields" [ "$(json_eval "$WORK/unborn.json" "any('commit' in f for f in d['findings'])")" = False ]

# Only added lines: an old key in the same file is not reported, the new one is, at its new line.
repo=$WORK/edit
git init -q -b main "$repo"
printf 'a = 1\nold = %s\nb = 2\n' "$(fake_aws_key_id)" > "$repo/app.ini"
printf 'committed = %s\n' "$(fake_aws_key_id)" > "$repo/other.ini"
commit_all "$repo" "base"
printf 'a = 1\nold = %s\nb = 2\nc = 3\nnew = %s\n' "$(sed -n 's/^old = //p' "$repo/app.ini")" "$(fake_aws_key_id)" > "$repo/app.ini"
git -C "$repo" add app.ini
printf 'unstaged = %s\n' "$(fake_aws_key_id)" > "$repo/unstaged.ini"
scan_staged "$repo" edit
check "edit: only the added key, at its line in the new file" [ "$(findings edit)" = "[('app.ini', 5)]" ]
check "edit: unstaged files are not scanned" sh -c "! grep -q unstaged.ini '$WORK/edit.json'"

# A file added with `git add -N` is in the index as the empty blob, which is not in the object
# database: nothing to scan and nothing to warn about.
printf 'later = %s\n' "$(fake_aws_key_id)" > "$repo/intent.ini"
git -C "$repo" add -N intent.ini
scan_staged "$repo" intent
check "intent to add: no warning" [ ! -s "$WORK/intent.err" ]
check "intent to add: not reported" sh -c "! grep -q intent.ini '$WORK/intent.json'"
rm -f "$repo/intent.ini"
git -C "$repo" rm -q --cached intent.ini

# Nothing staged: exit 0.
git -C "$repo" commit -q -m "take the edit"
scan_staged "$repo" clean
check "nothing staged: exit 0" [ "$status" -eq 0 ]
check "nothing staged: no findings" [ "$(findings clean)" = "[]" ]

# A pure rename adds nothing; a rename with an edit adds only the edited lines.
git -C "$repo" mv other.ini moved.ini
scan_staged "$repo" rename
check "pure rename: exit 0" [ "$status" -eq 0 ]
printf 'extra = %s\n' "$(fake_aws_key_id)" >> "$repo/moved.ini"
git -C "$repo" add moved.ini
scan_staged "$repo" rename-edit
check "rename with an edit: only the added line" [ "$(findings rename-edit)" = "[('moved.ini', 2)]" ]
git -C "$repo" commit -q -m "rename"

# Deleting a file that contains a secret adds nothing.
git -C "$repo" rm -q app.ini
scan_staged "$repo" delete
check "deletion: exit 0" [ "$status" -eq 0 ]
git -C "$repo" commit -q -m "delete"

# A line moved within a file is added text, so it is reported; a line left in place is not.
repo=$WORK/move
git init -q -b main "$repo"
key=$(fake_aws_key_id)
printf 'key = %s\nother = 1\n' "$key" > "$repo/move.ini"
commit_all "$repo" "base"
printf 'other = 1\nkey = %s\n' "$key" > "$repo/move.ini"
git -C "$repo" add move.ini
scan_staged "$repo" move
check "moved line: reported at its new line" [ "$(findings move)" = "[('move.ini', 2)]" ]

# A binary file is skipped and counted, as in the other modes.
repo=$WORK/binary
git init -q -b main "$repo"
printf 'key=%s\0\1' "$(fake_aws_key_id)" > "$repo/data.bin"
git -C "$repo" add data.bin
scan_staged "$repo" binary
check "binary: skipped" [ "$(json_eval "$WORK/binary.json" "(len(d['findings']), d['stats']['skipped_binary'])")" = "(0, 1)" ]

# A bare repository has no index.
git init -q --bare "$WORK/bare.git"
scan_staged "$WORK/bare.git" bare
check "bare repository: exit 2" [ "$status" -eq 2 ]
check "bare repository: says why" grep -q "has no index" "$WORK/bare.err"

# A repository with some history and one staged file, scanned from a subfolder without PATH:
# like git, nhiscan finds the repository around the current folder.
repo=$WORK/hook
git init -q -b main "$repo"
for i in $(seq 1 50); do echo "$i" > "$repo/f$i.txt"; commit_all "$repo" "commit $i"; done
mkdir -p "$repo/sub/deeper"
echo "kept" > "$repo/sub/deeper/keep.txt"
commit_all "$repo" "a subfolder"
printf 'hook = %s\n' "$(fake_aws_key_id)" > "$repo/hook.ini"
git -C "$repo" add hook.ini
(cd "$repo/sub/deeper" && "$NHISCAN" scan --staged --format json > "$WORK/hook.json" 2> "$WORK/hook.err")
check "subfolder: exit 1 for the staged key" [ $? -eq 1 ]
check "subfolder: reported at its path from the top" [ "$(findings hook)" = "[('hook.ini', 1)]" ]
(cd "$WORK" && "$NHISCAN" scan --staged > /dev/null 2> "$WORK/outside.err")
check "outside a repository: exit 2" [ $? -eq 2 ]
check "outside a repository: says so" grep -q "is not inside a git repository" "$WORK/outside.err"

finish
