# json_paths.awk -- list the members and scalars of a JSON document by JSON Pointer.
#
#   awk -f json_paths.awk FILE
#
# prints, in document order, one line per object member and one per scalar value:
#
#   K<TAB>/pointer/of/the/member
#   V<TAB>/pointer/of/the/value<TAB>value
#
# (strings without their quotes, \" and \\ unescaped; numbers, true, false, null as written).
# Array elements are numbered from 0. "~" and "/" in keys are escaped as ~0 and ~1 (RFC 6901).
# Used by schema_test.sh, which must run without jq or python (neither is a dmasim
# dependency). It only needs to read JSON that json_check has already accepted, but it stops
# with status 1 on anything it cannot follow. POSIX awk (mawk, gawk, busybox).

function path(    p, i) {
    p = ""
    for (i = 1; i <= d; i++)
        p = p "/" seg[i]
    return p
}

function fail(msg) {
    printf "json_paths.awk: %s: %s at character %d\n", FILENAME, msg, i > "/dev/stderr"
    bad = 1
    exit 1
}

{ text = text $0 "\n" }

END {
    if (bad)
        exit 1
    n = length(text)
    d = 0
    i = 1
    while (i <= n) {
        c = substr(text, i, 1)
        if (c == " " || c == "\t" || c == "\n" || c == "\r" || c == ":") {
            i++
        } else if (c == "{" || c == "[") {
            d++
            type[d] = c
            seg[d] = (c == "[") ? 0 : ""
            want_key[d] = (c == "{")
            i++
        } else if (c == "}" || c == "]") {
            if (d == 0 || (c == "}") != (type[d] == "{"))
                fail("unbalanced '" c "'")
            d--
            i++
        } else if (c == ",") {
            if (d == 0)
                fail("',' outside a container")
            if (type[d] == "[")
                seg[d]++
            else
                want_key[d] = 1
            i++
        } else if (c == "\"") {
            s = ""
            i++
            while (i <= n && (c = substr(text, i, 1)) != "\"") {
                if (c == "\\") {
                    i++
                    c = substr(text, i, 1)
                    if (c != "\"" && c != "\\")
                        c = "\\" c
                }
                s = s c
                i++
            }
            if (i > n)
                fail("unterminated string")
            i++
            if (d > 0 && type[d] == "{" && want_key[d]) {
                gsub(/~/, "~0", s)
                gsub(/\//, "~1", s)
                seg[d] = s
                want_key[d] = 0
                printf "K\t%s\n", path()
            } else {
                printf "V\t%s\t%s\n", path(), s
            }
        } else {
            s = ""
            while (i <= n && (c = substr(text, i, 1)) !~ /[],} \t\r\n]/) {
                s = s c
                i++
            }
            if (s !~ /^(-?[0-9][0-9.eE+-]*|true|false|null)$/)
                fail("unexpected '" s "'")
            printf "V\t%s\t%s\n", path(), s
        }
    }
    if (d != 0)
        fail("unterminated container")
}
