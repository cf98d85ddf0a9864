#!/usr/bin/env bash
# scripts/run.sh — set up and run amlaviz: installs what is missing, builds, opens the window with
# the default AMLA configuration; without a display, runs the headless simulation instead (prints
# the metrics table, writes amlaviz-default.json and, when available, amlaviz-default.png).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
amlaviz_install_deps
amlaviz_build build
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/src/app/amlaviz ]; then
  exec build/src/app/amlaviz "$@"
fi
echo "== no display: headless run (amlasim run)"
args=(run -o amlaviz-default.json)
if build/src/cli/amlasim run --help 2>/dev/null | grep -q -- '--png'; then
  args+=(--png amlaviz-default.png)
fi
build/src/cli/amlasim "${args[@]}" "$@"
echo "== trace written to amlaviz-default.json (open it in amlaviz or https://ui.perfetto.dev)"
