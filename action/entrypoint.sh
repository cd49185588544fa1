#!/bin/bash
# The entry script of the nhiscan GitHub Action (action/action.yml): the pull-request check.
#
# It reads the event payload at $GITHUB_EVENT_PATH to find the commits to check: a pull request's
# base and head, a push's before and after, or a merge group's base and head. It scans the lines
# those commits add with `nhiscan scan --range`, and runs `nhiscan check` against the committed
# inventory when the repository has one. The results are reported four ways: a SARIF file for
# code scanning, one workflow annotation per finding, a markdown job summary in
# $GITHUB_STEP_SUMMARY, and step outputs in $GITHUB_OUTPUT. docs/ACTION.md documents the inputs
# and outputs.
#
# Inputs arrive as INPUT_* environment variables from action.yml. Exit status: 0 when the check
# passes, 1 when it fails (new findings, or an inventory change that is not committed), 2 when it
# cannot run. It needs bash, git and jq, which GitHub's hosted runners provide.
set -eu

nhiscan=${INPUT_NHISCAN:-nhiscan}
repo=${INPUT_PATH:-${GITHUB_WORKSPACE:-.}}
base=${INPUT_BASE:-}
head=${INPUT_HEAD:-}
inventory=${INPUT_INVENTORY:-nhi-inventory.yaml}
sarif=${INPUT_SARIF_FILE:-nhiscan.sarif}
fail_on_findings=${INPUT_FAIL_ON_FINDINGS:-true}
fail_on_inventory=${INPUT_FAIL_ON_INVENTORY:-true}
event_name=${GITHUB_EVENT_NAME:-}
event_path=${GITHUB_EVENT_PATH:-}
summary=${GITHUB_STEP_SUMMARY:-/dev/null}
outputs=${GITHUB_OUTPUT:-/dev/null}

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/nhiscan.XXXXXX")
trap 'rm -rf "$work"' EXIT

# fail MESSAGE: report an error that stops the check, as an annotation and on the summary.
fail() {
	echo "::error title=nhiscan::$(escape_data "$1")"
	printf '## nhiscan\n\nThe check could not run: %s\n' "$1" >> "$summary"
	echo "result=error" >> "$outputs"
	exit 2
}

# Workflow commands end a value at a newline and read % as an escape, so both are encoded.
escape_data() {
	printf '%s' "$1" | sed -e 's/%/%25/g' | awk 'BEGIN { ORS = "" } NR > 1 { print "%0A" } { print }'
}

is_zero() {
	case $1 in
	*[!0]*) return 1 ;;
	*) return 0 ;;
	esac
}

# payload FILTER: evaluate a jq filter on the event payload; empty when there is none.
payload() {
	if [ -n "$event_path" ] && [ -r "$event_path" ]; then
		jq -r "$1 // empty" "$event_path"
	fi
}

# Pick BASE and HEAD from the event unless the inputs set them; empty BASE means the whole history.
resolve_range() {
	if [ -n "$base" ] || [ -n "$head" ]; then
		head=${head:-HEAD}
		return 0
	fi
	case $event_name in
	pull_request | pull_request_target)
		base=$(payload .pull_request.base.sha)
		head=$(payload .pull_request.head.sha)
		;;
	push)
		base=$(payload .before)
		head=$(payload .after)
		# A new branch has no old commit; compare it with the default branch when the clone has it.
		if [ -n "$base" ] && is_zero "$base"; then
			base=$(git -C "$repo" rev-parse -q --verify "origin/$(payload .repository.default_branch)" || true)
			if [ -n "$base" ]; then
				base=$(git -C "$repo" merge-base "$base" "$head" || true)
			fi
		fi
		;;
	merge_group)
		base=$(payload .merge_group.base_sha)
		head=$(payload .merge_group.head_sha)
		;;
	esac
	head=${head:-HEAD}
	if [ -n "$base" ] && [ -z "$head" ]; then
		fail "the '$event_name' event payload names no head commit; set the 'head' input"
	fi
}

# Check that the commits exist: actions/checkout fetches one commit unless fetch-depth is 0.
verify_commits() {
	for commit in $base $head; do
		if ! git -C "$repo" cat-file -e "$commit^{commit}" 2> /dev/null; then
			fail "commit '$commit' is not in the clone at '$repo'; check out with 'fetch-depth: 0' (actions/checkout) so that the pull request's base is there"
		fi
	done
}

# scan FORMAT FILE: scan the range (or the whole history) into FILE; the exit status is returned.
scan() {
	if [ -n "$base" ]; then
		"$nhiscan" scan --quiet --range "$base..$head" --format "$1" --output "$2" "$repo"
	else
		"$nhiscan" scan --quiet --git --format "$1" --output "$2" "$repo"
	fi
}

# Print one annotation per finding: errors for critical and high, warnings for the rest.
annotate() {
	jq -r '
		def data: gsub("%"; "%25") | gsub("\r"; "%0D") | gsub("\n"; "%0A");
		def property: data | gsub(":"; "%3A") | gsub(","; "%2C");
		.findings[] |
		(if .severity == "critical" or .severity == "high" then "error" else "warning" end) as $level |
		"::\($level) file=\(.path | property),line=\(.line),col=\(.column),title=\("nhiscan: " + .rule_id | property)::" +
		("\(.rule_name)" + (if .redacted then " \(.redacted), fingerprint \(.fingerprint)" else "" end) +
		 (if .message then ": \(.message)" else "" end) +
		 (if .commit then " (added in \(.commit[0:12]))" else "" end) +
		 ". To allow a false positive, add the comment nhiscan:allow on the line or the fingerprint to allow-fingerprints in .nhiscan.yaml." | data)
	' "$1"
}

