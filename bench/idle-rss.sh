#!/usr/bin/env bash
# Idle memory and CPU of 'karp run': the distribution's launcher (bin/karp) beside plain 'java -jar
# karp.jar' and ucarp, each alone in a network namespace of its own (needs root; nothing touches the
# host's interfaces: each namespace has a veth pair of its own and 10.200.9.x addresses).
#
#   sudo bench/idle-rss.sh [SECONDS]     # default 60; after 'mvn package'
#
# Prints, per daemon after SECONDS idle as master: VmRSS, RssAnon, RssFile (kB), threads, and the CPU
# time used in total and during the second half of the wait (idle cost). docs/benchmarks.md has results.
# The fourth daemon is a pod's karp with its probes: the launcher with --health-url (an HTTPS-less
# stand-in: its own /healthz) and --metrics-addr, its status read and its metrics scraped every 5 s.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECS=${1:-60}
DIST=$(ls -d "$ROOT"/karp-cli/target/dist/karp-*/ 2>/dev/null | head -1)
JAR=$ROOT/karp-cli/target/karp.jar
P=karprss$$
WORK=$(mktemp -d /tmp/karp-bench.XXXXXX)
PIDS=()

[ "$(id -u)" = 0 ] || { echo "idle-rss: needs root for network namespaces" >&2; exit 2; }
[ -n "$DIST" ] && [ -f "$JAR" ] || { echo "idle-rss: build first: mvn -B -DskipTests package" >&2; exit 2; }

POLLER=
cleanup() {
  [ -n "$POLLER" ] && kill "$POLLER" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for i in 1 2 3 4; do ip netns del "$P-$i" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

ns() { # ns N: namespace with eth0 10.200.9.1N/24 (peer inside the same namespace)
  ip netns add "$P-$1"
  ip netns exec "$P-$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip -n "$P-$1" link set lo up
  ip -n "$P-$1" link add eth0 type veth peer name peer0
  ip -n "$P-$1" addr add "10.200.9.1$1/24" dev eth0
  ip -n "$P-$1" link set eth0 up
  ip -n "$P-$1" link set peer0 up
}
printf 'bench-secret\n' >"$WORK/password"
chmod 600 "$WORK/password"

start() { # start N NAME COMMAND...: in namespace N; the exec chain keeps the pid
  local n=$1 name=$2
  shift 2
  ns "$n"
  ip netns exec "$P-$n" "$@" >"$WORK/$n.log" 2>&1 &
  PIDS+=($!)
  NAMES+=("$name")
}
NAMES=()
ARGS=(run -i eth0 -v 7 --password-file "$WORK/password" --vip 10.200.9.100/24)
start 1 "karp (bin/karp)" "$DIST/bin/karp" "${ARGS[@]}" -s 10.200.9.11
start 2 "java -jar karp.jar" java -jar "$JAR" "${ARGS[@]}" -s 10.200.9.12
if command -v ucarp >/dev/null; then
  start 3 "ucarp" ucarp -i eth0 -s 10.200.9.13 -v 7 -p bench-secret -a 10.200.9.100 \
    -u /bin/true -d /bin/true -f none
fi
start 4 "bin/karp + probes" "$DIST/bin/karp" "${ARGS[@]}" -s 10.200.9.14 \
  --health-url http://127.0.0.1:9241/healthz --metrics-addr 127.0.0.1:9242
# What a kubelet and Prometheus do to that pod, bounded by the wait.
(
  end=$((SECONDS + SECS))
  while [ "$SECONDS" -lt "$end" ]; do
    ip netns exec "$P-4" curl -s --noproxy '*' --max-time 1 -o /dev/null http://127.0.0.1:9241/status || true
    ip netns exec "$P-4" curl -s --noproxy '*' --max-time 1 -o /dev/null http://127.0.0.1:9242/metrics || true
    sleep 5
  done
) &
POLLER=$!

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sleep $((SECS / 2))
declare -A half
for pid in "${PIDS[@]}"; do half[$pid]=$(ticks "$pid"); done
sleep $((SECS - SECS / 2))
hz=$(getconf CLK_TCK)
printf '%-22s %8s %8s %8s %7s %9s %12s\n' daemon "VmRSS kB" "anon kB" "file kB" threads "CPU s" "idle CPU %"
for i in "${!PIDS[@]}"; do
  pid=${PIDS[$i]}
  s=/proc/$pid/status
  [ -e "$s" ] || { echo "${NAMES[$i]}: died: $(tail -2 "$WORK/$((i + 1)).log")"; continue; }
  t=$(ticks "$pid")
  printf '%-22s %8s %8s %8s %7s %9.2f %12.3f\n' "${NAMES[$i]}" "$(awk '/VmRSS/{print $2}' "$s")" \
    "$(awk '/RssAnon/{print $2}' "$s")" "$(awk '/RssFile/{print $2}' "$s")" "$(ls "/proc/$pid/task" | wc -l)" \
    "$(awk -v t="$t" -v hz="$hz" 'BEGIN{print t / hz}')" \
    "$(awk -v t="$t" -v h="${half[$pid]}" -v hz="$hz" -v s=$((SECS - SECS / 2)) 'BEGIN{print (t - h) * 100 / hz / s}')"
done
