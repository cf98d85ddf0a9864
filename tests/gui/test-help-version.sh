#!/bin/sh
# tests/gui/test-help-version.sh — `amlaviz --help` names the TRACE argument, `--version` prints
# the version; neither needs a display.
set -eu
exe=$1
help=$("$exe" --help)
echo "$help" | grep -q '\[TRACE\]' || { echo "--help does not mention TRACE"; echo "$help"; exit 1; }
echo "$help" | grep -q -- '--version' || { echo "--help does not list --version"; exit 1; }
ver=$("$exe" --version)
echo "$ver" | grep -Eq '^amlaviz [0-9]+\.[0-9]+' || { echo "bad --version: $ver"; exit 1; }
echo "ok: $ver"
