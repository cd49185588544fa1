#!/bin/bash
# scan --git on packed histories: blobs read from pack files, deltas searched only near their
# changes, must give the findings of the same history stored as loose objects. Also deep delta
# chains, a damaged pack, packs mixed with loose objects, and a large blob inside a pack.
. "$(dirname "$0")/lib.sh"

COMMITS=300
CHAIN_VERSIONS=400

# scan_git DIR NAME [OPTIONS...]: scan DIR's history into $WORK/NAME.json; the exit status is in $status.
scan_git() {
	dir=$1 name=$2
	shift 2
	timeout 120 "$NHISCAN" scan --git --format json "$@" "$dir" > "$WORK/$name.json" 2> "$WORK/$name.err"
	status=$?
}

# same_scan A B: the scans A and B have the same findings and stats; prints what differs.
same_scan() {
	python3 - "$WORK/$1.json" "$WORK/$2.json" <<'PY'
import json, sys

def load(path):
    d = json.load(open(path))
    keys = sorted((f["rule_id"], f["path"], f["line"], f["column"], f["end_line"], f.get("commit"), f["fingerprint"])
                  for f in d["findings"])
    return keys, d["stats"]

a, a_stats = load(sys.argv[1])
b, b_stats = load(sys.argv[2])
for key in sorted(set(a) - set(b)):
    print("only in %s: %s" % (sys.argv[1], key), file=sys.stderr)
for key in sorted(set(b) - set(a)):
    print("only in %s: %s" % (sys.argv[2], key), file=sys.stderr)
if a != b and set(a) == set(b):
    print("same findings, different counts of duplicates", file=sys.stderr)
if a_stats != b_stats:
    print("stats differ: %s vs %s" % (a_stats, b_stats), file=sys.stderr)
sys.exit(0 if a == b and a_stats == b_stats else 1)
PY
}

stat_of() {
	json_eval "$WORK/$1.json" "d['stats']['$2']"
}

# count_findings NAME [RULE [PATH]]: the number of findings of the scan NAME, by rule and path.
count_findings() {
	json_eval "$WORK/$1.json" "sum(1 for f in d['findings'] if f['rule_id'].startswith('${2:-}') and f['path'].startswith('${3:-}'))"
}

# unpack_all REPO: turn every pack of REPO into loose objects.
unpack_all() {
	mkdir -p "$WORK/unpack"
	for pack in "$1"/.git/objects/pack/*.pack; do
		[ -f "$pack" ] || continue
		mv "$pack" "$WORK/unpack/current.pack"
		rm -f "${pack%.pack}.idx" "${pack%.pack}.rev"
		git -C "$1" unpack-objects -q < "$WORK/unpack/current.pack"
		rm -f "$WORK/unpack/current.pack"
	done
}

# pack_count REPO: the number of pack files; loose_count REPO: the number of loose objects.
pack_count() {
	git -C "$1" count-objects -v | sed -n 's/^packs: //p'
}
loose_count() {
	git -C "$1" count-objects -v | sed -n 's/^count: //p'
}

# blob_deltas REPO: the number of blobs stored as deltas in REPO's packs.
blob_deltas() {
	for idx in "$1"/.git/objects/pack/*.idx; do
		git verify-pack -v "$idx"
	done | awk '$2 == "blob" && NF >= 7' | wc -l
}

# max_chain REPO: the longest delta chain in REPO's packs.
max_chain() {
	for idx in "$1"/.git/objects/pack/*.idx; do
		git verify-pack -v "$idx"
	done | sed -n 's/^chain length = \([0-9]*\):.*/\1/p' | sort -n | tail -n 1
}

