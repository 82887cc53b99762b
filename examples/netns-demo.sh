#!/usr/bin/env bash
# A three-node karp cluster in network namespaces on this machine, for a first look (needs root).
#
#   sudo examples/netns-demo.sh            # builds karp.jar first if it is missing
#
# It makes namespaces karpdemo-{br,n1,n2,n3,client} (a bridge and four hosts on 10.200.0.0/24),
# starts `karp run` on the three nodes, shows who holds the VIP 10.200.0.100, then
#   1. crashes the master (SIGKILL and its cable pulled, like a node losing power), and
#   2. stops the next master gracefully (SIGTERM, like a reboot or a rolling update),
# and each time prints how long a client pinging the VIP every 10 ms got no answer.
# Everything it made is removed on exit, also on Ctrl-C (KEEP=1 keeps the logs).
# Nothing outside these namespaces is touched or sent to.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/karp-cli/target/karp.jar"
P=karpdemo
VIP=10.200.0.100
WORK="$(mktemp -d /tmp/karp-demo.XXXXXX)"
declare -A PID=()
PINGER=""

if [ "$(id -u)" != 0 ]; then
  echo "netns-demo: needs root for network namespaces; run: sudo $0" >&2
  exit 2
fi
for tool in ip ping java awk; do
  command -v "$tool" >/dev/null || { echo "netns-demo: '$tool' is missing (Debian: iproute2, iputils-ping, gawk, a JDK 17+)" >&2; exit 2; }
done

netns_del_all() { for ns in n1 n2 n3 client br; do ip netns del "$P-$ns" 2>/dev/null || true; done; }
cleanup() {
  { for pid in "${PID[@]}" $PINGER; do kill -KILL "$pid" 2>/dev/null || true; done; wait; } 2>/dev/null || true
  netns_del_all
  if [ -n "${KEEP:-}" ]; then echo "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ ! -f "$JAR" ]; then
  command -v mvn >/dev/null || { echo "netns-demo: $JAR is missing and 'mvn' is not installed to build it" >&2; exit 2; }
  echo "== building karp.jar (mvn -B -q -DskipTests package)"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

echo "== network: bridge $P-br, nodes n1-n3 10.200.0.11-13, client 10.200.0.50"
netns_del_all # leftovers of a run that was killed
ip netns add "$P-br"
ip -n "$P-br" link add br0 type bridge
ip -n "$P-br" link set br0 up
host() { # name address mac
  local ns="$P-$1"
  ip netns add "$ns"
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip -n "$ns" link set lo up
  # Created inside the namespaces: no interface ever appears in the host's namespace.
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

printf 'demo-secret\n' >"$WORK/password"
chmod 600 "$WORK/password"
echo "== starting karp run on n1, n2, n3 (advskew 0, 50, 100: lower is preferred)"
for i in 1 2 3; do
  ip netns exec "$P-n$i" java -XX:+UseSerialGC -Xmx32m -jar "$JAR" run -i eth0 -s "10.200.0.1$i" -v 7 \
      --password-file "$WORK/password" --vip "$VIP/24" --advskew $(( (i - 1) * 50 )) \
      >"$WORK/n$i.log" 2>&1 &
  PID[n$i]=$!
done

DEAD="" # a crashed node keeps its VIP (nothing ran to remove it) but is off the network: skip it
holders() {
  local h=""
  for n in n1 n2 n3; do
    [ "$n" = "$DEAD" ] && continue
    ip -n "$P-$n" -4 -o addr show dev eth0 | grep -q " $VIP/" && h="$h $n"
  done
  echo "${h# }"
}
# await SECONDS COMMAND...: polls every 100 ms.
await() {
  local tries=$(( $1 * 10 )); shift
  for _ in $(seq 1 "$tries"); do "$@" && return 0; sleep 0.1; done
  return 1
}
one_holder() { h="$(holders)"; [ -n "$h" ] && [ "${h// /}" = "$h" ]; }
new_holder() { h="$(holders)"; [ -n "$h" ] && [ "$h" != "$1" ]; }
state_of() { # the state karp on node $1 reports at GET /status
  command -v curl >/dev/null || { echo "?"; return; }
  ip netns exec "$P-$1" curl -s --max-time 1 127.0.0.1:9241/status |
    sed -n 's/.*"state":"\([A-Z]*\)".*"master":"\{0,1\}\([0-9.]*\|null\)"\{0,1\},.*/\1 (master: \2)/p'
}

# measure LABEL ACTION...: pings the VIP every 10 ms from the client while ACTION runs, until
# another node holds the VIP, then prints the longest silence between two answers.
measure() {
  local before; before="$(holders)"
  ip netns exec "$P-client" ping -D -n -i 0.01 -W 0.2 "$VIP" >"$WORK/ping.log" 2>&1 &
  PINGER=$!
  sleep 1
  "$@"
  await 20 new_holder "$before" || { echo "no node took over; logs in $WORK"; KEEP=1; exit 1; }
  sleep 0.5
  { kill -INT "$PINGER"; wait "$PINGER"; } 2>/dev/null || true
  PINGER=""
  # ping -D prints "[epoch] 64 bytes from ...": the longest silence between two answers is the outage.
  awk -F'[][]' '/bytes from/ { t = $2 + 0; if (last && t - last > gap) gap = t - last; last = t; n++ }
    END { if (n == 0) { print "the client got no answer at all"; exit 1 }
          printf "client-visible outage: %.3f s (longest gap between answers to pings every 10 ms)\n", gap }' \
    "$WORK/ping.log"
}

echo "== waiting for the election (a node takes the VIP after 3 silent advert intervals)"
await 60 one_holder || { echo "no single node took the VIP; logs:"; cat "$WORK"/n*.log; exit 1; }
sleep 1.5
master="$(holders)"
echo "VIP $VIP is on: $master"
echo "what each node's status endpoint (GET 127.0.0.1:9241/status in its namespace) says:"
for n in n1 n2 n3; do echo "  $n: $(state_of $n)"; done
ip netns exec "$P-client" ping -c 1 -W 1 "$VIP" >/dev/null && echo "the client reaches the VIP"
echo "the client's neighbour entry: $(ip -n "$P-client" neigh show "$VIP")"

crash() {
  { kill -KILL "${PID[$master]}"; wait "${PID[$master]}"; } 2>/dev/null || true
  ip -n "$P-br" link set "p-$master" down
  DEAD="$master"
}
echo
echo "== 1. crash: SIGKILL the master $master and pull its cable"
measure crash
next="$(holders)"
echo "VIP is now on: $next"
grep -h -- "-> MASTER" "$WORK/$next.log" | tail -1 | sed "s/^/  $next: /"

term() { kill -TERM "${PID[$next]}"; }
echo
echo "== 2. graceful: SIGTERM the new master $next (it bows out; the next node need not wait)"
measure term
code=0; wait "${PID[$next]}" || code=$?
echo "karp on $next exited with status $code; VIP is now on: $(holders)"
grep -h -- "bowed out" "$WORK/$next.log" | sed "s/^/  $next: /"
last="$(holders)"
grep -h -- "-> MASTER" "$WORK/$last.log" | tail -1 | sed "s/^/  $last: /"
