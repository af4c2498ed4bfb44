# tests/lib.sh -- the helpers of the shell tests, sourced from the source directory:
#     . tests/lib.sh
# A temporary directory $tmp (removed on exit), pass/fail counters, and checks that count one
# pass or print "FAIL: ..." and count one failure. End a script with `finish NAME`.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# run EXPECTED_RC ARGS...: run $DMASIM, keep stdout/stderr in $tmp/out, $tmp/err
run() {
    want=$1
    shift
    "$DMASIM" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "dmasim $* exited $rc, expected $want"; cat "$tmp/err"; fi
}
has() { if grep -q -- "$2" "$1"; then ok; else bad "$1 lacks '$2'"; fi; }    # FILE REGEX
hasnt() { if grep -q -- "$2" "$1"; then bad "$1 has '$2'"; else ok; fi; }    # FILE REGEX
fixed() { if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks '$2'"; fi; } # FILE STRING
empty() { if [ ! -s "$1" ]; then ok; else bad "$1 is not empty"; head -5 "$1"; fi; }
absent() { if [ ! -e "$1" ]; then ok; else bad "$1 exists"; fi; }

# finish NAME: the summary line, and the exit status
finish() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
