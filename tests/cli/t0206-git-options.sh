#!/bin/bash
# scan's git options: conflicting combinations are usage errors, help lists the modes, and the
# progress line appears on a terminal only, never with --quiet or in the report.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
git init -q -b main "$repo"
printf 'key = %s\n' "$(fake_aws_key_id)" > "$repo/creds.ini"
git -C "$repo" add -A
git -C "$repo" commit -q -m "base"

# usage_error NAME EXPECTED-MESSAGE OPTIONS...: the options exit 2 with the message.
usage_error() {
	name=$1 message=$2
	shift 2
	"$NHISCAN" scan "$@" "$repo" > /dev/null 2> "$WORK/usage.err"
	status=$?
	check "$name: exit 2" [ "$status" -eq 2 ]
	check "$name: message" grep -qF "$message" "$WORK/usage.err"
}

usage_error "two modes" "options '--git' and '--staged' cannot be used together" --git --staged
usage_error "range and since" "options '--range' and '--since' cannot be used together" --range HEAD..HEAD --since HEAD
usage_error "all-objects alone" "option '--all-objects' needs '--git'" --all-objects
usage_error "blob limit without a git mode" "option '--max-blob-size' applies to --git" --max-blob-size 1M
usage_error "file limit with a git mode" "use '--max-blob-size' with '--git'" --git --max-file-size 1M
usage_error "invalid blob limit" "invalid size 'lots'" --git --max-blob-size lots

"$NHISCAN" scan --help > "$WORK/help.txt"
for option in --git --all-objects --staged --range --since --max-blob-size; do
	check "help lists $option" grep -q -- "$option" "$WORK/help.txt"
done

# Not a terminal: no progress, and the report is unchanged.
"$NHISCAN" scan --git --format json "$repo" > "$WORK/plain.json" 2> "$WORK/plain.err"
check "no terminal: no progress on stderr" [ ! -s "$WORK/plain.err" ]

# On a terminal (script(1) provides one): a progress line on stderr, none with --quiet.
if command -v script > /dev/null 2>&1; then
	script -qec "'$NHISCAN' scan --git --format json --output '$WORK/tty.json' '$repo'" /dev/null > "$WORK/tty.out" 2>&1
	check "terminal: progress shown" grep -q "scanning: 1/1 blobs" "$WORK/tty.out"
	check "terminal: the report is unchanged" \
		[ "$(json_eval "$WORK/tty.json" "d['findings']")" = "$(json_eval "$WORK/plain.json" "d['findings']")" ]
	script -qec "'$NHISCAN' scan --git --quiet --format json --output '$WORK/quiet.json' '$repo'" /dev/null > "$WORK/quiet.out" 2>&1
	check "terminal with --quiet: no progress" sh -c "! grep -q scanning: '$WORK/quiet.out'"
else
	echo "skipped: script(1) is not installed, so the terminal cases cannot run"
fi

finish
