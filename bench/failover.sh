#!/usr/bin/env bash
# Failover benchmark: karp beside real ucarp, in the same network-namespace lab and the same run
# (needs root). Recorded in docs/benchmarks.md, section "Failover: karp and UCarp side by side".
#
#   sudo bench/failover.sh                      # 20 trials per tool and case, 60 s idle sample
#   sudo TRIALS=5 IDLE_SECONDS=20 bench/failover.sh
#   sudo CASES="crash graceful" bench/failover.sh   # any of: crash graceful graceful3 idle
#   sudo TOOLS="karp karpu" bench/failover.sh       # karpu: karp with unicast --peer (default TOOLS: karp ucarp)
#
# Lab: namespaces kbench-<pid>-{br,n1,n2,n3,client} on a bridge, 10.200.0.0/24, VIP 10.200.0.100/24.
# Every trial starts a fresh pair: n1 (advskew 0) becomes master, then n2 (advskew 0, advbase 1,
# the defaults) joins as backup. The client pings the VIP every 10 ms with timestamps (ping -D); the
# figure of a trial is the longest gap between two answers: from the last answer of the old master to
# the first answer through the new one. A capture on the bridge also gives the protocol's figure, from
# the old master's last advert to the new master's first (ucarp-spec §9 measures that one). Trials
# alternate karp and ucarp so both see the same load.
#   crash:    the master's cable is pulled (its bridge port goes down), after a random 1-2 s phase.
#   graceful: SIGTERM to the master (ucarp with -z, so that it removes the VIP before exiting).
#   graceful3: the same with two backups, n2 and n3, both advskew 0 (a three-node control plane):
#             both take the bow-out; n3 yields to n2 on the address tie-break.
#   idle:     CPU time (utime+stime from /proc/PID/stat) and VmRSS of an idle master and backup
#             over IDLE_SECONDS, after 10 s of warm-up.
# karp runs as `java $KARP_JVM_FLAGS -jar karp-cli/target/karp.jar run ...` (KARP_JAR= another jar); the flags are the
# a small-footprint set, not the launcher's (bin/karp picks those, docs/distribution.md). Nothing outside the lab's
# namespaces is touched; everything is removed on exit, also on Ctrl-C. Raw figures stay in $OUT.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="${KARP_JAR:-$ROOT/karp-cli/target/karp.jar}"
TRIALS="${TRIALS:-20}"
IDLE_SECONDS="${IDLE_SECONDS:-60}"
CASES="${CASES:-crash graceful graceful3 idle}"
# karpu: karp in unicast mode (--peer with the three nodes' addresses), beside multicast karp and ucarp.
TOOLS="${TOOLS:-karp ucarp}"
KARP_JVM_FLAGS="${KARP_JVM_FLAGS:--XX:+UseSerialGC -Xmx16m -Xss256k -XX:TieredStopAtLevel=1 -XX:-UsePerfData}"
OUT="${OUT:-$(mktemp -d /tmp/karp-bench-failover.XXXXXX)}"
P="kbench-$$"
VIP=10.200.0.100
PIDS=()

if [ "$(id -u)" != 0 ]; then
  echo "failover.sh: needs root for network namespaces; run: sudo $0" >&2
  exit 2
fi
for tool in ip ping java ucarp curl awk tcpdump; do
  command -v "$tool" >/dev/null || { echo "failover.sh: '$tool' is missing (Debian: iproute2 iputils-ping ucarp curl gawk tcpdump, a JDK 17+)" >&2; exit 2; }
done
[ -f "$JAR" ] || { echo "failover.sh: $JAR is missing; build it: mvn -B -q -DskipTests package" >&2; exit 2; }
mkdir -p "$OUT"

cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ns in n1 n2 n3 client br; do ip netns del "$P-$ns" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- lab ----------------------------------------------------------------------------------------
ip netns add "$P-br"
ip -n "$P-br" link add br0 type bridge
ip -n "$P-br" link set br0 up
host() { # label address mac
  local ns="$P-$1"
  ip netns add "$ns"
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip -n "$ns" link set lo up
  ip -n "$ns" link add eth0 type veth peer name "p-$1" netns "$P-br"
  ip -n "$ns" link set eth0 address "$3"
  ip -n "$ns" addr add "$2/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$P-br" link set "p-$1" master br0
  ip -n "$P-br" link set "p-$1" up
}
host n1 10.200.0.11 02:00:00:00:00:11
host n2 10.200.0.12 02:00:00:00:00:12
host n3 10.200.0.13 02:00:00:00:00:13
host client 10.200.0.50 02:00:00:00:00:50

