#!/bin/bash
# install-hooks and the pre-commit hook. A commit that adds a key is blocked with the file, line,
# rule and how to allow it. An allow comment or allow-fingerprints lets it through. An existing
# hook is chained and still runs, and installing again changes nothing.
. "$(dirname "$0")/lib.sh"
set -u

# The hooks must find this build even where no nhiscan is on PATH.
export NHISCAN

new_repo() {
	git init -q -b main "$1"
	echo "readme" > "$1/README"
	git -C "$1" add README
	git -C "$1" commit -q -m "initial commit"
}

# try_commit REPO NAME FILE...: stage FILE... and commit; output in $WORK/NAME.out, status in $status.
try_commit() {
	repo=$1 name=$2
	shift 2
	git -C "$repo" add "$@"
	status=0
	git -C "$repo" commit -q -m "commit $name" > "$WORK/$name.out" 2>&1 || status=$?
}

head_count() {
	git -C "$1" rev-list --count HEAD
}

# The scripts that install-hooks writes are hooks/pre-commit and hooks/pre-push with the binary
# path filled in.
"$NHISCAN" install-hooks --print "$TOP" > "$WORK/print.out"
for hook in pre-commit pre-push; do
	python3 - "$WORK/print.out" "$hook" "$TOP/hooks/$hook" > "$WORK/$hook.diff" <<'PY'
import re, sys
printed = open(sys.argv[1]).read()
parts = re.split(r"^# (.*)\n(?=#!/bin/sh)", printed, flags=re.M)
scripts = {os_path.rsplit("/", 1)[-1]: body for os_path, body in zip(parts[1::2], parts[2::2])}
body = re.sub(r"^nhiscan_default=.*$", "nhiscan_default=nhiscan", scripts[sys.argv[2]], count=1, flags=re.M)
if body != open(sys.argv[3]).read():
    print("the installed script differs from " + sys.argv[3])
PY
	check "install-hooks writes hooks/$hook" [ ! -s "$WORK/$hook.diff" ]
done

# A fresh repository: both hooks installed and executable.
repo=$WORK/fresh
new_repo "$repo"
"$NHISCAN" install-hooks "$repo" > "$WORK/install.out" 2>&1
check "install: exit 0" [ $? -eq 0 ]
check "install: pre-commit executable" [ -x "$repo/.git/hooks/pre-commit" ]
check "install: pre-push executable" [ -x "$repo/.git/hooks/pre-push" ]
check "install: says where" grep -q "installed the pre-commit hook in '.*/.git/hooks/pre-commit'" "$WORK/install.out"

# A commit that adds a key is blocked, and the message names the file, line, rule and remedy.
key=$(fake_github_token)
printf 'import os\n\nTOKEN = "%s"\n' "$key" > "$repo/settings.py"
before=$(head_count "$repo")
try_commit "$repo" blocked settings.py
check "key: commit blocked" [ "$status" -ne 0 ]
check "key: no commit made" [ "$(head_count "$repo")" -eq "$before" ]
check "key: names the file and line" grep -q "settings.py:3:" "$WORK/blocked.out"
check "key: names the rule" grep -q "\[github.pat.classic\]" "$WORK/blocked.out"
check "key: explains the allow comment" grep -q "nhiscan:allow" "$WORK/blocked.out"
check "key: explains allow-fingerprints" grep -q "allow-fingerprints" "$WORK/blocked.out"
check "key: says the commit was blocked" grep -q "commit blocked" "$WORK/blocked.out"
check "key: the secret is not printed" sh -c "! grep -q '$key' '$WORK/blocked.out'"

# The same commit with an allow comment passes.
printf 'import os\n\nTOKEN = "%s"  # nhiscan:allow test fixture\n' "$key" > "$repo/settings.py"
try_commit "$repo" allowed settings.py
check "allow comment: commit made" [ "$status" -eq 0 ]
check "allow comment: one more commit" [ "$(head_count "$repo")" -eq $((before + 1)) ]

