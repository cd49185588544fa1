#!/bin/bash
# scan and inventory: what the code extractor keeps from its context. Fixture projects are built
# at run time with fake tokens:
# - MCP clients whose command lines and env maps hold literal credentials (Python, TypeScript,
#   Go, Bash): no raw value reaches scan JSON, SARIF or the inventory, which shows the redacted
#   preview instead;
# - credential-named literals in test files: a placeholder-like value is lowered to low with the
#   reason, a random value and a signature match keep their severity, and the same placeholder
#   outside a test path is not lowered;
# - MCP servers whose names contain spaces and hyphens: agents list them whole;
# - model clients and agents without a name: their keys and inventory ids do not change when a
#   line is added above them.
. "$(dirname "$0")/lib.sh"

# yaml_eval FILE EXPR: evaluate a Python expression on the parsed YAML document `d`.
yaml_eval() {
	python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# random_token N [ENTROPY]: N random letters and digits, with at least one of each and at least
# ENTROPY bits per character (default 0). The value has none of the words, repeated characters
# or sequences that make a value in a test file look like a placeholder.
random_token() {
	python3 - "$1" "${2:-0}" <<'PY'
import math, re, secrets, sys
alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
words = ("test", "fake", "dummy", "example", "sample", "mock", "changeme", "placeholder", "fixture", "xxx", "foo")
length, entropy_min = int(sys.argv[1]), float(sys.argv[2])
while True:
    value = "".join(secrets.choice(alphabet) for _ in range(length))
    if length >= 2 and not (re.search("[0-9]", value) and re.search("[A-Za-z]", value)):
        continue
    if -sum(value.count(c) / length * math.log2(value.count(c) / length) for c in set(value)) < entropy_min:
        continue
    if any(w in value.lower() for w in words) or re.search(r"(.)\1\1\1", value):
        continue
    if any(all(ord(value[i + k + 1]) == ord(value[i + k]) + 1 for k in range(3)) for i in range(len(value) - 3)):
        continue
    print(value)
    break
PY
}

# preview VALUE: the redacted preview that nhiscan shows for VALUE, which must be 20 characters
# or longer: its first four characters, asterisks and the length.
preview() {
	printf '%s****(%d)' "${1:0:4}" "${#1}"
}

# --- 1. Credentials in MCP client command lines ---

repo=$WORK/mcp
mkdir -p "$repo/src" "$repo/web" "$repo/cmd" "$repo/scripts"
github=$(fake_github_token)
flag_value=$(random_token 20)
# A value without a name counts as a credential from 4.2 bits per character on.
bare_value=$(random_token 32 4.4)
password=$(random_token 20)
env_value=$(random_token 28)
header_value=$(random_token 30)
go_value=$(random_token 26)
shell_value=$(random_token 22)

cat > "$repo/src/research.py" <<EOF
from agents import Agent
from agents.mcp import MCPServerStdio

search = MCPServerStdio(params={"command": "npx", "args": ["-y", "search-server", "--api-key", "$flag_value", "$bare_value", "--token=$github"], "env": {"SEARCH_TOKEN": "$env_value"}})
agent = Agent(name="researcher", mcp_servers=[search])
EOF
cat > "$repo/web/assistant.ts" <<EOF
import { Agent, MCPServerStdio } from "@openai/agents";
const files = new MCPServerStdio({ fullCommand: "npx files-server --password $password Authorization:$header_value" });
const assistant = new Agent({ name: "assistant", mcpServers: [files] });
EOF
cat > "$repo/cmd/main.go" <<EOF
package main

import (
	"os/exec"

	"github.com/mark3labs/mcp-go/client"
)

func main() {
	cmd := exec.Command("uvx", "notes-server", "--secret", "$go_value")
	_ = cmd
	c, _ := client.NewStdioMCPClient("uvx", nil, "notes-server", "--access-token", "$go_value")
	_ = c
}
EOF
cat > "$repo/scripts/setup.sh" <<EOF
#!/bin/sh
claude mcp add wiki -e WIKI_TOKEN=$shell_value -- npx wiki-server --api-key $shell_value
EOF

"$NHISCAN" scan --format json "$repo" > "$WORK/mcp.json"
"$NHISCAN" scan --format sarif "$repo" > "$WORK/mcp.sarif"
"$NHISCAN" inventory --output - "$repo" > "$WORK/mcp.yaml" 2> "$WORK/mcp.err"
check "inventory: exit 0" [ $? -eq 0 ]
for output in mcp.json mcp.sarif mcp.yaml; do
	for name in github flag_value bare_value password env_value header_value go_value shell_value; do
		check "$output: no raw $name" [ "$(grep -c -F -- "${!name}" "$WORK/$output")" = 0 ]
	done
done

agent_servers() {
	yaml_eval "$WORK/mcp.yaml" "[a.get('mcp_server') for a in d['agents'] if a['name'] == '$1']"
}
check "python: the client's key shows the redacted previews" \
	[ "$(agent_servers researcher)" = "['npx -y search-server --api-key $(preview "$flag_value") $(preview "$bare_value") --token=$(preview "$github")']" ]
check "typescript: a flag's value and a header value are redacted" \
	[ "$(agent_servers assistant)" = "['npx files-server --password $(preview "$password") Authorization:$(preview "$header_value")']" ]
check "the MCP servers are listed by package" \
	[ "$(yaml_eval "$WORK/mcp.yaml" "sorted(s['name'] for s in d['mcp_servers'])")" = "['files-server', 'notes-server', 'search-server', 'wiki']" ]

# --- 2. Placeholders in test files ---

repo=$WORK/tests
mkdir -p "$repo/src/contest" "$repo/tests" "$repo/web/__tests__" "$repo/pkg/testdata" "$repo/spec/fixtures" "$repo/app"
fake_value="fake_$(random_token 16)"
test_value="test$(random_token 16)"
# Long random parts keep these values above the entropy that the generic rules and the code
# extractor require, so that only the run gives a reason.
run_value="$(random_token 12 3.3)zzzz$(random_token 12 3.3)"
sequence_value="$(random_token 12 3.3)1234$(random_token 12 3.3)"
random_value=$(random_token 32)
github=$(fake_github_token)
# Ten distinct characters, six of them twice: between 3.0 and 3.5 bits per byte, with no word,
# run or sequence that would give another reason.
low_value=$(python3 - <<'PY'
import math, secrets
alphabet = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
while True:
    chars = [secrets.choice(alphabet) for _ in range(10)]
    if len(set(chars)) < 10 or not any(c.isdigit() for c in chars) or not any(c.isalpha() for c in chars):
        continue
    value = "".join(chars + chars[:6])
    counts = [value.count(c) for c in set(value)]
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts)
    lower = value.lower()
    sequential = any(ord(value[i + 1]) == ord(value[i]) + 1 for i in range(len(value) - 1))
    if 3.0 <= entropy < 3.5 and not sequential and not any(w in lower for w in ("test", "fake", "mock", "foo", "xxx")):
        print(value)
        break
PY
)

