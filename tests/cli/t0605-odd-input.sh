#!/bin/bash
# Bad or unusual input to sweep, check, inventory and .nhiscan.yaml. The cases are lists read
# from pipes, missing paths, empty or special output files, and a repository without commits.
# Then unknown keys in exceptions, decisions without a reason, and a revoked credential that is
# written into a file again. Every error is one line that names the file or value, with exit
# status 2.
. "$(dirname "$0")/lib.sh"

commit_all() {
	git -C "$1" add -A
	git -C "$1" commit -q -m "$2"
}

# mark_decision FILE ID STATUS [REASON]: add a reviewer decision to the entry ID of FILE.
mark_decision() {
	python3 - "$@" <<'PY'
import sys
path, ident, status = sys.argv[1:4]
reason = sys.argv[4] if len(sys.argv) > 4 else None
text = open(path).read()
start = text.index("- id: %s\n" % ident)
end = text.index("\n", text.index("  name: ", start)) + 1
decision = "  status: %s\n" % status + ("  reason: %s\n" % reason if reason else "")
open(path, "w").write(text[:end] + decision + text[end:])
PY
}

repo=$WORK/repo
git init -q -b main "$repo"
printf 'GITHUB_TOKEN = "%s"\n' "$(fake_github_token)" > "$repo/settings.py"
commit_all "$repo" "Add the settings"

# sweep --list reads pipes: /dev/stdin, the shell's <(...) and '-'.
echo "$repo" | "$NHISCAN" sweep --quiet --list /dev/stdin -o "$WORK/sweep-stdin" > "$WORK/out.txt" 2>&1
check "sweep /dev/stdin: exit 0" [ $? -eq 0 ]
check "sweep /dev/stdin: one repository" grep -q "swept 1 repository: 1 scanned" "$WORK/out.txt"
"$NHISCAN" sweep --quiet --list <(echo "$repo") -o "$WORK/sweep-fifo" > "$WORK/out.txt" 2>&1
check "sweep <(...): exit 0" [ $? -eq 0 ]
check "sweep <(...): one repository" grep -q "swept 1 repository: 1 scanned" "$WORK/out.txt"
echo "$repo" | "$NHISCAN" sweep --quiet --list - -o "$WORK/sweep-dash" > "$WORK/out.txt" 2>&1
check "sweep -: exit 0" [ $? -eq 0 ]
check "sweep -: one repository" grep -q "swept 1 repository: 1 scanned" "$WORK/out.txt"

# A list or folder with no repository would empty the outputs of an earlier sweep: rejected.
printf '# nothing yet\n\n' > "$WORK/empty-list.txt"
"$NHISCAN" sweep --quiet --list "$WORK/empty-list.txt" -o "$WORK/sweep-stdin" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "sweep empty list: exit 2" [ $? -eq 2 ]
check "sweep empty list: names the list" \
	[ "$(cat "$WORK/err.txt")" = "nhiscan: error: the list '$WORK/empty-list.txt' names no repository; write one path or clone URL a line" ]
check "sweep empty list: earlier state kept" grep -q "$repo" "$WORK/sweep-stdin/sweep-state.tsv"
"$NHISCAN" sweep --quiet --list - -o "$WORK/sweep-stdin" < /dev/null > "$WORK/out.txt" 2> "$WORK/err.txt"
check "sweep empty stdin: exit 2" [ $? -eq 2 ]
check "sweep empty stdin: says standard input" grep -q "the list on standard input names no repository" "$WORK/err.txt"
mkdir "$WORK/no-repositories"
"$NHISCAN" sweep --quiet -o "$WORK/sweep-stdin" "$WORK/no-repositories" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "sweep empty folder: exit 2" [ $? -eq 2 ]
check "sweep empty folder: names it" grep -q "no git repository directly inside '$WORK/no-repositories'" "$WORK/err.txt"
"$NHISCAN" sweep --quiet --list "$WORK/missing.txt" -o "$WORK/sweep-missing" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "sweep missing list: exit 2" [ $? -eq 2 ]
check "sweep missing list: names it" grep -q "cannot open '$WORK/missing.txt': No such file or directory" "$WORK/err.txt"

