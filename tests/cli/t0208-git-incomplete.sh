#!/bin/bash
# Git modes on incomplete repositories. A scan that can read nothing of what it was asked to scan
# fails with exit status 2 and one error line, but one that lacks only some objects goes on.
# Shallow clones and missing commits work in inventory, check and sweep. A finding at such a
# boundary names the missing parent, and the stash stays out of the inventory.
. "$(dirname "$0")/lib.sh"

commit_all() {
	git -C "$1" add -A && git -C "$1" commit -q -m "$2"
}

# run NAME COMMAND...: stdout in $WORK/NAME.out, stderr in $WORK/NAME.err, exit status in $status.
run() {
	name=$1
	shift
	status=0
	"$@" > "$WORK/$name.out" 2> "$WORK/$name.err" || status=$?
}

error_count() {
	grep -c '^nhiscan: error:' "$WORK/$1.err"
}

# loose_path REPO OBJECT: the file of a loose object.
loose_path() {
	id=$(git -C "$1" rev-parse "$2")
	echo "$1/.git/objects/${id:0:2}/${id:2}"
}

json_of() {
	json_eval "$WORK/$1.out" "$2"
}

# A packed repository of three commits, each adding a secret.
origin=$WORK/origin
git init -q -b main "$origin"
for name in first second third; do
	printf '%s = %s\n' "$name" "$(fake_aws_key_id)" > "$origin/$name.ini"
	commit_all "$origin" "$name secret"
done
git -C "$origin" gc -q

