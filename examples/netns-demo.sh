#!/usr/bin/env bash
# A three-node karp cluster in network namespaces on this machine, for a first look (needs root).
#
#   sudo examples/netns-demo.sh            # builds karp.jar if needed
#
# It makes namespaces karpdemo-{br,n1,n2,n3,client} (a bridge and four hosts on 10.200.0.0/24),
# starts `karp run` on the three nodes, shows who holds the VIP 10.200.0.100, then kills the
# master (SIGKILL and its cable pulled, like a node losing power) and prints how long a client
# pinging the VIP every 10 ms got no answer. Everything it made is removed on exit, also on Ctrl-C.
# Nothing outside these namespaces is touched or sent to.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/karp-cli/target/karp.jar"
P=karpdemo
VIP=10.200.0.100
WORK="$(mktemp -d /tmp/karp-demo.XXXXXX)"
PIDS=()

if [ "$(id -u)" != 0 ]; then
  echo "netns-demo: needs root for network namespaces; run: sudo $0" >&2
  exit 2
fi
for tool in ip ping java; do
  command -v "$tool" >/dev/null || { echo "netns-demo: '$tool' is missing (Debian: iproute2, iputils-ping, a JDK 17+)" >&2; exit 2; }
done

cleanup() {
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ns in br n1 n2 n3 client; do ip netns del "$P-$ns" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] && echo "logs kept in $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

if [ ! -f "$JAR" ]; then
  echo "== building karp.jar (mvn -B -q -DskipTests package)"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

echo "== network: bridge $P-br, nodes 10.200.0.11-13, client 10.200.0.50"
cleanup_stale() { for ns in br n1 n2 n3 client; do ip netns del "$P-$ns" 2>/dev/null || true; done; }
cleanup_stale
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

printf 'demo-secret\n' > "$WORK/password"
chmod 600 "$WORK/password"
for i in 1 2 3; do
  # Lower advskew wins: n1 (0) is the preferred master, then n2 (50), then n3 (100).
  ip netns exec "$P-n$i" java -XX:+UseSerialGC -Xmx32m -jar "$JAR" run -i eth0 -s "10.200.0.1$i" -v 7 \
      --password-file "$WORK/password" --vip "$VIP/24" --advskew $(( (i - 1) * 50 )) \
      >"$WORK/n$i.log" 2>&1 &
  PIDS+=($!)
done

holders() {
  local h=""
  for i in 1 2 3; do
    ip -n "$P-n$i" -4 -o addr show dev eth0 | grep -q " $VIP/" && h="$h n$i"
  done
  echo "${h# }"
}

echo "== waiting for an election (a node takes the VIP after 3 silent advert intervals)"
for _ in $(seq 1 100); do
  [ -n "$(holders)" ] && break
  sleep 0.1
done
sleep 1.5
h="$(holders)"
[ -n "$h" ] || { echo "no node took the VIP; logs:"; cat "$WORK"/n*.log; exit 1; }
echo "VIP $VIP is on: $h"
ip netns exec "$P-client" ping -c 1 -W 1 "$VIP" >/dev/null && echo "client reaches the VIP"
echo "client's neighbour entry: $(ip -n "$P-client" neigh show "$VIP")"

master="${h%% *}"
idx="${master#n}"
echo "== client pings the VIP every 10 ms; now killing the master $master (SIGKILL + cable pulled)"
ip netns exec "$P-client" ping -D -n -i 0.01 -W 0.1 -w 12 "$VIP" >"$WORK/ping.log" 2>&1 &
PING=$!
PIDS+=($PING)
sleep 1
kill -KILL "${PIDS[$((idx - 1))]}"
ip -n "$P-br" link set "p-$master" down
wait "$PING" || true

echo "VIP is now on: $(holders | sed "s/\b$master\b//" | xargs)"
# ping -D prints "[epoch] 64 bytes from ...": the longest silence between two answers is the outage.
awk -F'[][]' '/bytes from/ { t = $2 + 0; if (last && t - last > gap) gap = t - last; last = t; n++ }
  END { if (n == 0) { print "the client got no answer at all"; exit 1 }
        printf "client-visible outage: %.3f s (longest gap between answers; %d answers)\n", gap, n }' "$WORK/ping.log"
echo "== logs of the new master"
for i in 1 2 3; do
  [ "n$i" = "$master" ] && continue
  grep -h -- "->" "$WORK/n$i.log" | sed "s/^/n$i: /" || true
done
