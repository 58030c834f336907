#!/usr/bin/env bash
# HTTP benchmark: wrk against siaran's /healthz and GET /api/streams/ (30 streams in SQLite),
# and nginx serving a small static file in the same run, as a reference point.
# Both servers get one worker (siaran is one event loop); wrk shares the 2 cores.
#   env: DURATION (default 10s), CONNS (default 64), THREADS (default 2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "needs wrk (./dev.sh deps --bench)"; exit 1; }
command -v nginx >/dev/null || { echo "needs nginx (./dev.sh deps --bench)"; exit 1; }

tmp=$(mktemp -d)
trap 'stop_pid ${SIARAN_PID:-0}; [[ -n "${NGINX_PID:-}" ]] && stop_pid $NGINX_PID; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/siaran" "$tmp/nginx/html" "$tmp/nginx/logs"
start_siaran "$tmp/siaran"

# Seed: one user, 30 streams.
curl -sf -X POST "http://$HTTP/api/register/" -H 'Content-Type: application/json' \
  -d '{"username":"bench","email":"bench@example.com","password":"benchpassword"}' >/dev/null
token=$(curl -sf -X POST "http://$HTTP/api/login/" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"benchpassword"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
for i in $(seq 30); do
  curl -sf -X POST "http://$HTTP/api/streams/create/" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"title\":\"Bench stream $i\"}" >/dev/null
done

# nginx: one worker, a 15-byte file like /healthz's body.
nport=$(free_port)
printf '{"status":"ok"}' >"$tmp/nginx/html/healthz.json"
cat >"$tmp/nginx/nginx.conf" <<NGX
worker_processes 1;
user root;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  server {
    listen 127.0.0.1:$nport;
    root $tmp/nginx/html;
  }
}
NGX
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
sleep 0.5

run_wrk() { # name url
  local out
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$2")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '| %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99"
}

echo "HTTP, $CONNS connections, $THREADS wrk threads, $DURATION each, $(nproc) cores shared with wrk"
echo
echo "| target | requests/s | p50 | p99 |"
echo "|---|---|---|---|"
run_wrk "siaran GET /healthz" "http://$HTTP/healthz"
run_wrk "siaran GET /api/streams/ (20 of 30 streams, SQLite)" "http://$HTTP/api/streams/"
run_wrk "nginx 1 worker, static 15-byte file" "http://127.0.0.1:$nport/healthz.json"
echo
echo "siaran RSS after the runs: $(rss_kib "$SIARAN_PID") KiB"
