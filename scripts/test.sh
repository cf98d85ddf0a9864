#!/usr/bin/env bash
# scripts/test.sh — set up and run the whole test suite (unit, integration, GUI under Xvfb).
# Extra arguments go to 'meson test' (e.g. --suite sim).  Prints "N passed, N failed" at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
set -e
amlaviz_install_deps test
amlaviz_build build
set +e
meson test -C build --print-errorlogs "$@"
status=$?
log=build/meson-logs/testlog.json
if [ -f "$log" ]; then
  passed=$(grep -cE '"result": "(OK|EXPECTEDFAIL)"' "$log")
  skipped=$(grep -c '"result": "SKIP"' "$log")
  total=$(grep -c '"result":' "$log")
  failed=$((total - passed - skipped))
else
  passed=0; failed=1; skipped=0
fi
[ "$status" != 0 ] && [ "$failed" = 0 ] && failed=1
if [ "$skipped" != 0 ]; then echo "$passed passed, $failed failed ($skipped skipped)"; else echo "$passed passed, $failed failed"; fi
exit $status
