#!/bin/sh
# Run every test: the cmocka unit programs, the signature check and the end-to-end scripts.
#   tests/run.sh OUT     (OUT is the build folder that holds nhiscan and tests/)
# Prints one line per test program and a final "N passed, M failed" line; exits 1 on failure.
set -u

out=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
NHISCAN="$top/$out/nhiscan"
export NHISCAN
# Tests must not use or fill the user's rule cache.
XDG_CACHE_HOME=$(mktemp -d)
export XDG_CACHE_HOME
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT
log=$(mktemp)

passed=0
failed=0

run_one() {
	name=$1
	shift
	if "$@" > "$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok    $name"
	else
		failed=$((failed + 1))
		echo "FAIL  $name"
		sed 's/^/      /' "$log" | tail -n 40
	fi
}

for t in $(find "$top/$out/tests" -type f -perm -u+x 2>/dev/null | sort); do
	run_one "unit/${t#"$top/$out/tests/"}" "$t"
done

run_one "signatures check" "$NHISCAN" signatures check --no-config

for t in "$top"/tests/cli/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	run_one "cli/$(basename "$t")" bash "$t"
done

rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
