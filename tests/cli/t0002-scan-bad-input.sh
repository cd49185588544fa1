#!/bin/bash
# scan: bad input is reported in one line and the scan goes on where it can.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo/sub"
token=$(fake_github_token)
printf 'token: %s\n' "$token" > "$repo/good.yml"

# An unreadable file. Root reads anything, so the scan then runs as the unprivileged nobody.
printf 'token: %s\n' "$(fake_github_token)" > "$repo/locked.yml"
chmod 000 "$repo/locked.yml"
as_user() { "$@"; }
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$WORK"
	chmod -R a+rX "$repo"
	chmod 000 "$repo/locked.yml"
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
fi
as_user "$NHISCAN" scan --no-cache --format json "$repo" > "$WORK/out.json" 2> "$WORK/err.txt"
check "unreadable file: exit 1 for the other finding" [ $? -eq 1 ]
check "unreadable file is named in a warning" grep -q "cannot read 'locked.yml'" "$WORK/err.txt"
check "unreadable file warning is one line" [ "$(grep -c locked "$WORK/err.txt")" = 1 ]
check "readable file still scanned" [ "$(json_eval "$WORK/out.json" "[f['path'] for f in d['findings']]")" = "['good.yml']" ]
rm -f "$repo/locked.yml"

# Non-UTF-8 bytes around a token, and a file with NUL bytes.
printf 'caf\xe9 \xff\xfe token = %s\n' "$(fake_github_token)" > "$repo/latin1.txt"
printf 'binary\0data %s\n' "$(fake_github_token)" > "$repo/blob.bin"
"$NHISCAN" scan --format json "$repo" > "$WORK/out.json" 2> "$WORK/err.txt"
check "non-UTF-8 file scanned" [ "$(json_eval "$WORK/out.json" "sorted(f['path'] for f in d['findings'])")" = "['good.yml', 'latin1.txt']" ]
check "binary file counted as skipped" [ "$(json_eval "$WORK/out.json" "d['stats']['skipped_binary']")" = 1 ]
rm -f "$repo/latin1.txt" "$repo/blob.bin"

# A 1 GB file (sparse, so the test stays cheap) and a symbolic link loop.
truncate -s 1G "$repo/huge.log"
ln -s ../sub "$repo/sub/loop"
timeout 20 "$NHISCAN" scan --format json "$repo" > "$WORK/out.json" 2> "$WORK/err.txt"
check "huge file and link loop: scan completes with exit 1" [ $? -eq 1 ]
check "huge file counted as too large" [ "$(json_eval "$WORK/out.json" "d['stats']['skipped_large']")" = 1 ]
check "link not followed" [ "$(json_eval "$WORK/out.json" "d['stats']['symlinks']")" = 1 ]
rm -f "$repo/huge.log" "$repo/sub/loop"

# Invalid custom rule file: exit 2 and file:line.
printf 'rules:\n  - id: acme.key\n    name: Acme key\n' > "$WORK/bad-rules.yml"
"$NHISCAN" scan --signatures "$WORK/bad-rules.yml" "$repo" > /dev/null 2> "$WORK/err.txt"
check "invalid rule file exits 2" [ $? -eq 2 ]
check "invalid rule file message has file:line" grep -q "bad-rules.yml:2: rule has no 'provider'" "$WORK/err.txt"
check "invalid rule file message is one line" [ "$(wc -l < "$WORK/err.txt")" = 1 ]

# A custom rule whose id collides with a built-in one.
cat > "$WORK/collide.yml" <<'YML'
rules:
  - id: github.pat.classic
    name: Mine
    provider: Me
    kind: api-key
    pattern: 'mine_[0-9]{8}'
    docs: https://example.invalid
    remediation: none
    examples: ['mine_12345678']
    negative: ['mine_1']
YML
"$NHISCAN" scan --signatures "$WORK/collide.yml" "$repo" > /dev/null 2> "$WORK/err.txt"
check "colliding custom id exits 2" [ $? -eq 2 ]
check "colliding custom id is explained" grep -q "collide.yml:2: rule id 'github.pat.classic' is already a built-in rule" "$WORK/err.txt"

# An invalid .nhiscan.yaml.
printf 'skip-paths:\n  - path: vendor/\n' > "$repo/.nhiscan.yaml"
"$NHISCAN" scan "$repo" > /dev/null 2> "$WORK/err.txt"
check "settings without reason exit 2" [ $? -eq 2 ]
check "settings error has file:line" grep -q ".nhiscan.yaml:2: entry 'vendor/' of 'skip-paths' has no 'reason'" "$WORK/err.txt"
printf 'skip-paths: [\n' > "$repo/.nhiscan.yaml"
"$NHISCAN" scan "$repo" > /dev/null 2> "$WORK/err.txt"
check "malformed settings YAML exits 2" [ $? -eq 2 ]
check "malformed settings YAML names the file" grep -q ".nhiscan.yaml:.*invalid YAML" "$WORK/err.txt"
rm -f "$repo/.nhiscan.yaml"

# A corrupt rule cache is rebuilt without a word.
"$NHISCAN" scan "$repo" > /dev/null 2>&1
for f in "$XDG_CACHE_HOME"/nhiscan/*.hsdb; do printf 'garbage' > "$f"; done
"$NHISCAN" scan "$repo" > /dev/null 2> "$WORK/err.txt"
check "corrupt cache: scan still finds the token" [ $? -eq 1 ]
check "corrupt cache: nothing printed" [ ! -s "$WORK/err.txt" ]

"$NHISCAN" scan --bogus "$repo" 2> "$WORK/err.txt"
check "unknown option exits 2" [ $? -eq 2 ]
check "unknown option is named" grep -q "unknown option '--bogus'" "$WORK/err.txt"

# --output into a pipe and through a symbolic link: the pipe and the link stay what they are.
mkfifo "$WORK/pipe"
timeout 20 cat "$WORK/pipe" > "$WORK/from-pipe.json" &
reader=$!
timeout 20 "$NHISCAN" scan --format json --output "$WORK/pipe" "$repo" 2> "$WORK/err.txt"
check "output to a pipe: exit 1 for the token" [ $? -eq 1 ]
wait "$reader"
check "output to a pipe: the reader got the report" grep -q '"findings"' "$WORK/from-pipe.json"
check "output to a pipe: still a pipe" [ -p "$WORK/pipe" ]
: > "$WORK/real.json"
ln -s real.json "$WORK/link.json"
"$NHISCAN" scan --format json --output "$WORK/link.json" "$repo" 2> "$WORK/err.txt"
check "output through a link: the link is kept" [ -L "$WORK/link.json" ]
check "output through a link: its target holds the report" grep -q '"findings"' "$WORK/real.json"

finish
