#!/bin/sh
# Install the Debian packages dmasim needs, when any is missing. Run by ./run.sh, ./test.sh
# and `make run`/`make test`; safe to run again (it does nothing when everything is there).
#   required: a C compiler, CMake, pkg-config, git, clang-format, libyaml, cmocka, Graphviz,
#             jansson
#   optional: clang (the libFuzzer target of `make test` is skipped without it)
set -eu

required="gcc libc6-dev make cmake pkg-config git clang-format libyaml-dev libcmocka-dev libgraphviz-dev libjansson-dev"

missing=""
for pkg in $required; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0

echo "dmasim: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "dmasim: cannot install packages (not root, no password-less sudo). Run as root:" >&2
    echo "    apt-get install -y$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
