#!/usr/bin/env bash
# End-to-end detection quality: scan a generated corpus of planted fake credentials.
#
# tests/corpus/generate.py writes a project tree with random fake credentials and a list of
# where it planted them (expected.json), plus look-alike files under lookalike/ that contain
# none. This test scans the tree with `nhiscan scan --format json` and checks two things:
#   1. recall: a planted credential counts as found when a finding has the same path and one
#      of the credential's accepted lines. Recall must be at least 95%.
#   2. no finding at all under lookalike/.
# Output shows paths, lines, rule ids and redacted previews only, never a value.
#
# Environment:
#   NHISCAN              binary to test (default: build/nhiscan in the repository)
#   NHISCAN_CORPUS_SEED  seed for the generator (default: 1, so that runs are reproducible)
#   NHISCAN_RECALL_MIN   minimum recall in percent (default: 95)
#   NHISCAN_KEEP_CORPUS  when set to 1, keep the corpus folder and print its path

set -u

test_name="t0100-scan-recall"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
nhiscan="${NHISCAN:-$repo_root/build/nhiscan}"
seed="${NHISCAN_CORPUS_SEED:-1}"
recall_min="${NHISCAN_RECALL_MIN:-95}"

workdir="$(mktemp -d "${TMPDIR:-/tmp}/nhiscan-recall.XXXXXX")"
cleanup() {
	if [ "${NHISCAN_KEEP_CORPUS:-0}" = "1" ]; then
		echo "$test_name: corpus kept in $workdir"
	else
		rm -rf "$workdir"
	fi
}
trap cleanup EXIT

if [ ! -x "$nhiscan" ]; then
	echo "$test_name: nhiscan binary not found or not executable: $nhiscan (run make, or set NHISCAN)" >&2
	echo "0 passed, 2 failed"
	exit 1
fi

corpus="$workdir/corpus"
if ! python3 "$repo_root/tests/corpus/generate.py" "$corpus" --seed "$seed"; then
	echo "$test_name: corpus generator failed" >&2
	echo "0 passed, 2 failed"
	exit 1
fi

# expected.json is moved out of the tree so that the scan does not read it.
mv "$corpus/expected.json" "$workdir/expected.json"

scan_status=0
"$nhiscan" scan "$corpus" --format json >"$workdir/findings.json" 2>"$workdir/scan.stderr" ||
	scan_status=$?

python3 - "$workdir/expected.json" "$workdir/findings.json" "$scan_status" "$recall_min" \
	"$workdir/scan.stderr" "$seed" <<'PYTHON'
"""Compare nhiscan's findings with the planted credentials and report recall and false positives."""
import collections
import json
import os
import sys

expected_path, findings_path, scan_status, recall_min, stderr_path, seed = sys.argv[1:7]
scan_status = int(scan_status)
recall_min = float(recall_min)

passed = 0
failed = 0


def report(ok, message):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {message}")
    else:
        failed += 1
        print(f"not ok - {message}")


def finish():
    print(f"{passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 else 1)


def normalize(path):
    return os.path.normpath(path).replace(os.sep, "/")


with open(expected_path, encoding="utf-8") as f:
    expected = json.load(f)
credentials = expected["credentials"]
lookalike_prefix = expected.get("lookalike_dir", "lookalike") + "/"

findings = None
if scan_status not in (0, 1):
    with open(stderr_path, encoding="utf-8", errors="replace") as f:
        stderr_tail = f.read()[-2000:]
    print(f"nhiscan scan exited with status {scan_status} (expected 0 or 1); stderr:")
    print(stderr_tail.rstrip())
else:
    try:
        with open(findings_path, encoding="utf-8") as f:
            findings = json.load(f)["findings"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"nhiscan output is not a JSON object with a findings array: {error}")

if findings is None:
    report(False, "recall (scan failed)")
    report(False, "no findings under lookalike/ (scan failed)")
    finish()

# Index findings by (path, line). The generator never plants two credentials on one line, so
# any finding on a credential's line counts as its detection.
by_line = collections.defaultdict(list)
for finding in findings:
    by_line[(normalize(finding.get("path", "")), finding.get("line"))].append(finding)

matched_keys = set()
missed = []
per_provider = collections.defaultdict(lambda: [0, 0])
for credential in credentials:
    path = normalize(credential["path"])
    lines = credential.get("lines") or [credential["line"]]
    hit = next((line for line in lines if by_line.get((path, line))), None)
    per_provider[credential["provider"]][1] += 1
    if hit is None:
        missed.append(credential)
        continue
    per_provider[credential["provider"]][0] += 1
    for line in lines:
        matched_keys.add((path, line))

found = len(credentials) - len(missed)
recall = 100.0 * found / len(credentials) if credentials else 0.0
print(f"seed {seed}: {len(credentials)} planted credentials in {expected.get('files', '?')} files, "
      f"{expected.get('lookalike_files', '?')} look-alike files, {len(findings)} findings")
print(f"recall: {found}/{len(credentials)} = {recall:.1f}% (minimum {recall_min:g}%)")

print("recall by provider:")
for provider in sorted(per_provider, key=str.lower):
    hits, total = per_provider[provider]
    print(f"  {provider:<14} {hits}/{total}")

if missed:
    print("missed credentials, by provider:")
    by_provider = collections.defaultdict(list)
    for credential in missed:
        by_provider[credential["provider"]].append(credential)
    for provider in sorted(by_provider, key=str.lower):
        for credential in by_provider[provider]:
            print(f"  {provider}: {credential['path']}:{credential['line']}:{credential.get('column', '?')}"
                  f" ({credential.get('spec', credential['kind'])})")


def describe(finding):
    return (f"{finding.get('path')}:{finding.get('line')}:{finding.get('column')}"
            f" rule={finding.get('rule_id')} redacted={finding.get('redacted')}")


lookalike_findings = [f for f in findings if normalize(f.get("path", "")).startswith(lookalike_prefix)]
if lookalike_findings:
    print(f"findings under {lookalike_prefix} (false positives):")
    for finding in sorted(lookalike_findings, key=lambda f: (f.get("path", ""), f.get("line") or 0)):
        print(f"  {describe(finding)}")

# Findings outside lookalike/ on lines where nothing was planted are listed for information only.
# Some are fair, such as CI posture findings (ci.checkout.persist-credentials), and others are false
# positives to look at.
extra = [f for f in findings
         if not normalize(f.get("path", "")).startswith(lookalike_prefix)
         and (normalize(f.get("path", "")), f.get("line")) not in matched_keys]
if extra:
    print(f"other findings on lines without a planted credential ({len(extra)}, not checked):")
    for finding in sorted(extra, key=lambda f: (f.get("path", ""), f.get("line") or 0)):
        print(f"  {describe(finding)}")

report(recall >= recall_min, f"recall {recall:.1f}% is at least {recall_min:g}%")
report(not lookalike_findings,
       f"no findings under {lookalike_prefix} ({len(lookalike_findings)} found)")
finish()
PYTHON