# write_history REPO: fast-import COMMITS commits that edit several files with secrets of several
# formats. Lines are inserted and deleted next to the secrets, secrets are moved, removed and added
# again, half of a secret's line is rewritten, and one file is deleted and restored. The edits
# follow a fixed seed and the secrets are random. fast-import writes a pack, so the caller runs
# unpack_all to get loose objects.
write_history() {
	git init -q -b main "$1"
	python3 - "$COMMITS" "$(fake_aws_key_id)" "$(fake_aws_key_id)" "$(fake_aws_key_id)" "$(fake_aws_key_id)" \
		"$(fake_github_token)" "$(fake_github_token)" <<'PY' | git -C "$1" fast-import --quiet
import base64, json, random, secrets, sys

commits = int(sys.argv[1])
aws = sys.argv[2:6]
github = sys.argv[6:8]
rng = random.Random(20240209)
out = sys.stdout.buffer
AWS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def pem_block():
    body = base64.b64encode(secrets.token_bytes(1190)).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return ["-----BEGIN RSA PRIVATE KEY-----"] + lines + ["-----END RSA PRIVATE KEY-----"]


def jwt():
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"sub": "svc-" + secrets.token_hex(4), "iat": 1700000000}).encode())
    return header + "." + payload + "." + b64url(secrets.token_bytes(32))


def password():
    return secrets.token_urlsafe(18)


# A file is a list of elements. A secret element is a list of lines, and a filler element is a string.
counter = [0]


def filler(template):
    counter[0] += 1
    return template % (counter[0], counter[0] * 7919 % 10007)


templates = {
    "config/app.ini": "option_%d = %d",
    "src/client.py": "    value_%d = compute(%d)",
    "deploy/notes.md": "Step %d: run the job with %d workers.",
}
files = {path: [filler(t) for _ in range(120)] for path, t in templates.items()}
files["config/app.ini"].insert(40, ["aws_access_key_id = " + aws[0]])
files["config/app.ini"].insert(90, ['db_password = "%s"' % password()])
files["src/client.py"].insert(30, ['GITHUB_TOKEN = "%s"' % github[0]])
files["src/client.py"].insert(70, ['SESSION = "%s"' % jwt()])
files["deploy/notes.md"].insert(50, pem_block())
files["deploy/notes.md"].insert(100, ["backup key: " + aws[1]])
removed = {path: [] for path in files}
split = ["[upload]"] + ["retry_%d = %d" % (i, i) for i in range(12)] + ["key_id = " + aws[2]] + \
        ["timeout_%d = %d" % (i, i * 3) for i in range(12)]
SPLIT_LINE = 13


def secret_positions(elements):
    return [i for i, e in enumerate(elements) if isinstance(e, list)]


def rewrite_half(element):
    """Rewrite the second half of a secret line, or one line inside a PEM block."""
    line = element[0]
    if len(element) > 1:
        i = rng.randrange(1, len(element) - 2)
        element[i] = base64.b64encode(secrets.token_bytes(48)).decode()
    elif "AKIA" in line:
        element[0] = line[:-8] + "".join(secrets.choice(AWS_ALPHABET) for _ in range(8))
    elif line.startswith("SESSION"):
        element[0] = line[:line.rindex(".") + 1] + b64url(secrets.token_bytes(32)) + '"'
    elif line.startswith("db_password"):
        element[0] = line[:-10] + secrets.token_urlsafe(6) + '"'


def edit(path):
    elements = files[path]
    spots = secret_positions(elements)
    op = rng.randrange(10)
    if op == 0 or not spots:
        elements.insert(rng.randrange(len(elements) + 1), filler(templates[path]))
    elif op == 1:
        elements.insert(rng.choice(spots), filler(templates[path]))
    elif op == 2:
        elements.insert(rng.choice(spots) + 1, filler(templates[path]))
    elif op == 3:
        at = rng.choice(spots) + rng.choice((-1, 1))
        if 0 <= at < len(elements) and isinstance(elements[at], str):
            del elements[at]
    elif op == 4:
        fillers = [i for i, e in enumerate(elements) if isinstance(e, str)]
        del elements[rng.choice(fillers)]
    elif op == 5:
        element = elements.pop(rng.choice(spots))
        elements.insert(rng.randrange(len(elements) + 1), element)
    elif op == 6:
        removed[path].append(elements.pop(rng.choice(spots)))
    elif op == 7 and removed[path]:
        elements.insert(rng.randrange(len(elements) + 1), removed[path].pop())
    elif op == 8:
        rewrite_half(elements[rng.choice(spots)])
    else:
        fillers = [i for i, e in enumerate(elements) if isinstance(e, str)]
        elements[rng.choice(fillers)] = filler(templates[path])


