#!/bin/bash
# inventory: a realistic agent application (MCP configurations, a workflow, .env files, Python
# and TypeScript code, CODEOWNERS, and a history with an AWS key that was removed but never
# revoked). Its inventory's entities, links, owners and risks are checked here. The file
# contains no raw secret, regenerates byte for byte, keeps reviewer decisions and draws as DOT
# and Mermaid, and a malformed file stops the run with its file and line.
. "$(dirname "$0")/lib.sh"

# The checks read the YAML with PyYAML; Debian ships it as python3-yaml.
if ! python3 -c 'import yaml' 2>/dev/null && [ "$(id -u)" = 0 ]; then
	apt-get install -y -q python3-yaml > /dev/null 2>&1 ||
		{ apt-get update -q > /dev/null 2>&1 && apt-get install -y -q python3-yaml > /dev/null 2>&1; }
fi
if ! python3 -c 'import yaml' 2>/dev/null; then
	echo "python3-yaml is missing; install it (apt-get install python3-yaml) to run this test" >&2
	exit 1
fi

repo=$WORK/repo
mkdir -p "$repo"
cd "$repo" || exit 1
git init -q -b main .

github_token=$(fake_github_token)
openai_key="sk-proj-$(random_chars 40 "$ALNUM")T3BlbkFJ$(random_chars 40 "$ALNUM")"
slack_token="xoxb-$(random_chars 12 0123456789)-$(random_chars 12 0123456789)-$(random_chars 24 "$ALNUM")"
aws_id=$(fake_aws_key_id)
aws_secret=$(fake_aws_secret)

# History: an AWS key committed in 2020 by someone who has not committed since, then deleted.
mkdir -p config
cat > config/legacy.py <<EOF
AWS_ACCESS_KEY_ID = "$aws_id"
AWS_SECRET_ACCESS_KEY = "$aws_secret"
EOF
git add -A
GIT_AUTHOR_NAME="Old Timer" GIT_AUTHOR_EMAIL=old@example.com GIT_AUTHOR_DATE=2020-01-01T00:00:00Z \
	GIT_COMMITTER_DATE=2020-01-01T00:00:00Z git commit -qm "Add legacy configuration"
git rm -q config/legacy.py
GIT_AUTHOR_NAME="Old Timer" GIT_AUTHOR_EMAIL=old@example.com GIT_AUTHOR_DATE=2020-02-01T00:00:00Z \
	GIT_COMMITTER_DATE=2020-02-01T00:00:00Z git commit -qm "Remove legacy configuration"

mkdir -p .github/workflows .vscode app web config
cat > .github/CODEOWNERS <<'EOF'
# Last matching line wins.
*             @acme/platform
/app/         @acme/agents
*.yml         @acme/devops
/.vscode/     @alice
EOF
cat > .mcp.json <<'EOF'
{
  "mcpServers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_TOKEN}"}
    },
    "tracker": {"url": "http://tracker.example.net/sse", "headers": {"Authorization": "Bearer ${TRACKER_TOKEN}"}}
  }
}
EOF
cat > .vscode/mcp.json <<'EOF'
{
  "inputs": [{"type": "promptString", "id": "gh", "description": "GitHub PAT", "password": true}],
  "servers": {
    "github": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"],
               "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${input:gh}"}}
  }
}
EOF
cat > .github/workflows/deploy.yml <<'EOF'
name: deploy
on:
  push:
    branches: [main]
permissions: write-all
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}
          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}
          aws-region: us-east-1
      - uses: vendor/notify-action@main
        with:
          token: ${{ secrets.SLACK_BOT_TOKEN }}
      - run: ./deploy.sh
        env:
          OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}
EOF
cat > .env <<EOF
OPENAI_API_KEY=$openai_key
SLACK_BOT_TOKEN=$slack_token
EOF
printf 'OPENAI_API_KEY=%s\n' "$openai_key" > config/staging.env
printf 'OPENAI_API_KEY=%s\nGITHUB_TOKEN=%s\n' "$openai_key" "$github_token" > config/production.env
cat > app/agent.py <<'EOF'
import os
from agents import Agent
from agents.mcp import MCPServerStdio

