#!/usr/bin/env bash
# scripts/deps.sh — install what amlaviz needs on Debian 12 (apt-get when root; otherwise print
# the exact command).  Sourced by run.sh and test.sh; safe to run again.
set -euo pipefail

# fonts: DejaVu for Latin, Greek and Cyrillic, Droid Sans Fallback for CJK trace names (Pango)
AMLAVIZ_PACKAGES=(
  gcc pkg-config meson ninja-build
  libglib2.0-dev libjson-c-dev zlib1g-dev libcairo2-dev libgtk-3-dev
  xvfb xauth dbus poppler-utils libxml2-utils desktop-file-utils appstream
  fonts-dejavu-core fonts-droid-fallback
)
# only for the tests: a real one-node Slurm cluster for tests/slurm (sweep-slurm)
AMLAVIZ_TEST_PACKAGES=(slurmctld slurmd slurm-client munge)

amlaviz_missing_packages() {
  local missing=() wanted=("${AMLAVIZ_PACKAGES[@]}")
  [ "${1:-}" = test ] && wanted+=("${AMLAVIZ_TEST_PACKAGES[@]}")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

# amlaviz_install_deps [test]: the packages to build and run; with "test", those the tests need too
amlaviz_install_deps() {
  local missing
  missing=$(amlaviz_missing_packages "${1:-}")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "== installing: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "amlaviz needs these Debian packages: $missing" >&2
    echo "run:  sudo apt-get install -y $missing" >&2
    return 1
  fi
}

amlaviz_build() {
  local dir=${1:-build}
  shift || true
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null
  fi
  ninja -C "$dir" >/dev/null
}
