#!/bin/bash
# scan --range BASE..HEAD and --since REV: only the lines those commits add, each finding with the
# commit that added it, as a pull-request check needs.
. "$(dirname "$0")/lib.sh"

commit_all() {
	git -C "$1" add -A && git -C "$1" commit -q --allow-empty -m "$2" && git -C "$1" rev-parse HEAD
}

# scan_range NAME OPTIONS...: scan $repo into $WORK/NAME.json; the exit status is in $status.
scan_range() {
	name=$1
	shift
	"$NHISCAN" scan --format json "$@" "$repo" > "$WORK/$name.json" 2> "$WORK/$name.err"
	status=$?
}

# findings NAME: "path line commit" for each finding, sorted.
findings() {
	json_eval "$WORK/$1.json" "sorted((f['path'], f['line'], f.get('commit')) for f in d['findings'])"
}

repo=$WORK/repo
git init -q -b main "$repo"
key1=$(fake_aws_key_id)
printf 'old = %s\n' "$key1" > "$repo/app.ini"
base=$(commit_all "$repo" "base with an old key")
printf 'second = %s\n' "$(fake_aws_key_id)" > "$repo/second.ini"
c2=$(commit_all "$repo" "add a second key")
printf 'old = %s\nsetting = 1\n' "$key1" > "$repo/app.ini"
commit_all "$repo" "edit around the old key" > /dev/null
git -C "$repo" rm -q second.ini
printf 'third = %s\n' "$(fake_aws_key_id)" > "$repo/third.ini"
c4=$(commit_all "$repo" "replace the second key")

scan_range range --range "$base..HEAD"
check "range: exit 1" [ "$status" -eq 1 ]
check "range: each added key with its commit, the old key not reported" \
	[ "$(findings range)" = "[('second.ini', 1, '$c2'), ('third.ini', 1, '$c4')]" ]
check "range: author and date set" [ "$(json_eval "$WORK/range.json" "all(f.get('author') and f.get('date') for f in d['findings'])")" = True ]

scan_range since --since "$base"
check "since: same as the range" [ "$(findings since)" = "$(findings range)" ]

scan_range open --range "$base.."
check "range with an empty HEAD side" [ "$(findings open)" = "$(findings range)" ]

scan_range later --range "$c2..HEAD"
check "range after the second key: only the third" [ "$(findings later)" = "[('third.ini', 1, '$c4')]" ]

scan_range empty --range "HEAD..HEAD"
check "empty range: exit 0" [ "$status" -eq 0 ]

# Merges: a key added on a merged branch is reported once, with the branch commit. A key that the
# merge resolution itself adds is reported with the merge.
git -C "$repo" checkout -q -b side
printf 'side = %s\n' "$(fake_aws_key_id)" > "$repo/side.ini"
side=$(commit_all "$repo" "side key")
git -C "$repo" checkout -q main
echo "main work" > "$repo/main.txt"
commit_all "$repo" "main work" > /dev/null
before_merge=$(git -C "$repo" rev-parse HEAD)
git -C "$repo" merge -q --no-ff --no-commit side > /dev/null 2>&1
printf 'resolution = %s\n' "$(fake_aws_key_id)" > "$repo/resolution.ini"
merge=$(commit_all "$repo" "merge side")
scan_range merge --range "$before_merge..HEAD"
check "merge: branch key with its branch commit, resolution key with the merge" \
	[ "$(findings merge)" = "[('resolution.ini', 1, '$merge'), ('side.ini', 1, '$side')]" ]

# Shallow clone, as CI systems check out: a range inside the clone's history works.
git clone -q --depth 3 "file://$repo" "$WORK/shallow"
repo=$WORK/shallow
scan_range shallow --range "HEAD~1..HEAD"
check "shallow clone: exit 1" [ "$status" -eq 1 ]
check "shallow clone: the merge's own key" \
	[ "$(json_eval "$WORK/shallow.json" "sorted(f['path'] for f in d['findings'])")" = "['resolution.ini', 'side.ini']" ]

# Bad ranges are usage errors.
repo=$WORK/repo
scan_range symmetric --range "$base...HEAD"
check "three dots: exit 2" [ "$status" -eq 2 ]
check "three dots: says what to use" grep -q "use BASE..HEAD" "$WORK/symmetric.err"
scan_range unknown --range "no-such-branch..HEAD"
check "unknown revision: exit 2" [ "$status" -eq 2 ]
check "unknown revision: names it" grep -q "no-such-branch" "$WORK/unknown.err"
scan_range single --range "$base"
check "a single revision is not a range" [ "$status" -eq 2 ]

finish
