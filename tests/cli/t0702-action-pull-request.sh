#!/bin/bash
# The GitHub Action's entry script, run as a workflow step would run it: a simulated event payload
# in $GITHUB_EVENT_PATH, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY files, and a clone that has the
# pull request's history. A clean pull request passes; one that adds a key fails with an
# annotation, a summary row and a SARIF result.
. "$(dirname "$0")/lib.sh"
set -u

if ! command -v jq > /dev/null 2>&1; then
	echo "skip: jq is not installed; the action's entry script needs it"
	finish
	exit
fi

commit_file() {
	mkdir -p "$(dirname "$1/$2")"
	printf '%s\n' "$3" > "$1/$2"
	git -C "$1" add "$2"
	git -C "$1" commit -q -m "add $2"
	git -C "$1" rev-parse HEAD
}

# pull_request_event FILE BASE HEAD: write a pull_request payload with the fields the script reads.
pull_request_event() {
	cat > "$1" <<JSON
{
  "action": "synchronize",
  "number": 7,
  "pull_request": {
    "number": 7,
    "base": { "ref": "main", "sha": "$2" },
    "head": { "ref": "feature", "sha": "$3" }
  },
  "repository": { "full_name": "example/service", "default_branch": "main" }
}
JSON
}

# run_action NAME EVENT_NAME EVENT_FILE [VAR=VALUE...]: run the entry script in $repo as a step.
run_action() {
	name=$1 event_name=$2 event_file=$3
	shift 3
	mkdir -p "$WORK/$name"
	: > "$WORK/$name/summary.md"
	: > "$WORK/$name/output.txt"
	status=0
	# As after actions/checkout, the work tree contains the head of the pull request.
	git -C "$repo" checkout -q --detach "$(json_eval "$event_file" "d.get('pull_request', {}).get('head', {}).get('sha') or d.get('after') or 'HEAD'" 2> /dev/null || echo HEAD)"
	(cd "$repo" && env GITHUB_EVENT_NAME="$event_name" GITHUB_EVENT_PATH="$event_file" \
		GITHUB_WORKSPACE="$repo" GITHUB_STEP_SUMMARY="$WORK/$name/summary.md" \
		GITHUB_OUTPUT="$WORK/$name/output.txt" RUNNER_TEMP="$WORK" INPUT_NHISCAN="$NHISCAN" \
		INPUT_PATH=. INPUT_SARIF_FILE="$WORK/$name/nhiscan.sarif" "$@" \
		bash "$TOP/action/entrypoint.sh") > "$WORK/$name/stdout" 2> "$WORK/$name/stderr" || status=$?
}

output_of() {
	sed -n "s/^$2=//p" "$WORK/$1/output.txt"
}

repo=$WORK/service
git init -q -b main "$repo"
commit_file "$repo" README.md "service" > /dev/null
commit_file "$repo" config/old.ini "old = $(fake_aws_key_id)" > /dev/null
base=$(commit_file "$repo" src/app.py "print('app')")

# A clean pull request: two commits that add no credential.
git -C "$repo" checkout -q -b clean
commit_file "$repo" src/util.py "def helper(): return 1" > /dev/null
clean_head=$(commit_file "$repo" docs/notes.md "notes")
pull_request_event "$WORK/clean.json" "$base" "$clean_head"
run_action clean pull_request "$WORK/clean.json"
check "clean: exit 0" [ "$status" -eq 0 ]
check "clean: no annotation" sh -c "! grep -q '^::error' '$WORK/clean/stdout'"
check "clean: output findings=0" [ "$(output_of clean findings)" = 0 ]
check "clean: output result=passed" [ "$(output_of clean result)" = passed ]
check "clean: output inventory=skipped" [ "$(output_of clean inventory)" = skipped ]
check "clean: output sarif-file" [ "$(output_of clean sarif-file)" = "$WORK/clean/nhiscan.sarif" ]
check "clean: summary names the range" grep -q "${base:0:12}\.\.${clean_head:0:12}" "$WORK/clean/summary.md"
check "clean: summary says nothing new" grep -q "No new credentials" "$WORK/clean/summary.md"
check "clean: SARIF with no results" [ "$(json_eval "$WORK/clean/nhiscan.sarif" "len(d['runs'][0]['results'])")" = 0 ]
check "clean: the old key before the base is not reported" sh -c "! grep -q old.ini '$WORK/clean/summary.md'"