def render(elements):
    lines = []
    for e in elements:
        lines.extend(e if isinstance(e, list) else [e])
    return "\n".join(lines) + "\n"


def data(text):
    raw = text.encode()
    out.write(b"data %d\n" % len(raw) + raw + b"\n")


def modify(path, text):
    out.write(b"M 100644 inline %s\n" % path.encode())
    data(text)


# Random words that no other blob resembles, so that git stores this blob whole and no delta uses it.
standalone = " ".join(secrets.token_hex(6) for _ in range(600)) + "\nkey = " + aws[3] + "\n" + \
    " ".join(secrets.token_hex(6) for _ in range(600)) + "\n"
notes_deleted = False
for n in range(1, commits + 1):
    out.write(b"commit refs/heads/main\n")
    out.write(b"author Test Author <author@example.com> %d +0000\n" % (1600000000 + n))
    out.write(b"committer Test Committer <committer@example.com> %d +0000\n" % (1600000000 + n))
    data("commit %d" % n)
    if n == 1:
        for path in files:
            modify(path, render(files[path]))
        modify("split.cfg", "\n".join(split) + "\n")
        continue
    if n == 5:
        modify("standalone/once.txt", standalone)
    # deploy/notes.md is deleted for ten commits, then added again as it was.
    if n == commits // 2:
        out.write(b"D deploy/notes.md\n")
        notes_deleted = True
    elif n == commits // 2 + 10:
        notes_deleted = False
        modify("deploy/notes.md", render(files["deploy/notes.md"]))
    for path in rng.sample(sorted(files), 2):
        if path == "deploy/notes.md" and notes_deleted:
            continue
        for _ in range(rng.randrange(1, 4)):
            edit(path)
        modify(path, render(files[path]))
    if n % 15 == 0:
        split[SPLIT_LINE] = split[SPLIT_LINE][:-8] + "".join(secrets.choice(AWS_ALPHABET) for _ in range(8))
        modify("split.cfg", "\n".join(split) + "\n")
    elif n % 7 == 0:
        split.insert(rng.choice((SPLIT_LINE + 1, len(split))), "comment_%d = %d" % (n, n))
        modify("split.cfg", "\n".join(split) + "\n")
PY
}

# 1. The same history as loose objects and after a full repack that stores most blobs as deltas.
loose=$WORK/loose
write_history "$loose"
unpack_all "$loose"
check "history: $COMMITS commits written" [ "$(git -C "$loose" rev-list --count HEAD)" -eq "$COMMITS" ]
check "history: loose copy has no pack" [ "$(pack_count "$loose")" -eq 0 ]
cp -a "$loose" "$WORK/packed"
packed=$WORK/packed
git -C "$packed" repack -q -a -d -f --depth=50 --window=250
check "history: packed copy has one pack" [ "$(pack_count "$packed")" -eq 1 ]
check "history: packed copy has no loose object" [ "$(loose_count "$packed")" -eq 0 ]
check "history: at least 300 blobs are deltas" [ "$(blob_deltas "$packed")" -ge 300 ]

scan_git "$loose" loose
check "loose: exit 1" [ "$status" -eq 1 ]
check "loose: no warnings" [ ! -s "$WORK/loose.err" ]
for rule in aws.iam.access-key-id github.pat.classic keys.rsa.private-key jwt.token generic.password; do
	check "loose: $rule found" [ "$(count_findings loose "$rule")" -ge 1 ]
