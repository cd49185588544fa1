#!/bin/bash
# sweep and merge over 20 repositories generated at run time, some sharing credentials. The
# organisation inventory reports the reuse and ranks the riskiest identities first. A second
# sweep skips what has not changed, a failed repository does not stop the others, and three
# shards merged give the same files as one sweep.
. "$(dirname "$0")/lib.sh"
set -u

# org_yaml DIR EXPR: evaluate a Python expression on DIR/org-inventory.yaml loaded as `d`.
org_yaml() {
	python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1] + "/org-inventory.yaml")); print(eval(sys.argv[2]))' "$1" "$2"
}

# sweep NAME ARGS...: run nhiscan sweep; stdout and stderr in $WORK/NAME.out, status in $status.
sweep() {
	name=$1
	shift
	status=0
	"$NHISCAN" sweep --quiet "$@" > "$WORK/$name.out" 2>&1 || status=$?
}

commit_all() {
	git -C "$1" add -A
	git -C "$1" commit -q -m "$2"
}

# Twenty repositories: key A in four of them, key B in two, one key of its own in three, and the
# others clean. Every fifth has a workflow that passes a secret to a third-party action.
org=$WORK/org
mkdir -p "$org"
key_a=$(fake_github_token)
key_b=$(fake_github_token)
for i in $(seq -w 1 20); do
	repo=$org/repo-$i
	git init -q -b main "$repo"
	printf 'def main():\n    return %d\n' "$((10#$i))" > "$repo/app.py"
	case $i in
	01 | 05 | 09 | 13) printf 'GITHUB_TOKEN = "%s"\n' "$key_a" > "$repo/settings.py" ;;
	02 | 03) printf 'deploy_token: %s\n' "$key_b" > "$repo/deploy.yml" ;;
	04 | 07 | 11) printf 'KEY = "%s"\n' "$(fake_github_token)" > "$repo/own.py" ;;
	esac
	if [ $((10#$i % 5)) -eq 0 ]; then
		mkdir -p "$repo/.github/workflows"
		printf 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: example/deploy@v1\n        with:\n          token: ${{ secrets.DEPLOY_TOKEN }}\n' \
			> "$repo/.github/workflows/deploy.yml"
	fi
	commit_all "$repo" "initial commit"
done
mkdir -p "$org/not-a-repository"
echo "notes" > "$org/README.txt"

# One sweep of the folder.
sweep full -j 4 -o "$WORK/full" "$org"
check "sweep: exit 0" [ "$status" -eq 0 ]
check "sweep: 20 scanned" grep -q "swept 20 repositories: 20 scanned, 0 up to date, 0 failed" "$WORK/full.out"
check "sweep: reuse counted" grep -q "2 credentials are shared by several repositories" "$WORK/full.out"
check "sweep: an inventory per repository" [ "$(ls "$WORK"/full/repos/*/nhi-inventory.yaml | wc -l)" -eq 20 ]
check "sweep: the folder that is not a repository is left out" \
	[ "$(org_yaml "$WORK/full" "len(d['repositories'])")" = 20 ]
check "sweep: repositories by name" \
	[ "$(org_yaml "$WORK/full" "[r['repository'] for r in d['repositories']] == sorted('repo-%02d' % i for i in range(1, 21))")" = True ]
check "sweep: state has 20 lines" [ "$(grep -vc '^#' "$WORK/full/sweep-state.tsv")" -eq 20 ]

# The reuse: key A in four repositories first, then key B in two.
check "reuse: two shared credentials" [ "$(org_yaml "$WORK/full" "len(d['reused_credentials'])")" = 2 ]
check "reuse: key A in four repositories, first" \
	[ "$(org_yaml "$WORK/full" "[p['repository'] for p in d['reused_credentials'][0]['repositories']]")" = "['repo-01', 'repo-05', 'repo-09', 'repo-13']" ]
check "reuse: key B in two repositories" \
	[ "$(org_yaml "$WORK/full" "[p['repository'] for p in d['reused_credentials'][1]['repositories']]")" = "['repo-02', 'repo-03']" ]
check "reuse: with the place in each" \
	[ "$(org_yaml "$WORK/full" "d['reused_credentials'][0]['repositories'][0]['locations']")" = "['settings.py:1']" ]
fingerprint_a=$(printf 'GITHUB_TOKEN = "%s"\n' "$key_a" > "$WORK/a.py" && "$NHISCAN" scan --format json "$WORK/a.py" | python3 -c 'import json, sys; print(json.load(sys.stdin)["findings"][0]["fingerprint"])')
check "reuse: the fingerprint of key A" [ "$(org_yaml "$WORK/full" "d['reused_credentials'][0]['fingerprint']")" = "$fingerprint_a" ]
check "reuse: a credential of one repository is not listed" \
	[ "$(org_yaml "$WORK/full" "sum(len(c['repositories']) for c in d['reused_credentials'])")" = 6 ]

# Riskiest first: scores never rise down the list, and the shared key A leads its score.
check "identities: scores in decreasing order" \
	[ "$(org_yaml "$WORK/full" "all(a['score'] >= b['score'] for a, b in zip(d['identities'], d['identities'][1:]))")" = True ]
check "identities: key A first among equal scores" \
	[ "$(org_yaml "$WORK/full" "[i for i in d['identities'] if i['score'] == d['identities'][0]['score']][0]['repositories']")" = "['repo-01', 'repo-05', 'repo-09', 'repo-13']" ]
check "identities: every one has a risk" [ "$(org_yaml "$WORK/full" "all(i['risks'] for i in d['identities'])")" = True ]
check "identities: the workflow's action is listed" \
	[ "$(org_yaml "$WORK/full" "any(r == 'repo-05' for i in d['identities'] if i['kind'] != 'credentials' for r in i['repositories'])")" = True ]
check "no secret in the outputs" sh -c "! grep -rqF -e '$key_a' -e '$key_b' '$WORK/full'"

# A second sweep skips every repository; a new commit is swept again, and only it.
sweep again -j 4 -o "$WORK/full" "$org"
check "resume: nothing to do" grep -q "swept 20 repositories: 0 scanned, 20 up to date, 0 failed" "$WORK/again.out"
cp "$WORK/full/org-inventory.yaml" "$WORK/org-before.yaml"
printf 'EXTRA = "%s"\n' "$key_b" > "$org/repo-20/extra.py"
commit_all "$org/repo-20" "add key B"
sweep changed -j 4 -o "$WORK/full" "$org"
check "resume: one changed" grep -q "swept 20 repositories: 1 scanned, 19 up to date, 0 failed" "$WORK/changed.out"
check "resume: key B now in three repositories" \
	[ "$(org_yaml "$WORK/full" "[p['repository'] for p in d['reused_credentials'][1]['repositories']]")" = "['repo-02', 'repo-03', 'repo-20']" ]

# An interrupted sweep: the state lost its last lines and ends in half a line.
head -n 8 "$WORK/full/sweep-state.tsv" > "$WORK/state.tmp"
printf 'repo-08-1234\tdeadbeef' >> "$WORK/state.tmp"
mv "$WORK/state.tmp" "$WORK/full/sweep-state.tsv"
sweep interrupted -j 4 -o "$WORK/full" "$org"
check "interrupted: the rest is swept" grep -q "swept 20 repositories: 13 scanned, 7 up to date, 0 failed" "$WORK/interrupted.out"
sweep forced -j 4 --force -o "$WORK/full" "$org"
check "force: every repository again" grep -q "20 scanned, 0 up to date" "$WORK/forced.out"

# A broken repository fails on its own, with its reason, and is retried next time.
broken=$WORK/broken-org
mkdir -p "$broken"
cp -r "$org/repo-01" "$org/repo-02" "$broken/"
git init -q -b main "$broken/repo-03"
echo "gitdir: /nonexistent" > "$broken/repo-03/.git.tmp"
rm -rf "$broken/repo-03/.git"
mv "$broken/repo-03/.git.tmp" "$broken/repo-03/.git"
sweep broken -o "$WORK/broken" "$broken"
check "failure: exit 2" [ "$status" -eq 2 ]
check "failure: the others are swept" grep -q "swept 3 repositories: 2 scanned, 0 up to date, 1 failed" "$WORK/broken.out"
check "failure: names the repository" grep -q "cannot sweep 'repo-03'" "$WORK/broken.out"
check "failure: listed as failed" [ "$(org_yaml "$WORK/broken" "[r['status'] for r in d['repositories']]")" = "['swept', 'swept', 'failed']" ]
sweep broken-again -o "$WORK/broken" "$broken"
check "failure: retried" grep -q "0 scanned, 2 up to date, 1 failed" "$WORK/broken-again.out"
check "failure: no output folder for it" [ "$(ls "$WORK/broken/repos" | wc -l)" -eq 2 ]
"$NHISCAN" merge -o "$WORK/broken-merged" "$WORK/broken" > /dev/null 2>&1
check "failure: a merge keeps the failed line" cmp "$WORK/broken/sweep-state.tsv" "$WORK/broken-merged/sweep-state.tsv"
check "failure: a merge gives the same files" diff -r "$WORK/broken/repos" "$WORK/broken-merged/repos"

# Shards: three runs split the list without overlap, and their merge equals one sweep.
sweep single -j 4 -o "$WORK/single" "$org"
total=0
for k in 1 2 3; do
	sweep "shard$k" -j 2 --shard "$k/3" -o "$WORK/shard$k" "$org"
	check "shard $k/3: exit 0" [ "$status" -eq 0 ]
	total=$((total + $(grep -vc '^#' "$WORK/shard$k/sweep-state.tsv")))
done
check "shards: 20 repositories in all" [ "$total" -eq 20 ]
check "shards: no repository twice" [ "$(cat "$WORK"/shard*/sweep-state.tsv | grep -v '^#' | cut -f 5 | sort | uniq -d)" = "" ]
"$NHISCAN" merge -o "$WORK/merged" "$WORK/shard1" "$WORK/shard2" "$WORK/shard3" > "$WORK/merge.out" 2>&1
check "merge: exit 0" [ $? -eq 0 ]
check "merge: summary" grep -q "merged 3 shards: 20 repositories, 0 failed; 2 credentials are shared" "$WORK/merge.out"
check "merge: organisation inventory equal byte for byte" cmp "$WORK/single/org-inventory.yaml" "$WORK/merged/org-inventory.yaml"
check "merge: state equal byte for byte" cmp "$WORK/single/sweep-state.tsv" "$WORK/merged/sweep-state.tsv"
check "merge: every inventory equal" diff -r "$WORK/single/repos" "$WORK/merged/repos"
"$NHISCAN" merge -o "$WORK/merged-again" "$WORK/shard3" "$WORK/shard1" "$WORK/shard2" > /dev/null 2>&1
check "merge: the order of the shards does not matter" cmp "$WORK/single/org-inventory.yaml" "$WORK/merged-again/org-inventory.yaml"
sweep one-shard -j 4 --shard 1/1 -o "$WORK/one-shard" "$org"
check "shard 1/1: same as no shard" cmp "$WORK/single/org-inventory.yaml" "$WORK/one-shard/org-inventory.yaml"

# Merging shards of two different sweeps of a changed repository is rejected.
printf 'def later():\n    pass\n' > "$org/repo-01/later.py"
commit_all "$org/repo-01" "later"
sweep later -o "$WORK/later" --list - <<LIST
$org/repo-01
LIST
sweep earlier -o "$WORK/earlier" --list - <<LIST
$org/repo-01
LIST
git -C "$org/repo-01" commit -q --allow-empty -m "even later"
sweep latest --force -o "$WORK/latest" --list - <<LIST
$org/repo-01
LIST
"$NHISCAN" merge -o "$WORK/conflict" "$WORK/earlier" "$WORK/latest" > "$WORK/conflict.out" 2>&1
check "merge conflict: exit 2" [ $? -eq 2 ]
check "merge conflict: names the repository" grep -q "'$org/repo-01' appears in two shards with different results" "$WORK/conflict.out"
"$NHISCAN" merge -o "$WORK/none" "$WORK/no-such-folder" > "$WORK/missing.out" 2>&1
check "merge of a folder that is no sweep: exit 2" [ $? -eq 2 ]
check "merge of a folder that is no sweep: says why" grep -q "is not the output of a sweep" "$WORK/missing.out"

# A list file: local paths and file:// URLs, with comments; URLs are cloned, then skipped while
# their HEAD stays the same.
cat > "$WORK/list.txt" <<LIST
# the organisation's repositories
$org/repo-01
file://$org/repo-02

  file://$org/repo-03
file://$org/repo-02
LIST
sweep list -o "$WORK/list" --list "$WORK/list.txt"
check "list: exit 0" [ "$status" -eq 0 ]
check "list: three repositories, the repeated line once" grep -q "swept 3 repositories: 3 scanned" "$WORK/list.out"
check "list: keys as listed" \
	[ "$(org_yaml "$WORK/list" "[r['repository'] for r in d['repositories']]")" = "['$org/repo-01', 'file://$org/repo-02', 'file://$org/repo-03']" ]
check "list: the URLs were cloned" [ "$(ls "$WORK/list/clones" | wc -l)" -eq 2 ]
check "list: key B shared by the clones" [ "$(org_yaml "$WORK/list" "d['reused_credentials'][0]['repository_count']")" = 2 ]
sweep list-again -o "$WORK/list" --list "$WORK/list.txt"
check "list: unchanged remotes skipped" grep -q "0 scanned, 3 up to date" "$WORK/list-again.out"
git -C "$org/repo-03" commit -q --allow-empty -m "moved"
sweep list-moved -o "$WORK/list" --list "$WORK/list.txt"
check "list: a remote that moved is cloned again" grep -q "1 scanned, 2 up to date" "$WORK/list-moved.out"
echo "file://$WORK/nowhere" > "$WORK/bad-list.txt"
sweep bad-url -o "$WORK/bad-url" --list "$WORK/bad-list.txt"
check "list: an unreachable URL fails on its own" [ "$status" -eq 2 ]
check "list: says which" grep -q "cannot sweep 'file://$WORK/nowhere'" "$WORK/bad-url.out"

# --dry-run prints the keys of the shard, which is what a job needs to clone only its part.
"$NHISCAN" sweep --dry-run --shard 2/3 -o "$WORK/dry" "$org" > "$WORK/dry.out"
check "dry run: the keys of shard 2" [ "$(cat "$WORK/dry.out")" = "$(cut -f 5 "$WORK/shard2/sweep-state.tsv" | grep -v '^#')" ]
check "dry run: nothing written" [ ! -e "$WORK/dry" ]

# A URL with a password is rejected without printing it, because keys are written to the outputs.
password=$(random_chars 20 "$ALNUM")
printf '%s\nhttps://robot:%s@git.example.com/org/repo.git\n' "$org/repo-01" "$password" > "$WORK/secret-list.txt"
sweep secret-url -o "$WORK/secret-url" --list "$WORK/secret-list.txt"
check "URL with a password: exit 2" [ "$status" -eq 2 ]
check "URL with a password: names the line" grep -q "secret-list.txt:2: the URL contains a password" "$WORK/secret-url.out"
check "URL with a password: never printed" sh -c "! grep -q '$password' '$WORK/secret-url.out'"
check "URL with a password: nothing written" [ ! -e "$WORK/secret-url" ]

# Usage errors.
sweep no-source -o "$WORK/x"
check "no source: exit 2" [ "$status" -eq 2 ]
check "no source: says what to give" grep -q "nothing to sweep" "$WORK/no-source.out"
for shard in 0/3 4/3 a/b 1/0 2; do
	sweep bad-shard --shard "$shard" -o "$WORK/x" "$org"
	check "invalid shard '$shard': exit 2" [ "$status" -eq 2 ]
done
check "invalid shard: says the form" grep -q "use K/N with 1 <= K <= N" "$WORK/bad-shard.out"
sweep both --list "$WORK/list.txt" -o "$WORK/x" "$org"
check "DIR and --list: exit 2" [ "$status" -eq 2 ]

finish
