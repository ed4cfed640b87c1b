#!/usr/bin/env bash
# Compares HTTPClient with curl's own parallel mode: both GET the same tiny response from a local
# nginx, 256 requests in flight, and the script prints both request rates and their ratio.
# Installs nginx (Debian's package) if missing, builds longhaul-bench in release mode.
# Usage: bench/http.sh [seconds=10] [concurrency=256]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
concurrency=${2:-256}

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "bench: installing nginx" >&2
  sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq nginx-light >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq nginx >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

echo "bench: building longhaul-bench (release)" >&2
. bench/lib.sh
bench_build

work=$(mktemp -d /tmp/longhaul-bench-http.XXXXXX)
chmod 755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  server {
    listen 127.0.0.1:$port backlog=4096;
    location / { default_type text/plain; return 200 "hello\n"; }
  }
}
CONF
"$nginx_bin" -p "$work" -c "$work/nginx.conf"
cleanup() { kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
url="http://127.0.0.1:$port/"
for _ in $(seq 50); do curl -sf -o /dev/null "$url" && break; sleep 0.1; done

echo "bench: HTTPClient, $concurrency concurrent GETs for ${duration}s against nginx at $url" >&2
ours=$("$BENCH" http --url "$url" --concurrency "$concurrency" --duration "$duration")
echo "$ours"
ours_rps=$(sed -n 's/^longhaul HTTPClient: \([0-9]*\) requests\/s.*/\1/p' <<<"$ours")

# curl: as many requests as HTTPClient managed in the same time, so both runs last about as long.
count=$(( ours_rps * duration ))
[ "$count" -lt 10000 ] && count=10000
for _ in $(seq "$count"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url"; done >"$work/curl.cfg"
echo "bench: curl --parallel --parallel-max $concurrency, $count GETs" >&2
start=$(date +%s.%N)
curl --no-progress-meter --fail --parallel --parallel-immediate --parallel-max "$concurrency" -K "$work/curl.cfg"
end=$(date +%s.%N)
curl_rps=$(python3 -c "print(round($count / ($end - $start)))")
echo "curl $(curl --version | head -1 | cut -d' ' -f2): $curl_rps requests/s ($count requests in $(python3 -c "print(round($end - $start, 2))") s)"
python3 -c "print(f'ratio HTTPClient / curl: {$ours_rps / $curl_rps:.2f}')"
