#!/bin/bash
# scan, inventory and sweep on odd working trees: tracked files that match .gitignore, bare
# repositories, a PATH that cannot be read or is a link or a pipe, and file names with control
# characters or invalid UTF-8.
. "$(dirname "$0")/lib.sh"

commit_all() {
	git -C "$1" add -A
	git -C "$1" commit -q -m "$2"
}

# Root reads anything, so the permission cases run as the unprivileged user nobody (65534).
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$WORK"
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
fi

# --- A tracked file that matches .gitignore is scanned; an untracked one is not. ---
repo=$WORK/repo
git init -q "$repo"
mkdir -p "$repo/app/build/nested"
printf 'aws_access_key_id = %s\n' "$(fake_aws_key_id)" > "$repo/tracked.env"
printf 'token: %s\n' "$(fake_github_token)" > "$repo/app/build/nested/kept.yml"
commit_all "$repo" "add files before they were ignored"
printf '*.env\nbuild/\n' > "$repo/.gitignore"
commit_all "$repo" "ignore env files and build output"
printf 'token: %s\n' "$(fake_github_token)" > "$repo/untracked.env"
printf 'token: %s\n' "$(fake_github_token)" > "$repo/app/build/nested/junk.yml"
printf 'token: %s\n' "$(fake_github_token)" > "$repo/app/build/junk.yml"

"$NHISCAN" scan --format json "$repo" > "$WORK/out.json" 2> "$WORK/err.txt"
check "tracked ignored file: exit 1" [ $? -eq 1 ]
check "tracked ignored files found, untracked ones skipped" \
	[ "$(json_eval "$WORK/out.json" "sorted(set(f['path'] for f in d['findings']))")" = "['app/build/nested/kept.yml', 'tracked.env']" ]
check "tracked ignored file: no warning" [ ! -s "$WORK/err.txt" ]

"$NHISCAN" scan --format json "$repo/app" > "$WORK/sub.json" 2> "$WORK/err.txt"
check "subfolder PATH: exit 1" [ $? -eq 1 ]
check "subfolder PATH: only the tracked file of its ignored folder" \
	[ "$(json_eval "$WORK/sub.json" "sorted(set(f['path'] for f in d['findings']))")" = "['build/nested/kept.yml']" ]
check "subfolder PATH: untracked files counted as ignored" [ "$(json_eval "$WORK/sub.json" "d['stats']['ignored']")" = 2 ]

(cd "$repo" && "$NHISCAN" scan > "$WORK/out.txt")
check "tracked ignored file: scan from inside the work tree" grep -q "^  tracked.env:1:" "$WORK/out.txt"

"$NHISCAN" inventory --output "$WORK/inventory.yml" "$repo" > /dev/null 2> "$WORK/err.txt"
check "inventory: no error" [ $? -lt 2 ]
check "inventory lists the tracked ignored file" grep -q "tracked.env" "$WORK/inventory.yml"
check "inventory leaves out the untracked ignored file" sh -c "! grep -q 'untracked.env' '$WORK/inventory.yml'"

# check: a tracked file that matches .gitignore brings a new credential.
gate=$WORK/gate
git init -q "$gate"
printf 'nothing here\n' > "$gate/README"
commit_all "$gate" "first"
"$NHISCAN" inventory "$gate" > /dev/null 2>&1
commit_all "$gate" "add the inventory"
printf 'aws_access_key_id = %s\n' "$(fake_aws_key_id)" > "$gate/leak.env"
commit_all "$gate" "commit an env file"
printf '*.env\n' > "$gate/.gitignore"
commit_all "$gate" "ignore env files"
"$NHISCAN" check "$gate" > "$WORK/check.out" 2> "$WORK/err.txt"
check "check: exit 1 for the tracked ignored file" [ $? -eq 1 ]
check "check: names the tracked ignored file" grep -q "new credential .* at leak.env:1" "$WORK/check.out"

