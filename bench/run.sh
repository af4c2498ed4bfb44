#!/bin/sh
# bench/run.sh [N...] -- the loader benchmark: for each N (default 10000 100000 1000000)
# generate a synthetic topology of about N functions (bench/gen_topology.c: segments of 22
# root ports, each with a PCIe switch of 8 downstream ports holding 8-function endpoints with
# two BARs, and a PCIe-to-PCI bridge with 4 conventional devices), then time libyaml's bare
# event parse of the file (the yardstick) and dmasim's load (parse, model, finalize) of it.
# Then the explorer benchmark (bench/bench_explore.c): 5 devices sized by 5 CPUs, 17^5 =
# 1,419,857 states without reduction. BENCH_EXPLORE_K sets the number of devices.
# Not a test: numbers go to docs/performance.md by hand.
set -eu
cd "$(dirname "$0")/.."
B=${BUILD:-build-rel}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DDMASIM_BUILD_TESTS=OFF >/dev/null
cmake --build "$B" -j "$(nproc)" --target gen_topology yaml_baseline bench_load bench_explore >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in ${*:-10000 100000 1000000}; do
    "$B/bench/gen_topology" "$n" >"$tmp/t.yaml"
    echo "N=$n: $(du -h "$tmp/t.yaml" | cut -f1) of YAML"
    "$B/bench/yaml_baseline" "$tmp/t.yaml" >/dev/null # warm the page cache
    "$B/bench/yaml_baseline" "$tmp/t.yaml"
    "$B/bench/bench_load" "$tmp/t.yaml"
done
"$B/bench/bench_explore" "${BENCH_EXPLORE_K:-5}"