printf 's3cret\n' >"$OUT/password"
chmod 600 "$OUT/password"
for verb in add del; do
  # ucarp-spec §4.11: $1 interface, $2 VIP; ucarp waits for the script.
  printf '#!/bin/sh\nexec ip addr %s "$2"/24 dev "$1" 2>/dev/null\n' "$verb" >"$OUT/vip-$verb.sh"
  chmod 755 "$OUT/vip-$verb.sh"
done

# ---- helpers ------------------------------------------------------------------------------------
now() { date +%s.%N; }
# The listing is read in full first: under pipefail, 'ip | grep -q' fails when ip dies of SIGPIPE (lib.sh has_addr).
holds() { local a; a=$(ip -n "$P-$1" -4 -o addr show dev eth0) && [[ "$a" == *" $VIP/"* ]]; }
# wait_for SECONDS COMMAND...: polls every 20 ms; false if it never held.
wait_for() {
  local limit="$1"; shift
  local end; end=$(awk -v n="$(now)" -v l="$limit" 'BEGIN { printf "%.3f", n + l }')
  while ! "$@"; do
    awk -v n="$(now)" -v e="$end" 'BEGIN { exit !(n > e) }' && return 1
    sleep 0.02
  done
}
# gone PID: exited. A zombie counts: the daemons' parent is a finished $(...) subshell, so they are
# reaped by init whenever it gets to it, and kill -0 would still succeed until then.
gone() {
  local state
  state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 0
  [ -z "$state" ] || [ "$state" = Z ]
}
karp_status() { ip netns exec "$P-$1" curl -s --max-time 1 127.0.0.1:9241/status 2>/dev/null || true; }
# new_master: the one backup holding the VIP (n2 or n3), if exactly one does.
new_master() {
  local h2=no h3=no
  holds n2 && h2=yes
  holds n3 && h3=yes
  if [ $h2 = yes ] && [ $h3 = no ]; then echo n2; elif [ $h2 = no ] && [ $h3 = yes ]; then echo n3; else return 1; fi
}
one_new_master() { new_master >/dev/null; }
follows_n1() { karp_status "$1" | grep -q '"master":"10.200.0.11"'; }

# start TOOL NODE LOG [EXTRA...]: prints the pid (ip netns exec execs the daemon in place).
start() {
  local tool="$1" node="$2" log="$3"; shift 3
  local ip="10.200.0.1${node#n}"
  if [ "$tool" = karp ] || [ "$tool" = karpu ]; then
    local peers=()
    [ "$tool" = karpu ] && peers=(--peer 10.200.0.11 --peer 10.200.0.12 --peer 10.200.0.13)
    # shellcheck disable=SC2086
    ip netns exec "$P-$node" java $KARP_JVM_FLAGS -jar "$JAR" run -i eth0 -s "$ip" -v 7 \
      --password-file "$OUT/password" --vip "$VIP/24" "${peers[@]}" "$@" >>"$log" 2>&1 &
  else
    ip netns exec "$P-$node" ucarp -i eth0 -s "$ip" -v 7 -p s3cret -a "$VIP" -b 1 -k 0 \
      -u "$OUT/vip-add.sh" -d "$OUT/vip-del.sh" -f none "$@" >>"$log" 2>&1 &
  fi
  echo $!
}