done
# The split key changes its second half every 15 commits: each version is a new key.
check "loose: every version of the half-rewritten key found" \
	[ "$(count_findings loose aws.iam.access-key-id split.cfg)" -eq $((COMMITS / 15 + 1)) ]
check "loose: the standalone blob's key found" [ "$(count_findings loose "" standalone/once.txt)" -eq 1 ]

scan_git "$packed" packed
check "packed: exit 1" [ "$status" -eq 1 ]
check "packed: no warnings" [ ! -s "$WORK/packed.err" ]
check "packed: same findings and stats as loose" same_scan loose packed
for threads in 1 4; do
	scan_git "$packed" "packed-j$threads" -j "$threads"
	check "packed, -j$threads: exit 1" [ "$status" -eq 1 ]
	check "packed, -j$threads: same findings and stats as loose" same_scan loose "packed-j$threads"
	scan_git "$loose" "loose-j$threads" -j "$threads"
	check "loose, -j$threads: same findings and stats as loose" same_scan loose "loose-j$threads"
done

# 2. A delta chain of hundreds of versions of one file, repacked with git's maximum depth.
chain=$WORK/chain
git init -q -b main "$chain"
python3 - "$CHAIN_VERSIONS" "$(fake_aws_key_id)" "$(fake_github_token)" <<'PY' | git -C "$chain" fast-import --quiet
import secrets, sys

versions, key, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
out = sys.stdout.buffer
lines = ["line %d version 0" % i for i in range(200)]
lines[100] = "key_id = " + key
lines[150] = "token = " + token


def find(prefix):
    return next(i for i, line in enumerate(lines) if line.startswith(prefix))


for n in range(1, versions + 1):
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Test Committer <committer@example.com> %d +0000\n" % (1600000000 + n))
    out.write(b"data 0\n")
    at = n * 7 % len(lines)
    if lines[at].startswith("line "):
        lines[at] = "line %d version %d" % (at, n)
    if n % 50 == 0:
        at = find("key_id = ")
        lines[at] = lines[at][:-8] + "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(8))
    if n % 90 == 0:
        at = find("key_id = ")
        lines.insert(at, "inserted above the key in version %d" % n)
        lines.insert(at + 2, "inserted below the key in version %d" % n)
    raw = ("\n".join(lines) + "\n").encode()
    out.write(b"M 100644 inline chain.txt\n")
    out.write(b"data %d\n" % len(raw) + raw + b"\n")
PY
unpack_all "$chain"
cp -a "$chain" "$WORK/chain-packed"
git -C "$WORK/chain-packed" repack -q -a -d -f --depth=4095 --window=250
check "chain: the longest delta chain is over 100 deep" [ "$(max_chain "$WORK/chain-packed")" -gt 100 ]
scan_git "$chain" chain-loose
check "chain, loose: exit 1" [ "$status" -eq 1 ]
check "chain, loose: every key version and the token found" \
	[ "$(count_findings chain-loose)" -eq $((CHAIN_VERSIONS / 50 + 2)) ]
scan_git "$WORK/chain-packed" chain-packed
check "chain, packed: no warnings" [ ! -s "$WORK/chain-packed.err" ]
check "chain, packed: same findings and stats as loose" same_scan chain-loose chain-packed
scan_git "$WORK/chain-packed" chain-packed-j1 -j 1
check "chain, packed, -j1: same findings and stats as loose" same_scan chain-loose chain-packed-j1

