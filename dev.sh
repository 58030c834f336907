#!/usr/bin/env bash
# The two commands of the README, and their parts.
#   ./dev.sh start   install what is missing, build, run `siaran serve` with its defaults
#                    (HTTP 127.0.0.1:8000, RTMP 127.0.0.1:1935, data in ./data)
#   ./dev.sh test    install what is missing, then every test: unit + end-to-end on a normal
#                    build, the same on an ASan+UBSan build, then each fuzz target briefly
# Parts: deps, build, asan, fuzz, bench. FUZZ_SECONDS (default 20) sets the fuzzing time
# per target; JOBS (default: cores) the build and test parallelism.
set -euo pipefail
cd "$(dirname "$0")"
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

deps() { scripts/install-deps.sh "$@"; }

configure_build() { # dir [cmake args...]
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

build() { configure_build build; }

run_ctest() { # dir label
  echo "== tests: $2"
  ctest --test-dir "$1" --output-on-failure -j "$JOBS" --timeout 900
}

fuzz() {
  CC=clang configure_build build-fuzz -DSIARAN_FUZZ=ON -DSIARAN_TESTS=OFF
  local f name work
  for f in tests/fuzz/fuzz_*.c; do
    name=$(basename "$f" .c)
    work=$(mktemp -d)
    echo "== fuzz: $name for ${FUZZ_SECONDS}s"
    mkdir -p "tests/fuzz/corpus/$name"
    # New inputs go to a scratch dir; the committed corpus is only read.
    "build-fuzz/$name" -max_total_time="$FUZZ_SECONDS" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 "$work" "tests/fuzz/corpus/$name" \
      >"$work.log" 2>&1 || { tail -50 "$work.log"; echo "fuzz: $name found a failure"; exit 1; }
    grep -E 'stat::number_of_executed_runs|DONE' "$work.log" | head -2 || true
    rm -rf "$work" "$work.log"
  done
}

case "${1:-}" in
  start)
    deps
    build
    exec build/siaran serve
    ;;
  test)
    deps
    build
    run_ctest build "normal build"
    configure_build build-asan -DSIARAN_SANITIZE=ON
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
      run_ctest build-asan "ASan+UBSan build"
    fuzz
    echo "== all tests passed"
    ;;
  deps) shift; deps "$@" ;;
  build) build ;;
  asan) configure_build build-asan -DSIARAN_SANITIZE=ON ;;
  fuzz) fuzz ;;
  bench) deps --bench; build; shift; exec bench/run.sh "$@" ;;
  *)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