client_key = os.environ["OPENAI_API_KEY"]
github = MCPServerStdio(params={"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": os.getenv("GITHUB_TOKEN")}})
triage = Agent(name="triage", instructions="Sort the new issues", mcp_servers=[github])
EOF
cat > web/notify.ts <<'EOF'
import { WebClient } from "@slack/web-api";
const slack = new WebClient(process.env.SLACK_BOT_TOKEN);
export const scopes = ["chat:write", "channels:history"];
EOF
cat > slack-manifest.yml <<'EOF'
display_information:
  name: notifier
oauth_config:
  scopes:
    bot:
      - chat:write
      - channels:history
      - admin
EOF
git add -A
git commit -qm "Add the agent application"

"$NHISCAN" inventory --git "$repo" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "inventory: exit 0" [ $? -eq 0 ]
check "inventory: file at the repository root" [ -f "$repo/nhi-inventory.yaml" ]
check "inventory: nothing on standard output" [ ! -s "$WORK/out.txt" ]
check "inventory: summary on standard error" grep -q "wrote .*nhi-inventory.yaml: .* credentials" "$WORK/err.txt"
cp "$repo/nhi-inventory.yaml" "$WORK/first.yaml"

# inv EXPR: evaluate a Python expression on the inventory, with helpers to find entries.
inv() {
	python3 - "$repo/nhi-inventory.yaml" "$1" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
entities = [e for k, v in d.items() if isinstance(v, list) for e in v]
by_id = {e["id"]: e for e in entities}
def named(kind, name):
    found = [e for e in d.get(kind, []) if e.get("name") == name]
    return found[0] if found else {}
def links(e, kind):
    return e.get("links", {}).get(kind, [])
def risk(e, rid):
    found = [r for r in e.get("risks", []) if r["id"] == rid]
    return found[0] if found else {}
def cred(prefix):
    found = [e for e in d.get("credentials", []) if e["name"].startswith(prefix)]
    return found[0] if found else {}
print(eval(sys.argv[2]))
PY
}
is_true() { [ "$(inv "$1")" = True ]; }

check "header: schema and scan" is_true "d['schema'] == 1 and d['scan'] == 'worktree+history'"
check "every link points at an entry" is_true "all(t in by_id for e in entities for ts in e.get('links', {}).values() for t in ts)"
check "ids are unique" is_true "len(by_id) == len(entities)"
check "every entry has a location, except providers and owners" \
	is_true "all(e.get('locations') for k, v in d.items() if isinstance(v, list) and k not in ('providers', 'owners') for e in v)"

# One credential per value: the OpenAI key in three files.
check "openai key: one entry, three locations" \
	is_true "cred('sk-p')['locations'] == ['.env:1', 'config/production.env:1', 'config/staging.env:1']"
check "openai key: provider, variable and environments" \
	is_true "links(cred('sk-p'), 'issued_by') == ['provider-openai'] and links(cred('sk-p'), 'assigned_to') == ['ref-OPENAI_API_KEY'] and cred('sk-p')['environments'] == ['production', 'staging']"
check "openai key: hard-coded, reused, shared by production and staging" \
	is_true "risk(cred('sk-p'), 'nhi2-hard-coded')['category'] == 'NHI2' and risk(cred('sk-p'), 'nhi9-reused')['category'] == 'NHI9' and risk(cred('sk-p'), 'nhi8-shared-across-environments')['score'] == 6"
check "openai key: owned by CODEOWNERS and by the author of its commit" \
	is_true "sorted(by_id[o]['name'] for o in links(cred('sk-p'), 'owned_by')) == ['@acme/platform', 'author@example.com']"
check "openai key: the job that uses its variable is in the evidence" \
	is_true "any('job' in x and 'OPENAI_API_KEY' in x for x in risk(cred('sk-p'), 'nhi2-hard-coded')['evidence'])"

# The key removed from the tree but never revoked.
check "aws key: listed as in history only" is_true "cred('AKIA')['in_history_only'] is True and cred('AKIA')['locations'][0].startswith('config/legacy.py:1@')"
check "aws key: introduced by the old author" is_true "cred('AKIA')['introduced_by'] == 'Old Timer <old@example.com>'"
check "aws key: leaked in history, long-lived, inactive owner" \
	is_true "all(risk(cred('AKIA'), r) for r in ('nhi2-leaked-in-history', 'nhi7-long-lived-key', 'nhi1-inactive-owner')) and not risk(cred('AKIA'), 'nhi2-hard-coded')"
check "aws key: its owner is flagged inactive" is_true "named('owners', 'old@example.com')['active'] is False and named('owners', 'author@example.com')['active'] is True"

