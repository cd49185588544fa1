#!/bin/bash
# scan: exit status, the three formats, paths and positions, and no raw secret in any output.
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/clean" "$WORK/repo/config"
echo "nothing to see" > "$WORK/clean/readme.txt"
token=$(fake_github_token)
key_id=$(fake_aws_key_id)
secret=$(fake_aws_secret)
printf 'first line\n  github_token: "%s"\n' "$token" > "$WORK/repo/config/ci.yml"
printf 'aws_access_key_id = %s\naws_secret_access_key = %s\n' "$key_id" "$secret" > "$WORK/repo/creds.ini"

"$NHISCAN" scan "$WORK/clean" > "$WORK/clean.txt"
check "clean folder exits 0" [ $? -eq 0 ]
check "clean folder says no findings" grep -q "no findings" "$WORK/clean.txt"

"$NHISCAN" scan --format json "$WORK/repo" > "$WORK/out.json"
check "findings exit 1" [ $? -eq 1 ]
check "github token found at its line and column" \
	[ "$(json_eval "$WORK/out.json" "[(f['path'], f['line'], f['column']) for f in d['findings'] if f['provider'] == 'GitHub']")" = "[('config/ci.yml', 2, 18)]" ]
check "github token checksum validated" \
	[ "$(json_eval "$WORK/out.json" "[f.get('validated') for f in d['findings'] if f['provider'] == 'GitHub']")" = "[True]" ]
check "json has required fields" \
	[ "$(json_eval "$WORK/out.json" "all(k in f for f in d['findings'] for k in ('rule_id','kind','severity','path','line','column','fingerprint','redacted'))")" = True ]
check "aws secret found" \
	[ "$(json_eval "$WORK/out.json" "any(f['rule_id'].startswith('aws.') and f['path'] == 'creds.ini' for f in d['findings'])")" = True ]

"$NHISCAN" scan --format sarif --output "$WORK/out.sarif" "$WORK/repo"
check "sarif written to --output" [ -s "$WORK/out.sarif" ]
check "sarif is 2.1.0 with fingerprints" \
	[ "$(json_eval "$WORK/out.sarif" "d['version'] == '2.1.0' and all('nhiscan/v1' in r['partialFingerprints'] for r in d['runs'][0]['results'])")" = True ]
check "sarif rules have help" \
	[ "$(json_eval "$WORK/out.sarif" "all(r['help']['text'] for r in d['runs'][0]['tool']['driver']['rules'])")" = True ]

"$NHISCAN" scan "$WORK/repo" > "$WORK/out.txt"
check "text names file and line" grep -q "config/ci.yml:2:18" "$WORK/out.txt"
check "text shows a fix" grep -q "fix:" "$WORK/out.txt"

for f in "$WORK/out.json" "$WORK/out.sarif" "$WORK/out.txt"; do
	check "no raw token in $(basename "$f")" sh -c "! grep -qF '$token' '$f' && ! grep -qF '$secret' '$f'"
done

"$NHISCAN" scan "$WORK/repo/config/ci.yml" --format json > "$WORK/single.json"
check "a single file can be scanned" [ "$(json_eval "$WORK/single.json" "len(d['findings'])")" = 1 ]

fp1=$(json_eval "$WORK/out.json" "[f['fingerprint'] for f in d['findings'] if f['provider'] == 'GitHub'][0]")
printf '\n\n\nmoved: %s\n' "$token" > "$WORK/repo/config/ci.yml"
"$NHISCAN" scan --format json "$WORK/repo" > "$WORK/moved.json"
fp2=$(json_eval "$WORK/moved.json" "[f['fingerprint'] for f in d['findings'] if f['provider'] == 'GitHub'][0]")
check "fingerprint stable when the line moves" [ "$fp1" = "$fp2" ]

"$NHISCAN" scan --format yaml "$WORK/repo" 2> "$WORK/err.txt"
check "unknown format exits 2" [ $? -eq 2 ]
check "unknown format message names the value" grep -q "invalid format 'yaml'" "$WORK/err.txt"

"$NHISCAN" scan "$WORK/missing" 2> "$WORK/err.txt"
check "missing path exits 2" [ $? -eq 2 ]
check "missing path is named" grep -q "missing" "$WORK/err.txt"

# Previews: a long token shows its first four characters, a short password none.
password=$(random_chars 12 "$ALNUM")
printf 'db_password = "%s1"\n' "$password" > "$WORK/short.ini"
"$NHISCAN" scan --format json "$WORK/short.ini" > "$WORK/short.json"
check "short password: preview shows no character" \
	[ "$(json_eval "$WORK/short.json" "[f['redacted'] for f in d['findings']]")" = "['****(13)']" ]
check "long token: preview shows its prefix" \
	[ "$(json_eval "$WORK/out.json" "[f['redacted'] for f in d['findings'] if f['provider'] == 'GitHub']")" = "['ghp_****(40)']" ]

# --quiet: nothing at all on a clean folder, and the findings without the summary lines.
"$NHISCAN" scan --quiet "$WORK/clean" > "$WORK/quiet-clean.txt" 2>&1
check "quiet, clean: exit 0" [ $? -eq 0 ]
check "quiet, clean: no output" [ ! -s "$WORK/quiet-clean.txt" ]
"$NHISCAN" scan --quiet "$WORK/repo" > "$WORK/quiet.txt" 2> /dev/null
check "quiet, findings: exit 1" [ $? -eq 1 ]
check "quiet, findings: the findings are printed" grep -q "config/ci.yml:4:" "$WORK/quiet.txt"
check "quiet, findings: no summary line" sh -c "! grep -q 'findings in' '$WORK/quiet.txt'"

finish