# Lines 1 and 4 contain placeholders: a generic signature rule matches api_key, and only the code
# extractor reports session_key.
printf 'api_key = "%s"\nsession_token = "%s"\ngithub_token = "%s"\nsession_key = "%s"\n' \
	"$fake_value" "$random_value" "$github" "$fake_value" > "$repo/tests/test_client.py"
printf 'api_key = "%s"\nsession_key = "%s"\n' "$fake_value" "$fake_value" > "$repo/src/settings.py"
printf 'api_key = "%s"\n' "$fake_value" > "$repo/src/contest/entry.py"
printf 'const apiKey = "%s";\n' "$test_value" > "$repo/web/__tests__/client.ts"
printf 'const apiKey = "%s";\n' "$test_value" > "$repo/web/login.test.ts"
printf 'const apiKey = "%s";\n' "$run_value" > "$repo/web/login.spec.js"
printf 'package auth\n\nvar secretKey = "%s"\n' "$sequence_value" > "$repo/pkg/auth_test.go"
printf 'package auth\n\nvar secretKey = "%s"\n' "$low_value" > "$repo/pkg/testdata/keys.go"
printf 'password = "%s"\n' "$low_value" > "$repo/spec/fixtures/users.rb"
printf 'class LoginTest {\n\tString apiKey = "%s";\n}\n' "$fake_value" > "$repo/app/LoginTest.java"