# Agent -> MCP server -> reference -> credential -> provider.
check "agents: both clients and the code agent" \
	is_true "sorted(a['name'] for a in d['agents']) == ['claude-code', 'triage', 'vscode']"
check "mcp: the github server is defined in the claude-code agent and uses GITHUB_TOKEN" \
	is_true "[s for s in d['mcp_servers'] if s['name'] == 'github' and links(s, 'defined_in') == ['agent-claude-code'] and links(s, 'uses') == ['ref-GITHUB_TOKEN']] != []"
check "mcp: GITHUB_TOKEN holds the personal token of production.env" \
	is_true "links(cred('ghp_'), 'assigned_to') == ['ref-GITHUB_TOKEN'] and links(cred('ghp_'), 'issued_by') == ['provider-github']"
check "mcp: servers handed a personal token are flagged NHI10" \
	is_true "all(risk(s, 'nhi10-personal-token')['category'] == 'NHI10' for s in d['mcp_servers'] if s['name'] == 'github')"
check "mcp: the plain-HTTP tracker is flagged NHI4" is_true "risk(named('mcp_servers', 'tracker'), 'nhi4-plain-http')['score'] == 7"
vscode_server="[s for s in d['mcp_servers'] if s.get('client') == 'vscode'][0]"
check "mcp: the unpinned VS Code server is flagged NHI3" \
	is_true "risk($vscode_server, 'nhi3-unpinned-receives-secrets')['score'] == 5"
check "mcp: VS Code servers are owned by @alice" \
	is_true "[by_id[o]['name'] for o in links($vscode_server, 'owned_by')] == ['@alice']"
check "code: the triage agent uses OPENAI_API_KEY and the server it starts" \
	is_true "'ref-OPENAI_API_KEY' in links(named('agents', 'triage'), 'uses') and [by_id[u]['name'] for u in links(named('agents', 'triage'), 'uses') if u.startswith('mcp-')] == ['@modelcontextprotocol/server-github']"
check "code: the server the agent starts uses GITHUB_TOKEN" \
	is_true "links(named('mcp_servers', '@modelcontextprotocol/server-github'), 'uses') == ['ref-GITHUB_TOKEN']"
check "code: the agent is owned by @acme/agents" \
	is_true "[by_id[o]['name'] for o in links(named('agents', 'triage'), 'owned_by')] == ['@acme/agents']"
check "code: the TypeScript file's token grants the scopes it requests" \
	is_true "sorted(by_id[s]['name'] for s in links(by_id['ref-SLACK_BOT_TOKEN'], 'grants')) == ['channels:history', 'chat:write']"

# Workflow -> job -> secrets -> the third-party actions that receive them.
check "ci: the job uses the secrets and is defined in the workflow" \
	is_true "set(['ref-AWS_ACCESS_KEY_ID', 'ref-OPENAI_API_KEY', 'ref-SLACK_BOT_TOKEN']) <= set(links(named('jobs', 'deploy'), 'uses')) and links(named('jobs', 'deploy'), 'defined_in') == [d['workflows'][0]['id']]"
check "ci: the Slack token is exposed to the unpinned action, flagged NHI3" \
	is_true "by_id[links(by_id['ref-SLACK_BOT_TOKEN'], 'exposes_to')[0]]['name'] == 'vendor/notify-action@main' and risk(named('actions', 'vendor/notify-action@main'), 'nhi3-unpinned-receives-secrets')['score'] == 5"
check "ci: static AWS keys without OIDC are flagged NHI6 and NHI7" \
	is_true "risk(named('jobs', 'deploy'), 'nhi6-static-cloud-key')['category'] == 'NHI6' and risk(by_id['ref-AWS_ACCESS_KEY_ID'], 'nhi7-long-lived-key')['score'] == 4"
check "ci: write-all permissions are flagged NHI5 and the workflow is owned by @acme/devops" \
	is_true "risk(d['workflows'][0], 'nhi5-write-all-token')['score'] == 6 and [by_id[o]['name'] for o in links(d['workflows'][0], 'owned_by')] == ['@acme/devops']"
check "scopes: the Slack app's admin scope is flagged NHI5" \
	is_true "risk(named('scopes', 'admin'), 'nhi5-broad-scope')['score'] == 6 and named('oauth_clients', 'slack-manifest.yml')['links']['grants'] != []"

