#!/bin/bash
# The git modes never run anything that the scanned repository configures: filters, textconv,
# fsmonitor, hooks. They read raw blobs, open repositories owned by other users, ignore GIT_DIR,
# and never search parent folders for a repository.
. "$(dirname "$0")/lib.sh"

commit_all() {
	git -C "$1" add -A && git -C "$1" commit -q --allow-empty -m "$2" && git -C "$1" rev-parse HEAD
}

repo=$WORK/hostile
marker=$WORK/pwned
git init -q -b main "$repo"
key=$(fake_aws_key_id)
printf 'key = %s\n' "$key" > "$repo/creds.ini"
base=$(commit_all "$repo" "base")
printf 'more = %s\n' "$(fake_aws_key_id)" > "$repo/more.ini"
commit_all "$repo" "more" > /dev/null
printf 'staged = %s\n' "$(fake_aws_key_id)" > "$repo/staged.ini"
git -C "$repo" add staged.ini

# Arm the repository only now, so that the git commands above do not trigger it.
printf '*.ini filter=evil diff=evil\n' > "$repo/.gitattributes"
git -C "$repo" config filter.evil.clean "touch $marker-clean; cat"
git -C "$repo" config filter.evil.smudge "touch $marker-smudge; cat"
git -C "$repo" config filter.evil.process "touch $marker-process"
git -C "$repo" config filter.evil.required true
git -C "$repo" config diff.evil.textconv "touch $marker-textconv; cat"
git -C "$repo" config diff.evil.command "touch $marker-diff"
git -C "$repo" config core.fsmonitor "touch $marker-fsmonitor; echo"
git -C "$repo" config core.sshCommand "touch $marker-ssh"
git -C "$repo" config core.pager "touch $marker-pager; cat"
mkdir -p "$repo/hooks"
for hook in pre-commit post-checkout post-merge reference-transaction fsmonitor-watchman; do
	printf '#!/bin/sh\ntouch %s-hook-%s\n' "$marker" "$hook" > "$repo/.git/hooks/$hook"
	chmod +x "$repo/.git/hooks/$hook"
	cp "$repo/.git/hooks/$hook" "$repo/hooks/$hook"
done
git -C "$repo" config core.hooksPath "$repo/hooks"

"$NHISCAN" scan --git --format json "$repo" > "$WORK/history.json" 2> "$WORK/history.err"
check "history: exit 1" [ $? -eq 1 ]
"$NHISCAN" scan --staged --format json "$repo" > "$WORK/staged.json" 2> "$WORK/staged.err"
check "staged: exit 1" [ $? -eq 1 ]
"$NHISCAN" scan --range "$base..HEAD" --format json "$repo" > "$WORK/range.json" 2> "$WORK/range.err"
check "range: exit 1" [ $? -eq 1 ]
check "nothing the repository configures ran" sh -c "! ls '$WORK' | grep -q '^pwned'"
check "history reads the raw blobs" \
	[ "$(json_eval "$WORK/history.json" "sorted(f['path'] for f in d['findings'])")" = "['creds.ini', 'more.ini']" ]
check "staged reads the raw blob" [ "$(json_eval "$WORK/staged.json" "[f['path'] for f in d['findings']]")" = "['staged.ini']" ]

# Attributes cannot hide lines: marked binary and -diff, a staged edit is still compared as text.
printf '*.ini binary -diff\n' > "$repo/.gitattributes"
git -C "$repo" add .gitattributes
printf 'key = %s\nadded = %s\n' "$key" "$(fake_aws_key_id)" > "$repo/creds.ini"
git -C "$repo" add creds.ini 2> /dev/null
"$NHISCAN" scan --staged --format json "$repo" > "$WORK/attributes.json" 2> /dev/null
check "binary attributes do not hide an added line" \
	[ "$(json_eval "$WORK/attributes.json" "sorted((f['path'], f['line']) for f in d['findings'])")" = "[('creds.ini', 2), ('staged.ini', 1)]" ]

# GIT_DIR and friends are ignored: PATH decides which repository is scanned.
clean=$WORK/clean
git init -q -b main "$clean"
echo "nothing" > "$clean/README"
commit_all "$clean" "clean" > /dev/null
GIT_DIR=$repo/.git GIT_WORK_TREE=$repo "$NHISCAN" scan --git "$clean" > /dev/null 2>&1
check "GIT_DIR is ignored" [ $? -eq 0 ]

# A repository owned by another user opens; git itself would stop at its ownership check.
if [ "$(id -u)" -eq 0 ] && id nobody > /dev/null 2>&1; then
	cp -a "$repo" "$WORK/foreign"
	chown -R nobody "$WORK/foreign"
	"$NHISCAN" scan --git --format json "$WORK/foreign" > "$WORK/foreign.json" 2> "$WORK/foreign.err"
	check "repository owned by another user: exit 1" [ $? -eq 1 ]
	check "repository owned by another user: scanned" \
		[ "$(json_eval "$WORK/foreign.json" "len(d['findings'])")" -eq 2 ]
else
	echo "skipped: the ownership case needs root and a 'nobody' user"
fi

# A linked work tree (.git is a file that points elsewhere) opens as well.
git -C "$clean" worktree add -q "$WORK/linked" 2> /dev/null
"$NHISCAN" scan --git "$WORK/linked" > /dev/null 2> "$WORK/linked.err"
check "linked work tree: exit 0" [ $? -eq 0 ]

# No search upwards: a repository in a parent folder is not picked up.
mkdir -p "$repo/nested/folder"
"$NHISCAN" scan --git "$repo/nested/folder" > /dev/null 2> "$WORK/nested.err"
check "no search upwards: exit 2" [ $? -eq 2 ]
check "no search upwards: says what to pass" grep -q "pass the top folder of a work tree or a bare repository" "$WORK/nested.err"

finish