# A truncated pack file: no reference can be peeled, so nothing was read.
cp -r "$origin" "$WORK/truncated"
pack=$(ls "$WORK"/truncated/.git/objects/pack/*.pack)
truncate -s 100 "$pack"
run truncated "$NHISCAN" scan --git "$WORK/truncated"
check "truncated pack: exit 2" [ "$status" -eq 2 ]
check "truncated pack: one error line" [ "$(error_count truncated)" -eq 1 ]
check "truncated pack: the error says no reference resolves" \
	grep -q "^nhiscan: error: cannot read the history of '.*truncated': no reference resolves to a readable commit; .*run 'git fsck'" "$WORK/truncated.err"
check "truncated pack: the failed reference is named" grep -q "cannot resolve reference 'refs/heads/main'" "$WORK/truncated.err"
check "truncated pack: no report on standard output" [ ! -s "$WORK/truncated.out" ]

# A pack without its index: the same.
cp -r "$origin" "$WORK/no-index"
rm "$WORK"/no-index/.git/objects/pack/*.idx
run no-index "$NHISCAN" scan --git --format json "$WORK/no-index"
check "pack without index: exit 2" [ "$status" -eq 2 ]
check "pack without index: one error line" [ "$(error_count no-index)" -eq 1 ]
check "pack without index: the error says no reference resolves" \
	grep -q "no reference resolves to a readable commit" "$WORK/no-index.err"

# inventory --git on the same repository fails too, instead of writing an inventory without history.
run no-index-inventory "$NHISCAN" inventory --git "$WORK/no-index"
check "inventory, pack without index: exit 2" [ "$status" -eq 2 ]
check "inventory, pack without index: no file written" [ ! -f "$WORK/no-index/nhi-inventory.yaml" ]

# An empty repository has nothing to read, which is not a failure.
git init -q -b main "$WORK/empty"
run empty "$NHISCAN" scan --git "$WORK/empty"
check "empty repository: exit 0" [ "$status" -eq 0 ]

# --staged with every staged blob missing fails; with one of two missing it goes on.
staged=$WORK/staged
cp -r "$origin" "$staged"
git -C "$staged" checkout -q -- .
printf 'lost = %s\n' "$(fake_aws_key_id)" > "$staged/lost.ini"
printf 'kept = %s\n' "$(fake_aws_key_id)" > "$staged/kept.ini"
git -C "$staged" add lost.ini kept.ini
lost_blob=$(loose_path "$staged" :lost.ini)
kept_blob=$(loose_path "$staged" :kept.ini)
rm -f "$lost_blob"
run staged-partial "$NHISCAN" scan --staged --format json "$staged"
check "staged, one blob missing: exit 1" [ "$status" -eq 1 ]
check "staged, one blob missing: the readable secret is found" \
	[ "$(json_of staged-partial "[f['path'] for f in d['findings']]")" = "['kept.ini']" ]
check "staged, one blob missing: warned" grep -q "at 'lost.ini' is missing from the object database" "$WORK/staged-partial.err"
rm -f "$kept_blob"
run staged-none "$NHISCAN" scan --staged "$staged"
check "staged, every blob missing: exit 2" [ "$status" -eq 2 ]
check "staged, every blob missing: one error line" [ "$(error_count staged-none)" -eq 1 ]
check "staged, every blob missing: the error counts the blobs" \
	grep -q "^nhiscan: error: cannot read the staged changes of '.*staged': none of the 2 staged blobs could be read; .*git fsck" "$WORK/staged-none.err"

# --range whose only new blob is missing fails.
range=$WORK/range
cp -r "$origin" "$range"
printf 'fourth = %s\n' "$(fake_aws_key_id)" > "$range/fourth.ini"
commit_all "$range" "fourth secret"
rm -f "$(loose_path "$range" HEAD:fourth.ini)"
run range "$NHISCAN" scan --range HEAD~1..HEAD "$range"
check "range, every blob missing: exit 2" [ "$status" -eq 2 ]
check "range, every blob missing: the error counts the blobs" \
	grep -q "cannot read the commit range of '.*range': none of its 1 changed blobs could be read" "$WORK/range.err"

# A shallow clone of depth 2: the boundary commit contains the first two secrets, and nothing
# shows whether they were added there or earlier. The third was added after the boundary.
git clone -q --depth 2 "file://$origin" "$WORK/shallow"
boundary=$(git -C "$WORK/shallow" rev-parse --short=12 HEAD~1)
parent=$(git -C "$origin" rev-parse --short=12 HEAD~2)
run shallow-json "$NHISCAN" scan --git --format json "$WORK/shallow"
check "shallow: exit 1" [ "$status" -eq 1 ]
check "shallow: three findings" [ "$(json_of shallow-json "len(d['findings'])")" = 3 ]
check "shallow: the secrets at the boundary carry earlier_unreadable" \
	[ "$(json_of shallow-json "sorted(f['path'] for f in d['findings'] if 'earlier_unreadable' in f)")" = "['first.ini', 'second.ini']" ]
check "shallow: earlier_unreadable names the parent and the boundary commit" \
	[ "$(json_of shallow-json "[f['earlier_unreadable'] for f in d['findings'] if f['path'] == 'first.ini'][0]")" = \
		"parent $parent of commit $boundary, beyond the boundary of the shallow clone" ]
check "shallow: the secret after the boundary is certain" \
	[ "$(json_of shallow-json "[f.get('earlier_unreadable') for f in d['findings'] if f['path'] == 'third.ini'][0]")" = None ]
check "shallow: one warning about the boundary" [ "$(grep -c 'shallow clone' "$WORK/shallow-json.err")" -eq 1 ]
run shallow-sarif "$NHISCAN" scan --git --format sarif "$WORK/shallow"
check "shallow, sarif: earlier_unreadable in two results" \
	[ "$(json_of shallow-sarif "sum('earlier_unreadable' in r['properties'] for r in d['runs'][0]['results'])")" = 2 ]
run shallow-text "$NHISCAN" scan --git "$WORK/shallow"
check "shallow, text: two findings say the history before them is missing" \
	[ "$(grep -c "or earlier: .*parent $parent of commit $boundary, beyond the boundary of the shallow clone" "$WORK/shallow-text.out")" -eq 2 ]

# A missing commit in a repository that is not shallow: the commit above it becomes a root.
gap=$WORK/gap
git init -q -b main "$gap"
printf 'old = %s\n' "$(fake_aws_key_id)" > "$gap/old.ini"
commit_all "$gap" "old secret"
echo "work" > "$gap/README"
commit_all "$gap" "work"
rm -f "$(loose_path "$gap" HEAD~1)"
gap_commit=$(git -C "$gap" rev-parse --short=12 HEAD)
run gap "$NHISCAN" scan --git --format json "$gap"
check "missing commit: exit 1" [ "$status" -eq 1 ]
check "missing commit: the finding says its parent is missing" \
	[ "$(json_of gap "d['findings'][0]['earlier_unreadable']")" = \
		"parent $(git -C "$gap" rev-parse --short=12 HEAD~1) of commit $gap_commit, missing from the repository" ]
run gap-inventory "$NHISCAN" inventory --git "$gap"
check "inventory, missing commit: exit 0" [ "$status" -eq 0 ]
check "inventory, missing commit: file written" [ -f "$gap/nhi-inventory.yaml" ]
check "inventory, missing commit: no error" [ "$(error_count gap-inventory)" -eq 0 ]
check "inventory, missing commit: the missing commit is named once" \
	[ "$(grep -c 'is missing; the history behind it is not scanned' "$WORK/gap-inventory.err")" -eq 1 ]

# inventory --git in a shallow clone, and check in a shallow clone of a repository whose
# inventory was built from its full history by an owner who no longer shows in the clone.
owned=$WORK/owned
git init -q -b main "$owned"
printf '* alice@example.com\n' > "$owned/CODEOWNERS"
printf 'key = %s\n' "$(fake_aws_key_id)" > "$owned/app.ini"
git -C "$owned" add -A
GIT_AUTHOR_NAME=Alice GIT_AUTHOR_EMAIL=alice@example.com git -C "$owned" commit -q -m "alice's key"
echo "work" > "$owned/README"
commit_all "$owned" "work"
run owned-inventory "$NHISCAN" inventory --git "$owned"
check "full clone: inventory exit 0" [ "$status" -eq 0 ]
check "full clone: inventory written" [ -f "$owned/nhi-inventory.yaml" ]
commit_all "$owned" "inventory"
git clone -q --depth 1 "file://$owned" "$WORK/owned-shallow"
run shallow-check "$NHISCAN" check "$WORK/owned-shallow"
check "check in a shallow clone: exit 0" [ "$status" -eq 0 ]
check "check in a shallow clone: no error" [ "$(error_count shallow-check)" -eq 0 ]
check "check in a shallow clone: one warning about the boundary" \
	[ "$(grep -c 'shallow clone' "$WORK/shallow-check.err")" -eq 1 ]
check "check in a shallow clone: no owner turns inactive" sh -c "! grep -q 'without a commit' '$WORK/shallow-check.out'"
rm "$WORK/owned-shallow/nhi-inventory.yaml"
run shallow-inventory "$NHISCAN" inventory --git "$WORK/owned-shallow"
check "inventory in a shallow clone: exit 0" [ "$status" -eq 0 ]
check "inventory in a shallow clone: file written" [ -f "$WORK/owned-shallow/nhi-inventory.yaml" ]
check "inventory in a shallow clone: no error" [ "$(error_count shallow-inventory)" -eq 0 ]

# sweep --git over a folder with a shallow clone and the repository it was cloned from.
mkdir -p "$WORK/org"
git clone -q --depth 1 "file://$origin" "$WORK/org/shallow"
git clone -q "file://$origin" "$WORK/org/full"
run sweep "$NHISCAN" sweep --quiet --git -o "$WORK/sweep" "$WORK/org"
check "sweep of a shallow clone: exit 0" [ "$status" -eq 0 ]
check "sweep of a shallow clone: none failed" grep -q "swept 2 repositories: 2 scanned, 0 up to date, 0 failed" "$WORK/sweep.out" "$WORK/sweep.err"

# A secret only in the stash: scan --git reports it, the inventory leaves it out, and check in
# another clone lists nothing as gone.
stash=$WORK/stash
git init -q -b main "$stash"
printf 'committed = %s\n' "$(fake_aws_key_id)" > "$stash/app.ini"
commit_all "$stash" "committed secret"
git clone -q "file://$stash" "$WORK/stash-clone"
printf 'stashed = %s\n' "$(fake_aws_key_id)" >> "$stash/app.ini"
git -C "$stash" stash -q
run stash-scan "$NHISCAN" scan --git --format json "$stash"
check "stash: scan --git finds both secrets" [ "$(json_of stash-scan "len(d['findings'])")" = 2 ]
stashed_id=$(json_of stash-scan "[f['fingerprint'][:12] for f in d['findings'] if f['line'] == 2][0]")
run stash-inventory "$NHISCAN" inventory --git "$stash"
check "stash: the inventory lists one credential" grep -q "wrote .*: 1 credentials" "$WORK/stash-inventory.err"
check "stash: the stashed secret is not in the inventory" sh -c "! grep -q '$stashed_id' '$stash/nhi-inventory.yaml'"
cp "$stash/nhi-inventory.yaml" "$WORK/stash-clone/"
run stash-check "$NHISCAN" check "$WORK/stash-clone"
check "stash: check in another clone exits 0" [ "$status" -eq 0 ]
check "stash: check in another clone lists nothing as gone" sh -c "! grep -q 'gone' '$WORK/stash-check.out'"

finish