# check: a missing PATH or inventory is an error (2), not a failed check (1).
"$NHISCAN" check "$WORK/nowhere" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "check missing path: exit 2" [ $? -eq 2 ]
check "check missing path: names it" \
	[ "$(cat "$WORK/err.txt")" = "nhiscan: error: no such folder '$WORK/nowhere'; give the path of a repository" ]
"$NHISCAN" check "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "check missing inventory: exit 2" [ $? -eq 2 ]
check "check missing inventory: names it" \
	grep -q "no inventory at '$repo/nhi-inventory.yaml'; run 'nhiscan inventory --update'" "$WORK/err.txt"
"$NHISCAN" check --file "$WORK/missing.yaml" "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "check missing --file: exit 2" [ $? -eq 2 ]
check "check missing --file: names it" grep -q "no such file '$WORK/missing.yaml'" "$WORK/err.txt"
"$NHISCAN" check "$repo/settings.py" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "check file as path: exit 2" [ $? -eq 2 ]
check "check file as path: says so" grep -q "'$repo/settings.py' is not a folder" "$WORK/err.txt"

# inventory --output: an empty file is a new inventory, and a device is written as it is.
: > "$WORK/empty.yaml"
"$NHISCAN" inventory -q --output "$WORK/empty.yaml" "$repo" 2> "$WORK/err.txt"
check "empty output file: exit 0" [ $? -eq 0 ]
check "empty output file: written" grep -q "^schema: 1$" "$WORK/empty.yaml"
check "empty output file: lists the credential" grep -q "^- id: cred-" "$WORK/empty.yaml"
"$NHISCAN" inventory -q --output /dev/null "$repo" 2> "$WORK/err.txt"
check "/dev/null output: exit 0" [ $? -eq 0 ]
check "/dev/null output: still a device" [ -c /dev/null ]
check "/dev/null output: no temporary file left" [ -z "$(ls /dev | grep '^null\.tmp')" ]
"$NHISCAN" inventory -q --output >(cat > "$WORK/piped.yaml") "$repo" 2> "$WORK/err.txt"
check "pipe output: exit 0" [ $? -eq 0 ]
for _ in 1 2 3 4 5 6 7 8 9 10; do
	grep -q "^- id: cred-" "$WORK/piped.yaml" 2> /dev/null && break
	sleep 0.2
done
check "pipe output: the inventory arrives" grep -q "^- id: cred-" "$WORK/piped.yaml"

# check --file reads a pipe, so the committed file can come from git.
"$NHISCAN" inventory -q "$repo"
commit_all "$repo" "Add the inventory"
"$NHISCAN" check --file <(git -C "$repo" show HEAD:nhi-inventory.yaml) "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "check --file from a pipe: exit 0" [ $? -eq 0 ]
check "check --file from a pipe: up to date" grep -q "is up to date" "$WORK/out.txt"

# inventory --git on a repository without commits: what scan --git reports, nothing, and exit 0.
unborn=$WORK/unborn
git init -q -b main "$unborn"
"$NHISCAN" inventory -q --git "$unborn" 2> "$WORK/err.txt"
check "no commits: exit 0" [ $? -eq 0 ]
check "no commits: no error" [ ! -s "$WORK/err.txt" ]
check "no commits: history scan recorded" grep -q "^scan: worktree+history$" "$unborn/nhi-inventory.yaml"
check "no commits: no entries" [ "$(grep -c '^- id:' "$unborn/nhi-inventory.yaml")" -eq 0 ]
printf 'GITHUB_TOKEN = "%s"\n' "$(fake_github_token)" > "$unborn/new.py"
"$NHISCAN" inventory -q --git "$unborn" 2> "$WORK/err.txt"
check "no commits, a new file: exit 0" [ $? -eq 0 ]
check "no commits, a new file: lists its credential" grep -q "^  - new.py:1$" "$unborn/nhi-inventory.yaml"

# Unknown keys inside an exception of .nhiscan.yaml name the file, the line and the key.
settings=$WORK/settings
git init -q -b main "$settings"
cat > "$settings/.nhiscan.yaml" <<'EOF'
skip-paths:
  - path: tests/fixtures/
    reason: fake keys
allow-fingerprints:
  - fingerprint: 0123456789abcdef01234567
    reason: public demo key
    expires: 2027-01-01
