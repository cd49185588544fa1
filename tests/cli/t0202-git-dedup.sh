#!/bin/bash
# scan --git on 1000 commits: a secret present in every commit is scanned once and reported once,
# with the commit that introduced it. The histories are written with git fast-import for speed.
. "$(dirname "$0")/lib.sh"

COMMITS=1000

# write_history REPO KEY MODE: fast-import COMMITS commits into a new repository. MODE "same" keeps
# secret.ini unchanged after the first commit; MODE "edited" rewrites it in every commit, keeping
# the key on its last line.
write_history() {
	git init -q -b main "$1"
	python3 - "$2" "$3" "$COMMITS" <<'PY' | git -C "$1" fast-import --quiet
import sys

key, mode, commits = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = sys.stdout.buffer


def data(text):
    raw = text.encode()
    out.write(b"data %d\n" % len(raw) + raw + b"\n")


for n in range(1, commits + 1):
    out.write(b"commit refs/heads/main\n")
    out.write(b"author Test Author <author@example.com> %d +0000\n" % (1600000000 + n))
    out.write(b"committer Test Committer <committer@example.com> %d +0000\n" % (1600000000 + n))
    data("commit %d" % n)
    out.write(b"M 100644 inline counter.txt\n")
    data("%d\n" % n)
    if n == 1 or mode == "edited":
        out.write(b"M 100644 inline secret.ini\n")
        data("version = %d\naws_access_key_id = %s\n" % (n if mode == "edited" else 1, key))
PY
}

# unique_blobs REPO: the number of distinct blobs in the history, counted by git.
unique_blobs() {
	git -C "$1" rev-list --objects --all | cut -d' ' -f1 | git -C "$1" cat-file --batch-check='%(objecttype)' | grep -c '^blob$'
}

for mode in same edited; do
	repo=$WORK/$mode
	write_history "$repo" "$(fake_aws_key_id)" "$mode"
	first=$(git -C "$repo" rev-list --max-parents=0 HEAD)
	check "$mode: $COMMITS commits written" [ "$(git -C "$repo" rev-list --count HEAD)" -eq "$COMMITS" ]

	"$NHISCAN" scan --git --format json "$repo" > "$WORK/$mode.json" 2> "$WORK/$mode.err"
	status=$?
	check "$mode: exit 1" [ "$status" -eq 1 ]
	check "$mode: reported once, with the first commit and line" \
		[ "$(json_eval "$WORK/$mode.json" "[(f['path'], f['line'], f['commit']) for f in d['findings']]")" = "[('secret.ini', 2, '$first')]" ]
	check "$mode: each distinct blob scanned exactly once" \
		[ "$(json_eval "$WORK/$mode.json" "d['stats']['files_scanned']")" -eq "$(unique_blobs "$repo")" ]
	check "$mode: no warnings" [ ! -s "$WORK/$mode.err" ]
done

check "same: the unchanged secret file is one blob" [ "$(unique_blobs "$WORK/same")" -eq $((COMMITS + 1)) ]
check "edited: every version is its own blob" [ "$(unique_blobs "$WORK/edited")" -eq $((2 * COMMITS)) ]

finish
