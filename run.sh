#!/bin/sh
# Build dmasim and check every bundled scenario. On a fresh Debian 12 machine this first
# installs what it needs (make, a C compiler, CMake, the libraries): see tools/install-deps.sh.
set -eu
cd "$(dirname "$0")"
./tools/install-deps.sh
exec make run
