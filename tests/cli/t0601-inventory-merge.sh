#!/bin/bash
# inventory: two branches that each add one credential merge their inventories. When the new
# entries sort into different places, `git merge` needs nothing and the result equals a fresh
# inventory of the merged tree. When they sort into the same place, the only conflict is
# between the two new entries: nhiscan reads the conflicted file as the union of both sides,
# and a run of `nhiscan inventory` resolves it.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo/services"
cd "$repo" || exit 1
git init -q -b main .
echo '* @acme/platform' > CODEOWNERS

# fingerprint_id VALUE: the credential id nhiscan gives VALUE (see src/model/secret.h).
fingerprint_id() {
	python3 -c 'import hashlib, sys; print("cred-" + hashlib.sha256(b"nhiscan:v1:" + sys.argv[1].encode()).hexdigest()[:12])' "$1"
}

# A Stripe key whose credential id starts with one of the hex digits in $1.
stripe_key_in() {
	while :; do
		key="sk_live_$(random_chars 32 "$ALNUM")"
		case "$(fingerprint_id "$key")" in cred-[$1]*) echo "$key"; return ;; esac
	done
}

# The base contains one credential in the middle of the id range, so that new ids that start
# with 0-3 and with c-f fall on different sides of it.
base_key=$(stripe_key_in 789)
printf 'BASE_SECRET_KEY=%s\n' "$base_key" > services/base.env
git add -A
git commit -qm "Add the base service"
"$NHISCAN" inventory -q "$repo"
git add nhi-inventory.yaml
git commit -qm "Add the inventory"

# add_on_branch BRANCH FILE VARIABLE KEY: commit a credential and the updated inventory.
add_on_branch() {
	git checkout -q -b "$1" main
	printf '%s=%s\n' "$3" "$4" > "services/$2"
	"$NHISCAN" inventory -q "$repo"
	git add -A
	git commit -qm "Add $2"
}

add_on_branch billing billing.env ALPHA_SECRET_KEY "$(stripe_key_in 0123)"
add_on_branch mail mail.env ZULU_SECRET_KEY "$(stripe_key_in cdef)"
git checkout -q billing
git merge -q --no-edit mail > "$WORK/merge.txt" 2>&1
check "different places: git merges without a conflict" [ $? -eq 0 ]
cp nhi-inventory.yaml "$WORK/merged.yaml"
"$NHISCAN" inventory -q "$repo"
check "different places: the merge equals a fresh inventory" cmp -s nhi-inventory.yaml "$WORK/merged.yaml"
"$NHISCAN" check "$repo" > "$WORK/check.txt"
check "different places: check passes on the merge" [ $? -eq 0 ]
check "different places: both credentials listed" [ "$(grep -c '^- id: cred-' nhi-inventory.yaml)" = 3 ]

# Two credentials whose ids both sort after the base one land in the same place.
git checkout -q -f main
add_on_branch first first.env FIRST_SECRET_KEY "$(stripe_key_in cdef)"
add_on_branch second second.env SECOND_SECRET_KEY "$(stripe_key_in cdef)"
cp nhi-inventory.yaml "$WORK/second.yaml"
git show first:nhi-inventory.yaml > "$WORK/first.yaml"
git checkout -q first
git merge -q --no-edit second > "$WORK/merge.txt" 2>&1
check "same place: git reports a conflict" [ $? -ne 0 ]
check "same place: only the inventory conflicts" [ "$(git diff --name-only --diff-filter=U)" = nhi-inventory.yaml ]

# Each side of the conflict is that branch's file with the other branch's clean changes: the
# conflict touches nothing but the two new entries.
check "same place: the conflict holds only the new entries" python3 - nhi-inventory.yaml "$WORK/first.yaml" "$WORK/second.yaml" <<'PY'
import sys, yaml
def entries(text):
    d = yaml.safe_load(text)
    return {e["id"]: e for k, v in d.items() if isinstance(v, list) for e in v}
sides, side = ([], []), None
for line in open(sys.argv[1]):
    if line.startswith("<<<<<<<"):
        side = 0
    elif line.startswith("|||||||"):
        side = 2
    elif line.startswith("======="):
        side = 1
    elif line.startswith(">>>>>>>"):
        side = None
    elif side is None:
        sides[0].append(line)
        sides[1].append(line)
    elif side < 2:
        sides[side].append(line)
ours, theirs = entries("".join(sides[0])), entries("".join(sides[1]))
first, second = entries(open(sys.argv[2]).read()), entries(open(sys.argv[3]).read())
assert set(ours) | set(theirs) == set(first) | set(second), "ids differ"
for ident, entry in list(ours.items()) + list(theirs.items()):
    assert entry in (first.get(ident), second.get(ident)), ident
PY
"$NHISCAN" check "$repo" > "$WORK/check.txt"
check "same place: check reads the conflicted file as the union and passes" [ $? -eq 0 ]
"$NHISCAN" inventory -q "$repo"
check "same place: inventory writes a clean file" [ "$(grep -c '^<<<<<<<' nhi-inventory.yaml)" = 0 ]
cp nhi-inventory.yaml "$WORK/resolved.yaml"
"$NHISCAN" inventory -q "$repo"
check "same place: the resolved file equals a fresh inventory" cmp -s nhi-inventory.yaml "$WORK/resolved.yaml"
check "same place: both credentials listed" [ "$(grep -c '^- id: cred-' nhi-inventory.yaml)" = 3 ]
git add -A
git commit -qm "Merge second"
"$NHISCAN" check "$repo" > "$WORK/check.txt"
check "same place: check passes after the resolution" [ $? -eq 0 ]

finish
