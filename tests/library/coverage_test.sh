#!/bin/sh
# Every finding code has a scenario that produces it and one that narrowly does not: checks the
# "Finding codes, both ways" table of scenarios/README.md against the code list in
# sim/check/finding.c and against the files' expect sections. (That each file's expect holds
# is the `scenarios` test's job: dmasim test scenarios/.)
# Run by ctest (test "library") from the source directory.
set -u
fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

codes=$(sed -n '/finding_code_names\[FINDING_CODE_COUNT\] = {/,/^};/p' sim/check/finding.c |
    sed -n 's/^ *"\([a-z0-9-]*\)",$/\1/p')
[ "$(echo "$codes" | wc -l)" -ge 18 ] || bad "found only $(echo "$codes" | wc -l) codes in finding.c"
table=$(sed -n '/^## Finding codes, both ways/,$p' scenarios/README.md | grep '^| [a-z]')

for code in $codes; do
    row=$(echo "$table" | grep "^| $code |") || { bad "$code: no row in scenarios/README.md"; continue; }
    pos=scenarios/$(echo "$row" | cut -d'|' -f3 | tr -d ' `')
    neg=scenarios/$(echo "$row" | cut -d'|' -f4 | tr -d ' `')
    [ -f "$pos" ] || { bad "$code: $pos does not exist"; continue; }
    [ -f "$neg" ] || { bad "$code: $neg does not exist"; continue; }
    # the positive requires the code in its expected findings
    sed -n '/^expect:/,$p' "$pos" | grep -q "code: $code[ ,}]" ||
        bad "$code: $pos does not expect it"
    # the negative states its findings exactly (so the code's absence is checked), without it
    sed -n '/^expect:/,$p' "$neg" | grep -q '^  findings:' ||
        bad "$code: $neg has no expect.findings, so nothing rules the code out"
    if sed -n '/^expect:/,$p' "$neg" | grep -q "code: $code[ ,}]"; then
        bad "$code: $neg expects it too"
    fi
done
n=$(echo "$codes" | wc -l)
echo "library: $n finding codes, each produced by one scenario and ruled out by another; $fail failures"
[ "$fail" -eq 0 ]
