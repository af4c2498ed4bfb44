#!/bin/sh
# docs/scenario.schema.json stays honest: it is valid JSON, and its keys and names are the
# loader's. Run by ctest (test "schema") from the source directory with JSON_CHECK set.
#
# How. The loader (sim/scenario/scenario_yaml.c) accepts a mapping's keys only from a key
# table, KEYSET(foo_keys, "what", "key", ...), the same table it uses for "unknown key ...
# (did you mean ...)"; every other name it accepts (kinds, BAR types, generators, finding
# codes ...) goes through rd_enum() with a name table (topo_kind_names[] ...) or an inline
# list. The schema follows one convention: the object schema for the keys of KEYSET(foo_keys)
# is $defs/foo, with those keys as its `properties` (the root is scenario_keys; the one key
# table not made by the macro, `machines` for expect.groups, is $defs/expect_groups), and
# each name table is the `enum` of one $defs entry (ENUMS below). The test:
#
#   1. json_check (jansson, as for the CLI tests) accepts the schema;
#   2. the tables are read from the C sources with grep/sed on a flattened copy (so
#      clang-format's line wrapping does not matter), the schema is listed as JSON Pointers by
#      json_paths.awk (no jq or python needed: neither is a dmasim dependency), and
#        - every KEYSET has its $defs entry whose `properties` are exactly its keys, and every
#          $defs entry (and the root) with `properties` is a KEYSET;
#        - every such object has additionalProperties: false (the loader rejects unknown keys);
#        - names under `properties` and `required` inside an object's conditionals
#          (if/then/oneOf/not) are keys of that object, and no object schema is written
#          inline inside another (each key table has its own $defs entry);
#        - every rd_enum() call's table is mapped in ENUMS, and the enum equals the table;
#        - every "$ref": "#/$defs/x" resolves, and every $defs entry is used;
#      the counts of KEYSETs, map_begin() keysets and rd_enum() calls found are checked, so
#      a table written in a form this script does not recognise fails instead of being
#      skipped;
#   3. when python3 has the jsonschema and yaml modules (optional; not installed by
#      tools/install-deps.sh): the schema is checked against the 2020-12 metaschema, every
#      scenario in scenarios/ and docs/examples/ must validate, and small documents on both
#      sides of the line must be judged as dmasim judges them (tests/schema/validate.py; with
#      DMASIM set, dmasim show is run on each to confirm the case itself).
# SCHEMA and LOADER override the two inputs, to try the test on a broken copy.
set -u
JSON_CHECK=${JSON_CHECK:?set JSON_CHECK to the json_check binary}
schema=${SCHEMA:-docs/scenario.schema.json}
loader=${LOADER:-sim/scenario/scenario_yaml.c}
here=tests/schema
. tests/lib.sh
TAB=$(printf '\t')

# rd_enum() table (or inline:KEY for an inline list) -> the $defs entry holding its enum
ENUMS='
topo_arch_names arch
topo_iommu_kind_names iommu_kind
topo_resv_kind_names resv_kind
topo_kind_names kind
topo_bar_type_names bar_type
acs_bit_names acs_bit
inline:acs acs_word
topo_quirk_names quirk
topo_driver_names driver
inline:op op_kind
scn_generator_names generator
scn_machine_names machine_name
scn_policy_names policy
inline:listener listener
check_invariant_names invariant
finding_code_names finding_code
'

# key table name -> $defs entry ("" is the root)
def_of() {
    case $1 in
    scenario_keys) echo "" ;;
    machines) echo "expect_groups" ;;
    *_keys) echo "${1%_keys}" ;;
    *) echo "$1" ;;
    esac
}

# --- 1. valid JSON ------------------------------------------------------------------------
if "$JSON_CHECK" "$schema"; then ok; else
    bad "$schema is not valid JSON"
    echo "schema: $pass passed, $fail failed"
    exit 1
fi
if awk -f "$here/json_paths.awk" "$schema" >"$tmp/paths"; then ok; else
    bad "json_paths.awk cannot read $schema"
    echo "schema: $pass passed, $fail failed"
    exit 1
fi

# --- 2a. what the loader accepts ------------------------------------------------------------
flat() { tr '\n\t' '  ' <"$1" | sed 's/  */ /g'; }
flat "$loader" >"$tmp/loader.flat"
for f in sim/*/*.c; do flat "$f"; echo; done >"$tmp/sim.flat"

# table NAME [N] >FILE: the strings of C name table NAME's definition in sim/, in order; with
# N (rd_enum()'s count argument, when a number) only the first N
table() {
    grep -o "[^a-z_0-9]$1\[[^]]*\] = {[^}]*}" "$tmp/sim.flat" >"$tmp/tabledef"
    n=$(wc -l <"$tmp/tabledef")
    if [ "$n" -ne 1 ]; then
        bad "name table $1: $n definitions found in sim/*/*.c, expected 1"
        return
    fi
    case ${2:-all} in
    [0-9]*) grep -o '"[^"]*"' "$tmp/tabledef" | tr -d '"' | head -n "$2" ;;
    *) grep -o '"[^"]*"' "$tmp/tabledef" | tr -d '"' ;;
    esac
}