# 3. A damaged pack: bytes flipped inside the compressed data of one blob that is neither a
# delta nor the base of one. The scan ends, names the blob, and reports every other secret.
damaged=$WORK/damaged
cp -a "$packed" "$damaged"
blob=$(git -C "$damaged" rev-parse "HEAD:standalone/once.txt")
idx=$(ls "$damaged"/.git/objects/pack/*.idx)
entry=$(git verify-pack -v "$idx" | awk -v id="$blob" '$1 == id')
check "damaged: the blob is stored whole" [ "$(echo "$entry" | awk '{ print NF }')" -eq 5 ]
check "damaged: no delta is based on the blob" \
	sh -c "! git verify-pack -v '$idx' | awk 'NF >= 7 { print \$7 }' | grep -q '$blob'"
offset=$(echo "$entry" | awk '{ print $5 }')
length=$(echo "$entry" | awk '{ print $4 }')
pack=${idx%.idx}.pack
chmod u+w "$pack"
python3 - "$pack" $((offset + length / 2)) <<'PY'
import sys

with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    raw = f.read(8)
    f.seek(int(sys.argv[2]))
    f.write(bytes(b ^ 0xFF for b in raw))
PY
check "damaged: git itself cannot read the blob" sh -c "! git -C '$damaged' cat-file blob '$blob' > /dev/null 2>&1"
scan_git "$damaged" damaged
check "damaged: the scan ends" [ "$status" -ne 124 ]
check "damaged: exit 1 for the readable secrets" [ "$status" -eq 1 ]
check "damaged: warning names the blob as unreadable" \
	grep -q "blob ${blob:0:12} at 'standalone/once.txt' in commit [0-9a-f]* cannot be read (.*); skipped" "$WORK/damaged.err"
check "damaged: one blob counted as unreadable" [ "$(stat_of damaged unreadable)" = 1 ]
check "damaged: the damaged blob's key is not reported" [ "$(count_findings damaged "" standalone/)" -eq 0 ]
check "damaged: every other finding is reported" \
	[ "$(json_eval "$WORK/damaged.json" "len(d['findings'])")" -eq $(($(json_eval "$WORK/packed.json" "len(d['findings'])") - 1)) ]
check "damaged: the other findings are unchanged" \
	[ "$(json_eval "$WORK/damaged.json" "sorted((f['path'], f['line'], f['fingerprint']) for f in d['findings'])")" = \
	  "$(json_eval "$WORK/packed.json" "sorted((f['path'], f['line'], f['fingerprint']) for f in d['findings'] if f['path'] != 'standalone/once.txt')")" ]

# The same damage with a good loose copy of the blob beside the pack: git reads the loose copy,
# and so does the scan, which then reports every secret with no warning.
rescued=$WORK/rescued
cp -a "$damaged" "$rescued"
git -C "$packed" cat-file blob "$blob" > "$WORK/once.txt"
python3 - "$rescued/.git/objects" "$blob" "$WORK/once.txt" <<'PY'
import os
import sys
import zlib

objects, blob, content = sys.argv[1], sys.argv[2], open(sys.argv[3], "rb").read()
os.makedirs(os.path.join(objects, blob[:2]), exist_ok=True)
with open(os.path.join(objects, blob[:2], blob[2:]), "wb") as f:
    f.write(zlib.compress(b"blob %d\0" % len(content) + content))
PY
check "rescued: git reads the loose copy" git -C "$rescued" cat-file -e "$blob"
scan_git "$rescued" rescued
check "rescued: exit 1" [ "$status" -eq 1 ]
check "rescued: no warnings" [ ! -s "$WORK/rescued.err" ]
check "rescued: same findings and stats as the undamaged pack" same_scan packed rescued

# 4. Two packs and loose objects together, against the same history fully loose.
mixed=$WORK/mixed
cp -a "$packed" "$mixed"
edit_and_commit() {
	python3 - "$mixed/config/app.ini" "$1" <<'PY'
import sys

path, n = sys.argv[1], int(sys.argv[2])
lines = open(path).read().splitlines()
at = next((i for i, line in enumerate(lines) if line.startswith(("aws_access_key_id", "db_password"))), len(lines) // 2)
lines.insert(at, "added_before_%d = %d" % (n, n))
lines.insert(at + 2, "added_after_%d = %d" % (n, n))
del lines[-1]
open(path, "w").write("\n".join(lines) + "\n")
PY
	git -C "$mixed" add -A && git -C "$mixed" commit -q -m "edit $1"
}
git -C "$mixed" checkout -q -f main
for n in 1 2 3 4 5 6; do edit_and_commit "$n"; done
printf 'second_pack = %s\n' "$(fake_aws_key_id)" > "$mixed/second.ini"
git -C "$mixed" add -A && git -C "$mixed" commit -q -m "a key for the second pack"
git -C "$mixed" repack -q -d
for n in 7 8 9; do edit_and_commit "$n"; done
printf 'loose = %s\n' "$(fake_aws_key_id)" > "$mixed/loose.ini"
git -C "$mixed" add -A && git -C "$mixed" commit -q -m "a key in a loose object"
check "mixed: two packs" [ "$(pack_count "$mixed")" -eq 2 ]
check "mixed: loose objects too" [ "$(loose_count "$mixed")" -gt 0 ]
cp -a "$mixed" "$WORK/mixed-loose"
unpack_all "$WORK/mixed-loose"
check "mixed, loose copy: no pack" [ "$(pack_count "$WORK/mixed-loose")" -eq 0 ]
scan_git "$WORK/mixed-loose" mixed-loose
scan_git "$mixed" mixed
check "mixed: exit 1" [ "$status" -eq 1 ]
check "mixed: no warnings" [ ! -s "$WORK/mixed.err" ]
check "mixed: the key of the second pack found" [ "$(count_findings mixed "" second.ini)" -eq 1 ]
check "mixed: the key in a loose object found" [ "$(count_findings mixed "" loose.ini)" -eq 1 ]
check "mixed: same findings and stats as the loose copy" same_scan mixed-loose mixed

# 5. Blobs over --max-blob-size inside a pack, one whole and one a delta on it, are skipped.
huge=$WORK/huge
git init -q -b main "$huge"
python3 - "$huge/huge.txt" "$(fake_aws_key_id)" <<'PY'
import sys

with open(sys.argv[1], "w") as f:
    f.write("".join("filler line %d of a large file\n" % i for i in range(6000)))
    f.write("key = %s\n" % sys.argv[2])
PY
printf 'small = %s\n' "$(fake_aws_key_id)" > "$huge/small.ini"
git -C "$huge" add -A && git -C "$huge" commit -q -m "large file"
echo "one more line" >> "$huge/huge.txt"
git -C "$huge" add -A && git -C "$huge" commit -q -m "grow the large file"
git -C "$huge" repack -q -a -d -f
check "huge: one of the large blobs is a delta" [ "$(blob_deltas "$huge")" -eq 1 ]
scan_git "$huge" huge --max-blob-size 100K
check "huge: exit 1 for the small file" [ "$status" -eq 1 ]
check "huge: only the small file reported" \
	[ "$(json_eval "$WORK/huge.json" "[f['path'] for f in d['findings']]")" = "['small.ini']" ]
check "huge: both large blobs counted" [ "$(stat_of huge skipped_large)" = 2 ]
check "huge: a warning for each large blob" \
	[ "$(grep -c "at 'huge.txt' .*over the 102400-byte limit of --max-blob-size; skipped" "$WORK/huge.err")" -eq 2 ]
scan_git "$huge" huge-default
check "huge: found under the default limit" [ "$(count_findings huge-default "" huge.txt)" -eq 1 ]

# 6. A pack file cut short: the warning names its index, and the objects are read through
# libgit2, which cannot read them either, so the scan fails as on any unreadable history.
cut=$WORK/cut
git init -q -b main "$cut"
printf 'key = %s\n' "$(fake_aws_key_id)" > "$cut/secret.ini"
git -C "$cut" add -A && git -C "$cut" commit -q -m "secret"
git -C "$cut" repack -q -a -d
pack=$(ls "$cut"/.git/objects/pack/*.pack)
truncate -s 100 "$pack"
scan_git "$cut" cut
check "cut pack: exit 2" [ "$status" -eq 2 ]
check "cut pack: a warning names the pack's index" \
	grep -q "pack file of index '$(basename "${pack%.pack}").idx' is missing, damaged or does not match it" "$WORK/cut.err"

finish
