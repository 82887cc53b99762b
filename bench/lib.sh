# Shared helpers of the failover benchmarks (sourced, not run). Needs root, iproute2, iputils-ping,
# openssl, curl, jq and a JDK 17+. Builds a lab like examples/netns-demo.sh: namespaces
# $P-{br,n1,n2,n3,client}, a bridge, nodes 10.200.0.11-13, client 10.200.0.50, VIP 10.200.0.100.
# Nothing outside these namespaces is touched or sent to; everything is removed on exit.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/karp-cli/target/karp.jar"
P="karpbench$$"
VIP=10.200.0.100
NODES=(n1 n2 n3)
WORK="$(mktemp -d /tmp/karp-bench.XXXXXX)"
PIDS=()
CGROUPS=()

die() { echo "bench: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || die "needs root for network namespaces; run: sudo $0"
for tool in ip ping openssl curl jq java awk; do
  command -v "$tool" >/dev/null || die "'$tool' is missing (Debian: iproute2 iputils-ping openssl curl jq, a JDK 17+)"
done
[ -f "$JAR" ] || die "$JAR is missing; build it first: mvn -B -q -DskipTests package"

lab_cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ns in n1 n2 n3 client br; do
    for pid in $(ip netns pids "$P-$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$P-$ns" 2>/dev/null || true
  done
  for cg in "${CGROUPS[@]}"; do
    # A cgroup can only be removed once empty; its processes were killed above.
    for _ in 1 2 3 4 5; do rmdir "$cg" 2>/dev/null && break; sleep 0.2; done
  done
  if [ -n "${KEEP:-}" ]; then echo "bench: files kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap lab_cleanup EXIT
trap 'exit 130' INT TERM

ns() { echo "$P-$1"; }
inns() { local n="$1"; shift; ip netns exec "$(ns "$n")" "$@"; }
addr() { case "$1" in n1) echo 10.200.0.11 ;; n2) echo 10.200.0.12 ;; n3) echo 10.200.0.13 ;; client) echo 10.200.0.50 ;; esac; }
mac() { case "$1" in n1) echo 02:00:00:00:00:11 ;; n2) echo 02:00:00:00:00:12 ;; n3) echo 02:00:00:00:00:13 ;; client) echo 02:00:00:00:00:50 ;; esac; }

lab_create() {
  # A copy: rebuilding karp.jar while a JVM still loads classes from it would break that JVM.
  cp "$JAR" "$WORK/karp.jar"
  JAR="$WORK/karp.jar"
  ip netns add "$(ns br)"
  ip -n "$(ns br)" link add br0 type bridge
  ip -n "$(ns br)" link set br0 up
  local h
  for h in n1 n2 n3 client; do
    ip netns add "$(ns "$h")"
    inns "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    ip -n "$(ns "$h")" link set lo up
    # Created inside the namespaces: no interface ever appears in the host's namespace.
    ip -n "$(ns "$h")" link add eth0 type veth peer name "p-$h" netns "$(ns br)"
    ip -n "$(ns "$h")" link set eth0 address "$(mac "$h")"
    ip -n "$(ns "$h")" addr add "$(addr "$h")/24" dev eth0
    ip -n "$(ns "$h")" link set eth0 up
    ip -n "$(ns br)" link set "p-$h" master br0
    ip -n "$(ns br)" link set "p-$h" up
  done
  printf 'bench-secret\n' > "$WORK/password"
  chmod 600 "$WORK/password"
}

# The master's cable pulled: its bridge port goes down, its eth0 loses carrier.
link_down() { ip -n "$(ns br)" link set "p-$1" down; }
link_up() { ip -n "$(ns br)" link set "p-$1" up; }

# start_bg NAME LOGFILE CMD... : runs CMD in the background, remembers its pid in PID_<NAME>. The output is appended,
# so a restart keeps what the last run said (a chaos round once reported daemons exited whose logs the restart lost).
start_bg() {
  local name="$1" log="$2"; shift 2
  "$@" >>"$log" 2>&1 &
  PIDS+=($!)
  printf -v "PID_$name" '%s' "$!"
}

# The JVM options of karp run (as in examples/netns-demo.sh); override with KARP_JAVA_OPTS.
read -r -a JAVA_OPTS <<<"${KARP_JAVA_OPTS:--XX:+UseSerialGC -Xmx64m}"

# start_karp NODE ARGS... : karp run on NODE (status endpoint 127.0.0.1:9241 of its namespace).
start_karp() {
  local n="$1"; shift
  start_bg "karp_$n" "$WORK/karp-$n.log" ip netns exec "$(ns "$n")" java "${JAVA_OPTS[@]}" -jar "$JAR" run \
    -i eth0 -s "$(addr "$n")" -v 7 --password-file "$WORK/password" --vip "$VIP/24" "$@"
}

