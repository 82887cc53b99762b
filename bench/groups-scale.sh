#!/usr/bin/env bash
# Scale of several groups in one daemon (issue 14): 'karp run --config' with 1, 10 and 100 groups (advbase 1,
# this node master of all) through the distribution's launcher (bin/karp), beside keepalived with 1, 10 and 100
# VRRP instances on one interface. Each daemon runs alone in a network namespace of its own (needs root; nothing
# touches the host's interfaces: each namespace has a veth pair of its own, eth0 10.200.<n>.1/16).
#
#   sudo bench/groups-scale.sh [SECONDS=60] [COUNTS="1 10 100"]    # after 'mvn package' (target/dist)
#
# All daemons run at the same time (same load for all). After a warm-up (WARMUP=20 s: start, the 3 s
# master-down wait, every VIP added) the script checks that each daemon is master of all its groups (every VIP on
# its eth0), then samples for SECONDS: CPU time of every process in the namespace (utime+stime of
# /proc/PID/stat) as % of one core, and at the end VmRSS and Pss (smaps_rollup) summed over those processes.
# docs/benchmarks.md has results.
#
# DIST=dir runs another unpacked distribution; COMPARE=dir runs a second karp from that one beside each of
# DIST's (same counts, same time window: on a shared machine only a side-by-side run compares two builds);
# KEEPALIVED=0 leaves keepalived out.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECS=${1:-60}
read -r -a COUNTS <<<"${2:-1 10 100}"
WARMUP=${WARMUP:-20}
DIST="${DIST:-$(ls -d "$ROOT"/karp-cli/target/dist/karp-*/ 2>/dev/null | head -1)}"
COMPARE="${COMPARE:-}"
KEEPALIVED="${KEEPALIVED:-1}"
P=karpscale$$
WORK=$(mktemp -d /tmp/karp-bench.XXXXXX)
PIDS=()
NSS=()
NAMES=()
EXPECT=()

