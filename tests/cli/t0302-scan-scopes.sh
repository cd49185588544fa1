#!/bin/bash
# scan: OAuth scopes in source files and app manifests become oauth.high-risk-scope findings
# when the data file rates them high. Low and medium scopes, and ordinary code, report nothing.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo/src" "$repo/slack"
cat > "$repo/src/gmail.py" <<'EOF'
SCOPES = [
    "https://www.googleapis.com/auth/gmail.modify",
    "https://www.googleapis.com/auth/userinfo.email",
]
EOF
cat > "$repo/src/graph.ts" <<'EOF'
const admin = { scopes: ["RoleManagement.ReadWrite.Directory", "User.Read"] };
fetch("https://graph.microsoft.com/v1.0/me");
EOF
cat > "$repo/src/login.js" <<'EOF'
const url = `https://github.com/login/oauth/authorize?client_id=${id}&scope=read:user%20admin:org`;
EOF
cat > "$repo/src/plain.js" <<'EOF'
$scope.repo = workflow.full;
EOF
cat > "$repo/slack/manifest.json" <<'EOF'
{"oauth_config": {"scopes": {"bot": ["chat:write", "groups:history"]}}}
EOF

"$NHISCAN" scan --format json "$repo" > "$WORK/out.json" 2> "$WORK/err.txt"
check "scopes: exit 1" [ $? -eq 1 ]
check "scopes: exactly the high-risk ones, at their places" \
	[ "$(json_eval "$WORK/out.json" "sorted((f['path'], f['line'], f['column']) for f in d['findings'])")" = \
	  "[('slack/manifest.json', 1, 53), ('src/gmail.py', 2, 6), ('src/graph.ts', 1, 27), ('src/login.js', 1, 89)]" ]
check "scopes: rule and kind" \
	[ "$(json_eval "$WORK/out.json" "{(f['rule_id'], f['kind']) for f in d['findings']}")" = "{('oauth.high-risk-scope', 'oauth.high-risk-scope')}" ]
check "scopes: provider of each" \
	[ "$(json_eval "$WORK/out.json" "sorted(f['provider'] for f in d['findings'])")" = "['github', 'google', 'microsoft', 'slack']" ]
check "scopes: the message gives the reason" \
	[ "$(json_eval "$WORK/out.json" "all(\"scope '\" in f['message'] and ': ' in f['message'] for f in d['findings'])")" = True ]
check "scopes: no warning" [ ! -s "$WORK/err.txt" ]

"$NHISCAN" scan --format sarif "$repo" > "$WORK/out.sarif"
check "scopes: sarif tags the kind" \
	[ "$(json_eval "$WORK/out.sarif" "[r['properties']['tags'] for r in d['runs'][0]['tool']['driver']['rules']]")" = "[['security', 'oauth.high-risk-scope']]" ]

finish
