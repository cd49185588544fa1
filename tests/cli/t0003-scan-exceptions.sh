#!/bin/bash
# scan: .gitignore, the allow comment, skip-paths, disable-rules, allow-fingerprints and custom
# signatures from .nhiscan.yaml and --signatures.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo/build" "$repo/src" "$repo/vendor"
git init -q "$repo"
printf 'build/\n*.secret\n' > "$repo/.gitignore"
printf 'token: %s\n' "$(fake_github_token)" > "$repo/build/out.yml"
printf 'token: %s\n' "$(fake_github_token)" > "$repo/keys.secret"
printf 'token: %s\n' "$(fake_github_token)" > "$repo/vendor/lib.yml"
printf 'token: %s  # nhiscan:allow test fixture\n' "$(fake_github_token)" > "$repo/src/allowed.yml"
printf 'token: %s\n' "$(fake_github_token)" > "$repo/src/app.yml"

"$NHISCAN" scan --format json "$repo" > "$WORK/out.json"
check "ignored and allowed files give no finding" \
	[ "$(json_eval "$WORK/out.json" "sorted(f['path'] for f in d['findings'])")" = "['src/app.yml', 'vendor/lib.yml']" ]

"$NHISCAN" scan --format json "$repo/src" > "$WORK/out.json"
check "subfolder scan paths are relative to it" \
	[ "$(json_eval "$WORK/out.json" "[f['path'] for f in d['findings']]")" = "['app.yml']" ]

fp=$(json_eval "$WORK/out.json" "d['findings'][0]['fingerprint']")
cat > "$repo/.nhiscan.yaml" <<YML
skip-paths:
  - path: vendor/
    reason: third-party code
allow-fingerprints:
  - fingerprint: $fp
    reason: revoked test token
YML
"$NHISCAN" scan --format json "$repo" > "$WORK/out.json"
check "skip-paths and allow-fingerprints: exit 0" [ $? -eq 0 ]
check "allowed fingerprint counted" [ "$(json_eval "$WORK/out.json" "d['stats']['allowed']")" = 1 ]

"$NHISCAN" scan --no-config --format json "$repo" > "$WORK/out.json"
check "--no-config ignores the settings" [ "$(json_eval "$WORK/out.json" "len(d['findings'])")" = 2 ]

cat > "$repo/.nhiscan.yaml" <<'YML'
disable-rules:
  - id: github.pat.classic
    reason: tokens are checked by another tool here
YML
"$NHISCAN" scan --format json "$repo" > "$WORK/out.json"
check "disabled rule is silent" \
	[ "$(json_eval "$WORK/out.json" "sum(f['rule_id'] == 'github.pat.classic' for f in d['findings'])")" = 0 ]

cat > "$repo/.nhiscan.yaml" <<'YML'
disable-rules:
  - id: no.such.rule
    reason: typo
YML
"$NHISCAN" scan "$repo" > /dev/null 2> "$WORK/err.txt"
check "unknown disabled rule exits 2" [ $? -eq 2 ]
check "unknown disabled rule is named" grep -q "unknown rule 'no.such.rule'" "$WORK/err.txt"

# A team's own token format, from a folder named in .nhiscan.yaml and from --signatures.
mkdir -p "$repo/security"
cat > "$repo/security/acme.yml" <<'YML'
rules:
  - id: acme.internal.token
    name: Acme internal service token
    provider: Acme
    kind: access-token
    severity: high
    pattern: '\b(acmetok_[a-f0-9]{40})\b'
    docs: https://wiki.acme.invalid/tokens
    remediation: Revoke it in the Acme token console.
    examples: ['ACME=acmetok_0123456789abcdef0123456789abcdef01234567']
    negative: ['ACME=acmetok_short']
YML
printf 'signatures:\n  - security/\nskip-paths:\n  - path: security/\n    reason: rule examples\n' > "$repo/.nhiscan.yaml"
printf 'ACME_TOKEN=acmetok_%s\n' "$(random_chars 40 0123456789abcdef)" > "$repo/src/.env"
"$NHISCAN" scan --format json "$repo" > "$WORK/out.json"
check "custom rule from settings detects its token" \
	[ "$(json_eval "$WORK/out.json" "[f['rule_id'] for f in d['findings'] if f['path'] == 'src/.env']")" = "['acme.internal.token']" ]
"$NHISCAN" scan --no-config --signatures "$repo/security/acme.yml" --format json "$repo/src" > "$WORK/out.json"
check "custom rule from --signatures detects its token" \
	[ "$(json_eval "$WORK/out.json" "[f['rule_id'] for f in d['findings'] if f['path'] == '.env']")" = "['acme.internal.token']" ]
"$NHISCAN" signatures check --signatures "$repo/security/acme.yml" --no-config > "$WORK/check.txt"
check "signatures check covers custom rules" [ $? -eq 0 ]
"$NHISCAN" signatures list --format json --signatures "$repo/security/acme.yml" --no-config > "$WORK/list.json"
check "signatures list includes the custom rule" \
	[ "$(json_eval "$WORK/list.json" "[r['builtin'] for r in d if r['id'] == 'acme.internal.token']")" = "[False]" ]
check "built-in rule count is at least 150" [ "$(json_eval "$WORK/list.json" "sum(1 for r in d if r['builtin'])")" -ge 150 ]

# An allowed fingerprint also silences the MCP extractor's finding about the same literal.
mcp=$WORK/mcp
mkdir -p "$mcp/.vscode"
printf '{ "servers": { "gh": { "command": "gh-mcp", "env": { "GITHUB_TOKEN": "%s" } } } }\n' "$(fake_github_token)" > "$mcp/.vscode/mcp.json"
"$NHISCAN" scan --format json "$mcp" > "$WORK/out.json"
check "literal MCP token: signature and MCP findings" \
	[ "$(json_eval "$WORK/out.json" "sorted(f['rule_id'] for f in d['findings'])")" = "['github.pat.classic', 'mcp.hardcoded-credential']" ]
fp=$(json_eval "$WORK/out.json" "d['findings'][0]['fingerprint']")
printf 'allow-fingerprints:\n  - fingerprint: %s\n    reason: test token\n' "$fp" > "$mcp/.nhiscan.yaml"
"$NHISCAN" scan --format json "$mcp" > "$WORK/out.json"
check "allowed fingerprint silences both findings" [ $? -eq 0 ]
check "both findings counted as allowed" [ "$(json_eval "$WORK/out.json" "d['stats']['allowed']")" = 2 ]

finish
