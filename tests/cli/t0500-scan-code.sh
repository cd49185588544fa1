#!/bin/bash
# scan: source code parsed with tree-sitter. A fixture project has one file per language (Python,
# JavaScript, TypeScript, TSX, Go, Java, Ruby, Bash), and each assigns a random literal to a
# credential-like name. Each literal is reported as code.credential-assignment at its line and
# column, and the same line in a text file is not. Signature findings in comments and docstrings
# are lowered to low with the reason, a checksum-valid token is kept, and scans with one and with
# eight threads report the same findings.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo/src" "$repo/web" "$repo/cmd" "$repo/java/demo" "$repo/lib" "$repo/scripts"
key=$(random_chars 32 "$ALNUM")
aws=$(fake_aws_key_id)
github=$(fake_github_token)

# Line 2 of every file contains the literal, at the column that expect_assignment checks below.
printf 'import os\nsession_key = "%s"\n# old key: %s\ndef f():\n    """Example: login("%s")"""\n' "$key" "$aws" "$aws" > "$repo/src/app.py"
printf '// %s\nconst session_key = "%s";\n' "$github" "$key" > "$repo/web/app.js"
printf 'import OpenAI from "openai";\nconst session_key: string = "%s";\n' "$key" > "$repo/web/app.ts"
printf 'import React from "react";\nconst session_key = "%s"; export const App = () => <div/>;\n' "$key" > "$repo/web/App.tsx"
printf 'package main\nvar session_key = "%s"\n' "$key" > "$repo/cmd/main.go"
printf 'class Demo {\n\tString session_key = "%s";\n}\n' "$key" > "$repo/java/demo/Demo.java"
printf 'require "openai"\nsession_key = "%s"\n' "$key" > "$repo/lib/bot.rb"
printf '#!/bin/sh\nsession_key="%s"\n' "$key" > "$repo/scripts/run.sh"
printf 'notes\nsession_key = "%s"\n' "$key" > "$repo/notes.txt"

"$NHISCAN" scan --format json "$repo" > "$WORK/out.json" 2> "$WORK/err.txt"
check "exit 1 with findings" [ $? -eq 1 ]
check "no warning" [ ! -s "$WORK/err.txt" ]

expect_assignment() {
	check "$1: code.credential-assignment at $2:$3" \
		[ "$(json_eval "$WORK/out.json" "[(f['line'], f['column']) for f in d['findings'] if f['path'] == '$1' and f['rule_id'] == 'code.credential-assignment']")" = "[($2, $3)]" ]
}
expect_assignment src/app.py 2 16
expect_assignment web/app.js 2 22
expect_assignment web/app.ts 2 30
expect_assignment web/App.tsx 2 22
expect_assignment cmd/main.go 2 20
expect_assignment java/demo/Demo.java 2 24
expect_assignment lib/bot.rb 2 16
expect_assignment scripts/run.sh 2 14
check "the text file is not parsed" \
	[ "$(json_eval "$WORK/out.json" "[f['rule_id'] for f in d['findings'] if f['path'] == 'notes.txt' and f['rule_id'].startswith('code.')]")" = "[]" ]
check "the finding names the variable" \
	[ "$(json_eval "$WORK/out.json" "sorted({f['message'] for f in d['findings'] if f['path'] == 'src/app.py' and f['rule_id'] == 'code.credential-assignment'})")" = \
	  "[\"high-entropy string literal assigned to 'session_key' in python code\"]" ]
check "the findings show no secret" [ "$(grep -c "$key" "$WORK/out.json")" = 0 ]

aws_findings() {
	json_eval "$WORK/out.json" "[(f['line'], f['severity'], f['message'].split(',')[0]) for f in d['findings'] if f['path'] == 'src/app.py' and f['rule_id'].startswith('aws.')]"
}
check "comment and docstring: lowered with the reason" \
	[ "$(aws_findings)" = "[(3, 'low', 'found in a comment'), (5, 'low', 'found in a docstring')]" ]
check "checksum-valid token in a comment: kept" \
	[ "$(json_eval "$WORK/out.json" "[(f['line'], f['severity'] != 'low', 'checksum is valid' in f['message']) for f in d['findings'] if f['path'] == 'web/app.js' and f['rule_id'].startswith('github.')]")" = \
	  "[(1, True, True)]" ]

# Many files, so that the pool really runs eight threads that parse at once.
for i in $(seq 1 24); do
	cp "$repo/src/app.py" "$repo/src/copy$i.py"
	cp "$repo/web/app.ts" "$repo/web/copy$i.ts"
done
"$NHISCAN" scan --format json -j 1 "$repo" > "$WORK/one.json"
"$NHISCAN" scan --format json -j 8 "$repo" > "$WORK/eight.json"
check "one and eight threads: same findings" \
	[ "$(json_eval "$WORK/one.json" "d['findings']")" = "$(json_eval "$WORK/eight.json" "d['findings']")" ]
check "eight threads: every copy parsed" \
	[ "$(json_eval "$WORK/eight.json" "len([f for f in d['findings'] if f['rule_id'] == 'code.credential-assignment'])")" = 56 ]

finish
