#!/usr/bin/env bash
# Regenerates the AMLA sample traces: the default shape with a short KV (B=96, S_kv=1024, so
# each AI core runs 4 blocks), one file per toggle, AI core 0 only (all 144 cores are simulated;
# otherData carries the whole-chip metrics).  Usage: samples/make-samples.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/.."
amlasim=${1:-build}/src/cli/amlasim
common=(run --kv 1024 --trace-cores 0 --quiet)
"$amlasim" "${common[@]}" -o samples/amla-default.json
"$amlasim" "${common[@]}" --preload off -o samples/amla-preload-off.json
"$amlasim" "${common[@]}" --tiling off -o samples/amla-tiling-off.json
"$amlasim" "${common[@]}" --rescale mul -o samples/amla-rescale-mul.json
ls -l samples/amla-*.json
