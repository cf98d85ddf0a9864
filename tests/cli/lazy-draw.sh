#!/bin/sh
# tests/cli/lazy-draw.sh AMLASIM SAMPLE — amlasim loads cairo, pango and the rest of the drawing
# stack (through its module amlasim-draw.so, src/cli/draw.h) only for the commands that draw.
# The dynamic loader's own log (LD_DEBUG=libs) names every library a run loads, dlopen'ed ones
# included; each check also finds GLib in that log, and the drawing commands find cairo in it, so a
# log that says nothing cannot pass.  TAP output.
set -u
AMLASIM=$1
SAMPLE=$2
. "$(dirname "$0")/../tap.sh"
DRAWING='libcairo|libpango|libfontconfig|libfreetype|libharfbuzz|libpixman|libpng|libX11|libxcb'
DRAWING="$DRAWING|amlasim-draw"

# run AMLASIM ARGS with the loader's log in $T/log; sets rc
traced () {
  LD_DEBUG=libs LD_DEBUG_OUTPUT="$T/ld" "$AMLASIM" "$@" >"$T/out" 2>"$T/err"
  rc=$?
  cat "$T"/ld.* >"$T/log" 2>/dev/null
  rm -f "$T"/ld.*
}

traced --version
if ! grep -q 'find library=libglib-2\.0' "$T/log"; then
  echo "1..0 # SKIP the dynamic loader does not log with LD_DEBUG=libs (not glibc?)"
  exit 77
fi

# commands that draw nothing: no drawing library is loaded
draws_nothing () {
  traced "$@"
  if [ "$rc" != 0 ]; then
    not_ok "$*: exit $rc: $(head -3 "$T/err")"
  elif ! grep -q 'find library=libglib-2\.0' "$T/log"; then
    not_ok "$*: the loader's log does not name GLib"
  elif grep -qE "$DRAWING" "$T/log"; then
    not_ok "$*: loads $(grep -oE "($DRAWING)[^ ]*" "$T/log" | sort -u | tr '\n' ' ')"
  else
    ok "$*: $(grep -c 'calling init' "$T/log") libraries, none of the drawing stack"
  fi
}
draws_nothing --version
draws_nothing run --quiet
draws_nothing run --json
draws_nothing run --quiet -o "$T/trace.json"
draws_nothing info "$SAMPLE"
draws_nothing info "$T/trace.json"
draws_nothing convert "$SAMPLE" --flavor msprof -o "$T/msprof.json"
draws_nothing hw
draws_nothing sweep --kv 512,1024 -o "$T/sweep.csv"
draws_nothing merge "$T/sweep.csv" -o "$T/merged.csv"

# the executable itself asks for none of them (the module does)
if command -v readelf >/dev/null 2>&1; then
  needed=$(readelf -d "$AMLASIM" | grep NEEDED)
  if echo "$needed" | grep -q 'libglib-2\.0' && ! echo "$needed" | grep -qE "$DRAWING"; then
    ok "amlasim's NEEDED: $(echo "$needed" | sed 's/.*\[\(.*\)\]/\1/' | tr '\n' ' ')"
  else
    not_ok "amlasim's NEEDED: $needed"
  fi
else
  ok "# SKIP no readelf"
fi

# commands that draw: they load the module and cairo, and write the image
is_png () { [ "$(head -c 8 "$1" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ]; }
draws () {
  image=$1; shift
  rm -f "$image"
  traced "$@"
  if [ "$rc" != 0 ]; then
    not_ok "$*: exit $rc: $(head -3 "$T/err")"
  elif ! grep -q 'amlasim-draw\.so' "$T/log" || ! grep -q 'libcairo\.so' "$T/log"; then
    not_ok "$*: the loader's log names no module or no cairo"
  elif ! [ -s "$image" ]; then
    not_ok "$*: no image"
  else
    ok "$*: module and cairo loaded, $(wc -c <"$image") bytes"
  fi
}
draws "$T/export.png" export "$SAMPLE" -o "$T/export.png"
is_png "$T/export.png" && ok "export wrote a PNG" || not_ok "export wrote no PNG"
draws "$T/run.png" run --quiet --png "$T/run.png"
is_png "$T/run.png" && ok "run --png wrote a PNG" || not_ok "run --png wrote no PNG"
draws "$T/merge.svg" merge "$T/sweep.csv" -o "$T/merged.csv" --roofline "$T/merge.svg"

# without its module, a command that draws says so in one line and exits 1 before any work
mkdir "$T/alone"
cp "$AMLASIM" "$T/alone/amlasim"
"$T/alone/amlasim" export "$SAMPLE" -o "$T/alone.png" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" = 0 ]; then
  ok "# SKIP an installed amlasim-draw.so was found: $(cat "$T/err")"
elif [ "$rc" = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] && ! [ -e "$T/alone.png" ] \
     && grep -q 'cannot draw: amlasim-draw.so is in none of' "$T/err"; then
  ok "no module: $(cat "$T/err")"
else
  not_ok "no module: exit $rc: $(cat "$T/err")"
fi
"$T/alone/amlasim" run --quiet >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 0 ] && ok "no module: run --quiet still runs" || not_ok "no module: run --quiet: exit $rc"

echo "1..$n"
exit $fail
