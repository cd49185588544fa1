#!/bin/bash
# check: the pull-request gate. Without a committed inventory it stops with exit 2 and prints
# how to make one, and with an up-to-date one it passes. A branch that adds an MCP server with a
# literal key fails with a readable diff (and a JSON one) and passes once the inventory is
# updated. A new or higher risk fails, a reviewer's decision survives, removals pass, a
# malformed file exits 2.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo"
cd "$repo" || exit 1
git init -q -b main .
echo '* @acme/platform' > CODEOWNERS
cat > .mcp.json <<'EOF'
{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}"}
    }
  }
}
EOF
git add -A
git commit -qm "Add the MCP configuration"

"$NHISCAN" check "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "no inventory: exit 2" [ $? -eq 2 ]
check "no inventory: prints how to make one" grep -q "run 'nhiscan inventory --update'" "$WORK/err.txt"

"$NHISCAN" inventory --update -q "$repo"
git add nhi-inventory.yaml
git commit -qm "Add the inventory"
"$NHISCAN" check "$repo" > "$WORK/out.txt"
check "committed: exit 0" [ $? -eq 0 ]
check "committed: up to date" grep -q "nhi-inventory.yaml is up to date" "$WORK/out.txt"

# A branch adds an MCP server with its key written into the configuration.
git checkout -q -b notes
key="sk-ant-api03-$(random_chars 93 "$ALNUM")AA"
# The server goes after the existing one, so that no line above it moves.
cat > .mcp.json <<EOF
{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "\${GITHUB_TOKEN}"}
    },
    "notes": {"command": "npx", "args": ["-y", "notes-mcp@1.2.3"], "env": {"NOTES_API_KEY": "$key"}}
  }
}
EOF
git commit -qam "Add the notes server"
"$NHISCAN" check "$repo" > "$WORK/out.txt"
check "literal key: exit 1" [ $? -eq 1 ]
check "literal key: out of date" grep -q "nhi-inventory.yaml is out of date" "$WORK/out.txt"
check "literal key: the new server" grep -q "new MCP server 'notes' (mcp-claude-code-notes-[0-9a-f]*) at .mcp.json:" "$WORK/out.txt"
check "literal key: the new credential" grep -q "new credential 'sk-a\*\*\*\*(108)' (cred-[0-9a-f]*) at .mcp.json:" "$WORK/out.txt"
check "literal key: the new NHI2 risk" grep -q "new risk NHI2, score 7, secret written into a tracked file" "$WORK/out.txt"
check "literal key: says how to accept it" grep -q "run 'nhiscan inventory --update'" "$WORK/out.txt"
check "literal key: no raw secret in the diff" [ "$(grep -cF -- "$key" "$WORK/out.txt")" = 0 ]

"$NHISCAN" check --format json "$repo" > "$WORK/out.json"
check "json: exit 1" [ $? -eq 1 ]
check "json: not up to date" [ "$(json_eval "$WORK/out.json" "d['up_to_date']")" = False ]
check "json: the blocking changes" [ "$(json_eval "$WORK/out.json" \
	"sorted((c['change'], c['kind']) for c in d['changes'] if c['blocking'])")" = \
	"[('added', 'credentials'), ('added', 'mcp_servers'), ('added', 'references'), ('risk-added', 'credentials')]" ]

"$NHISCAN" inventory --update -q "$repo"
git diff --numstat nhi-inventory.yaml > "$WORK/numstat.txt"
check "update: adding a server only adds lines" [ "$(cut -f2 "$WORK/numstat.txt")" = 0 ]
git commit -qam "Update the inventory"
"$NHISCAN" check "$repo" > "$WORK/out.txt"
check "update: check passes" [ $? -eq 0 ]

# The same key in a second file is a new NHI9 risk; in a third, that risk grows.
printf 'NOTES_API_KEY=%s\n' "$key" > notes.env
"$NHISCAN" check "$repo" > "$WORK/out.txt"
check "reuse: exit 1" [ $? -eq 1 ]
check "reuse: new NHI9 risk" grep -q "new risk NHI9, score 3, one credential used in several places" "$WORK/out.txt"
"$NHISCAN" inventory --update -q "$repo"
printf 'NOTES_API_KEY=%s\n' "$key" > notes.local.env
"$NHISCAN" check "$repo" > "$WORK/out.txt"
check "growth: exit 1" [ $? -eq 1 ]
check "growth: the score and its change" grep -q "risk NHI9 grew from 3 to 4, one credential used in several places" "$WORK/out.txt"
"$NHISCAN" inventory --update -q "$repo"

# A reviewer accepts the credential; the decision survives the next update.
cred=$(grep -o 'cred-[0-9a-f]*' "$WORK/out.txt" | head -n 1)
python3 - nhi-inventory.yaml "$cred" <<'PY'
import sys
path, ident = sys.argv[1], sys.argv[2]
text = open(path).read()
start = text.index("- id: %s\n" % ident)
end = text.index("\n", text.index("  name: ", start)) + 1
open(path, "w").write(text[:end] + "  status: accepted\n  reason: sandbox key without production access\n" + text[end:])
PY
"$NHISCAN" inventory --update -q "$repo"
check "decision: kept by the update" grep -q "^  reason: sandbox key without production access$" nhi-inventory.yaml
"$NHISCAN" check "$repo" > "$WORK/out.txt"
check "decision: check passes" [ $? -eq 0 ]

# Removing files only makes things safer: reported, not blocking.
rm notes.env notes.local.env
"$NHISCAN" check "$repo" > "$WORK/out.txt"
check "removal: exit 0" [ $? -eq 0 ]
check "removal: reported" grep -q "risk NHI9 gone" "$WORK/out.txt"

printf 'schema: 1\nmcp_servers:\n- id: x\n  links: [\n' > nhi-inventory.yaml
"$NHISCAN" check "$repo" > /dev/null 2> "$WORK/err.txt"
check "malformed: exit 2" [ $? -eq 2 ]
check "malformed: names the file and line" grep -q "nhi-inventory.yaml:5:" "$WORK/err.txt"

finish