# A pull request that adds a key in its second commit, in a file whose name needs escaping.
git -C "$repo" checkout -q -b leaky "$base"
commit_file "$repo" src/util.py "def helper(): return 1" > /dev/null
key_commit=$(commit_file "$repo" "config/prod,eu.py" "import os
TOKEN = \"$(fake_github_token)\"")
leaky_head=$(commit_file "$repo" docs/notes.md "notes")
pull_request_event "$WORK/leaky.json" "$base" "$leaky_head"
run_action leaky pull_request "$WORK/leaky.json"
check "key: exit 1" [ "$status" -eq 1 ]
check "key: an error annotation at the file and line" \
	grep -q "^::error file=config/prod%2Ceu.py,line=2,col=[0-9]*,title=nhiscan%3A github.pat.classic::" "$WORK/leaky/stdout"
check "key: the annotation says how to allow" grep -q "nhiscan:allow" "$WORK/leaky/stdout"
check "key: output findings=1" [ "$(output_of leaky findings)" = 1 ]
check "key: output result=failed" [ "$(output_of leaky result)" = failed ]
check "key: summary table header" grep -q "^| Severity | Rule | Location | Commit | Detail |" "$WORK/leaky/summary.md"
check "key: summary row" grep -q "^| critical | \`github.pat.classic\` .* | \`config/prod,eu.py:2\` | \`${key_commit:0:12}\` | \`ghp_" "$WORK/leaky/summary.md"
check "key: SARIF result" [ "$(json_eval "$WORK/leaky/nhiscan.sarif" "[r['ruleId'] for r in d['runs'][0]['results']]")" = "['github.pat.classic']" ]
check "key: the secret appears nowhere" sh -c "! grep -rq 'ghp_[A-Za-z0-9]\{36\}' '$WORK/leaky'"

# fail-on-findings=false reports but passes.
run_action report-only pull_request "$WORK/leaky.json" INPUT_FAIL_ON_FINDINGS=false
check "report only: exit 0" [ "$status" -eq 0 ]
check "report only: still annotated" grep -q "^::error file=config/prod%2Ceu.py" "$WORK/report-only/stdout"
check "report only: output findings=1" [ "$(output_of report-only findings)" = 1 ]

# A push event: the range is before..after.
cat > "$WORK/push.json" <<JSON
{ "ref": "refs/heads/leaky", "before": "$key_commit", "after": "$leaky_head",
  "repository": { "full_name": "example/service", "default_branch": "main" } }
JSON
run_action push push "$WORK/push.json"
check "push after the key: exit 0" [ "$status" -eq 0 ]

# With a committed inventory, the check also compares the identities: a clean pull request passes.
git -C "$repo" checkout -q main
"$NHISCAN" inventory --quiet "$repo"
git -C "$repo" add nhi-inventory.yaml
git -C "$repo" commit -q -m "commit the inventory"
inv_base=$(git -C "$repo" rev-parse HEAD)
git -C "$repo" checkout -q -b inv-clean
inv_clean=$(commit_file "$repo" src/more.py "def more(): return 2")
pull_request_event "$WORK/inv-clean.json" "$inv_base" "$inv_clean"
run_action inv-clean pull_request "$WORK/inv-clean.json"
check "inventory, clean: exit 0" [ "$status" -eq 0 ]
check "inventory, clean: output inventory=passed" [ "$(output_of inv-clean inventory)" = passed ]
check "inventory, clean: summary says so" grep -q "lists every identity and risk" "$WORK/inv-clean/summary.md"

