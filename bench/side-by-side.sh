#!/usr/bin/env bash
# Variants of the shipped launcher's daemon side by side: each `karp run` in a namespace of its own
# (eth0 a veth with its peer in the same namespace, 10.200.9.1N/24; nothing touches the host's
# interfaces), with its own HTTPS stand-in API server on 127.0.0.1:6443 (Python, keep-alive as
# kube-apiserver) and --health-url https://127.0.0.1:6443/readyz --metrics-addr 127.0.0.1:9242.
# Around them, what a node does to a pod: /status every second, /metrics every 5 s and /healthz
# every 10 s (POLL=0: none of it). Needs root, python3, openssl, curl, jq.
#
#   sudo bench/side-by-side.sh SECONDS SAMPLE "NAME|KARP_JAVA_OPTS|EXTRA ARGS|LAUNCHER" ...
#   sudo bench/side-by-side.sh 600 60 "now||" "heap8|-Xmx8m|" "fast||--advbase=0 --advskew=13" \
#        "old|||/path/to/old/karp-0.1.0-SNAPSHOT/bin/karp"
#
# LAUNCHER defaults to this build's distribution; EXTRA ARGS may set --advbase (default
# --advbase=1, or ADVBASE). Every SAMPLE seconds a line "TIME NAME:RSS_kB:CPU_ticks ..." goes to
# OUT/samples (OUT default /tmp/karp-side-by-side.TIME); at the end, per variant: RSS (anonymous,
# file-backed), CPU % of one core after the first 30 s, the health status. JCMD_OUT=1 also saves
# `jcmd VM.native_memory summary` (with -XX:NativeMemoryTracking=summary in the variant's options).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "side-by-side: needs root for network namespaces" >&2; exit 2; }
[ $# -ge 3 ] && [ $# -le 11 ] || { echo "usage: side-by-side.sh SECONDS SAMPLE VARIANT... (1 to 9 variants)" >&2; exit 2; }
SECS=$1; SAMPLE=$2; shift 2
[ "$SECS" -ge 60 ] && [ "$SAMPLE" -ge 1 ] || { echo "side-by-side: SECONDS must be at least 60" >&2; exit 2; }
DIST=${DIST:-$(ls -d "$(cd "$(dirname "$0")/.." && pwd)"/karp-cli/target/dist/karp-*/ 2>/dev/null | head -1)}
P=kexp$$
W=$(mktemp -d /tmp/kexp.XXXX)
OUT=${OUT:-/tmp/karp-side-by-side.$(date +%H%M%S)}
mkdir -p "$OUT"
PIDS=(); KP=(); NAMES=()
cleanup() { for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  for i in $(seq 1 20); do ip netns del "$P-$i" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT; trap 'exit 130' INT TERM
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=k \
  -addext "subjectAltName=IP:127.0.0.1" -keyout $W/k.key -out $W/k.crt 2>/dev/null
cat >$W/api.py <<'PY'
import http.server, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Type", "text/plain"); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("0.0.0.0", 6443), H); s.daemon_threads = True
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s.socket = ctx.wrap_socket(s.socket, server_side=True); s.serve_forever()
PY
printf 'bench-secret\n' >$W/pw; chmod 600 $W/pw
i=0
for v in "$@"; do
  i=$((i+1)); IFS="|" read -r name opts args launcher <<<"$v"
  ns=$P-$i; ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip -n $ns link set lo up; ip -n $ns link add eth0 type veth peer name peer0
  ip -n $ns addr add 10.200.9.1$i/24 dev eth0; ip -n $ns link set eth0 up; ip -n $ns link set peer0 up
  ip netns exec $ns python3 $W/api.py $W/k.crt $W/k.key >$OUT/api-$i.log 2>&1 & PIDS+=($!)
  sleep 0.5
  KARP_JAVA_OPTS="$opts" ip netns exec $ns ${launcher:-$DIST/bin/karp} run -i eth0 -v 7 --password-file $W/pw --vip 10.200.9.100/24 -s 10.200.9.1$i \
    $(case "$args" in *--advbase*) ;; *) echo --advbase=${ADVBASE:-1} ;; esac) --health-url https://127.0.0.1:6443/readyz --metrics-addr 127.0.0.1:9242 $args >$OUT/karp-$i.log 2>&1 &
  PIDS+=($!); KP+=($!); NAMES+=("$name")
done
if [ "${POLL:-1}" = 1 ]; then
(
  end=$((SECONDS + SECS)); n=0
  while [ $SECONDS -lt $end ]; do
    for j in $(seq 1 $i); do
      ip netns exec $P-$j curl -s --max-time 1 -o /dev/null http://127.0.0.1:9241/status || true
      [ $((n % 5)) = 0 ] && { ip netns exec $P-$j curl -s --max-time 1 -o /dev/null http://127.0.0.1:9242/metrics || true; }
      [ $((n % 10)) = 0 ] && { ip netns exec $P-$j curl -s --max-time 1 -o /dev/null http://127.0.0.1:9241/healthz || true; }
    done
    n=$((n+1)); sleep 1
  done ) & PIDS+=($!)
fi
ticks() { awk '{print $14 + $15}' /proc/$1/stat 2>/dev/null || echo 0; }
rss() { awk '/VmRSS/{print $2}' /proc/$1/status 2>/dev/null || echo 0; }
start=$SECONDS
declare -A t0
sleep 30
for j in "${!KP[@]}"; do t0[$j]=$(ticks ${KP[$j]}); done; T0=$SECONDS
: >$OUT/samples
while [ $((SECONDS - start)) -lt $SECS ]; do
  sleep $SAMPLE
  line="$((SECONDS - start))s"
  for j in "${!KP[@]}"; do line="$line ${NAMES[$j]}:$(rss ${KP[$j]}):$(ticks ${KP[$j]})"; done
  echo "$line" >>$OUT/samples
done
hz=$(getconf CLK_TCK); T1=$SECONDS
printf '%-28s %10s %9s %9s %8s %s\n' variant "RSS kB" anon file "CPU %" health
for j in "${!KP[@]}"; do p=${KP[$j]}
  [ -e /proc/$p ] || { echo "${NAMES[$j]} died"; tail -3 $OUT/karp-$((j+1)).log; continue; }
  h=$(ip netns exec $P-$((j+1)) curl -s --max-time 1 http://127.0.0.1:9241/status | jq -r .health)
  printf '%-28s %10s %9s %9s %8.3f %s\n' "${NAMES[$j]}" $(rss $p) $(awk '/RssAnon/{print $2}' /proc/$p/status) $(awk '/RssFile/{print $2}' /proc/$p/status) \
   $(awk -v a=$(ticks $p) -v b=${t0[$j]} -v hz=$hz -v s=$((T1-T0)) 'BEGIN{print (a-b)*100/hz/s}') "$h"
  [ -n "${JCMD_OUT:-}" ] && "${JCMD:-jcmd}" $p VM.native_memory summary >$OUT/nmt-$((j+1)).txt 2>&1 || true
done
echo "load: $(cat /proc/loadavg)"
