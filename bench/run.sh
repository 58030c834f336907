#!/usr/bin/env bash
# Runs the benchmarks: bench/run.sh [http ...]. Each prints a Markdown table to paste into
# bench/README.md. Heavy: not part of the test command.
set -euo pipefail
cd "$(dirname "$0")"
suites=("$@")
((${#suites[@]})) || suites=(http ingest)
for s in "${suites[@]}"; do
  "./$s/run.sh"
done