# A .git file that leads nowhere: the ignore rules still apply, and a warning explains why tracked
# files that match them are skipped.
broken=$WORK/broken
mkdir -p "$broken"
printf 'gitdir: %s\n' "$WORK/missing" > "$broken/.git"
printf '*.env\n' > "$broken/.gitignore"
printf 'aws_access_key_id = %s\n' "$(fake_aws_key_id)" > "$broken/tracked.env"
"$NHISCAN" scan "$broken" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "unreadable index: exit 0" [ $? -eq 0 ]
check "unreadable index: one warning" [ "$(grep -c "cannot read the git index of '.*broken'" "$WORK/err.txt")" = 1 ]
check "unreadable index: warning says what is skipped" grep -q "tracked files that match .gitignore are skipped" "$WORK/err.txt"

# --- A bare repository needs --git. ---
git clone -q --bare "$repo" "$WORK/bare.git"
"$NHISCAN" scan "$WORK/bare.git" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "bare scan: exit 2" [ $? -eq 2 ]
check "bare scan: message names --git" grep -q "bare.git': it is a bare git repository.*use --git" "$WORK/err.txt"
check "bare scan: message is one line" [ "$(wc -l < "$WORK/err.txt")" = 1 ]
check "bare scan: no report" [ ! -s "$WORK/out.txt" ]

"$NHISCAN" scan "$repo/.git" > /dev/null 2> "$WORK/err.txt"
check "git folder scan: exit 2" [ $? -eq 2 ]

"$NHISCAN" scan --git --format json "$WORK/bare.git" > "$WORK/bare.json" 2> /dev/null
check "bare scan with --git: exit 1" [ $? -eq 1 ]
check "bare scan with --git: finds the history" \
	[ "$(json_eval "$WORK/bare.json" "'tracked.env' in [f['path'] for f in d['findings']]")" = True ]

"$NHISCAN" inventory --output "$WORK/bare-inventory.yml" "$WORK/bare.git" > /dev/null 2> "$WORK/err.txt"
check "bare inventory: exit 2" [ $? -eq 2 ]
check "bare inventory: message names --git" grep -q "use --git" "$WORK/err.txt"
"$NHISCAN" inventory --git --output "$WORK/bare-inventory.yml" "$WORK/bare.git" > /dev/null 2> "$WORK/err.txt"
check "bare inventory with --git: no error" [ $? -lt 2 ]
check "bare inventory with --git: history only" grep -q "in_history_only: true" "$WORK/bare-inventory.yml"
check "bare inventory with --git: no git internals" sh -c "! grep -q 'packed-refs\|objects/' '$WORK/bare-inventory.yml'"

mkdir "$WORK/org"
git clone -q "$repo" "$WORK/org/plain"
git clone -q --bare "$repo" "$WORK/org/server.git"
"$NHISCAN" sweep --quiet --output "$WORK/sweep" "$WORK/org" > "$WORK/sweep.out" 2>&1
check "bare sweep: exit 2" [ $? -eq 2 ]
check "bare sweep: the other repository is swept" grep -q "1 scanned, 0 up to date, 1 failed" "$WORK/sweep.out"
check "bare sweep: the failure names --git" grep -q "server.git.*bare git repository.*use --git" "$WORK/sweep.out"
"$NHISCAN" sweep --quiet --git --output "$WORK/sweep-git" "$WORK/org" > "$WORK/sweep.out" 2>&1
check "bare sweep with --git: both swept" grep -q "2 scanned, 0 up to date, 0 failed" "$WORK/sweep.out"

# --- A PATH that cannot be read stops the scan. ---
plain=$WORK/plain
mkdir -p "$plain"
chmod 755 "$plain"
printf 'token: %s\n' "$(fake_github_token)" > "$plain/secret.txt"
chmod 000 "$plain/secret.txt"
as_user "$NHISCAN" scan --no-cache "$plain/secret.txt" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "unreadable file PATH: exit 2" [ $? -eq 2 ]
check "unreadable file PATH: path and reason" grep -q "cannot read '$plain/secret.txt': Permission denied" "$WORK/err.txt"
check "unreadable file PATH: no report" [ ! -s "$WORK/out.txt" ]
chmod 644 "$plain/secret.txt"

