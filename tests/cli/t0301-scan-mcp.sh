#!/bin/bash
# scan: MCP client configurations. A VS Code mcp.json that passes its token through an input
# reports nothing, and the same file with the token written in reports it at its line. Other
# clients report unpinned packages, plain-HTTP servers and credentials in headers, args and TOML.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo/.vscode" "$repo/.cursor" "$repo/.codex"
token=$(fake_github_token)

write_vscode() {
	cat > "$repo/.vscode/mcp.json" <<EOF
{
  // The token is prompted for once and kept by VS Code.
  "inputs": [
    {"type": "promptString", "id": "github_token", "description": "GitHub PAT", "password": true},
  ],
  "servers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "$1"},
    },
  },
}
EOF
}

write_vscode '${input:github_token}'
"$NHISCAN" scan --format json "$repo" > "$WORK/ref.json" 2> "$WORK/err.txt"
check "input reference: exit 0" [ $? -eq 0 ]
check "input reference: no finding" [ "$(json_eval "$WORK/ref.json" "len(d['findings'])")" = 0 ]
check "input reference: no warning" [ ! -s "$WORK/err.txt" ]

write_vscode "$token"
"$NHISCAN" scan --format json "$repo" > "$WORK/literal.json"
check "literal token: exit 1" [ $? -eq 1 ]
check "literal token: hard-coded credential at its line and column" \
	[ "$(json_eval "$WORK/literal.json" "[(f['path'], f['line'], f['column']) for f in d['findings'] if f['rule_id'] == 'mcp.hardcoded-credential']")" = \
	  "[('.vscode/mcp.json', 10, 48)]" ]
check "literal token: the signature engine finds it at the same place" \
	[ "$(json_eval "$WORK/literal.json" "[(f['line'], f['column']) for f in d['findings'] if f['provider'] == 'GitHub']")" = "[(10, 48)]" ]
check "literal token: both findings share the fingerprint" \
	[ "$(json_eval "$WORK/literal.json" "len({f['fingerprint'] for f in d['findings']})")" = 1 ]
check "literal token: kind is mcp.hardcoded-credential" \
	[ "$(json_eval "$WORK/literal.json" "[f['kind'] for f in d['findings'] if f['rule_id'] == 'mcp.hardcoded-credential']")" = "['mcp.hardcoded-credential']" ]
rm -f "$repo/.vscode/mcp.json"

api_key=$(random_chars 40 "$ALNUM")
cat > "$repo/.cursor/mcp.json" <<EOF
{
  "mcpServers": {
    "files": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/srv"]},
    "tracker": {"url": "http://tracker.example.net/sse", "headers": {"X-API-Key": "$api_key"}}
  }
}
EOF
cat > "$repo/.codex/config.toml" <<EOF
[mcp_servers.search]
command = "uvx"
args = ["search-mcp@latest", "--api-key", "$api_key"]
EOF
"$NHISCAN" scan --format json "$repo" > "$WORK/out.json"
found() {
	[ "$(json_eval "$WORK/out.json" "any(f['rule_id'] == '$1' and f['path'] == '$2' and f['line'] == $3 and f['column'] == $4 for f in d['findings'])")" = True ]
}
check "cursor: unpinned npx package" found mcp.unpinned-package .cursor/mcp.json 3 49
check "cursor: plain HTTP server" found mcp.insecure-transport .cursor/mcp.json 4 25
check "cursor: key in a header" found mcp.hardcoded-credential .cursor/mcp.json 4 84
check "codex: package at latest" found mcp.unpinned-package .codex/config.toml 3 10
check "codex: key after --api-key" found mcp.hardcoded-credential .codex/config.toml 3 44

"$NHISCAN" scan --format sarif "$repo" > "$WORK/out.sarif"
check "sarif lists the MCP rules" \
	[ "$(json_eval "$WORK/out.sarif" "sorted({r['ruleId'] for r in d['runs'][0]['results'] if r['ruleId'].startswith('mcp.')})")" = \
	  "['mcp.hardcoded-credential', 'mcp.insecure-transport', 'mcp.unpinned-package']" ]
"$NHISCAN" scan "$repo" > "$WORK/out.txt"
check "text names the server" grep -q "MCP server 'tracker'" "$WORK/out.txt"

for f in "$WORK/literal.json" "$WORK/out.json" "$WORK/out.sarif" "$WORK/out.txt"; do
	check "no raw credential in $(basename "$f")" sh -c "! grep -qF '$token' '$f' && ! grep -qF '$api_key' '$f'"
done

finish
