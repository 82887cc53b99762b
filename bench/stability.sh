#!/usr/bin/env bash
# Stability of the tuned profile under CPU starvation: three karp nodes advertise every 51 ms
# (advbase 0, advskew 13/14/15, --preempt) for MINUTES while every node namespace runs
# `stress-ng --cpu N` (N = the number of cores, so the machine has 3x more CPU hogs than cores).
# Counts state transitions after the first election (the goal is zero) and measures the gaps
# between the master's adverts in a capture on the bridge.
#
#   sudo bench/stability.sh [MINUTES=10] [load|quota] [QUOTA_MILLICPU=100]
#
# "quota" also puts each karp JVM, from its start, into a cgroup of its own with a CPU quota of
# QUOTA_MILLICPU per 100 ms period, like a Kubernetes CPU limit (cgroup v2 cpu.max, or v1
# cpu.cfs_quota_us); the cgroups are removed at the end. Needs stress-ng and tcpdump.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
MINUTES="${1:-10}"
MODE="${2:-load}"
QUOTA="${3:-100}"
command -v stress-ng >/dev/null || die "stress-ng is missing (Debian: apt-get install stress-ng)"
command -v tcpdump >/dev/null || die "tcpdump is missing (Debian: apt-get install tcpdump)"
case "$MODE" in load|quota) ;; *) die "mode $MODE is not load or quota" ;; esac

# cgroup_for NODE: creates the node's cgroup with the quota; its directory is then in CG (no subshell, so
# that CGROUPS, which the cleanup removes, keeps it).
cgroup_for() {
  local dir
  if grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    dir="/sys/fs/cgroup/$P-$1"
    mkdir "$dir"
    echo "$((QUOTA * 100)) 100000" >"$dir/cpu.max"
  elif [ -d /sys/fs/cgroup/cpu ]; then
    dir="/sys/fs/cgroup/cpu/$P-$1"
    mkdir "$dir"
    echo 100000 >"$dir/cpu.cfs_period_us"
    echo "$((QUOTA * 100))" >"$dir/cpu.cfs_quota_us"
  else
    die "no cgroup cpu controller found under /sys/fs/cgroup"
  fi
  CGROUPS+=("$dir")
  CG="$dir"
}

throttling() { # cgroup dir -> "throttled N of M periods, T ms"
  awk '/^nr_periods/ { p = $2 } /^nr_throttled/ { n = $2 } /^throttled_time/ { t = $2 / 1e6 }
    /^throttled_usec/ { t = $2 / 1e3 } END { printf "throttled in %d of %d periods, %.0f ms in all", n, p, t }' "$1/cpu.stat"
}

lab_create
echo "== $(machine)"
echo "== $MINUTES min, mode $MODE$([ "$MODE" = quota ] && echo ", CPU quota ${QUOTA}m per karp JVM")"

skew=(13 14 15)
i=0
for n in "${NODES[@]}"; do
  if [ "$MODE" = quota ]; then
    cgroup_for "$n"
    cg="$CG"
    # The JVM joins the cgroup before it starts, as a container's process would.
    start_bg "karp_$n" "$WORK/karp-$n.log" sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$cg" \
      ip netns exec "$(ns "$n")" java "${JAVA_OPTS[@]}" -jar "$JAR" run -i eth0 -s "$(addr "$n")" -v 7 \
      --password-file "$WORK/password" --vip "$VIP/24" --advbase 0 --advskew "${skew[$i]}" --preempt
  else
    start_karp "$n" --advbase 0 --advskew "${skew[$i]}" --preempt
  fi
  i=$((i + 1))
done
all_answer() { local n; for n in "${NODES[@]}"; do [ -n "$(status_json "$n")" ] || return 1; done; }
wait_for 120 holder_is n1 || die "n1 did not become master; see $WORK (KEEP=1 keeps it)"
wait_for 120 all_answer || die "a status endpoint does not answer; see $WORK (KEEP=1 keeps it)"
sleep 5
# Transitions of all nodes together, from their status endpoints ("?" if one does not answer in 1 s).
total() {
  local t=0 n v
  for n in "${NODES[@]}"; do
    v="$(status_json "$n" | jq '.transitions' 2>/dev/null)"
    [ -n "$v" ] || { echo "?"; return; }
    t=$((t + v))
  done
  echo "$t"
}
since() { local now; now="$(total)"; [ "$now" = "?" ] && echo "? (a status endpoint did not answer)" || echo $((now - before)); }
before="$(total)"
echo "== n1 is master; $before transitions so far (start-up); load and capture start"

start_bg cap "$WORK/tcpdump.log" ip netns exec "$(ns br)" tcpdump -Z root -U --immediate-mode -n -i br0 -w "$WORK/adverts.pcap" 'ip proto 112'
sleep 1
for n in "${NODES[@]}"; do
  start_bg "stress_$n" "$WORK/stress-$n.log" ip netns exec "$(ns "$n")" stress-ng --cpu "$(nproc)" --timeout "${MINUTES}m"
done
sleep 2
echo "== load average with the load running: $(cut -d' ' -f1-3 /proc/loadavg)"
end=$(( $(date +%s) + MINUTES * 60 ))
while [ "$(date +%s)" -lt "$end" ]; do
  sleep 30
  echo "   $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg), VIP on: $(holders), transitions since the load started: $(since)"
done
for n in "${NODES[@]}"; do var="PID_stress_$n"; wait "${!var}" 2>/dev/null || true; done
kill -TERM "$PID_cap" 2>/dev/null || true
wait "$PID_cap" 2>/dev/null || true
wait_for 30 all_answer || true
echo "== result after $MINUTES min: $(since) transitions (goal: 0); VIP on: $(holders)"
for n in "${NODES[@]}"; do
  echo "   $n: $(status_json "$n" | jq -c '{state, transitions, health, sent: .counters.sent, received: .counters.received, last: [.lastTransitions[] | "\(.at) \(.from)->\(.to) \(.reason)"]}')"
done
# Gaps between the master's adverts: the interval is 50.8 ms; a backup takes over after 3 of its own (164 ms).
tcpdump -nn -tt -r "$WORK/adverts.pcap" src host 10.200.0.11 2>/dev/null | awk '{ print $1 }' \
  | awk 'NR > 1 { g = ($1 - p) * 1000; print g } { p = $1 }' >"$WORK/gaps.ms"
echo "   n1's adverts: $(($(wc -l <"$WORK/gaps.ms") + 1)); gap between adverts: $(stats <"$WORK/gaps.ms")"
echo "   gaps over 75 ms: $(awk '$1 > 75' "$WORK/gaps.ms" | wc -l), over 100 ms: $(awk '$1 > 100' "$WORK/gaps.ms" | wc -l), over 150 ms: $(awk '$1 > 150' "$WORK/gaps.ms" | wc -l)"
if [ "$MODE" = quota ]; then
  for cg in "${CGROUPS[@]}"; do echo "   $(basename "$cg"): $(throttling "$cg")"; done
fi
grep -h -- "->" "$WORK"/karp-n*.log | sed 's/^/   log: /' | tail -20