# A pull request that adds a workflow passing a secret to a third-party action: no literal key,
# so the scan finds nothing, but the inventory check fails on the new identities and risks.
git -C "$repo" checkout -q -b inv-workflow "$inv_base"
inv_workflow=$(commit_file "$repo" .github/workflows/deploy.yml 'on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: example/deploy@main
        with:
          token: ${{ secrets.DEPLOY_TOKEN }}')
pull_request_event "$WORK/inv-workflow.json" "$inv_base" "$inv_workflow"
run_action inv-workflow pull_request "$WORK/inv-workflow.json"
check "inventory, new workflow: exit 1" [ "$status" -eq 1 ]
check "inventory, new workflow: output findings=0" [ "$(output_of inv-workflow findings)" = 0 ]
check "inventory, new workflow: output inventory=failed" [ "$(output_of inv-workflow inventory)" = failed ]
check "inventory, new workflow: table header" \
	grep -q "^| Change | Kind | Identity | Risk | Score | Location |" "$WORK/inv-workflow/summary.md"
check "inventory, new workflow: the secret reference is a new row" \
	grep -q "^| added | references | \`DEPLOY_TOKEN\` (\`ref-DEPLOY_TOKEN\`) |" "$WORK/inv-workflow/summary.md"
check "inventory, new workflow: a risk row with its score" \
	grep -q "^| risk-added | .* | NHI3 .* | [0-9]* | \`.github/workflows/deploy.yml:[0-9]*\` |" "$WORK/inv-workflow/summary.md"
check "inventory, new workflow: an annotation on the workflow" \
	grep -q "^::error file=.github/workflows/deploy.yml,line=[0-9]*,title=nhiscan inventory::" "$WORK/inv-workflow/stdout"
check "inventory, new workflow: says how to accept" grep -q "nhiscan inventory --update" "$WORK/inv-workflow/summary.md"
run_action inv-accepted pull_request "$WORK/inv-workflow.json" INPUT_FAIL_ON_INVENTORY=false
check "inventory, fail-on-inventory=false: exit 0" [ "$status" -eq 0 ]

# An MCP server with a literal key fails both ways.
git -C "$repo" checkout -q -b inv-mcp "$inv_base"
inv_mcp=$(commit_file "$repo" .cursor/mcp.json "{\"mcpServers\": {\"db\": {\"command\": \"npx\", \"args\": [\"-y\", \"@example/db-mcp\"], \"env\": {\"DB_TOKEN\": \"$(fake_github_token)\"}}}}")
pull_request_event "$WORK/inv-mcp.json" "$inv_base" "$inv_mcp"
run_action inv-mcp pull_request "$WORK/inv-mcp.json"
check "inventory, MCP key: exit 1" [ "$status" -eq 1 ]
check "inventory, MCP key: the key is a finding" [ "$(output_of inv-mcp findings)" = 1 ]
check "inventory, MCP key: the MCP server is a new row" grep -q "^| added | mcp_servers | \`db\`" "$WORK/inv-mcp/summary.md"

# A pull request whose base is not in the clone (a shallow checkout): exit 2 and the fix.
missing=0123456789abcdef0123456789abcdef01234567
pull_request_event "$WORK/missing.json" "$missing" "$leaky_head"
run_action missing pull_request "$WORK/missing.json"
check "missing base: exit 2" [ "$status" -eq 2 ]
check "missing base: error annotation names the fix" grep -q "^::error title=nhiscan::commit '$missing' is not in the clone.*fetch-depth: 0" "$WORK/missing/stdout"
check "missing base: output result=error" [ "$(output_of missing result)" = error ]

# Explicit inputs override the event.
run_action inputs workflow_dispatch /dev/null INPUT_BASE="$base" INPUT_HEAD="$clean_head"
check "base and head inputs: exit 0" [ "$status" -eq 0 ]

finish
