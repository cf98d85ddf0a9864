# tests/tap.sh — sourced by the shell tests (. "$(dirname "$0")/../tap.sh"): a scratch
# directory $T, removed on exit, and TAP lines numbered in $n; $fail is 1 once one failed.
# A test ends with: echo "1..$n"; exit $fail
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fail=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
# check DESCRIPTION SHELL-TEST: ok when the test (eval'ed) holds
check () { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }
