#!/bin/sh
# The CI outputs of `dmasim test`: TAP version 13 (--tap), JUnit XML (--junit FILE) and
# --filter PATTERN. Scenarios that fail on purpose live in tests/failing/ (wrong-expect.yaml
# expects a finding that does not occur, bad.yaml does not load).
# Run by ctest (test "test-outputs") from the source directory with DMASIM set.
#
# The JUnit XML is checked with xmllint when it is installed: well-formed (--noout) and valid
# against the schema below (--schema), which is the part of the JUnit format CI servers read
# (Jenkins' junit-10.xsd and what GitLab and GitHub reporters accept: testsuites > testsuite >
# testcase with failure/error/skipped, system-out). Without xmllint the script says so and
# checks the structure with grep instead (declaration, root, one suite, balanced tags).
set -u
DMASIM=${DMASIM:?set DMASIM to the dmasim binary}
. tests/lib.sh

same() { if [ "$1" = "$2" ]; then ok; else bad "$3: '$1' != '$2'"; fi; }

# tap_check FILE: the plan is the second line and counts the test points; every "not ok" is
# followed by a YAML block "  ---" ... "  ..." before the next test point
tap_check() {
    if [ "$(head -1 "$1")" = "TAP version 13" ]; then ok; else bad "$1: no TAP version line"; fi
    plan=$(sed -n '2s/^1\.\.\([0-9][0-9]*\)$/\1/p' "$1")
    points=$(grep -cE '^(not )?ok [0-9]+ - ' "$1")
    same "$plan" "$points" "$1: plan against test points"
    numbered=$(grep -E '^(not )?ok [0-9]+ - ' "$1" | sed 's/^not //' | awk '{ if ($2 != NR) { print "no"; exit } } END { print "yes" }' | tail -1)
    same "$numbered" yes "$1: test points numbered 1..N in order"
    blocks=$(awk '
        /^not ok / { want = 1; next }
        want && $0 == "  ---" { want = 0; inblock = 1; next }
        want { print "not ok without a diagnostic block: " prev; want = 0 }
        inblock && $0 == "  ..." { inblock = 0; next }
        inblock && /^(not )?ok / { print "unterminated block" }
        { prev = $0 }
        END { if (want || inblock) print "unterminated block at the end" }' "$1")
    same "$blocks" "" "$1: diagnostic blocks"
}

# xml_check FILE: well-formed and valid (xmllint), or the structural grep check
cat >"$tmp/junit.xsd" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:complexType name="problem">
    <xs:simpleContent>
      <xs:extension base="xs:string">
        <xs:attribute name="message" type="xs:string"/>
        <xs:attribute name="type" type="xs:string"/>
      </xs:extension>
    </xs:simpleContent>
  </xs:complexType>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="testsuite" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="properties" minOccurs="0"/>
              <xs:element name="testcase" minOccurs="0" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:sequence>
                    <xs:choice minOccurs="0">
                      <xs:element name="skipped" type="problem"/>
                      <xs:element name="failure" type="problem"/>
                      <xs:element name="error" type="problem"/>
                    </xs:choice>
                    <xs:element name="system-out" type="xs:string" minOccurs="0"/>
                    <xs:element name="system-err" type="xs:string" minOccurs="0"/>
                  </xs:sequence>
                  <xs:attribute name="name" type="xs:string" use="required"/>
                  <xs:attribute name="classname" type="xs:string" use="required"/>
                  <xs:attribute name="time" type="xs:decimal"/>
                </xs:complexType>
              </xs:element>
              <xs:element name="system-out" type="xs:string" minOccurs="0"/>
              <xs:element name="system-err" type="xs:string" minOccurs="0"/>
            </xs:sequence>
            <xs:attribute name="name" type="xs:string" use="required"/>
            <xs:attribute name="tests" type="xs:nonNegativeInteger" use="required"/>
            <xs:attribute name="failures" type="xs:nonNegativeInteger" use="required"/>
            <xs:attribute name="errors" type="xs:nonNegativeInteger" use="required"/>
            <xs:attribute name="skipped" type="xs:nonNegativeInteger"/>
            <xs:attribute name="time" type="xs:decimal"/>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="tests" type="xs:nonNegativeInteger"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger"/>
      <xs:attribute name="time" type="xs:decimal"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
EOF
if command -v xmllint >/dev/null 2>&1; then
    echo "test-outputs: JUnit XML checked with xmllint --noout and --schema"
    xml_check() {
        if xmllint --noout "$1" 2>"$tmp/xmllint.err"; then ok; else bad "$1 is not well-formed"; cat "$tmp/xmllint.err"; fi
        if xmllint --noout --schema "$tmp/junit.xsd" "$1" 2>"$tmp/xmllint.err"; then ok; else
            bad "$1 does not follow the JUnit schema"
            cat "$tmp/xmllint.err"
        fi
    }
else
    echo "test-outputs: xmllint not installed; JUnit XML checked structurally with grep"
    xml_check() {
        if [ "$(head -1 "$1")" = '<?xml version="1.0" encoding="UTF-8"?>' ]; then ok; else bad "$1: no XML declaration"; fi
        has "$1" '^<testsuites tests="[0-9]*" failures="[0-9]*" errors="[0-9]*">$'
        same "$(grep -c '<testsuite ' "$1")" 1 "$1: testsuite elements"
        same "$(tail -1 "$1")" "</testsuites>" "$1: last line"
        same "$(grep -c '<testcase ' "$1")" "$(grep -c -e '<testcase .*/>$' -e '</testcase>' "$1")" "$1: closed testcases"
        same "$(grep -c '<failure ' "$1")" "$(grep -c '</failure>' "$1")" "$1: closed failures"
        same "$(grep -c '<error ' "$1")" "$(grep -c '</error>' "$1")" "$1: closed errors"
        # no raw & < > " ' inside attribute values: every & starts an entity
        hasnt "$1" '&[^#a-z]'
    }
fi

# junit_counts FILE FAILURES ERRORS: the attributes agree with the elements
junit_counts() {
    n=$(grep -c '<testcase ' "$1")
    has "$1" "^<testsuites tests=\"$n\" failures=\"$2\" errors=\"$3\">\$"
    has "$1" "^  <testsuite name=\"dmasim\" tests=\"$n\" failures=\"$2\" errors=\"$3\" skipped=\"0\">\$"
    same "$(grep -c '<failure ' "$1")" "$2" "$1: failure elements"
    same "$(grep -c '<error ' "$1")" "$3" "$1: error elements"
    hasnt "$1" 'time='
    hasnt "$1" 'timestamp='
}

nscenarios=$(($(find scenarios -name '*.yaml' | wc -l)))
nseeds=$(($(find scenarios/seeds -name '*.yaml' | wc -l)))

# --tap on the bundled scenarios: all ok, the plan counts them
run 0 test --tap scenarios/
cp "$tmp/out" "$tmp/tap1"
tap_check "$tmp/tap1"
same "$(sed -n 2p "$tmp/tap1")" "1..$nscenarios" "plan of scenarios/"
hasnt "$tmp/tap1" '^not ok'
has "$tmp/tap1" '^ok [0-9]* - scenarios/seeds/002-vfio-trace.yaml (002-vfio-trace)$'
run 0 test --tap tests/noexpect
has "$tmp/out" '^ok 1 - tests/noexpect/plain.yaml (plain): no expect section, loaded and analysed$'
hasnt "$tmp/tap1" '^PASS'
has "$tmp/tap1" '^# [0-9]* passed, 0 failed$'

# the failing scenarios: not ok, each with its diagnostic block
run 1 test --tap tests/failing/wrong-expect.yaml
tap_check "$tmp/out"
has "$tmp/out" '^1\.\.1$'
has "$tmp/out" '^not ok 1 - tests/failing/wrong-expect.yaml (wrong-expect)$'
has "$tmp/out" '^  message: expect section not met$'
has "$tmp/out" '^  differences: |$'
has "$tmp/out" '^    missing finding bar-overlap nvme0$'
has "$tmp/out" '^    host groups: rp0 (00:1c.0) and nvme0 (01:00.0) are expected together'
run 2 test --tap tests/failing scenarios/basic/minimal.yaml
tap_check "$tmp/out"
has "$tmp/out" '^1\.\.3$'
has "$tmp/out" '^not ok 1 - tests/failing/bad.yaml$'
has "$tmp/out" '^  message: does not load$'
has "$tmp/out" "^    tests/failing/bad.yaml:11:18: error: devfn '20.0' is out of range"
has "$tmp/out" '^not ok 2 - tests/failing/wrong-expect.yaml (wrong-expect)$'
has "$tmp/out" '^ok 3 - scenarios/basic/minimal.yaml (minimal)'
has "$tmp/err" "^tests/failing/bad.yaml:11:18: error: devfn '20.0' is out of range"

# --junit on the bundled scenarios: the text lines still on stdout, the XML in the file
"$DMASIM" test scenarios/ >"$tmp/text" 2>&1
run 0 test --junit "$tmp/all.xml" scenarios/
if cmp -s "$tmp/out" "$tmp/text"; then ok; else bad "--junit changed the text output"; fi
xml_check "$tmp/all.xml"
junit_counts "$tmp/all.xml" 0 0
same "$(grep -c '<testcase ' "$tmp/all.xml")" "$nscenarios" "testcases of scenarios/"
fixed "$tmp/all.xml" '<testcase classname="scenarios.seeds" name="002-vfio-trace.yaml"/>'
run 0 test --junit "$tmp/noexpect.xml" tests/noexpect
fixed "$tmp/noexpect.xml" '<system-out>no expect section: loaded and analysed</system-out>'
absent "$tmp/all.xml.tmp"

# --junit with the failing ones: a failure element, an error element, escaped messages
run 2 test --tap --junit "$tmp/failing.xml" tests/failing scenarios/basic/minimal.yaml
tap_check "$tmp/out"
xml_check "$tmp/failing.xml"
junit_counts "$tmp/failing.xml" 1 1
fixed "$tmp/failing.xml" '<testcase classname="tests.failing" name="wrong-expect.yaml">'
fixed "$tmp/failing.xml" '<failure message="expect section not met: missing finding bar-overlap nvme0 (and 1 more)" type="expect">  missing finding bar-overlap nvme0'
fixed "$tmp/failing.xml" '<testcase classname="tests.failing" name="bad.yaml">'
fixed "$tmp/failing.xml" "<error message=\"does not load: tests/failing/bad.yaml:11:18: error: devfn &apos;20.0&apos; is out of range"
run 1 test --junit "$tmp/one.xml" tests/failing/wrong-expect.yaml
junit_counts "$tmp/one.xml" 1 0

# escaping: a file name with & < > " ' in it
mkdir "$tmp/R&D"
cp scenarios/basic/minimal.yaml "$tmp/R&D/a&b <\"c\"> 'd'.yaml"
run 0 test --junit "$tmp/esc.xml" "$tmp/R&D"
xml_check "$tmp/esc.xml"
fixed "$tmp/esc.xml" 'name="a&amp;b &lt;&quot;c&quot;&gt; &apos;d&apos;.yaml"'
fixed "$tmp/esc.xml" 'R&amp;D" name='
run 0 test --tap "$tmp/R&D"
tap_check "$tmp/out"
fixed "$tmp/out" "R&D/a&b <\"c\"> 'd'.yaml (minimal)"

# --filter: one area, a glob across '/', and a pattern matching nothing (exit 2, no report)
run 0 test --tap --filter seeds scenarios/
tap_check "$tmp/out"
same "$(sed -n 2p "$tmp/out")" "1..$nseeds" "plan of --filter seeds"
same "$(grep -c '^ok [0-9]* - scenarios/seeds/' "$tmp/out")" "$nseeds" "test points of --filter seeds"
run 0 test --filter 'scenarios/*/minimal.yaml' scenarios/
same "$(grep -cE '^(PASS|ok)  *scenarios/basic/minimal.yaml' "$tmp/out")" 1 "glob --filter"
same "$(grep -cE '^(PASS|FAIL|INVALID|ok) ' "$tmp/out")" 1 "scenarios run by the glob --filter"
run 0 test '--filter=scenarios/seeds/00?-*' scenarios/
same "$(grep -cE '^(PASS|ok) +scenarios/seeds/00[0-9]-' "$tmp/out")" "$nseeds" "glob --filter with ?"
run 2 test --filter no-such-scenario --junit "$tmp/none.xml" scenarios/
has "$tmp/err" "^dmasim test: --filter 'no-such-scenario' matched nothing"
empty "$tmp/out"
absent "$tmp/none.xml"

# command-line errors: exit 2, nothing written
run 2 test --junit
has "$tmp/err" "option '--junit' needs a file name"
run 2 test --filter
has "$tmp/err" "option '--filter' needs a pattern"
run 2 test --junit "$tmp/x.xml" --junit "$tmp/y.xml" scenarios/basic
absent "$tmp/x.xml"
# an unwritable FILE: exit 2, no FILE and no FILE.tmp left
run 2 test --junit "$tmp/no/such/dir/r.xml" scenarios/basic
has "$tmp/err" "cannot write $tmp/no/such/dir/r.xml"
absent "$tmp/no/such/dir/r.xml.tmp"

# byte-identical: twice, and under another locale, time zone and malloc perturbation
"$DMASIM" test --tap --junit "$tmp/r1.xml" scenarios/ tests/failing >"$tmp/r1.tap" 2>/dev/null
LC_ALL=C.UTF-8 TZ=Asia/Kolkata MALLOC_PERTURB_=165 \
    "$DMASIM" test --tap --junit "$tmp/r2.xml" scenarios/ tests/failing >"$tmp/r2.tap" 2>/dev/null
if cmp -s "$tmp/r1.tap" "$tmp/r2.tap"; then ok; else bad "TAP output differs between runs"; fi
if cmp -s "$tmp/r1.xml" "$tmp/r2.xml"; then ok; else bad "JUnit XML differs between runs"; fi

finish test-outputs