stop_karp() {
  local n="$1" var="PID_karp_$1"
  kill -TERM "${!var}" 2>/dev/null || true
  wait "${!var}" 2>/dev/null || true
}

status_json() { inns "$1" curl -s --noproxy "*" --max-time 1 http://127.0.0.1:9241/status 2>/dev/null; }
state_of() { status_json "$1" | jq -r '.state // "DOWN"' 2>/dev/null || echo DOWN; }
health_of() { status_json "$1" | jq -r '.health // "none"' 2>/dev/null || echo DOWN; }

# has_addr NODE ADDRESS...: NODE's eth0 holds one of the addresses. The listing is read in full before it is
# searched: under 'set -o pipefail', 'ip ... | grep -q' fails whenever grep exits before ip has written its last
# line (ip dies of SIGPIPE), so a holder whose VIP is not the last line was missed now and then (a dual-stack chaos
# soak saw "no holder" where ip monitor showed the VIPs never left).
has_addr() {
  local out a n="$1"; shift
  out=$(ip -n "$(ns "$n")" -o addr show dev eth0 2>/dev/null) || return 1
  for a in "$@"; do [[ "$out" == *" $a/"* ]] && return 0; done
  return 1
}

holders() {
  local h="" n
  for n in "${NODES[@]}"; do
    has_addr "$n" "$VIP" && h="$h $n"
  done
  echo "${h# }"
}

# wait_for SECONDS COMMAND... : polls every 50 ms until COMMAND succeeds; fails after SECONDS.
wait_for() {
  local limit="$1"; shift
  local end=$(( $(date +%s%N) + limit * 1000000000 ))
  until "$@"; do
    [ "$(date +%s%N)" -lt "$end" ] || return 1
    sleep 0.05
  done
}

holder_is() { [ "$(holders)" = "$1" ]; }

# The stand-in API server: openssl s_server answering TLS (and GET with a status page) on :6443.
apiserver_cert() {
  [ -f "$WORK/apiserver.crt" ] && return
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=karp-bench \
    -addext "subjectAltName=IP:127.0.0.1,IP:$VIP,IP:10.200.0.11,IP:10.200.0.12,IP:10.200.0.13" \
    -keyout "$WORK/apiserver.key" -out "$WORK/apiserver.crt" 2>/dev/null
}
# APISERVER=python: an HTTPS server that keeps connections (HTTP/1.1 keep-alive) as kube-apiserver
# does, answering every GET with 200 "ok"; the default, openssl s_server -www, answers HTTP/1.0 and
# closes each connection, so every probe connects afresh.
apiserver_py() {
  cat >"$WORK/apiserver.py" <<'EOF'
import http.server, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("0.0.0.0", 6443), H)
s.daemon_threads = True
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s.socket = ctx.wrap_socket(s.socket, server_side=True)
s.serve_forever()
EOF
}
start_apiserver() {
  apiserver_cert
  if [ "${APISERVER:-openssl}" = python ]; then
    [ -f "$WORK/apiserver.py" ] || apiserver_py
    start_bg "api_$1" "$WORK/apiserver-$1.log" ip netns exec "$(ns "$1")" python3 "$WORK/apiserver.py" \
      "$WORK/apiserver.crt" "$WORK/apiserver.key"
  else
    start_bg "api_$1" "$WORK/apiserver-$1.log" ip netns exec "$(ns "$1")" openssl s_server -quiet -www \
      -accept 6443 -cert "$WORK/apiserver.crt" -key "$WORK/apiserver.key"
  fi
  wait_for 30 bash -c "ip netns exec $(ns "$1") ss -Hltn 'sport = :6443' | grep -q ." || die "API server on $1 did not start"
}
stop_apiserver() {
  local var="PID_api_$1"
  kill -KILL "${!var}" 2>/dev/null || true
  wait "${!var}" 2>/dev/null || true
}

# Statistics of numbers on stdin (one per line): n, min, median, p90, max, mean.
stats() {
  sort -g | awk '{ v[NR] = $1; s += $1 } END {
    if (NR == 0) { print "n=0"; exit }
    p90 = v[int(0.9 * NR + 0.999999)]; if (p90 == "") p90 = v[NR]
    med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "n=%d min=%.0f median=%.0f p90=%.0f max=%.0f mean=%.0f (ms)\n", NR, v[1], med, p90, v[NR], s / NR }'
}

machine() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(uname -sr)," \
    "$(java -version 2>&1 | head -1), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
}