# key tables, one per line: NAME key key ...
grep -o 'KEYSET([a-z_0-9]*, "[^;]*;' "$tmp/loader.flat" >"$tmp/keyset.src"
while read -r line; do
    name=$(echo "$line" | sed 's/^KEYSET(\([a-z_0-9]*\),.*/\1/')
    echo "$name $(echo "$line" | grep -o '"[^"]*"' | tail -n +2 | tr -d '"' | tr '\n' ' ')"
done <"$tmp/keyset.src" >"$tmp/keysets"
# the literal form: static const struct keyset NAME = { "what", TABLE, COUNT };
grep -o 'struct keyset [a-z_0-9]* = { "[^"]*", [a-z_0-9]*' "$tmp/loader.flat" >"$tmp/keyset.lit"
while read -r _ _ name _ _ _ tbl; do
    table "$tbl" >"$tmp/names"
    echo "$name $(tr '\n' ' ' <"$tmp/names")" >>"$tmp/keysets"
done <"$tmp/keyset.lit"
n_macro=$(grep -c '^KEYSET([a-z_0-9]*, "' "$loader")
n_lit=$(grep 'struct keyset [a-z_0-9]* = {' "$loader" | grep -vc 'what_')
n_sets=$(wc -l <"$tmp/keysets")
if [ "$n_sets" -eq $((n_macro + n_lit)) ] && [ "$n_sets" -ge 20 ]; then ok; else
    bad "read $n_sets key tables from $loader; it has $n_macro KEYSET() lines and $n_lit literal keysets"
fi
# every keyset map_begin() is given must be one of them
grep -o 'map_begin(p, &[a-z_0-9]*, &[a-z_0-9]*' "$tmp/loader.flat" | sed 's/.*&//' | sort -u >"$tmp/used"
while read -r ks; do
    if grep -q "^$ks " "$tmp/keysets"; then ok; else bad "map_begin() uses keyset '$ks', which this script did not read"; fi
done <"$tmp/used"

# --- 2b. key tables <-> object schemas ------------------------------------------------------
# re STRING: STRING as a basic regular expression
re() { printf '%s' "$1" | sed 's/[]$.*[\^]/\\&/g'; }
# the object schemas: every pointer with a `properties` member directly below it ("" is the root)
sed -n "s|^K$TAB\(/\\\$defs/[^/]*\)/properties\$|\1|p; s|^K$TAB/properties\$|ROOT|p" "$tmp/paths" |
    sort -u >"$tmp/objects"
: >"$tmp/mapped"
while read -r name keys; do
    def=$(def_of "$name")
    if [ -n "$def" ]; then p="/\$defs/$def" what="\$defs/$def"; else p="" what="the root"; fi
    pe=$(re "$p")
    echo "${p:-ROOT}" >>"$tmp/mapped"
    if ! grep -qx "$(re "${p:-ROOT}")" "$tmp/objects"; then
        bad "key table $name of the loader has no object schema: expected $what with properties: $keys"
        continue
    fi
    # shellcheck disable=SC2086 # split on purpose: one key per line
    printf '%s\n' $keys | sort >"$tmp/c.keys"
    sed -n "s|^K$TAB$pe/properties/\([^/]*\)\$|\1|p" "$tmp/paths" | sort >"$tmp/s.keys"
    if cmp -s "$tmp/c.keys" "$tmp/s.keys"; then ok; else
        bad "keys of $what differ from $name in $loader (<: loader only, >: schema only):"
        diff "$tmp/c.keys" "$tmp/s.keys" | grep '^[<>]'
    fi
    if grep -qx "V$TAB${pe}/additionalProperties${TAB}false" "$tmp/paths"; then ok; else
        bad "$what lacks additionalProperties: false (the loader rejects unknown keys)"
    fi
    # names inside the object's own subschemas (if/then/oneOf/not ...): "MID KEY" per line
    if [ -n "$p" ]; then
        grep "^[KV]$TAB$pe/" "$tmp/paths"
    else
        grep "^[KV]$TAB/" "$tmp/paths" | grep -v "^[KV]$TAB/\\\$defs"
    fi >"$tmp/own"
    {
        sed -n "s|^K$TAB$pe\(/.*\)/properties/\([^/]*\)\$|@\1 \2|p" "$tmp/own"
        sed -n "s|^V$TAB$pe\(.*\)/required/[0-9]*$TAB\(.*\)\$|@\1 \2|p" "$tmp/own"
    } >"$tmp/inner"
    while read -r mid key; do
        mid=${mid#@}
        case $mid in
        /properties/*) bad "$what$mid: an object schema written inline; give its key table a \$defs entry" ;;
        *) if grep -qx "$(re "$key")" "$tmp/c.keys"; then ok; else bad "$what$mid names '$key', not a key of $name"; fi ;;
        esac
    done <"$tmp/inner"
done <"$tmp/keysets"
while read -r o; do
    if grep -qx "$(re "$o")" "$tmp/mapped"; then ok; else
        d=${o#/\$defs/}
        bad "schema object $o has properties, but the loader has no key table ${d}_keys"
    fi
done <"$tmp/objects"

# --- 2c. name tables <-> enums ------------------------------------------------------------
n_calls=$(grep -o 'rd_enum(p, ' "$tmp/loader.flat" | wc -l)
grep -o 'rd_enum(p, [^,]*, [a-z_][a-z_0-9]*, [A-Za-z_0-9]*' "$tmp/loader.flat" |
    sed 's/^rd_enum(p, [^,]*, //; s/,//' >"$tmp/named"
grep -o 'rd_enum(p, "[^"]*", ([^}]*}' "$tmp/loader.flat" >"$tmp/inline"
n_named=$(wc -l <"$tmp/named")
n_inline=$(wc -l <"$tmp/inline")
if [ "$n_calls" -eq $((n_named + n_inline)) ] && [ "$n_calls" -ge 10 ]; then ok; else
    bad "$loader has $n_calls rd_enum() calls; recognised $n_named with a table, $n_inline with an inline list"
fi
check_enum() { # check_enum TABLE|inline:KEY FILE: FILE holds the names the loader accepts
    def=$(echo "$ENUMS" | awk -v t="$1" '$1 == t { print $2 }')
    if [ -z "$def" ]; then
        bad "rd_enum() with $1 is not mapped to a schema enum: add it to ENUMS in $0"
        return
    fi
    sort "$2" >"$tmp/c.names"
    sed -n "s|^V$TAB/\\\$defs/$def/enum/[0-9]*$TAB||p" "$tmp/paths" | sort >"$tmp/s.names"
    if [ -s "$tmp/c.names" ] && cmp -s "$tmp/c.names" "$tmp/s.names"; then ok; else
        bad "\$defs/$def/enum differs from $1 (<: loader only, >: schema only):"
        diff "$tmp/c.names" "$tmp/s.names" | grep '^[<>]'
    fi
}
sort -u "$tmp/named" >"$tmp/named.u"
while read -r tbl count; do
    table "$tbl" "$count" >"$tmp/names"
    check_enum "$tbl" "$tmp/names"
done <"$tmp/named.u"
while read -r line; do
    key=$(echo "$line" | sed 's/^rd_enum(p, "\([^"]*\)".*/\1/')
    echo "$line" | sed 's/^[^{]*{//' | grep -o '"[^"]*"' | tr -d '"' >"$tmp/names"
    check_enum "inline:$key" "$tmp/names"
done <"$tmp/inline"

# --- 2d. references -----------------------------------------------------------------------
sed -n "s|^K$TAB/\\\$defs/\([^/]*\)\$|\1|p" "$tmp/paths" | sort >"$tmp/defs"
sed -n "s|^V$TAB.*/\\\$ref$TAB||p" "$tmp/paths" | sort -u >"$tmp/refs"
while read -r r; do
    # shellcheck disable=SC2016 # a literal $defs
    case $r in
    '#/$defs/'*) if grep -qx "$(re "${r#\#/\$defs/}")" "$tmp/defs"; then ok; else bad "\$ref $r resolves to nothing"; fi ;;
    *) bad "\$ref $r: only #/\$defs/NAME references are expected" ;;
    esac
done <"$tmp/refs"
while read -r d; do
    if grep -qx "$(re "#/\$defs/$d")" "$tmp/refs"; then ok; else bad "\$defs/$d is never referenced"; fi
done <"$tmp/defs"

# --- 3. optional: full validation -----------------------------------------------------------
if [ "$fail" -ne 0 ]; then
    echo "schema: full validation skipped until the failures above are fixed"
elif command -v python3 >/dev/null 2>&1 && python3 -c 'import jsonschema, yaml' 2>/dev/null; then
    if python3 "$here/validate.py" "$schema"; then ok; else bad "python validation (tests/schema/validate.py)"; fi
else
    echo "schema: python3 with jsonschema and yaml not found: full validation skipped"
fi

finish schema