"$NHISCAN" scan --format json "$repo" > "$WORK/tests.json"
check "test paths: exit 1 with findings" [ $? -eq 1 ]

# findings_on PATH: (line, rule, severity, message) of every finding of PATH.
findings_on() {
	json_eval "$WORK/tests.json" "[(f['line'], f['rule_id'], f['severity'], f['message']) for f in d['findings'] if f['path'] == '$1']"
}
# lowered LINE RULE NAME REASON: the finding of a lowered placeholder.
lowered() {
	echo "($1, '$2', 'low', \"string literal assigned to '$3' in a test file looks like a placeholder because $4, so the severity was lowered to low\")"
}
check "test_*.py: placeholders lowered, a random value and a signature match kept" [ "$(findings_on tests/test_client.py)" = \
	"[$(lowered 1 generic.api-key.quoted api_key "it contains 'fake'"), (2, 'generic.token.quoted', 'medium', \"assigned to 'session_token'\"), (3, 'github.pat.classic', 'critical', \"assigned to 'github_token'\"), $(lowered 4 code.credential-assignment session_key "it contains 'fake'")]" ]
check "__tests__/: lowered" \
	[ "$(findings_on web/__tests__/client.ts)" = "[$(lowered 1 generic.api-key.quoted apiKey "it contains 'test'")]" ]
check "*.test.ts: lowered" [ "$(findings_on web/login.test.ts)" = "[$(lowered 1 generic.api-key.quoted apiKey "it contains 'test'")]" ]
check "*.spec.js: a repeated character lowered" \
	[ "$(findings_on web/login.spec.js)" = "[$(lowered 1 generic.api-key.quoted apiKey "it repeats a character 4 times in a row")]" ]
check "*_test.go: a sequence lowered" \
	[ "$(findings_on pkg/auth_test.go)" = "[$(lowered 3 generic.secret.quoted secretKey "it contains 4 consecutive characters such as 1234 or abcd")]" ]