# Append the markdown table of findings to the summary.
summarize_findings() {
	jq -r '
		def cell: tostring | gsub("\\|"; "\\|") | gsub("\n"; " ");
		if (.findings | length) == 0 then "No new credentials or risky settings in these commits.\n"
		else
			"| Severity | Rule | Location | Commit | Detail |",
			"|---|---|---|---|---|",
			(.findings[] | "| \(.severity) | `\(.rule_id)` \(.rule_name | cell) | `\(.path | cell):\(.line)` | \(if .commit then "`" + .commit[0:12] + "`" else "" end) | \(if .redacted then "`" + .redacted + "` fingerprint `" + .fingerprint + "`" else (.message // "" | cell) end) |"),
			""
		end
	' "$1" >> "$summary"
}

# Print one annotation per inventory change: an error when it blocks, else a warning.
annotate_changes() {
	jq -r '
		def data: gsub("%"; "%25") | gsub("\r"; "%0D") | gsub("\n"; "%0A");
		def property: data | gsub(":"; "%3A") | gsub(","; "%2C");
		.changes[] |
		(if .blocking then "error" else "warning" end) as $level |
		((.location // "") | capture("^(?<file>.*):(?<line>[0-9]+)$")? // {}) as $place |
		"::\($level) " +
		(if $place.file then "file=\($place.file | property),line=\($place.line)," else "" end) +
		"title=\("nhiscan inventory" | property)::" +
		("\(.change) \(.kind) \(.name) (\(.id))" +
		 (if .risk then ": \(.risk.category) \(.risk.title), score \(.risk.score)" else "" end) +
		 ". Review it, then run nhiscan inventory --update and commit the inventory." | data)
	' "$1"
}

# Append the markdown table of the identities and risks that the committed inventory lacks.
summarize_changes() {
	jq -r --arg file "$inventory" '
		def cell: tostring | gsub("\\|"; "\\|") | gsub("\n"; " ");
		if .up_to_date then "The committed inventory `\($file)` lists every identity and risk.\n"
		else
			"| Change | Kind | Identity | Risk | Score | Location |",
			"|---|---|---|---|---|---|",
			(.changes[] | "| \(.change) | \(.kind) | `\(.name | cell)` (`\(.id)`) | \(if .risk then "\(.risk.category) \(.risk.title | cell)" else "" end) | \(if .risk then (if .risk.old_score > 0 then "\(.risk.old_score) → \(.risk.score)" else "\(.risk.score)" end) else "" end) | \(if .location then "`" + (.location | cell) + "`" else "" end) |"),
			"",
			"Review these changes, then run `nhiscan inventory --update` and commit `\($file)`.",
			""
		end
	' "$1" >> "$summary"
}

# Run `nhiscan check` when the repository commits an inventory; sets check_result.
check_inventory() {
	check_result=skipped
	if [ ! -f "$repo/$inventory" ]; then
		# shellcheck disable=SC2016 # the backticks are markdown
		printf '### Inventory\n\nNo committed inventory (`%s`); `nhiscan inventory` creates one.\n\n' "$inventory" >> "$summary"
		return 0
	fi
	status=0
	"$nhiscan" check --quiet --format json --file "$repo/$inventory" "$repo" > "$work/check.json" 2> "$work/check.err" ||
		status=$?
	case $status in
	0) check_result=passed ;;
	1) check_result=failed ;;
	*) fail "nhiscan check failed: $(tail -n 1 "$work/check.err")" ;;
	esac
	printf '### Inventory check: %s\n\n' "$check_result" >> "$summary"
	summarize_changes "$work/check.json"
	annotate_changes "$work/check.json"
}

if ! command -v jq > /dev/null 2>&1; then
	fail "jq is not installed; install it before this step"
fi
if ! command -v "$nhiscan" > /dev/null 2>&1; then
	fail "cannot run nhiscan at '$nhiscan'; set the 'nhiscan-path' input or let the action build it"
fi

resolve_range
if [ -n "$base" ]; then
	verify_commits
	scope="commits \`${base:0:12}..${head:0:12}\`"
else
	scope="the whole history"
fi

status=0
scan json "$work/findings.json" 2> "$work/scan.err" || status=$?
if [ "$status" -gt 1 ]; then
	fail "nhiscan scan failed: $(tail -n 1 "$work/scan.err")"
fi
scan sarif "$sarif" 2> /dev/null || true
findings=$(jq '.findings | length' "$work/findings.json")

annotate "$work/findings.json"
{
	echo "## nhiscan"
	echo
	echo "Scanned $scope: $findings new finding$([ "$findings" -eq 1 ] || echo s)."
	echo
} >> "$summary"
summarize_findings "$work/findings.json"
check_inventory

result=passed
if { [ "$findings" -gt 0 ] && [ "$fail_on_findings" = true ]; } ||
	{ [ "$check_result" = failed ] && [ "$fail_on_inventory" = true ]; }; then
	result=failed
fi
{
	echo "findings=$findings"
	echo "sarif-file=$sarif"
	echo "inventory=$check_result"
	echo "result=$result"
} >> "$outputs"

echo "nhiscan: $findings new finding(s) in $scope; inventory check: $check_result; result: $result"
[ "$result" = passed ]