EOF
"$NHISCAN" scan "$settings" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "exception key: exit 2" [ $? -eq 2 ]
check "exception key: file, line and key" \
	[ "$(cat "$WORK/err.txt")" = "nhiscan: error: $settings/.nhiscan.yaml:7: unknown key 'expires' in an entry of 'allow-fingerprints'; expected 'fingerprint' and 'reason'" ]
printf 'disable-rules:\n  - id: generic.password.unquoted\n    reson: too noisy\n    reason: too noisy\n' > "$settings/.nhiscan.yaml"
"$NHISCAN" inventory -q --output - "$settings" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "misspelt exception key: exit 2" [ $? -eq 2 ]
check "misspelt exception key: named" grep -q ".nhiscan.yaml:3: unknown key 'reson' in an entry of 'disable-rules'" "$WORK/err.txt"
printf 'skip-paths:\n  - path: vendor/\n    reason: third-party code\n' > "$settings/.nhiscan.yaml"
"$NHISCAN" scan "$settings" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "known exception keys: exit 0" [ $? -eq 0 ]

# A reviewer decision needs a reason; the error names the entry.
cred=$(grep -o '^- id: cred-[0-9a-f]*' "$repo/nhi-inventory.yaml" | head -n 1 | cut -c7-)
cp "$repo/nhi-inventory.yaml" "$WORK/committed.yaml"
mark_decision "$repo/nhi-inventory.yaml" "$cred" revoked
line=$(grep -n "^- id: $cred$" "$repo/nhi-inventory.yaml" | cut -d: -f1)
"$NHISCAN" check "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "decision without reason: check exits 2" [ $? -eq 2 ]
check "decision without reason: names the entry" \
	[ "$(cat "$WORK/err.txt")" = "nhiscan: error: $repo/nhi-inventory.yaml:$line: entry '$cred' is marked revoked without a reason; add 'reason:' after its status to say why" ]
"$NHISCAN" inventory -q "$repo" 2> "$WORK/err.txt"
check "decision without reason: inventory exits 2" [ $? -eq 2 ]
check "decision without reason: the file is kept" grep -q "^  status: revoked$" "$repo/nhi-inventory.yaml"
cp "$WORK/committed.yaml" "$repo/nhi-inventory.yaml"
sed -i 's/^  - id: nhi2-hard-coded$/&\n    status: accepted\n    reason: ""/' "$repo/nhi-inventory.yaml"
line=$(grep -n "^  - id: nhi2-hard-coded$" "$repo/nhi-inventory.yaml" | cut -d: -f1)
"$NHISCAN" check "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "risk decision, empty reason: exit 2" [ $? -eq 2 ]
check "risk decision, empty reason: names the risk" \
	[ "$(cat "$WORK/err.txt")" = "nhiscan: error: $repo/nhi-inventory.yaml:$line: risk 'nhi2-hard-coded' of entry '$cred' is marked accepted without a reason; add 'reason:' after its status to say why" ]

# A revoked credential written into another file blocks the check, and the report names the
# decision.
cp "$WORK/committed.yaml" "$repo/nhi-inventory.yaml"
mark_decision "$repo/nhi-inventory.yaml" "$cred" revoked "deactivated on 2026-11-30"
commit_all "$repo" "Record the revocation"
"$NHISCAN" check "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "revoked, unchanged: exit 0" [ $? -eq 0 ]
printf '\n\n%s' "$(cat "$repo/settings.py")" > "$repo/settings.py"
"$NHISCAN" check "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "revoked, moved down: exit 0" [ $? -eq 0 ]
# After the rename, the key is in a file that the committed entry does not list.
mv "$repo/settings.py" "$repo/config.py"
"$NHISCAN" check "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "revoked, in another file: exit 1" [ $? -eq 1 ]
check "revoked, in another file: reported as new, with the decision" \
	grep -q "^  new credential 'ghp_\*\*\*\*(40)' ($cred) at config.py:3, although a reviewer marked it revoked: deactivated on 2026-11-30$" "$WORK/out.txt"
check "revoked, in another file: the only blocking change" grep -q "is out of date: 1 new identity or risk$" "$WORK/out.txt"
"$NHISCAN" check --format json "$repo" > "$WORK/out.json"
check "revoked, in another file: json change" [ "$(json_eval "$WORK/out.json" \
	"[(c['id'], c['location'], c['blocking']) for c in d['changes'] if c['change'] == 'revoked-reappeared']")" = \
	"[('$cred', 'config.py:3', True)]" ]

finish
