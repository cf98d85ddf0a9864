#!/usr/bin/env bash
# tests/gui/test-gapplication.sh — drive a running amlaviz from outside, as a user's script would:
# `gapplication action io.github.amlaviz.Amlaviz ACTION [VALUE]` on a private session bus under
# Xvfb, then read the action state back over org.gtk.Actions.
# usage: test-gapplication.sh path/to/amlaviz
set -euo pipefail
exe=$(readlink -f "$1")
if [ -z "${AMLAVIZ_IN_SESSION:-}" ]; then
  export AMLAVIZ_IN_SESSION=1
  exec dbus-run-session -- xvfb-run -a -s '-screen 0 1400x900x24' bash "$0" "$exe"
fi
app=io.github.amlaviz.Amlaviz
obj=/io/github/amlaviz/Amlaviz
errlog=$(mktemp)
"$exe" 2>"$errlog" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
# (gapplication list-actions lists the desktop file's actions; the GActions are on D-Bus)
actions() {
  gdbus call --session --dest "$app" --object-path "$obj" --method org.gtk.Actions.List 2>/dev/null
}
state() {
  gdbus call --session --dest "$app" --object-path "$obj" --method org.gtk.Actions.Describe "$1"
}
for _ in $(seq 100); do
  actions | grep -q "'preload'" && break
  sleep 0.1
done
list=$(actions)
echo "# actions: $list"
for a in preload tiling rescale batch kv sq heads preset zoom-in zoom-out pan-left pan-right fit \
         step-next step-prev pin-a show-flows all-cores open save export shortcuts configure view \
         sweep-run sweep-cancel sweep-export; do
  grep -q "'$a'" <<<"$list" || { echo "missing action $a"; exit 1; }
done
state preload | grep -q '<true>' || { echo "preload should start on: $(state preload)"; exit 1; }
echo "# action preload"; gapplication action "$app" preload
sleep 0.5
state preload | grep -q '<false>' || { echo "preload should be off: $(state preload)"; exit 1; }
echo "# action rescale "'mul'""; gapplication action "$app" rescale "'mul'"
echo "# action kv 8192"; gapplication action "$app" kv 8192
sleep 0.5
state rescale | grep -q "'mul'" || { echo "rescale: $(state rescale)"; exit 1; }
state kv | grep -q '8192' || { echo "kv: $(state kv)"; exit 1; }
echo "# action view 'sweep'"; gapplication action "$app" view "'sweep'"
sleep 0.3
state view | grep -q "'sweep'" || { echo "view: $(state view)"; exit 1; }
echo "# action view 'toggle'"; gapplication action "$app" view "'toggle'"
sleep 0.3
state view | grep -q "'timeline'" || { echo "view: $(state view)"; exit 1; }
# a sweep from a script: run it, wait until it is done, write its plot
plot=$(mktemp -d)/sweep.svg
echo "# action sweep-run 'kv=512,1024 toggles=current'"
gapplication action "$app" sweep-run "'kv=512,1024 toggles=current'"
for _ in $(seq 300); do
  state sweep-export | grep -q '^((true' && break
  sleep 0.1
done
state sweep-export | grep -q '^((true' || { echo "sweep-export: $(state sweep-export)"; exit 1; }
# the first result enables it; wait for the last (sweep-cancel is enabled while the sweep runs)
for _ in $(seq 300); do
  state sweep-cancel | grep -q '^((false' && break
  sleep 0.1
done
state sweep-cancel | grep -q '^((false' || { echo "sweep still running: $(state sweep-cancel)"; exit 1; }
echo "# action sweep-export '$plot'"; gapplication action "$app" sweep-export "'$plot'"
for _ in $(seq 50); do [ -s "$plot" ] && break; sleep 0.1; done
head -c 5 "$plot" | grep -q '<?xml' || { echo "no sweep plot at $plot"; exit 1; }
rm -rf "$(dirname "$plot")"
# a script sees a failed open-file or save-to on stderr, as the README says (not only in the
# error bar)
echo "# action open-file '/nonexistent/x.json'"
gapplication action "$app" open-file "'/nonexistent/x.json'"
echo "# action save-to '/nonexistent/dir/y.json'"
gapplication action "$app" save-to "'/nonexistent/dir/y.json'"
for _ in $(seq 50); do
  grep -q 'Could not save' "$errlog" && break
  sleep 0.1
done
grep -q 'amlaviz: Could not open x.json' "$errlog" || { echo "open-file failure not on stderr:"; cat "$errlog"; exit 1; }
grep -q 'amlaviz: Could not save /nonexistent/dir/y.json' "$errlog" || { echo "save-to failure not on stderr:"; cat "$errlog"; exit 1; }
rm -f "$errlog"
echo "# action step-next"; gapplication action "$app" step-next
echo "# action zoom-in"; gapplication action "$app" zoom-in
# quitting never waits for a simulation: start a long one (several seconds) and quit during it
echo "# action kv 65536"; gapplication action "$app" kv 65536
sleep 0.5
echo "# action quit"; gapplication action "$app" quit
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then echo "amlaviz did not quit"; exit 1; fi
wait $pid
echo "gapplication drove the running window: ok"
