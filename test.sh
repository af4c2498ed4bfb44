#!/bin/sh
# Build dmasim and run every test: the normal build (warnings are errors), the ASan+UBSan
# build, and 30 s of libFuzzer on the scenario loader when clang is installed. On a fresh
# Debian 12 machine this first installs what it needs: see tools/install-deps.sh.
set -eu
cd "$(dirname "$0")"
./tools/install-deps.sh
exec make test