# pair TOOL CASE TRIAL: n1 master, n2 backup that has heard it (and for graceful3 n3, another
# backup with the same advskew as n2, which it loses to on the address tie-break of ucarp-spec §4.6);
# sets MASTER_PID, BACKUP_PID, THIRD_PID.
pair() {
  local tool="$1" case="$2" trial="$3" extra=()
  [ "$tool" = ucarp ] && [ "$case" != crash ] && extra=(-z)
  THIRD_PID=""
  MASTER_PID=$(start "$tool" n1 "$OUT/$case-$tool-$trial-n1.log" "${extra[@]}")
  PIDS+=("$MASTER_PID")
  wait_for 30 holds n1 || { echo "trial $trial: $tool on n1 never took the VIP" >&2; return 1; }
  # ucarp's receive delay is the phase between the adverts and its socket's 1 s libpcap block timer
  # (ucarp-spec §1.6), fixed when the backup starts: start it at a random point of the advert interval.
  sleep "0.$(printf '%03d' $((RANDOM % 1000)))"
  BACKUP_PID=$(start "$tool" n2 "$OUT/$case-$tool-$trial-n2.log" "${extra[@]}")
  PIDS+=("$BACKUP_PID")
  local backups=(n2)
  if [ "$case" = graceful3 ]; then
    THIRD_PID=$(start "$tool" n3 "$OUT/$case-$tool-$trial-n3.log" "${extra[@]}")
    PIDS+=("$THIRD_PID")
    backups+=(n3)
  fi
  if [ "$tool" != ucarp ]; then
    for b in "${backups[@]}"; do
      wait_for 30 follows_n1 "$b" || { echo "trial $trial: karp on $b never heard n1" >&2; return 1; }
    done
  else
    sleep 2 # ucarp is up at once and hears the master within ~1 s (ucarp-spec §1.6)
  fi
  for b in "${backups[@]}"; do
    holds "$b" && { echo "trial $trial: $b holds the VIP as backup" >&2; return 1; }
  done
  return 0
}

unpair() {
  local n
  kill -KILL "$MASTER_PID" "$BACKUP_PID" $THIRD_PID 2>/dev/null || true
  wait "$MASTER_PID" "$BACKUP_PID" $THIRD_PID 2>/dev/null || true
  ip -n "$P-br" link set p-n1 up
  for n in n1 n2 n3; do ip -n "$P-$n" addr del "$VIP/24" dev eth0 2>/dev/null || true; done
  ip -n "$P-client" neigh flush all
}

# gap PINGLOG: the longest silence between two answers, in seconds (ping -D: "[epoch] 64 bytes from").
gap() {
  awk -F'[][]' '/bytes from/ { t = $2 + 0; if (last && t - last > g) g = t - last; last = t; n++ }
    END { if (n < 2) exit 1; printf "%.3f\n", g }' "$1"
}

# advert_gap CAPTURE: from n1's last advert to the first one of a backup after it (tcpdump -tt lines),
# in seconds. Backups send no adverts, so the first one comes from a new master.
advert_gap() {
  awk '$3 == "10.200.0.11" { last = $1 } ($3 == "10.200.0.12" || $3 == "10.200.0.13") && last && !first { first = $1 }
    END { if (!first) exit 1; printf "%.3f\n", first - last }' "$1"
}

# trial TOOL CASE N: appends "gap" (and for graceful karp the SIGTERM-to-exit time) to the results.
trial() {
  local tool="$1" case="$2" n="$3" pinglog="$OUT/$1-$2-$3.ping"
  pair "$tool" "$case" "$n" || { unpair; return 1; }
  ip netns exec "$P-client" ping -D -n -i 0.01 -W 0.2 "$VIP" >"$pinglog" 2>&1 &
  local ping=$!
  PIDS+=("$ping")
  # The adverts on the bridge, for the protocol's own figure: old master's last advert to the new one's first.
  local cap="$OUT/$1-$2-$3.adverts"
  ip netns exec "$P-br" tcpdump -n -tt -l --immediate-mode -i br0 'ip proto 112' >"$cap" 2>/dev/null &
  local dump=$!
  PIDS+=("$dump")
  sleep "1.$(printf '%03d' $((RANDOM % 1000)))" # a random phase in the advert interval
  local t0 exit_s=""
  t0=$(now)
  if [ "$case" = crash ]; then
    ip -n "$P-br" link set p-n1 down
  else
    kill -TERM "$MASTER_PID"
    if wait_for 10 gone "$MASTER_PID"; then
      exit_s=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
    fi
  fi
  wait_for 20 one_new_master || echo "trial $n: no single backup holds the VIP" >&2
  sleep 0.5 # let answers through the new master arrive
  kill -INT "$ping" "$dump" 2>/dev/null || true
  wait "$ping" "$dump" 2>/dev/null || true
  local a; a=$(advert_gap "$cap") || a=""
  local mac; mac=$(ip -n "$P-client" neigh show "$VIP" | awk '{ print $5 }')
  local g; g=$(gap "$pinglog") || g=""
  # With two backups of equal advskew, the first to time out wins (for ucarp that depends on its
  # receive delay); the trial counts if exactly one holds the VIP and the client talks to it.
  local winner; winner=$(new_master) || winner=none
  unpair
  if [ -z "$g" ] || [ "$mac" != "02:00:00:00:00:1${winner#n}" ]; then
    echo "trial $n ($tool $case): invalid (gap '$g', new master '$winner', client neighbour MAC '$mac'); see $pinglog" >&2
    return 1
  fi
  echo "$g" >>"$OUT/$case-$tool.txt"
  [ -n "$a" ] && echo "$a" >>"$OUT/$case-$tool-adverts.txt"
  [ -n "$exit_s" ] && echo "$exit_s" >>"$OUT/$case-$tool-exit.txt"
  printf '  %-9s %-5s trial %2d: %s s (adverts %s s)%s\n' "$case" "$tool" "$n" "$g" "${a:-?}" \
    "${exit_s:+ (SIGTERM to exit $exit_s s)}"
}