# A fingerprint in allow-fingerprints lets a key through too.
key2=$(fake_github_token)
printf 'OTHER = "%s"\n' "$key2" > "$repo/other.py"
try_commit "$repo" fingerprint-blocked other.py
fingerprint=$(sed -n 's/.*fingerprint \([0-9a-f]*\).*/\1/p' "$WORK/fingerprint-blocked.out" | head -n 1)
check "fingerprint: found in the message" [ -n "$fingerprint" ]
printf 'allow-fingerprints:\n  - fingerprint: %s\n    reason: fake key for a test\n' "$fingerprint" > "$repo/.nhiscan.yaml"
try_commit "$repo" fingerprint-allowed other.py .nhiscan.yaml
check "allow-fingerprints: commit made" [ "$status" -eq 0 ]

# A clean commit passes and prints nothing that looks like a block.
echo "print('hello')" > "$repo/hello.py"
try_commit "$repo" clean hello.py
check "clean: commit made" [ "$status" -eq 0 ]
check "clean: nothing blocked" sh -c "! grep -q 'blocked' '$WORK/clean.out'"

# An existing hook is chained: it still runs, and its failure still blocks.
repo=$WORK/chained
new_repo "$repo"
cat > "$repo/.git/hooks/pre-commit" <<HOOK
#!/bin/sh
echo ran >> "$WORK/existing.log"
[ ! -e "$WORK/existing.fail" ]
HOOK
chmod +x "$repo/.git/hooks/pre-commit"
"$NHISCAN" install-hooks "$repo" > "$WORK/chain.out" 2>&1
check "chain: exit 0" [ $? -eq 0 ]
check "chain: old hook kept" [ -x "$repo/.git/hooks/pre-commit.nhiscan-chained" ]
check "chain: says so" grep -q "existing hook is now" "$WORK/chain.out"
echo "one" > "$repo/one.txt"
try_commit "$repo" chain-clean one.txt
check "chain: clean commit made" [ "$status" -eq 0 ]
check "chain: existing hook ran once" [ "$(wc -l < "$WORK/existing.log")" -eq 1 ]
printf 'KEY = "%s"\n' "$(fake_github_token)" > "$repo/key.py"
try_commit "$repo" chain-key key.py
check "chain: key still blocked" [ "$status" -ne 0 ]
check "chain: existing hook ran before the scan" [ "$(wc -l < "$WORK/existing.log")" -eq 2 ]
git -C "$repo" reset -q key.py
touch "$WORK/existing.fail"
echo "two" > "$repo/two.txt"
try_commit "$repo" chain-fail two.txt
check "chain: a failing existing hook still blocks" [ "$status" -ne 0 ]
rm -f "$WORK/existing.fail"

# Installing again is idempotent: the chained hook runs once, nothing is chained twice.
"$NHISCAN" install-hooks "$repo" > "$WORK/again.out" 2>&1
check "again: exit 0" [ $? -eq 0 ]
check "again: up to date" grep -q "pre-commit hook in '.*' is up to date" "$WORK/again.out"
check "again: no second chain" [ ! -e "$repo/.git/hooks/pre-commit.nhiscan-chained.nhiscan-chained" ]
: > "$WORK/existing.log"
try_commit "$repo" again two.txt
check "again: commit made" [ "$status" -eq 0 ]
check "again: existing hook ran once" [ "$(wc -l < "$WORK/existing.log")" -eq 1 ]

# A hook that replaced ours after installation is chained; a second foreign hook is refused.
printf '#!/bin/sh\nexit 0\n' > "$repo/.git/hooks/pre-commit"
chmod +x "$repo/.git/hooks/pre-commit"
"$NHISCAN" install-hooks --hook pre-commit "$repo" > "$WORK/refuse.out" 2>&1
status=$?
check "two foreign hooks: exit 2" [ "$status" -eq 2 ]
check "two foreign hooks: names the file to merge" grep -q "pre-commit.nhiscan-chained' already exists" "$WORK/refuse.out"
check "two foreign hooks: the hook is left alone" grep -q "exit 0" "$repo/.git/hooks/pre-commit"

