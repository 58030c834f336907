#!/usr/bin/env bash
# Ingest benchmark: N publishers (ffmpeg -re -c copy, the 720p test file looped) into siaran,
# then the same into nginx with nginx-rtmp (hls on, 2 s fragments) in the same run.
# Prints, per N: server CPU seconds per second per stream, RSS, and for siaran the delay
# from reading the keyframe that closes a segment to the playlist naming it (its own
# metric); then wrk fetching a playlist and a segment from each server's memory/disk.
#   env: NS (default "1 10 50"), SECONDS_PER_RUN (default 20), WRK_DURATION (default 10s)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
NS=${NS:-"1 10 50"}
RUN=${SECONDS_PER_RUN:-20}
WRK_DURATION=${WRK_DURATION:-10s}
for t in ffmpeg nginx wrk curl; do command -v $t >/dev/null || { echo "needs $t (./dev.sh deps --bench)"; exit 1; }; done
[[ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ]] || { echo "needs libnginx-mod-rtmp"; exit 1; }
media=$(bash "$ROOT/../shared/media/make-test-media.sh")
file="$media/hd.flv"

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done
  [[ -n "${SIARAN_PID:-}" ]] && stop_pid "$SIARAN_PID"
  [[ -n "${NGINX_PID:-}" ]] && stop_pid "$NGINX_PID"
  rm -rf "$tmp"
}
trap cleanup EXIT

publish_all() { # url-prefix keys...
  local prefix=$1; shift
  pids=()
  for k in "$@"; do
    ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -i "$file" -t "$((RUN + 6))" \
      -c copy -f flv "$prefix/$k" >/dev/null 2>&1 &
    pids+=($!)
  done
}

wait_publishers() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }

# cpu of a process tree (nginx: master + workers)
tree_cpu() { local t=0; for p in "$@"; do t=$(awk -v a="$t" -v b="$(cpu_seconds "$p")" 'BEGIN{print a+b}'); done; echo "$t"; }
tree_rss() { local t=0; for p in "$@"; do t=$((t + $(rss_kib "$p"))); done; echo "$t"; }

measure() { # label n pids... ; sleeps RUN-? seconds in the middle of publishing
  local label=$1 n=$2; shift 2
  sleep 4 # let publishers connect and the first segments form
  local c0 c1 t0 t1
  c0=$(tree_cpu "$@"); t0=$(date +%s.%N)
  sleep "$RUN"
  c1=$(tree_cpu "$@"); t1=$(date +%s.%N)
  awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v n="$n" -v rss="$(tree_rss "$@")" -v l="$label" \
    'BEGIN { printf "| %s | %d | %.4f | %.1f |", l, n, (c1-c0)/(t1-t0)/n, rss/1024 }'
}

# ---- siaran
mkdir -p "$tmp/siaran"
start_siaran "$tmp/siaran"
curl -sf -X POST "http://$HTTP/api/register/" -H 'Content-Type: application/json' \
  -d '{"username":"bench","email":"bench@example.com","password":"benchpassword"}' >/dev/null
token=$(curl -sf -X POST "http://$HTTP/api/login/" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"benchpassword"}' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
max=0; for n in $NS; do ((n > max)) && max=$n; done
keys=(); ids=()
for i in $(seq "$max"); do
  s=$(curl -sf -X POST "http://$HTTP/api/streams/create/" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"title\":\"bench $i\"}")
  id=$(sed -n 's/^{"id":\([0-9]*\).*/\1/p' <<<"$s")
  keys+=("$(sed -n 's/.*"stream_key":"\([^"]*\)".*/\1/p' <<<"$s")"); ids+=("$id")
  curl -sf -X POST "http://$HTTP/api/streams/$id/start/" -H "Authorization: Bearer $token" >/dev/null
done

# ---- nginx-rtmp
nhttp=$(free_port); nrtmp=$(free_port)
mkdir -p "$tmp/nginx/hls" "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<NGX
load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
worker_processes 1;
user root;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 4096; }
rtmp {
  server {
    listen 127.0.0.1:$nrtmp;
    application live { live on; hls on; hls_path $tmp/nginx/hls; hls_fragment 2s; hls_playlist_length 12s; }
  }
}
http {
  access_log off;
  types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; }
  server { listen 127.0.0.1:$nhttp; location /hls/ { alias $tmp/nginx/hls/; } }
}
NGX
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
sleep 0.5
nginx_pids() { echo "$NGINX_PID" $(pgrep -P "$NGINX_PID"); }

echo "Ingest: hd.flv (1280x720, 2.5 Mb/s, keyframe every 2 s) looped with ffmpeg -re -c copy;"
echo "${RUN} s measured per run; publishers share the $(nproc) cores with the servers."
echo
echo "| server | publishers | CPU s/s per stream | RSS MiB |"
echo "|---|---|---|---|"
for n in $NS; do
  publish_all "rtmp://$RTMP/live" "${keys[@]:0:$n}"
  measure siaran "$n" "$SIARAN_PID"; echo
  wait_publishers
  sleep 1
  nk=(); for i in $(seq "$n"); do nk+=("s$i"); done
  publish_all "rtmp://127.0.0.1:$nrtmp/live" "${nk[@]}"
  # shellcheck disable=SC2046
  measure nginx-rtmp "$n" $(nginx_pids); echo
  wait_publishers
  sleep 1
done

metrics=$(curl -sf "http://$HTTP/metrics")
dsum=$(awk '/^siaran_hls_playlist_delay_seconds_sum/ {print $2}' <<<"$metrics")
dcnt=$(awk '/^siaran_hls_playlist_delay_seconds_count/ {print $2}' <<<"$metrics")
dmax=$(awk '/^siaran_hls_playlist_delay_seconds_max/ {print $2}' <<<"$metrics")
echo
awk -v s="$dsum" -v c="$dcnt" -v m="$dmax" 'BEGIN { printf "siaran keyframe → playlist: mean %.3f ms, max %.3f ms over %d segments\n", (c ? s/c*1000 : 0), m*1000, c }'

# ---- serving: a playlist and a segment, from siaran's memory and nginx's files
publish_all "rtmp://$RTMP/live" "${keys[0]}"
spids=("${pids[@]}")
pids=()
publish_all "rtmp://127.0.0.1:$nrtmp/live" s1
pids+=("${spids[@]}")
sleep 8
sp="http://$HTTP/hls/${ids[0]}/index.m3u8"
sseg=$(curl -sf "$sp" | grep -v '^#' | tail -1)
np="http://127.0.0.1:$nhttp/hls/s1.m3u8"
nseg=$(curl -sf "$np" | grep -v '^#' | tail -1)
curl -sf -o /dev/null "http://127.0.0.1:$nhttp/hls/$nseg" || { echo "nginx segment $nseg not served"; exit 1; }
run_wrk() { # label url
  local out; out=$(wrk -t2 -c64 -d"$WRK_DURATION" --latency "$2")
  printf '| %s | %s | %s | %s |\n' "$1" "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '/Transfer\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}
echo
echo "| served | requests/s | transfer/s | p99 |"
echo "|---|---|---|---|"
run_wrk "siaran playlist (memory)" "$sp"
run_wrk "nginx playlist (file)" "$np"
run_wrk "siaran segment $(curl -s "http://$HTTP/hls/${ids[0]}/$sseg" | wc -c) B (memory)" "http://$HTTP/hls/${ids[0]}/$sseg"
run_wrk "nginx segment $(curl -s "http://127.0.0.1:$nhttp/hls/$nseg" | wc -c) B (file)" "http://127.0.0.1:$nhttp/hls/$nseg"
wait_publishers
