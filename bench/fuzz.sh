#!/usr/bin/env bash
# Fuzz on the live path (issue 16, item 7): a three-node karp group (advskew 0/50/100, advbase 1,
# multicast) runs while bench/fuzz.py, in the client's namespace, writes FRAMES mutated CARP, VRRP,
# ARP and IPv6 NA frames onto the lab's bridge from a made-up host (10.200.0.77). Recorded in
# docs/benchmarks.md, section "Fuzz on the live path".
#
#   sudo bench/fuzz.sh [FRAMES=1000000] [SEED=16] [RATE=frames/s, 0 = as fast as it goes]
#   sudo ADVBASE=0 SKEWS="13 14 15" bench/fuzz.sh ...   # the fast profile (a flood must not make it flap)
#
# Checks: every daemon still runs; no node's state or transition count changed; each node's
# rejection counters (sum of /status counters.rejected) grew by the number of frames its capture
# filter passes (the rest, if any, were dropped by libpcap under load or the kernel, and are
# reported); VmRSS of each JVM, sampled every 2 s, stays bounded. Exit 1 when a check fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
FRAMES="${1:-1000000}"; SEED="${2:-16}"; RATE="${3:-0}"
command -v python3 >/dev/null || die "'python3' is missing"

rejected_sum() { status_json "$1" | jq '[.counters.rejected // {} | to_entries[].value] | add // 0'; }
transitions() { status_json "$1" | jq '.transitions'; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
stable() { holder_is n1 && [ "$(state_of n2)" = BACKUP ] && [ "$(state_of n3)" = BACKUP ]; }

lab_create
echo "== fuzz: $FRAMES frames, seed $SEED, rate ${RATE:-0}/s; $(machine)"
read -r -a skew <<<"${SKEWS:-0 50 100}"; i=0
for n in "${NODES[@]}"; do start_karp "$n" --advbase "${ADVBASE:-1}" --advskew "${skew[$i]}" --preempt; i=$((i + 1)); done
wait_for 90 stable || die "the group never settled: n1 $(state_of n1), n2 $(state_of n2), n3 $(state_of n3)"
sleep 2
declare -A T0 R0 S0 RSSMAX RSS0
for n in "${NODES[@]}"; do
  T0[$n]="$(transitions "$n")"; R0[$n]="$(rejected_sum "$n")"; S0[$n]="$(state_of "$n")"
  pid_var="PID_karp_$n"; RSS0[$n]="$(rss_kb "${!pid_var}")"; RSSMAX[$n]="${RSS0[$n]}"
done
echo "== before: $(for n in "${NODES[@]}"; do printf '%s %s transitions=%s rejected=%s rss=%s kB; ' "$n" "${S0[$n]}" "${T0[$n]}" "${R0[$n]}" "${RSS0[$n]}"; done)"

# What the bridge forwards from the fuzzer to each node's port, counted by nftables: the lab's bridge (multicast
# snooping on, the kernel's default) drops IPv4 multicast frames whose IP header is invalid (bad length or
# checksum, ip_mc_check_iphdr), so truncated frames never reach a node; the rest should all be counted.
{ echo "table bridge fuzz {"; echo "  chain forward {"; echo "    type filter hook forward priority 0; policy accept;"
  for n in "${NODES[@]}"; do echo "    iifname \"p-client\" oifname \"p-$n\" ether type ip ip protocol 112 counter"; done
  echo "  }"; echo "}"; } >"$WORK/fuzz.nft"
inns br nft -f "$WORK/fuzz.nft"
forwarded() { inns br nft list chain bridge fuzz forward | grep "oifname \"p-$1\"" | sed -n 's/.*packets \([0-9]*\).*/\1/p'; }

inns client env FUZZ_KINDS="${FUZZ_KINDS:-}" python3 "$ROOT/bench/fuzz.py" eth0 "$FRAMES" "$SEED" "$(cat "$WORK/password")" "$VIP" 7 "$RATE" >"$WORK/fuzz.json" 2>"$WORK/fuzz.err" &
FUZZ=$!
PIDS+=("$FUZZ")
deadline=$(( $(date +%s) + 3600 ))
while kill -0 "$FUZZ" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
  for n in "${NODES[@]}"; do
    pid_var="PID_karp_$n"; r="$(rss_kb "${!pid_var}")"
    [ "$r" -gt "${RSSMAX[$n]}" ] && RSSMAX[$n]="$r"
  done
  sleep 2
done
kill -KILL "$FUZZ" 2>/dev/null || true
wait "$FUZZ" 2>/dev/null || true
[ -s "$WORK/fuzz.json" ] || die "fuzz.py failed: $(cat "$WORK/fuzz.err")"
echo "== fuzz.py: $(cat "$WORK/fuzz.json")"
COUNTED="$(jq .counted "$WORK/fuzz.json")"
sleep 3 # let the daemons drain their capture buffers

fail=0
for n in "${NODES[@]}"; do
  pid_var="PID_karp_$n"; pid="${!pid_var}"
  if ! kill -0 "$pid" 2>/dev/null; then echo "   $n: karp EXITED (see $WORK/karp-$n.log)"; fail=1; continue; fi
  t="$(transitions "$n")"; r="$(rejected_sum "$n")"; s="$(state_of "$n")"; rss="$(rss_kb "$pid")"
  d=$((r - R0[$n])); fw="$(forwarded "$n")"
  verdict=ok
  if [ "$s" != "${S0[$n]}" ] || [ "$t" != "${T0[$n]}" ]; then verdict="STATE CHANGED"; fail=1; fi
  printf '   %s: %s -> %s, transitions %s -> %s, rejected +%d of %d CARP/VRRP frames the bridge forwarded to it (%d not counted: %.2f %%; %d of the frames sent passed no check of the bridge), VmRSS %d kB before, max %d kB during, %d kB after: %s\n' \
    "$n" "${S0[$n]}" "$s" "${T0[$n]}" "$t" "$d" "$fw" $((fw - d)) \
    "$(awk -v a=$((fw - d)) -v b="$fw" 'BEGIN { print b ? 100 * a / b : 0 }')" $((COUNTED - fw)) "${RSS0[$n]}" "${RSSMAX[$n]}" "$rss" "$verdict"
  status_json "$n" | jq -c '.counters.rejected' | sed "s/^/      $n rejected by reason: /"
  status_json "$n" | jq -c '.alerts // {}' | sed "s/^/      $n alerts: /"
  grep -o 'BACKUP -> MASTER ([a-z ]*' "$WORK/karp-$n.log" | sort | uniq -c | sed "s/^/      $n takeovers: /" || true
done
echo "   holders after: $(holders)"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$fail"
