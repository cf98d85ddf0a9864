#!/bin/sh
# tests/cli/without-renderer.sh SOURCE_ROOT — the simulator and its CLI build and work without
# the renderer: a build configured with -Drender=disabled -Dgui=disabled (as on a machine without
# cairo and Pango, where 'auto' finds neither) compiles amlasim, which links no cairo or Pango,
# simulates and writes traces, and says what it cannot do.  The stop-17 drawing module had made
# the CLI include cairo.h unconditionally; nothing built that configuration, so nothing noticed.
# TAP output.
set -u
SRC=$1
. "$(dirname "$0")/../tap.sh"

# the sanitizers of the build running this test are not asked of the small build
if meson setup "$T/b" "$SRC" -Drender=disabled -Dgui=disabled -Dbuildtype=debug >"$T/setup" 2>&1 \
   && grep -q 'render *: *disabled' "$T/setup"; then
  ok "configures with -Drender=disabled -Dgui=disabled"
else
  not_ok "configures with -Drender=disabled -Dgui=disabled"; sed 's/^/# /' "$T/setup" | tail -20
  echo "1..$n"; exit 1
fi
if ninja -C "$T/b" src/cli/amlasim >"$T/build" 2>&1; then
  ok "amlasim builds"
else
  not_ok "amlasim builds"; grep -E 'error|Error' "$T/build" | head -20 | sed 's/^/# /'
  echo "1..$n"; exit 1
fi
A="$T/b/src/cli/amlasim"
if command -v ldd >/dev/null && ldd "$A" | grep -qiE 'libcairo|libpango'; then
  not_ok "amlasim links no cairo or Pango"; ldd "$A" | sed 's/^/# /'
else
  ok "amlasim links no cairo or Pango"
fi
if AMLAVIZ_DATA_DIR="$SRC/data" "$A" run --quiet --batch 4 --kv 1024 -o "$T/t.json" \
   && AMLAVIZ_DATA_DIR="$SRC/data" "$A" info "$T/t.json" | grep -q 'amlaviz simulation'; then
  ok "run -o writes a trace that info reads"
else
  not_ok "run -o writes a trace that info reads"
fi
AMLAVIZ_DATA_DIR="$SRC/data" "$A" export "$T/t.json" -o "$T/t.png" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" = 1 ] && grep -q 'built without the renderer' "$T/err" && [ ! -e "$T/t.png" ]; then
  ok "export says it was built without the renderer (exit 1, no file)"
else
  not_ok "export says it was built without the renderer (exit $rc)"; sed 's/^/# /' "$T/err"
fi
AMLAVIZ_DATA_DIR="$SRC/data" "$A" sweep --kv 512 --batch 1 --plot "$T/p.png" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" = 2 ] && grep -q 'need cairo' "$T/err"; then
  ok "sweep --plot is refused as a usage error"
else
  not_ok "sweep --plot is refused as a usage error (exit $rc)"; sed 's/^/# /' "$T/err"
fi
echo "1..$n"
exit $fail