mkdir "$WORK/closed"
printf 'token: %s\n' "$(fake_github_token)" > "$WORK/closed/a.txt"
chmod 000 "$WORK/closed"
as_user "$NHISCAN" scan --no-cache --no-config "$WORK/closed" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "unreadable folder PATH: exit 2" [ $? -eq 2 ]
check "unreadable folder PATH: path and reason" grep -q "cannot read folder '$WORK/closed': Permission denied" "$WORK/err.txt"
chmod 755 "$WORK/closed"

# --- A PATH that is a link or a pipe is read like cat reads it. ---
ln -s secret.txt "$plain/link.txt"
"$NHISCAN" scan "$plain/link.txt" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "link PATH: exit 1" [ $? -eq 1 ]
check "link PATH: no warning" [ ! -s "$WORK/err.txt" ]
"$NHISCAN" scan /dev/stdin < "$plain/secret.txt" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "stdin file PATH: exit 1" [ $? -eq 1 ]
cat "$plain/secret.txt" | "$NHISCAN" scan /dev/stdin > "$WORK/out.txt" 2> "$WORK/err.txt"
check "stdin pipe PATH: exit 1" [ $? -eq 1 ]
check "stdin pipe PATH: no warning" [ ! -s "$WORK/err.txt" ]
"$NHISCAN" scan <(cat "$plain/secret.txt") > "$WORK/out.txt" 2> "$WORK/err.txt"
check "process substitution PATH: exit 1" [ $? -eq 1 ]
check "process substitution PATH: no warning" [ ! -s "$WORK/err.txt" ]
"$NHISCAN" scan "$plain" > "$WORK/out.txt" 2> /dev/null
check "link met while walking: skipped" [ "$(grep -c 'secret.txt:1:' "$WORK/out.txt")" = 1 ]
check "link met while walking: not reported" sh -c "! grep -q 'link.txt' '$WORK/out.txt'"
rm -f "$plain/link.txt"

# --- Odd file names are escaped in text output and warnings. ---
odd=$WORK/odd
mkdir -p "$odd"
printf 'token: %s\n' "$(fake_github_token)" > "$odd/esc$(printf '\033')[31mred.txt"
printf 'token: %s\n' "$(fake_github_token)" > "$odd/$(printf 'bad\377name.txt')"
"$NHISCAN" scan "$odd" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "odd names: exit 1" [ $? -eq 1 ]
check "odd names: escape written as \\x1b" grep -qF 'esc\x1b[31mred.txt:1:' "$WORK/out.txt"
check "odd names: invalid UTF-8 written as \\xff" grep -qF 'bad\xffname.txt:1:' "$WORK/out.txt"
check "odd names: no raw escape in the report" sh -c "! grep -q \"\$(printf '\\033')\" '$WORK/out.txt'"

chmod 755 "$odd"
printf 'plain\n' > "$odd/locked$(printf '\033')x.txt"
chmod 000 "$odd/locked$(printf '\033')x.txt"
mkdir "$odd/closed"
chmod 000 "$odd/closed"
as_user "$NHISCAN" scan --no-cache --format json "$odd" > "$WORK/odd.json" 2> "$WORK/err.txt"
check "unreadable entries: exit 1 for the other findings" [ $? -eq 1 ]
check "unreadable file: warning escapes its name" grep -qF "cannot read 'locked\x1bx.txt'" "$WORK/err.txt"
check "unreadable folder: warned once" [ "$(grep -c "cannot read folder 'closed'" "$WORK/err.txt")" = 1 ]
check "unreadable entries: no raw escape in warnings" sh -c "! grep -q \"\$(printf '\\033')\" '$WORK/err.txt'"
check "unreadable entries: file and folder counted" [ "$(json_eval "$WORK/odd.json" "d['stats']['unreadable']")" = 2 ]
chmod 755 "$odd/closed"

# --- The summary counts files in the singular and plural. ---
"$NHISCAN" scan "$plain" > "$WORK/out.txt"
check "summary: 1 file" grep -q "^1 finding in 1 file (" "$WORK/out.txt"
cp "$plain/secret.txt" "$plain/copy.txt"
"$NHISCAN" scan "$plain" > "$WORK/out.txt"
check "summary: 2 files" grep -q "^2 findings in 2 files (" "$WORK/out.txt"

finish
