#!/bin/bash
# The pre-push hook scans only the commits that the remote does not have yet, for updated
# branches, new branches and a first push. It chains an existing pre-push hook with the same
# input and lets deletions through. The last cases call it as the pre-commit framework does.
. "$(dirname "$0")/lib.sh"
set -u

export NHISCAN

commit_file() {
	printf '%s\n' "$3" > "$1/$2"
	git -C "$1" add "$2"
	git -C "$1" commit -q --no-verify -m "add $2"
}

# try_push NAME ARGS...: run git push in $clone; output in $WORK/NAME.out, status in $status.
try_push() {
	name=$1
	shift
	status=0
	git -C "$clone" push -q "$@" > "$WORK/$name.out" 2>&1 || status=$?
}

remote_has() {
	git -C "$WORK/remote.git" rev-parse -q --verify "$1" > /dev/null
}

git init -q --bare -b main "$WORK/remote.git"
seed=$WORK/seed
git init -q -b main "$seed"
commit_file "$seed" README "readme"
git -C "$seed" push -q "$WORK/remote.git" main

clone=$WORK/clone
git clone -q "$WORK/remote.git" "$clone"
"$NHISCAN" install-hooks "$clone" > /dev/null 2>&1

# An update with clean commits passes.
commit_file "$clone" a.txt "one"
commit_file "$clone" b.txt "two"
try_push clean origin main
check "clean update: pushed" [ "$status" -eq 0 ]
check "clean update: remote moved" [ "$(git -C "$WORK/remote.git" rev-parse main)" = "$(git -C "$clone" rev-parse main)" ]

# An update whose middle commit adds a key is blocked, with the file and the rule.
commit_file "$clone" config.py "TOKEN = \"$(fake_github_token)\""
commit_file "$clone" c.txt "three"
try_push key origin main
check "key in an update: blocked" [ "$status" -ne 0 ]
check "key in an update: names the file" grep -q "config.py:1:" "$WORK/key.out"
check "key in an update: names the rule" grep -q "github.pat.classic" "$WORK/key.out"
check "key in an update: says the push was blocked" grep -q "push blocked" "$WORK/key.out"
check "key in an update: remote unchanged" [ "$(git -C "$WORK/remote.git" rev-parse main)" != "$(git -C "$clone" rev-parse main)" ]

# The key reaches the remote anyway (as with --no-verify); later pushes do not report it again.
try_push forced --no-verify origin main
commit_file "$clone" d.txt "four"
try_push after origin main
check "key already on the remote: later push passes" [ "$status" -eq 0 ]

# A new branch is checked against every remote-tracking ref, not the whole history.
git -C "$clone" checkout -q -b feature
commit_file "$clone" e.txt "five"
try_push new-clean origin feature
check "new clean branch: pushed" [ "$status" -eq 0 ]
check "new clean branch: on the remote" remote_has refs/heads/feature

git -C "$clone" checkout -q -b leaky main
commit_file "$clone" leak.ini "key = $(fake_aws_key_id)"
try_push new-key origin leaky
check "new branch with a key: blocked" [ "$status" -ne 0 ]
check "new branch with a key: names the file" grep -q "leak.ini:1:" "$WORK/new-key.out"
check "new branch with a key: not on the remote" sh -c "! git -C '$WORK/remote.git' rev-parse -q --verify refs/heads/leaky"

# A new branch that merges a pushed branch: the merge itself adds nothing, so it passes.
git -C "$clone" checkout -q -b merged main
commit_file "$clone" f.txt "six"
git -C "$clone" merge -q --no-ff --no-edit feature > /dev/null
try_push merge origin merged
check "new branch with a merge: pushed" [ "$status" -eq 0 ]

# Deleting a remote branch pushes no commits.
try_push delete origin --delete feature
check "deletion: pushed" [ "$status" -eq 0 ]
check "deletion: branch gone" sh -c "! git -C '$WORK/remote.git' rev-parse -q --verify refs/heads/feature"

# A first push to an empty remote: every commit is new.
git init -q --bare -b main "$WORK/empty.git"
first=$WORK/first
git init -q -b main "$first"
commit_file "$first" README "readme"
commit_file "$first" key.py "KEY = \"$(fake_github_token)\""
commit_file "$first" later.txt "later"
git -C "$first" remote add origin "$WORK/empty.git"
"$NHISCAN" install-hooks "$first" > /dev/null 2>&1
status=0
git -C "$first" push -q origin main > "$WORK/first.out" 2>&1 || status=$?
check "first push with a key in history: blocked" [ "$status" -ne 0 ]
check "first push: names the file" grep -q "key.py:1:" "$WORK/first.out"

# An existing pre-push hook is chained and receives the same arguments and input.
chained=$WORK/chained
git clone -q "$WORK/remote.git" "$chained"
cat > "$chained/.git/hooks/pre-push" <<HOOK
#!/bin/sh
echo "args: \$1" >> "$WORK/chained.log"
cat >> "$WORK/chained.log"
HOOK
chmod +x "$chained/.git/hooks/pre-push"
"$NHISCAN" install-hooks "$chained" > /dev/null 2>&1
commit_file "$chained" g.txt "seven"
status=0
git -C "$chained" push -q origin main > "$WORK/chained.out" 2>&1 || status=$?
check "chained pre-push: pushed" [ "$status" -eq 0 ]
check "chained pre-push: got the remote name" grep -q "^args: origin$" "$WORK/chained.log"
check "chained pre-push: got the ref line" grep -q "^refs/heads/main $(git -C "$chained" rev-parse main) refs/heads/main " "$WORK/chained.log"

# Under the pre-commit framework: no input, the range in PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF.
git -C "$clone" checkout -q leaky
framework() {
	status=0
	(cd "$clone" && env PRE_COMMIT=1 "$@" sh "$TOP/hooks/pre-push" origin "$WORK/remote.git" < /dev/null) \
		> "$WORK/framework.out" 2>&1 || status=$?
}
framework PRE_COMMIT_FROM_REF="$(git -C "$clone" rev-parse main)" PRE_COMMIT_TO_REF="$(git -C "$clone" rev-parse leaky)"
check "framework: key in the range blocked" [ "$status" -eq 1 ]
check "framework: names the file" grep -q "leak.ini:1:" "$WORK/framework.out"
framework PRE_COMMIT_FROM_REF="$(git -C "$clone" rev-parse main~1)" PRE_COMMIT_TO_REF="$(git -C "$clone" rev-parse main)"
check "framework: clean range passes" [ "$status" -eq 0 ]
status=0
(cd "$clone" && env -u PRE_COMMIT PRE_COMMIT_FROM_REF="$(git -C "$clone" rev-parse main)" \
	PRE_COMMIT_TO_REF="$(git -C "$clone" rev-parse leaky)" sh "$TOP/hooks/pre-push" origin \
	"$WORK/remote.git" < /dev/null) > "$WORK/framework.out" 2>&1 || status=$?
check "framework without PRE_COMMIT=1: the refs alone select the range" [ "$status" -eq 1 ]

finish
