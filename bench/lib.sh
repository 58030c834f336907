# Shared helpers for the benchmark scripts (sourced).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIARAN_BIN=${SIARAN_BIN:-$ROOT/build/siaran}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_siaran DATA_DIR [VAR=value...]: starts the server on free ports; sets SIARAN_PID, HTTP, RTMP.
start_siaran() {
  local dir=$1; shift
  local out="$dir/stdout"
  env SIARAN_HTTP_ADDR=127.0.0.1:0 SIARAN_RTMP_ADDR=127.0.0.1:0 SIARAN_DATA_DIR="$dir" \
    SIARAN_LOG_LEVEL=warn "$@" "$SIARAN_BIN" serve >"$out" 2>"$dir/stderr" &
  SIARAN_PID=$!
  for _ in $(seq 100); do
    if grep -q '"event":"listening"' "$out" 2>/dev/null; then break; fi
    sleep 0.05
  done
  HTTP=$(sed -n 's/.*"http":"\([^"]*\)".*/\1/p' "$out" | head -1)
  RTMP=$(sed -n 's/.*"rtmp":"\([^"]*\)".*/\1/p' "$out" | head -1)
  [[ -n "$HTTP" ]] || { cat "$dir/stderr"; echo "siaran did not start"; exit 1; }
}

stop_pid() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# cpu_seconds PID: user+system CPU seconds the process used so far.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
