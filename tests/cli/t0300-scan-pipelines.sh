#!/bin/bash
# scan: pipeline findings of every CI system, with their rule ids, kinds and positions, in the
# JSON, text and SARIF formats, and no raw secret in any output.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo/.github/workflows" "$repo/.circleci"
literal=$(random_chars 40 "$ALNUM")
password=$(random_chars 24 "$ALNUM")

cat > "$repo/.github/workflows/pr.yml" <<EOF
on:
  pull_request_target:
permissions: write-all
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      SERVICE_API_KEY: $literal
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - uses: vendor/upload-action@main
        with:
          token: \${{ secrets.UPLOAD_TOKEN }}
      - run: echo '\${{ toJSON(secrets) }}'
  shared:
    uses: vendor/workflows/.github/workflows/build.yml@v2
    secrets: inherit
EOF
cat > "$repo/.gitlab-ci.yml" <<EOF
variables:
  DATABASE_PASSWORD: "$password"
deploy:
  script: [./deploy.sh]
EOF
cat > "$repo/.circleci/config.yml" <<EOF
version: 2.1
jobs:
  build:
    docker: [{image: cimg/base:2024.01}]
    environment:
      SIGNING_SECRET: $password
    steps: [checkout]
EOF
cat > "$repo/azure-pipelines.yml" <<EOF
variables:
  - name: STORAGE_KEY
    value: '$password'
steps:
  - script: echo hi
EOF
cat > "$repo/bitbucket-pipelines.yml" <<EOF
pipelines:
  default:
    - step:
        script:
          - pipe: atlassian/aws-s3-deploy:1.1.0
            variables:
              AWS_SECRET_ACCESS_KEY: '$password'
EOF
cat > "$repo/Jenkinsfile" <<EOF
pipeline {
  environment {
    API_TOKEN = '$password'
  }
}
EOF

"$NHISCAN" scan --format json "$repo" > "$WORK/out.json" 2> "$WORK/err.txt"
check "pipeline findings exit 1" [ $? -eq 1 ]
check "no warnings for valid pipelines" [ ! -s "$WORK/err.txt" ]

# found RULE PATH LINE COLUMN: a finding of RULE at PATH:LINE:COLUMN is in out.json.
found() {
	[ "$(json_eval "$WORK/out.json" "any(f['rule_id'] == '$1' and f['path'] == '$2' and f['line'] == $3 and f['column'] == $4 for f in d['findings'])")" = True ]
}

workflow=.github/workflows/pr.yml
check "write-all at its value" found ci.permissions.write-all "$workflow" 3 14
check "privileged trigger with secrets" found ci.trigger.privileged-with-secrets "$workflow" 2 3
check "checkout of pull request code" found ci.trigger.untrusted-checkout "$workflow" 10 15
check "checkout keeps its token" found ci.checkout.persist-credentials "$workflow" 10 15
check "unpinned action with secrets" found ci.action.unpinned-with-secrets "$workflow" 13 15
check "unpinned reusable workflow with secrets" found ci.action.unpinned-with-secrets "$workflow" 18 11
check "secrets: inherit" found ci.secret.inherit "$workflow" 19 14
check "toJSON(secrets)" found ci.secret.tojson "$workflow" 16 24
check "literal key in job env" found ci.hardcoded-credential "$workflow" 8 24
check "gitlab literal variable" found ci.hardcoded-credential .gitlab-ci.yml 2 23
check "circleci literal environment" found ci.hardcoded-credential .circleci/config.yml 6 23
check "azure literal variable" found ci.hardcoded-credential azure-pipelines.yml 3 13
check "bitbucket literal pipe variable" found ci.hardcoded-credential bitbucket-pipelines.yml 7 39
check "jenkins literal environment" found ci.hardcoded-credential Jenkinsfile 3 18
check "kinds are the fact kinds" \
	[ "$(json_eval "$WORK/out.json" "sorted({f['kind'] for f in d['findings'] if f['rule_id'].startswith('ci.')})")" = \
	  "['ci.credential-persistence', 'ci.hardcoded-credential', 'ci.permissions', 'ci.risky-trigger', 'ci.secret-exposure', 'ci.unpinned-action']" ]
check "providers name the CI system" \
	[ "$(json_eval "$WORK/out.json" "sorted({f['provider'] for f in d['findings'] if f['rule_id'] == 'ci.hardcoded-credential'})")" = \
	  "['azure-pipelines', 'bitbucket-pipelines', 'circleci', 'github-actions', 'gitlab-ci', 'jenkins']" ]
check "literal credentials carry a fingerprint" \
	[ "$(json_eval "$WORK/out.json" "all(len(f.get('fingerprint', '')) == 24 and f.get('redacted') for f in d['findings'] if f['rule_id'] == 'ci.hardcoded-credential')")" = True ]
check "other pipeline findings carry none" \
	[ "$(json_eval "$WORK/out.json" "any('fingerprint' in f for f in d['findings'] if f['rule_id'].startswith('ci.') and f['rule_id'] != 'ci.hardcoded-credential')")" = False ]

"$NHISCAN" scan "$repo" > "$WORK/out.txt"
check "text output names rule and place" grep -q "\[ci.trigger.untrusted-checkout\]" "$WORK/out.txt"
check "text output has the message" grep -q "checks out pull request code" "$WORK/out.txt"

"$NHISCAN" scan --format sarif "$repo" > "$WORK/out.sarif"
check "sarif has the pipeline rules" \
	[ "$(json_eval "$WORK/out.sarif" "'ci.secret.inherit' in {r['id'] for r in d['runs'][0]['tool']['driver']['rules']}")" = True ]
check "sarif result at its line" \
	[ "$(json_eval "$WORK/out.sarif" "[r['locations'][0]['physicalLocation']['region']['startLine'] for r in d['runs'][0]['results'] if r['ruleId'] == 'ci.permissions.write-all']")" = "[3]" ]

for f in "$WORK/out.json" "$WORK/out.txt" "$WORK/out.sarif"; do
	check "no raw credential in $(basename "$f")" sh -c "! grep -qF '$literal' '$f' && ! grep -qF '$password' '$f'"
done

finish