# --uninstall puts the chained hook back.
repo=$WORK/uninstall
new_repo "$repo"
printf '#!/bin/sh\necho original\n' > "$repo/.git/hooks/pre-commit"
chmod +x "$repo/.git/hooks/pre-commit"
"$NHISCAN" install-hooks "$repo" > /dev/null 2>&1
"$NHISCAN" install-hooks --uninstall "$repo" > "$WORK/uninstall.out" 2>&1
check "uninstall: exit 0" [ $? -eq 0 ]
check "uninstall: original restored" grep -q "echo original" "$repo/.git/hooks/pre-commit"
check "uninstall: no chained file left" [ ! -e "$repo/.git/hooks/pre-commit.nhiscan-chained" ]
check "uninstall: pre-push removed" [ ! -e "$repo/.git/hooks/pre-push" ]

# core.hooksPath is honoured, relative to the work tree.
repo=$WORK/hookspath
new_repo "$repo"
git -C "$repo" config core.hooksPath .githooks
"$NHISCAN" install-hooks "$repo/" > /dev/null 2>&1
check "hooksPath: installed there" [ -x "$repo/.githooks/pre-commit" ]
check "hooksPath: not in .git/hooks" [ ! -e "$repo/.git/hooks/pre-commit" ]
printf 'KEY = "%s"\n' "$(fake_github_token)" > "$repo/key.py"
try_commit "$repo" hookspath key.py
check "hooksPath: key blocked" [ "$status" -ne 0 ]

# From a subfolder, the repository that contains it gets the hooks.
repo=$WORK/subdir
new_repo "$repo"
mkdir -p "$repo/src/deep"
(cd "$repo/src/deep" && "$NHISCAN" install-hooks > /dev/null 2>&1)
check "subfolder: installed at the top" [ -x "$repo/.git/hooks/pre-commit" ]

# Outside a repository: an error that names the problem.
mkdir -p "$WORK/plain"
"$NHISCAN" install-hooks "$WORK/plain" > "$WORK/plain.out" 2>&1
status=$?
check "not a repository: exit 2" [ "$status" -eq 2 ]
check "not a repository: says so" grep -q "cannot find a git repository" "$WORK/plain.out"
"$NHISCAN" install-hooks --hook post-commit "$repo" > "$WORK/badhook.out" 2>&1
check "unknown hook name: exit 2" [ $? -eq 2 ]

# Without the binary, the hook blocks and prints how to fix it.
repo=$WORK/nobinary
new_repo "$repo"
"$NHISCAN" install-hooks "$repo" > /dev/null 2>&1
echo "three" > "$repo/three.txt"
git -C "$repo" add three.txt
status=0
NHISCAN=$WORK/missing/nhiscan PATH=/usr/bin:/bin git -C "$repo" commit -q -m "no binary" > "$WORK/nobinary.out" 2>&1 || status=$?
check "missing binary: blocked" [ "$status" -ne 0 ]
check "missing binary: says how to fix" grep -q "set NHISCAN" "$WORK/nobinary.out"

# `git commit -a` and `git commit PATH` stage into a temporary index that git names in
# GIT_INDEX_FILE. The hook checks those commits only if scan --staged reads that index.
repo=$WORK/commit-all
new_repo "$repo"
"$NHISCAN" install-hooks "$repo" > /dev/null 2>&1
printf 'KEY = "%s"\n' "$(fake_github_token)" >> "$repo/README"
cp "$repo/.git/index" "$WORK/probe.index"
GIT_INDEX_FILE=$WORK/probe.index git -C "$repo" add README
probe=0
GIT_INDEX_FILE=$WORK/probe.index "$NHISCAN" scan --staged --quiet "$repo" > /dev/null 2>&1 || probe=$?
if [ "$probe" -eq 1 ]; then
	status=0
	git -C "$repo" commit -q -a -m "commit -a" > "$WORK/commit-all.out" 2>&1 || status=$?
	check "commit -a: key blocked" [ "$status" -ne 0 ]
else
	echo "skip: commit -a: scan --staged does not read GIT_INDEX_FILE, so 'git commit -a' is not checked" >&2
fi

finish