for secret in "$github_token" "$openai_key" "$slack_token" "$aws_id" "$aws_secret"; do
	check "no raw secret in the inventory" [ "$(grep -cF -- "$secret" "$repo/nhi-inventory.yaml")" = 0 ]
done

"$NHISCAN" inventory --git "$repo" 2> /dev/null
check "regeneration: byte-identical" cmp -s "$repo/nhi-inventory.yaml" "$WORK/first.yaml"
check "regeneration: no time stamp unless asked" [ "$(grep -c '^generated:' "$repo/nhi-inventory.yaml")" = 0 ]
"$NHISCAN" inventory --git --timestamp --output "$WORK/stamped.yaml" "$repo" 2> /dev/null
check "--timestamp: records the time" grep -q "^generated: '20" "$WORK/stamped.yaml"

# A reviewer records that the AWS key was revoked; the decision survives regeneration.
aws_cred=$(inv "cred('AKIA')['id']")
python3 - "$repo/nhi-inventory.yaml" "$aws_cred" <<'PY'
import sys
path, ident = sys.argv[1], sys.argv[2]
text = open(path).read()
# Where the writer puts a decision: right after the entry's id and name.
start = text.index("- id: %s\n" % ident)
end = text.index("\n", text.index("  name: ", start)) + 1
text = text[:end] + "  status: revoked\n  reason: deactivated in IAM on 2026-11-30\n" + text[end:]
open(path, "w").write(text)
PY
cp "$repo/nhi-inventory.yaml" "$WORK/decided.yaml"
"$NHISCAN" inventory "$repo" 2> /dev/null
check "decision: status and reason kept" is_true "by_id['$aws_cred']['status'] == 'revoked' and by_id['$aws_cred']['reason'] == 'deactivated in IAM on 2026-11-30'"
check "decision: an update keeps the history scan of the file" cmp -s "$repo/nhi-inventory.yaml" "$WORK/decided.yaml"

"$NHISCAN" inventory --format dot "$repo" > "$WORK/graph.dot" 2> /dev/null
check "dot: a graph with the agent chain" grep -q '"agent-claude-code"' "$WORK/graph.dot"
check "dot: labelled edges" grep -q '\[label="uses"\]' "$WORK/graph.dot"
"$NHISCAN" inventory --format mermaid "$repo" > "$WORK/graph.mmd" 2> /dev/null
check "mermaid: a flowchart" grep -q '^flowchart LR' "$WORK/graph.mmd"
check "graphs: the inventory file is unchanged" cmp -s "$repo/nhi-inventory.yaml" "$WORK/decided.yaml"

printf 'schema: 1\ncredentials:\n- id: cred-x\n  status: [broken\n' > "$repo/nhi-inventory.yaml"
"$NHISCAN" inventory "$repo" > /dev/null 2> "$WORK/err.txt"
check "malformed: inventory exits 2" [ $? -eq 2 ]
check "malformed: the message names file and line" grep -q "nhi-inventory.yaml:5:" "$WORK/err.txt"
"$NHISCAN" check "$repo" > /dev/null 2> "$WORK/err.txt"
check "malformed: check exits 2" [ $? -eq 2 ]
printf 'schema: 1\ncredentials:\n- id: cred-x\n  status: maybe\n' > "$repo/nhi-inventory.yaml"
"$NHISCAN" check "$repo" > /dev/null 2> "$WORK/err.txt"
check "malformed: a bad status is named with its line" grep -q "nhi-inventory.yaml:4: invalid status" "$WORK/err.txt"

# A model client's own variable is not a credential: two files that name their client 'client'
# give two references to the keys, and no reference called 'client'.
code=$WORK/code
mkdir -p "$code"
git -C "$code" init -q
cat > "$code/agent.py" <<'PY'
import os
from anthropic import Anthropic

client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])
PY
cat > "$code/agent.ts" <<'TS'
import OpenAI from "openai";
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
TS
"$NHISCAN" inventory --output "$WORK/code.yaml" "$code" 2> /dev/null
check "client variables: both keys are references" \
	[ "$(grep -c '^- id: ref-\(ANTHROPIC\|OPENAI\)_API_KEY$' "$WORK/code.yaml")" -eq 2 ]
check "client variables: no reference named after the client" sh -c "! grep -q 'ref-client' '$WORK/code.yaml'"

finish
