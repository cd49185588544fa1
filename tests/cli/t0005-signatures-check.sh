#!/bin/bash
# signatures check on a custom rule file: it explains why an example is not detected.
. "$(dirname "$0")/lib.sh"

# The rule's first example reads as a placeholder (a run of the alphabet). The second does not
# match the pattern at all, and the third is a fair example.
cat > "$WORK/rules.yml" <<YML
rules:
  - id: acme.key
    name: Acme key
    provider: Acme
    kind: api-key
    pattern: '\b(acme_[a-z]{10})\b'
    docs: https://acme.invalid/keys
    remediation: Revoke the key.
    examples: ['k = acme_abcdefghij', 'k = acme_QQ', 'k = acme_$(random_chars 10 abcdefghijklmnopqrstuvwxyz)']
    negative: ['acme_']
YML
"$NHISCAN" signatures check --no-config --signatures "$WORK/rules.yml" > "$WORK/out.txt" 2> "$WORK/err.txt"
check "a failing example exits 1" [ $? -eq 1 ]
check "the placeholder example is explained" \
	grep -q "rules.yml:2: rule 'acme.key': example 1 is not detected: the value reads as a placeholder" "$WORK/err.txt"
check "the example the pattern misses is explained" \
	grep -q "rules.yml:2: rule 'acme.key': example 2 is not detected: the pattern does not match it" "$WORK/err.txt"
check "the fair example passes" sh -c "! grep -q 'example 3' '$WORK/err.txt'"

finish
