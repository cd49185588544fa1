# Shared helpers for the end-to-end tests: a temporary folder per script, fake credentials made
# at run time, and checks that count passes and failures. Source it from a tNNNN-*.sh script,
# call `check` for each case and `finish` at the end.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
NHISCAN=${NHISCAN:-$TOP/build/nhiscan}
WORK=$(mktemp -d)
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
# Keep the rule cache out of the user's home, and colours out of the output.
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$WORK/cache}
export NO_COLOR=1
# Tests run git to build repositories; keep the user's configuration out of them.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL=author@example.com
export GIT_COMMITTER_NAME="Test Committer" GIT_COMMITTER_EMAIL=committer@example.com

PASSED=0
FAILED=0

# check NAME COMMAND...: run COMMAND; a zero exit status passes.
check() {
	name=$1
	shift
	if "$@"; then
		PASSED=$((PASSED + 1))
	else
		FAILED=$((FAILED + 1))
		echo "not ok: $name" >&2
	fi
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# random_chars N ALPHABET: N random characters from ALPHABET.
random_chars() {
	python3 -c 'import secrets, sys; print("".join(secrets.choice(sys.argv[2]) for _ in range(int(sys.argv[1]))))' "$1" "$2"
}

ALNUM=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789
UPPER_DIGITS=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567

# A GitHub classic token with a valid CRC32 checksum, built at run time.
fake_github_token() {
	python3 - <<'PY'
import secrets, zlib
alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
body = "".join(secrets.choice(alphabet) for _ in range(30))
crc = zlib.crc32(body.encode())
check = ""
for _ in range(6):
    check = alphabet[crc % 62] + check
    crc //= 62
print("ghp_" + body + check)
PY
}

fake_aws_key_id() {
	echo "AKIA$(random_chars 16 "$UPPER_DIGITS")"
}

fake_aws_secret() {
	random_chars 40 "${ALNUM}/+"
}

# json_field FILE EXPR: evaluate a Python expression on the parsed JSON document `d`.
json_eval() {
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