# stats FILE: count, min, median, p95 (nearest rank), max.
stats() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "no data"; exit }
    p95 = int(0.95 * NR); if (p95 < 0.95 * NR) p95++
    med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "n=%d min %.3f  median %.3f  p95 %.3f  max %.3f s\n", NR, v[1], med, v[p95], v[NR] }'
}

# idle TOOL: CPU and RSS of an idle master (n1) and backup (n2).
idle() {
  local tool="$1" hz; hz=$(getconf CLK_TCK)
  pair "$tool" idle 0 || { unpair; return 1; }
  sleep 10
  local t0; t0=$(now)
  local m0 b0
  m0=$(awk '{ print $14 + $15 }' "/proc/$MASTER_PID/stat")
  b0=$(awk '{ print $14 + $15 }' "/proc/$BACKUP_PID/stat")
  sleep "$IDLE_SECONDS"
  local m1 b1 secs
  m1=$(awk '{ print $14 + $15 }' "/proc/$MASTER_PID/stat")
  b1=$(awk '{ print $14 + $15 }' "/proc/$BACKUP_PID/stat")
  secs=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print b - a }')
  for role in master backup; do
    local pid d
    if [ $role = master ]; then pid=$MASTER_PID; d=$((m1 - m0)); else pid=$BACKUP_PID; d=$((b1 - b0)); fi
    local rss; rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
    awk -v t="$tool" -v r="$role" -v d="$d" -v hz="$hz" -v s="$secs" -v rss="$rss" 'BEGIN {
      printf "  idle %-5s %-6s CPU %.2f s in %.0f s = %.3f %% of one core; VmRSS %.1f MiB\n",
        t, r, d / hz, s, 100 * d / hz / s, rss / 1024 }' | tee -a "$OUT/idle.txt"
  done
  unpair
}

# ---- run ----------------------------------------------------------------------------------------
{
  echo "# karp failover benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g')"
  echo "kernel: $(uname -r); java: $(java -version 2>&1 | head -1); ucarp: $(dpkg-query -W -f='${Version}' ucarp 2>/dev/null || echo '?')"
  echo "karp JVM flags: $KARP_JVM_FLAGS"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

for case in crash graceful graceful3; do
  [[ " $CASES " == *" $case "* ]] || continue
  echo "== $case: $TRIALS trials per tool"
  for n in $(seq 1 "$TRIALS"); do
    for tool in $TOOLS; do
      trial "$tool" "$case" "$n" || true
    done
  done
done
if [[ " $CASES " == *" idle "* ]]; then
  echo "== idle: ${IDLE_SECONDS} s per tool"
  idle karp || true
  idle ucarp || true
fi

echo "== summary (client-visible gap: last answer from the old master to first answer through the new one)"
for case in crash graceful graceful3; do
  for tool in $TOOLS; do
    [ -f "$OUT/$case-$tool.txt" ] && printf '%-9s %-5s %s\n' "$case" "$tool" "$(stats "$OUT/$case-$tool.txt")"
  done
done
echo "== summary (on the wire: the old master's last advert to the new master's first)"
for case in crash graceful graceful3; do
  for tool in $TOOLS; do
    [ -f "$OUT/$case-$tool-adverts.txt" ] && printf '%-9s %-5s %s\n' "$case" "$tool" "$(stats "$OUT/$case-$tool-adverts.txt")"
  done
done
cat "$OUT"/graceful*-karp-exit.txt 2>/dev/null >"$OUT/karp-exit.txt" || true
[ -s "$OUT/karp-exit.txt" ] && printf 'karp SIGTERM to process exit: %s\n' "$(stats "$OUT/karp-exit.txt")"
[ -f "$OUT/idle.txt" ] && cat "$OUT/idle.txt"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "raw figures and logs: $OUT"