die() { echo "groups-scale: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root for network namespaces"
[ -n "$DIST" ] || die "build first: mvn -B -DskipTests package (needs karp-cli/target/dist)"
[ -z "$COMPARE" ] || [ -x "$COMPARE/bin/karp" ] || die "COMPARE=$COMPARE is not an unpacked distribution (no bin/karp)"
[ "$KEEPALIVED" = 0 ] || command -v keepalived >/dev/null || die "keepalived is missing (Debian: apt-get install keepalived)"

cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for ns in "${NSS[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  if [ -n "${KEEP:-}" ]; then echo "groups-scale: files kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ns() { # ns N: namespace $P-N with eth0 10.200.N.1/16 (its veth peer inside the same namespace, up: carrier)
  local n=$1
  ip netns add "$P-$n"
  NSS+=("$P-$n")
  ip netns exec "$P-$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$P-$n" link set lo up
  ip -n "$P-$n" link add eth0 type veth peer name peer0
  ip -n "$P-$n" addr add "10.200.$n.1/16" dev eth0
  ip -n "$P-$n" link set eth0 up
  ip -n "$P-$n" link set peer0 up
}
printf 'bench-secret\n' >"$WORK/password"
chmod 600 "$WORK/password"

# vip N G: the VIP of group G in namespace N (10.200.N.1 is the node itself).
vip() { echo "10.200.$1.$(($2 + 1))"; }

karp_conf() { # karp_conf N COUNT
  local f="$WORK/karp-$1.yaml" g
  {
    echo "interface: eth0"
    echo "srcip: 10.200.$1.1"
    echo "password-file: $WORK/password"
    echo "advbase: 1"
    echo "advskew: 0"
    echo "groups:"
    for g in $(seq 1 "$2"); do
      echo "  - vhid: $g"
      echo "    vip: $(vip "$1" "$g")/16"
    done
  } >"$f"
  echo "$f"
}

keepalived_conf() { # keepalived_conf N COUNT
  local f="$WORK/keepalived-$1.conf" g
  {
    printf 'global_defs {\n  router_id scale-%s\n}\n' "$1"
    for g in $(seq 1 "$2"); do
      printf 'vrrp_instance g%s {\n  state BACKUP\n  interface eth0\n  virtual_router_id %s\n  priority 150\n' "$g" "$g"
      printf '  advert_int 1\n  virtual_ipaddress {\n    %s/16 dev eth0\n  }\n}\n' "$(vip "$1" "$g")"
    done
  } >"$f"
  echo "$f"
}

start() { # start N NAME COUNT COMMAND...: in namespace N; 'ip netns exec' and the launcher exec in place
  local n=$1 name=$2 count=$3
  shift 3
  ns "$n"
  ip netns exec "$P-$n" "$@" >"$WORK/$n.log" 2>&1 &
  PIDS+=($!)
  NAMES+=("$name")
  EXPECT+=("$count")
}

n=10
for c in "${COUNTS[@]}"; do
  n=$((n + 1))
  start "$n" "karp bin/karp, $c groups" "$c" "$DIST/bin/karp" run --config "$(karp_conf "$n" "$c")"
  if [ -n "$COMPARE" ]; then
    n=$((n + 1))
    start "$n" "COMPARE karp, $c groups" "$c" "$COMPARE/bin/karp" run --config "$(karp_conf "$n" "$c")"
  fi
done
for c in "${COUNTS[@]}"; do
  [ "$KEEPALIVED" != 0 ] || break
  n=$((n + 1))
  kc=$(keepalived_conf "$n" "$c")
  start "$n" "keepalived, $c instances" "$c" keepalived --dont-fork --log-console --no-syslog --vrrp \
    --use-file="$kc" --pid="$WORK/ka-$n.pid" --vrrp_pid="$WORK/ka-vrrp-$n.pid" \
    --checkers_pid="$WORK/ka-check-$n.pid" --bfd_pid="$WORK/ka-bfd-$n.pid"
done

# awk reads the whole version text: with head -1, keepalived could die of SIGPIPE and pipefail end the script here.
ka_version=
[ "$KEEPALIVED" = 0 ] || ka_version=", keepalived $(keepalived --version 2>&1 | awk 'NR == 1 { print $2 }')"
echo "# groups-scale, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(uname -sr)," \
  "karp runtime: $("$DIST/runtime/bin/java" -version 2>&1 | head -1)${COMPARE:+, COMPARE=$COMPARE}$ka_version"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
sleep "$WARMUP"

# Every daemon must be master of all its groups: all its VIPs on eth0.
vips_on() { ip -n "$1" -4 -o addr show dev eth0 | grep -c ' 10\.200\.' | awk '{ print $1 - 1 }'; }
for i in "${!NSS[@]}"; do
  have=$(vips_on "${NSS[$i]}")
  [ "$have" = "${EXPECT[$i]}" ] || echo "WARNING: ${NAMES[$i]} holds $have of ${EXPECT[$i]} VIPs after ${WARMUP} s; log: $(tail -3 "$WORK/$((i + 11)).log")"
done

ticks_ns() { # ticks_ns NS: utime+stime of every process in the namespace
  local t=0 pid
  for pid in $(ip netns pids "$1"); do
    t=$((t + $(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0)))
  done
  echo "$t"
}
declare -A t0
for ns in "${NSS[@]}"; do t0[$ns]=$(ticks_ns "$ns"); done
start_s=$(date +%s.%N)
sleep "$SECS"
end_s=$(date +%s.%N)
hz=$(getconf CLK_TCK)
printf '%-28s %6s %9s %9s %8s %10s\n' daemon procs "VmRSS MiB" "Pss MiB" threads "CPU % core"
for i in "${!NSS[@]}"; do
  ns=${NSS[$i]}
  t=$(ticks_ns "$ns")
  rss=0 pss=0 thr=0 procs=0
  for pid in $(ip netns pids "$ns"); do
    procs=$((procs + 1))
    rss=$((rss + $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")))
    pss=$((pss + $(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup")))
    thr=$((thr + $(ls "/proc/$pid/task" | wc -l)))
  done
  awk -v name="${NAMES[$i]}" -v p="$procs" -v rss="$rss" -v pss="$pss" -v thr="$thr" -v d="$((t - ${t0[$ns]}))" \
    -v hz="$hz" -v s="$start_s" -v e="$end_s" \
    'BEGIN { printf "%-28s %6d %9.1f %9.1f %8d %10.2f\n", name, p, rss / 1024, pss / 1024, thr, 100 * d / hz / (e - s) }'
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
