#!/bin/sh
# Build the libFuzzer target with clang and run it for FUZZ_SECONDS (default 30) on a corpus
# seeded with every bundled scenario and the bad-input corpus. Skipped, with a note, when
# clang or its libFuzzer runtime is missing. A crash fails the run; turn it into a
# tests/invalid case (tests/invalid/README.md).
set -eu
cd "$(dirname "$0")/../.."
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
JOBS=${JOBS:-2}

if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang is not installed; skipping the fuzz run (apt-get install clang to enable)"
    exit 0
fi
probe=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}\n' >"$probe/p.c"
if ! clang -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    rm -rf "$probe"
    echo "fuzz: clang has no libFuzzer runtime; skipping the fuzz run"
    exit 0
fi
rm -rf "$probe"

CC=clang cmake -S . -B "$FUZZ_BUILD" -DCMAKE_BUILD_TYPE=Debug -DDMASIM_BUILD_TESTS=OFF \
    -DDMASIM_FUZZ=ON -DDMASIM_SANITIZE=address,undefined \
    -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link >/dev/null
cmake --build "$FUZZ_BUILD" -j "$JOBS" --target fuzz_scenario

corpus="$FUZZ_BUILD/corpus"
mkdir -p "$corpus"
for f in $(find scenarios tests/invalid docs/examples docs/examples-invalid -name '*.yaml' 2>/dev/null | LC_ALL=C sort); do
    cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"
done
echo "fuzz: running fuzz_scenario for ${FUZZ_SECONDS}s on $(ls "$corpus" | wc -l) seed files"
"$FUZZ_BUILD/tests/fuzz/fuzz_scenario" -max_total_time="$FUZZ_SECONDS" -seed=1 \
    -dict=tests/fuzz/scenario.dict -artifact_prefix="$FUZZ_BUILD/" -print_final_stats=1 \
    "$corpus" 2>"$FUZZ_BUILD/fuzz.log" || {
    tail -n 60 "$FUZZ_BUILD/fuzz.log"
    echo "fuzz: FAILED; the crashing input is in $FUZZ_BUILD/crash-* (add it to tests/invalid/)"
    exit 1
}
grep -E 'stat::number_of_executed_units|Done' "$FUZZ_BUILD/fuzz.log" | tail -n 2
echo "fuzz: passed, no crash in ${FUZZ_SECONDS}s"
