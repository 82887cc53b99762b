#!/usr/bin/env bash
# Tuned crash failover: karp (advbase 0, advskew 13/14/15: adverts every 51 ms) and keepalived
# (VRRPv3, advert_int 0.05, priority 150/100/50) in the same netns lab, in alternating blocks.
# Each trial pulls the master's cable (its bridge port goes down) while the client sends an echo
# request to the VIP every 2 ms (bench/probe.py; PROBE=ping for iputils ping -i 0.005); the outage is
# the longest gap between two echo replies. Then the cable goes back,
# the preferred node (n1) takes the VIP back (both run with preemption) and the next trial starts.
#
#   sudo bench/crash-failover.sh [TRIALS_PER_BLOCK=10] [BLOCKS=2]
#
# Other settings through the environment: KARP_SKEWS="13 14 15", KA_ADVERT_INT=0.05,
# KA_PRIORITIES="150 100 50".
#
# Needs karp-cli/target/karp.jar and the Debian package keepalived (never started on the host:
# only inside the lab's namespaces, with its own configuration files).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
TRIALS="${1:-10}"
BLOCKS="${2:-2}"
read -r -a SKEWS <<<"${KARP_SKEWS:-13 14 15}"
read -r -a PRIOS <<<"${KA_PRIORITIES:-150 100 50}"
KA_INT="${KA_ADVERT_INT:-0.05}"
command -v keepalived >/dev/null || die "keepalived is missing (Debian: apt-get install keepalived)"

keepalived_conf() { # node priority
  cat >"$WORK/keepalived-$1.conf" <<EOF
global_defs {
  router_id bench-$1
  vrrp_version 3
}
vrrp_instance bench {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority $2
  advert_int $KA_INT
  virtual_ipaddress {
    $VIP/24 dev eth0
  }
}
EOF
}

karp_up() {
  start_karp n1 --advbase 0 --advskew "${SKEWS[0]}" --preempt
  start_karp n2 --advbase 0 --advskew "${SKEWS[1]}" --preempt
  start_karp n3 --advbase 0 --advskew "${SKEWS[2]}" --preempt
}
karp_down() { for n in "${NODES[@]}"; do stop_karp "$n"; done; }

keepalived_up() {
  local n i=0
  for n in "${NODES[@]}"; do
    keepalived_conf "$n" "${PRIOS[$i]}"
    start_bg "ka_$n" "$WORK/keepalived-$n.log" ip netns exec "$(ns "$n")" keepalived --dont-fork --log-console \
      --log-detail --no-syslog --vrrp --use-file="$WORK/keepalived-$n.conf" --pid="$WORK/ka-$n.pid" \
      --vrrp_pid="$WORK/ka-vrrp-$n.pid" --checkers_pid="$WORK/ka-check-$n.pid" --bfd_pid="$WORK/ka-bfd-$n.pid"
    i=$((i + 1))
  done
}
keepalived_down() {
  local n var
  for n in "${NODES[@]}"; do
    var="PID_ka_$n"
    kill -TERM "${!var}" 2>/dev/null || true
    wait "${!var}" 2>/dev/null || true
  done
}

# One trial: sets GAP (the outage in ms, or "fail" without any reply) and HOLDER (who held the VIP).
# PROBE=probe (default): bench/probe.py, an echo request every 2 ms whatever happens; PROBE=ping: iputils
# ping -i 0.005, which sends only every ~10 ms while its echoes go unanswered (so its outages fall on a
# 10 ms grid; session 1's figures).
trial() {
  local log="$WORK/ping-$1-$2.log"
  if [ "${PROBE:-probe}" = ping ]; then
    ip netns exec "$(ns client)" ping -D -n -i 0.005 -W 1 -w 4 "$VIP" >"$log" 2>&1 &
  else
    ip netns exec "$(ns client)" python3 "$ROOT/bench/probe.py" "$VIP" 4 0.002 >"$log" 2>&1 &
  fi
  local ping=$!
  # A random moment, so that the cut falls anywhere between two adverts.
  sleep "1.$(printf '%03d' $((RANDOM % 1000)))"
  link_down n1
  wait "$ping" || true
  HOLDER="$(holders)"
  link_up n1
  if [ "${PROBE:-probe}" = ping ]; then
    GAP="$(awk -F'[][]' '/bytes from/ { t = $2 * 1000; if (last && t - last > gap) gap = t - last; last = t; n++ }
      END { if (n == 0) print "fail"; else printf "%.0f\n", gap }' "$log")"
  else
    GAP="$(tail -1 "$log")"
  fi
  # The preferred node takes the VIP back, then the VIP must rest there a moment.
  wait_for 20 holder_is n1 || { echo "n1 did not take the VIP back" >&2; return 1; }
  sleep 1.5
}

lab_create
echo "== $(machine)"
echo "== $TRIALS trials per block, $BLOCKS blocks each of karp and keepalived"
: >"$WORK/karp.ms"
: >"$WORK/keepalived.ms"
for block in $(seq 1 "$BLOCKS"); do
  for impl in karp keepalived; do
    "${impl}_up"
    wait_for 30 holder_is n1 || die "$impl: n1 did not become master; see $WORK"
    sleep 2
    for t in $(seq 1 "$TRIALS"); do
      trial "$impl" "$block-$t"
      echo "$impl block $block trial $t: outage $GAP ms, VIP on '$HOLDER' while n1 was cut off"
      if [ "$HOLDER" = n2 ] && [ "$GAP" != fail ]; then echo "$GAP" >>"$WORK/$impl.ms"; fi
    done
    "${impl}_down"
    wait_for 10 holder_is "" || die "$impl left the VIP behind"
  done
done
echo "== client-visible outage (longest gap between echo replies, $([ "${PROBE:-probe}" = ping ] && echo "ping -i 0.005" || echo "an echo request every 2 ms")), n2 took over:"
echo "karp       (advbase 0, advskew ${SKEWS[*]}, preempt): $(stats <"$WORK/karp.ms")"
echo "keepalived (VRRPv3, advert_int $KA_INT, priority ${PRIOS[*]}): $(stats <"$WORK/keepalived.ms")"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
