#!/usr/bin/env bash
# Health failover: three karp nodes (advskew 0/50/100, --preempt, default health settings:
# --health-url https://127.0.0.1:6443/readyz, every 1 s, timeout 1 s, 2 fails, 2 rises), each
# with a stand-in API server (openssl s_server on :6443). Each trial kills the master's API server
# while a client opens a TCP connection to VIP:6443 every 10 ms, and measures the time from the
# kill to the first connection that a healthy node accepts. Then the API server comes back, n1
# passes its probes again and takes the VIP back (--preempt), and the next trial starts.
#
#   sudo bench/health-failover.sh [TRIALS=10]
#
# APISERVER=python: stand-ins that keep connections as kube-apiserver does (the probe then runs on a
# kept connection until the kill); default: openssl s_server, a fresh connection per probe.
# Needs karp-cli/target/karp.jar and openssl.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
TRIALS="${1:-10}"
PROBE="$ROOT/bench/VipProbe.java"

healthy_master() { holder_is n1 && [ "$(health_of n1)" = ok ]; }

lab_create
# Compiled once: the source launcher compiled it at every trial, which took more than the 20 s the
# client is given to reach the VIP on a loaded machine.
mkdir -p "$WORK/probe-classes"
javac -d "$WORK/probe-classes" "$PROBE" || die "cannot compile $PROBE"
echo "== $(machine); API server stand-in: ${APISERVER:-openssl}"
skew=(0 50 100)
i=0
for n in "${NODES[@]}"; do
  start_apiserver "$n"
  start_karp "$n" --advskew "${skew[$i]}" --preempt --health-url https://127.0.0.1:6443/readyz
  i=$((i + 1))
done
wait_for 60 healthy_master || die "n1 did not become a healthy master; see $WORK (KEEP=1 keeps it)"
: >"$WORK/failover.ms"
for t in $(seq 1 "$TRIALS"); do
  sleep "1.$(printf '%03d' $((RANDOM % 1000)))"
  log="$WORK/probe-$t.log"
  ip netns exec "$(ns client)" java -cp "$WORK/probe-classes" VipProbe "$VIP" 6443 10 12 >"$log" 2>&1 &
  probe=$!
  wait_for 20 grep -q " ok$" "$log" || die "the client never reached the VIP; see $log"
  sleep 1
  kill_at="$(date +%s.%N)"
  stop_apiserver n1
  wait_for 15 bash -c "[ \"\$(ip -n $(ns n1) -4 -o addr show dev eth0 | grep -c ' $VIP/')\" = 0 ]" || true
  sleep 1
  holder="$(holders)"
  kill -TERM "$probe" 2>/dev/null || true
  wait "$probe" 2>/dev/null || true
  # The first accepted connection after the first refused one that followed the kill.
  ms="$(awk -v k="$kill_at" '$1 >= k && $2 != "ok" { failed = 1 } failed && $2 == "ok" { printf "%.0f\n", ($1 - k) * 1000; exit }' "$log")"
  refused="$(awk -v k="$kill_at" '$1 >= k && $2 != "ok"' "$log" | wc -l)"
  echo "trial $t: API server of n1 killed; a healthy node ($holder) accepted after ${ms:-?} ms ($refused attempts failed)"
  [ -n "$ms" ] && echo "$ms" >>"$WORK/failover.ms"
  start_apiserver n1
  wait_for 30 healthy_master || die "n1 did not take the VIP back after its API server returned"
done
echo "== from the kill of the master's API server to the client's first connection to a healthy node via the VIP:"
echo "   $(stats <"$WORK/failover.ms")   (goal: 3000 ms)"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -h "health check\|->" "$WORK/karp-n1.log" | tail -6 | sed 's/^/   n1: /'