check "testdata/: low entropy lowered" [ "$(findings_on pkg/testdata/keys.go | grep -c -F "because its entropy is 3.")" = 1 ]
check "testdata/: low entropy names the limit" [ "$(findings_on pkg/testdata/keys.go | grep -c "^\[(3, 'generic.secret.quoted', 'low', .* bits per byte, below 3\.5, so")" = 1 ]
check "fixtures/: low entropy lowered" [ "$(findings_on spec/fixtures/users.rb | grep -c "^\[(1, 'generic.password.quoted', 'low', ")" = 1 ]
check "FooTest.java: lowered" [ "$(findings_on app/LoginTest.java)" = "[$(lowered 2 generic.api-key.quoted apiKey "it contains 'fake'")]" ]
check "outside test paths: not lowered" [ "$(findings_on src/settings.py)" = \
	"[(1, 'generic.api-key.quoted', 'medium', \"assigned to 'api_key'\"), (2, 'code.credential-assignment', 'medium', \"high-entropy string literal assigned to 'session_key' in python code\")]" ]
check "a folder name that contains 'test': not lowered" \
	[ "$(findings_on src/contest/entry.py)" = "[(1, 'generic.api-key.quoted', 'medium', \"assigned to 'api_key'\")]" ]
check "no message quotes a value" \
	[ "$(grep -c -F -e "$fake_value" -e "$test_value" -e "$run_value" -e "$sequence_value" -e "$low_value" "$WORK/tests.json")" = 0 ]

# --- 3. MCP server names with spaces and hyphens ---

repo=$WORK/names
mkdir -p "$repo/src" "$repo/web"
cat > "$repo/src/planner.py" <<'EOF'
from agents import Agent
from agents.mcp import MCPServerStdio
from mcp.server.fastmcp import FastMCP

mcp = FastMCP("weather tools")

@mcp.tool()
def forecast(city: str) -> str:
    return city

weather = MCPServerStdio(name="weather tools", params={"command": "uvx", "args": ["weather-server"]})
agent = Agent(name="planner", mcp_servers=[weather])
EOF
cat > "$repo/web/guide.ts" <<'EOF'
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Agent } from "@openai/agents";
const server = new McpServer({ name: "trip-planner server", version: "1.0.0" });
server.tool("book", async () => ({ content: [] }));
const guide = new Agent({ name: "guide", mcpServers: [server] });
EOF
"$NHISCAN" inventory --output - "$repo" > "$WORK/names.yaml"
check "inventory of names: exit 0" [ $? -eq 0 ]
check "python: the agent lists the server whole" \
	[ "$(yaml_eval "$WORK/names.yaml" "[a.get('mcp_server') for a in d['agents'] if a['name'] == 'planner']")" = "['weather tools']" ]
check "typescript: the agent lists the server whole" \
	[ "$(yaml_eval "$WORK/names.yaml" "[a.get('mcp_server') for a in d['agents'] if a['name'] == 'guide']")" = "['trip-planner server']" ]
check "the servers keep their names" \
	[ "$(yaml_eval "$WORK/names.yaml" "sorted(s['name'] for s in d['mcp_servers'])")" = "['trip-planner server', 'weather tools', 'weather tools']" ]
check "the tools name their servers" \
	[ "$(yaml_eval "$WORK/names.yaml" "sorted((t['name'], t['server']) for t in d['tools'])")" = "[('book', 'trip-planner server'), ('forecast', 'weather tools')]" ]
check "typescript: the agent is linked to its server" \
	[ "$(yaml_eval "$WORK/names.yaml" "[l for a in d['agents'] if a['name'] == 'guide' for l in a['links']['uses'] if l.startswith('mcp-')]")" = \
	  "$(yaml_eval "$WORK/names.yaml" "[s['id'] for s in d['mcp_servers'] if s['name'] == 'trip-planner server']")" ]

# --- 4. Keys that do not depend on lines ---

repo=$WORK/keys
mkdir -p "$repo/src" "$repo/scripts"
cat > "$repo/src/team.py" <<'EOF'
from autogen_agentchat.agents import AssistantAgent
from autogen_ext.models.openai import OpenAIChatCompletionClient

agent = AssistantAgent(name="analyst", model_client=OpenAIChatCompletionClient(model="gpt-4o"))
other = AssistantAgent(name="writer", model_client=OpenAIChatCompletionClient(model="gpt-4o-mini"))
EOF
printf '#!/bin/sh\nclaude -p "Review the diff" --model claude-sonnet-4-5\nclaude -p "Write notes" --model claude-sonnet-4-5\n' > "$repo/scripts/review.sh"
"$NHISCAN" inventory --output "$WORK/before.yaml" "$repo" 2> "$WORK/before.err"
sed -i '1i\\' "$repo/src/team.py"
sed -i '2i\\' "$repo/scripts/review.sh"
"$NHISCAN" inventory --output "$WORK/after.yaml" "$repo" 2> "$WORK/after.err"

ids() {
	yaml_eval "$1" "sorted(e['id'] for section in d.values() if isinstance(section, list) for e in section)"
}
check "a line added above: the same ids" [ "$(ids "$WORK/before.yaml")" = "$(ids "$WORK/after.yaml")" ]
check "a line added above: the same model clients" \
	[ "$(yaml_eval "$WORK/after.yaml" "sorted((a['name'], a.get('model_client')) for a in d['agents'])")" = \
	  "$(yaml_eval "$WORK/before.yaml" "sorted((a['name'], a.get('model_client')) for a in d['agents'])")" ]
check "unnamed model clients are counted per file" \
	[ "$(yaml_eval "$WORK/after.yaml" "sorted(a['model_client'] for a in d['agents'] if 'model_client' in a)")" = "['openai#1', 'openai#2']" ]
check "unnamed agents are counted per file" \
	[ "$(yaml_eval "$WORK/after.yaml" "sorted(a['name'] for a in d['agents'] if a['name'].startswith('claude-code'))")" = "['claude-code#1', 'claude-code#2']" ]
check "a line added above: only locations change" \
	[ "$(diff "$WORK/before.yaml" "$WORK/after.yaml" | grep '^[<>]' | grep -v -c -E '^[<>] +-( at)? (src/team\.py|scripts/review\.sh):[0-9]+$')" = 0 ]

finish
