#!/usr/bin/env bash
# Crash failover per address family (issue 14): one vhid with an IPv4 VIP, an IPv6 VIP, or both (dual stack),
# advbase 1 (the defaults), in the same lab and the same run, in alternating blocks. Each trial pulls the master's
# cable (its bridge port goes down) while the client pings every VIP of the group every 10 ms with timestamps
# (ping -D, ping -6 -D for IPv6); a family's figure is the longest gap between two of its echo replies. Then the
# cable goes back, n1 (advskew 0, --preempt) takes the VIPs back and the next trial starts.
#
#   sudo bench/failover-families.sh [TRIALS_PER_BLOCK=5] [BLOCKS=2]
#
# Lab: bench/lib.sh's (n1..n3, client, bridge; 10.200.0.0/24) with IPv6 turned on in the hosts (no DAD:
# the lab's addresses are unique), fd00:200::<n>/64 beside each IPv4 address. n1 advskew 0, n2 50, n3 100.
# VIPs 10.200.0.100/24 and fd00:200::100/64. A trial counts when n2 alone took every VIP of the group and the
# client's neighbour entries name n2's MAC (the gratuitous ARP and the unsolicited NA did their work).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
TRIALS="${1:-5}"
BLOCKS="${2:-2}"
VIP6=fd00:200::100
MODES=(ipv4 ipv6 dual)

addr6() { case "$1" in n1) echo fd00:200::11 ;; n2) echo fd00:200::12 ;; n3) echo fd00:200::13 ;; client) echo fd00:200::50 ;; esac; }

lab_ipv6() {
  local h
  for h in n1 n2 n3 client; do
    inns "$h" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
      net.ipv6.conf.eth0.accept_dad=0 net.ipv6.conf.all.router_solicitations=0 \
      net.ipv6.conf.eth0.router_solicitations=0
    inns "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 \
      net.ipv6.conf.eth0.disable_ipv6=0
    ip -n "$(ns "$h")" addr add "$(addr6 "$h")/64" dev eth0 nodad
  done
  for h in n1 n2 n3 client; do
    wait_for 10 bash -c "ip -n $(ns "$h") -6 -o addr show dev eth0 scope link | grep -qv tentative" \
      || die "$h got no link-local address"
  done
}

vip_args() {
  case "$1" in
    ipv4) echo "--vip $VIP/24" ;;
    ipv6) echo "--vip $VIP6/64" ;;
    dual) echo "--vip $VIP/24 --vip $VIP6/64" ;;
  esac
}

start_mode() { # MODE: karp on n1..n3
  local n skew=0
  for n in "${NODES[@]}"; do
    # shellcheck disable=SC2046
    start_bg "karp_$n" "$WORK/karp-$1-$n.log" ip netns exec "$(ns "$n")" java "${JAVA_OPTS[@]}" -jar "$JAR" run \
      -i eth0 -s "$(addr "$n")" -v 7 --password-file "$WORK/password" $(vip_args "$1") --advskew "$skew" --preempt
    skew=$((skew + 50))
  done
}
stop_mode() { for n in "${NODES[@]}"; do stop_karp "$n"; done; }

# holds NODE MODE: NODE has every VIP of the mode.
holds() {
  local a
  a=$(ip -n "$(ns "$1")" -o addr show dev eth0)
  case "$2" in
    ipv4) grep -q " $VIP/" <<<"$a" ;;
    ipv6) grep -q " $VIP6/" <<<"$a" ;;
    dual) grep -q " $VIP/" <<<"$a" && grep -q " $VIP6/" <<<"$a" ;;
  esac
}
holds_none() { local a; a=$(ip -n "$(ns "$1")" -o addr show dev eth0) && [[ "$a" != *" $VIP/"* && "$a" != *" $VIP6/"* ]]; }
only() { # only NODE MODE: NODE holds the mode's VIPs and the other nodes none
  local n
  holds "$1" "$2" || return 1
  for n in "${NODES[@]}"; do [ "$n" = "$1" ] || holds_none "$n" || return 1; done
}

# gap PINGLOG: the longest silence between two answers in ms (ping -D: "[epoch] 64 bytes from").
gap() {
  awk -F'[][]' '/bytes from/ { t = $2 * 1000; if (last && t - last > g) g = t - last; last = t; n++ }
    END { if (n < 2) exit 1; printf "%.0f\n", g }' "$1"
}

trial() { # MODE BLOCK-TRIAL: appends each family's gap to $WORK/<mode>-<family>.ms
  local mode="$1" id="$2" fams=() f pids=()
  case "$mode" in ipv4) fams=(4) ;; ipv6) fams=(6) ;; dual) fams=(4 6) ;; esac
  for f in "${fams[@]}"; do
    local target=$VIP; [ "$f" = 6 ] && target=$VIP6
    ip netns exec "$(ns client)" ping "-$f" -D -n -i 0.01 -W 0.2 -w 9 "$target" >"$WORK/ping-$mode-$id-$f.log" 2>&1 &
    pids+=($!)
  done
  sleep "1.$(printf '%03d' $((RANDOM % 1000)))" # a random phase in the advert interval
  link_down n1
  local ok=yes
  wait_for 20 only n2 "$mode" || ok="no single new master"
  sleep 0.5 # answers through the new master
  local macs=""
  for f in "${fams[@]}"; do
    local target=$VIP; [ "$f" = 6 ] && target=$VIP6
    macs="$macs $(ip -n "$(ns client)" -j neigh show to "$target" | jq -r '.[0].lladdr // "none"')"
  done
  kill -INT "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  link_up n1
  local line="$mode $id:"
  for f in "${fams[@]}"; do
    local g; g=$(gap "$WORK/ping-$mode-$id-$f.log") || g=fail
    line="$line IPv$f $g ms"
    if [ "$ok" = yes ] && [ "$g" != fail ]; then echo "$g" >>"$WORK/$mode-ipv$f.ms"; fi
  done
  [ "$ok" = yes ] || line="$line INVALID: $ok"
  echo "$line; client neighbour MAC(s):$macs"
  for m in $macs; do [ "$m" = "$(mac n2)" ] || echo "  (trial $id: the client's entry names $m, not n2)"; done
  wait_for 20 only n1 "$mode" || die "$mode: n1 did not take the VIPs back; see $WORK"
  sleep 1.5
}

lab_create
lab_ipv6
echo "== $(machine)"
echo "== karp: java ${JAVA_OPTS[*]} -jar karp.jar run, advbase 1, advskew 0/50/100, --preempt; $TRIALS trials per block, $BLOCKS blocks per mode"
for block in $(seq 1 "$BLOCKS"); do
  for mode in "${MODES[@]}"; do
    start_mode "$mode"
    wait_for 40 only n1 "$mode" || die "$mode: n1 did not become the only master; see $WORK"
    sleep 2
    for t in $(seq 1 "$TRIALS"); do
      trial "$mode" "$block-$t"
    done
    stop_mode
    wait_for 10 holds_none n2 || die "$mode: the VIPs stayed behind on n2"
  done
done
echo "== client-visible outage per family (longest gap between echo replies, ping -D -i 0.01), n1's cable pulled:"
for mode in "${MODES[@]}"; do
  for f in 4 6; do
    [ -f "$WORK/$mode-ipv$f.ms" ] && printf '%-5s IPv%s: %s\n' "$mode" "$f" "$(stats <"$WORK/$mode-ipv$f.ms")"
  done
done
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
