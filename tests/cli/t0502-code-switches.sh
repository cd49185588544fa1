#!/bin/bash
# scan --no-code and --stats: the switch that turns the tree-sitter code extractor off, and the
# counters line that bench/code.sh reads. A fixture project has one Python file that the
# prefilter passes (an environment lookup and a credential-like name given a literal), one Go file
# that it does not pass, and one text file. A second project checks which look-alike words the
# prefilter lets through.
. "$(dirname "$0")/lib.sh"

repo=$WORK/repo
mkdir -p "$repo/src" "$repo/cmd"
key=$(random_chars 32 "$ALNUM")
printf 'import os\nsession_key = "%s"\nregion = os.environ["APP_REGION"]\n' "$key" > "$repo/src/app.py"
printf 'package main\n\nfunc main() {}\n' > "$repo/cmd/main.go"
printf 'notes\n' > "$repo/notes.txt"

"$NHISCAN" scan --help > "$WORK/help.txt"
check "help lists --no-code" grep -q -- '--no-code ' "$WORK/help.txt"
check "help lists --stats" grep -q -- '--stats ' "$WORK/help.txt"

# stat KEY FILE: the value of KEY in the stats line of FILE.
stat() {
	sed -n 's/^nhiscan: stats: //p' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

code_findings() {
	json_eval "$1" "[(f['path'], f['line']) for f in d['findings'] if f['rule_id'] == 'code.credential-assignment']"
}

"$NHISCAN" scan -j1 --format json --stats "$repo" > "$WORK/with.json" 2> "$WORK/with.err"
check "with the extractor: exit 1" [ $? -eq 1 ]
check "with the extractor: one stats line" [ "$(grep -c '^nhiscan: stats: ' "$WORK/with.err")" = 1 ]
check "with the extractor: nothing else on stderr" [ "$(grep -vc '^nhiscan: stats: ' "$WORK/with.err")" = 0 ]
check "with the extractor: two files of a parsed language" [ "$(stat code_files "$WORK/with.err")" = 2 ]
check "with the extractor: one file parsed" [ "$(stat code_files_parsed "$WORK/with.err")" = 1 ]
check "with the extractor: bytes parsed are the Python file's" \
	[ "$(stat code_bytes_parsed "$WORK/with.err")" = "$(wc -c < "$repo/src/app.py")" ]
check "with the extractor: parse time is a number" \
	bash -c '[[ $1 =~ ^[0-9]+\.[0-9]$ ]]' _ "$(stat parse_ms "$WORK/with.err")"
check "with the extractor: code finding at line 2" [ "$(code_findings "$WORK/with.json")" = "[('src/app.py', 2)]" ]

"$NHISCAN" scan -j1 --format json --stats --no-code "$repo" > "$WORK/without.json" 2> "$WORK/without.err"
check "without the extractor: exit 0" [ $? -eq 0 ]
check "without the extractor: no file counted" [ "$(stat code_files "$WORK/without.err")" = 0 ]
check "without the extractor: no file parsed" [ "$(stat code_files_parsed "$WORK/without.err")" = 0 ]
check "without the extractor: no code finding" [ "$(code_findings "$WORK/without.json")" = "[]" ]

"$NHISCAN" scan -j1 --format json "$repo" > /dev/null 2> "$WORK/plain.err"
check "without --stats: stderr is empty" [ ! -s "$WORK/plain.err" ]

# The prefilter decides which files are parsed: words that only look like an agent, MCP or an
# environment lookup do not pass, and a later real use in the same file still does.
mixed=$WORK/mixed
mkdir -p "$mixed"
printf 'package main\n\nfunc f(r *http.Request) string {\n\tr.Header.Set("User-Agent", "demo")\n\treturn r.UserAgent()\n}\n' > "$mixed/ua.go"
printf 'package main\n\nvar workers = runtime.NumCPU()\n' > "$mixed/cpu.go"
printf '# Prepare the environment before running this script.\nprint("ready")\n' > "$mixed/doc.py"
printf 'import os\nhome = os.environ.get("HOME")\n' > "$mixed/env.py"
printf 'const server = new McpServer({ name: "demo", version: "1.0.0" });\n' > "$mixed/server.ts"
printf 'user_agent = "demo"\nhelper = Agent(name="helper")\n' > "$mixed/agent.py"
"$NHISCAN" scan -j1 --quiet --stats "$mixed" > /dev/null 2> "$WORK/mixed.err"
check "prefilter: six files of a parsed language" [ "$(stat code_files "$WORK/mixed.err")" = 6 ]
check "prefilter: User-Agent, NumCPU and environment are not parsed" \
	[ "$(stat code_files_parsed "$WORK/mixed.err")" = 3 ]
check "prefilter: bytes parsed are those of the three real uses" \
	[ "$(stat code_bytes_parsed "$WORK/mixed.err")" = "$(cat "$mixed/env.py" "$mixed/server.ts" "$mixed/agent.py" | wc -c)" ]

"$NHISCAN" scan --no-code=yes "$repo" > /dev/null 2> "$WORK/value.err"
check "--no-code with a value: usage error" [ $? -eq 2 ]
check "--no-code with a value: message" grep -q "option '--no-code' takes no value" "$WORK/value.err"

finish
