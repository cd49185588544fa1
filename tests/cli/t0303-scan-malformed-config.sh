#!/bin/bash
# scan: a malformed pipeline, MCP or TOML configuration file is a one-line "path:line" warning.
# The scan goes on and reports the findings of the other files.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo/.github/workflows" "$repo/.vscode" "$repo/.codex"
token=$(fake_github_token)
printf 'on: push\njobs:\n  build: [unclosed\n  other: 1\n' > "$repo/.github/workflows/broken.yml"
printf '{\n  "servers": {\n    "a": {"command": "npx" "args": []}\n  }\n}\n' > "$repo/.vscode/mcp.json"
printf '[mcp_servers.x]\ncommand = "npx"\nargs = = 1\n' > "$repo/.codex/config.toml"
printf 'on: push\npermissions: write-all\njobs: {}\n' > "$repo/.github/workflows/good.yml"
printf 'token: %s\n' "$token" > "$repo/notes.txt"

"$NHISCAN" scan --format json "$repo" > "$WORK/out.json" 2> "$WORK/err.txt"
check "malformed files: exit 1 for the other findings" [ $? -eq 1 ]
check "YAML warning names file and line" grep -q "^nhiscan: warning: .github/workflows/broken.yml:[34]: invalid YAML: " "$WORK/err.txt"
check "JSON warning names file and line" grep -q "^nhiscan: warning: .vscode/mcp.json:3: invalid JSON: " "$WORK/err.txt"
check "TOML warning names file and line" grep -q "^nhiscan: warning: .codex/config.toml:3: invalid TOML: " "$WORK/err.txt"
check "one line per malformed file" [ "$(grep -c invalid "$WORK/err.txt")" = 3 ]
check "other files still scanned" \
	[ "$(json_eval "$WORK/out.json" "sorted({f['path'] for f in d['findings']})")" = "['.github/workflows/good.yml', 'notes.txt']" ]
check "no raw token in warnings" sh -c "! grep -qF '$token' '$WORK/err.txt'"

finish
