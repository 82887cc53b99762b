#!/usr/bin/env bash
# Chaos soak (issue 16, item 6): a three-node karp group and a client in network namespaces, driven
# through random faults; after each round the group must settle to exactly one VIP holder that the
# client reaches, with every daemon running. Recorded in docs/benchmarks.md, section "Chaos soak".
#
#   sudo bench/chaos.sh ROUNDS SEED [MODE] [--round N]
#     MODE: multicast (default: advbase 1, advskew 0 on all, as the manifests' default profile),
#           fast (advbase 0, advskew 13 on all, the manifests' "fast" profile), dual (multicast with an
#           IPv4 and an IPv6 VIP: --vip 10.200.0.100/24 --vip fd00:200::100/64), unicast (multicast
#           settings plus --peer for each node, on a bridge that drops all multicast frames throughout).
#     --round N: replays round N of SEED alone (the faults of a round depend only on SEED and N; the
#           roles they hit, master or backup, are resolved when the round starts).
#   SETTLE_MAX=seconds to wait for the group to settle after a round (default 25),
#   FAULTS="kill9 freeze" draws from these kinds only (default: all of them, below),
#   KEEP=1 keeps the logs in $WORK.
#
# Faults (each round: one, or with probability 1/5 two or three at once):
#   kill9  SIGKILL of a node's karp, restart after 1-4 s        term  SIGTERM, restart after 1-4 s
#   cable  its bridge port down for 1-5 s (ip link)              part  nftables drops all its frames 1-5 s
#   loss   20-50 % of all bridged frames dropped for 2-5 s (nft numgen)
#   api    its API server stopped for 3-6 s (--health-url on)   cpu   its cgroup's CPU quota at 2 % 2-5 s
#   freeze SIGSTOP of its karp for 1-4 s, then SIGCONT
# The target is the master (p=2/3) or a backup. The kernel's address notifications on each node (ip -ts monitor,
# bench/holder-timeline.py) give who held the VIP when, and the client pings the VIP every 50 ms with timestamps;
# each round prints its longest client outage and the time two or more nodes held the VIP.
# Exit status: 0 when no round failed, 1 otherwise (the failed rounds are listed with a replay command).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

usage() { echo "usage: bench/chaos.sh ROUNDS SEED [multicast|fast|dual|unicast] [--round N]" >&2; exit 2; }
ROUNDS="${1:-}"; SEED="${2:-}"
[[ "$ROUNDS" =~ ^[0-9]+$ && "$SEED" =~ ^[0-9]+$ ]] || usage
shift 2
MODE=multicast; ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    multicast|fast|dual|unicast) MODE="$1" ;;
    --round) ONLY="${2:-}"; [[ "$ONLY" =~ ^[0-9]+$ ]] || usage; shift ;;
    *) usage ;;
  esac
  shift
done
SETTLE_MAX="${SETTLE_MAX:-25}"
ALL_KINDS="kill9 term cable part loss api cpu freeze"
read -r -a KINDS <<<"${FAULTS:-$ALL_KINDS}"
for k in "${KINDS[@]}"; do
  [[ " $ALL_KINDS " == *" $k "* ]] || die "FAULTS: unknown fault '$k' (expected some of: $ALL_KINDS)"
done
command -v nft >/dev/null || die "'nft' is missing (Debian: nftables)"

VIP6=fd00:200::100
case "$MODE" in
  fast) KARP_ARGS=(--advbase 0 --advskew 13) ;;
  *) KARP_ARGS=(--advbase 1 --advskew 0) ;;
esac
[ "$MODE" = dual ] && KARP_ARGS+=(--vip "$VIP6/64")
[ "$MODE" = unicast ] && KARP_ARGS+=(--peer 10.200.0.11 --peer 10.200.0.12 --peer 10.200.0.13)
KARP_ARGS+=(--health-url https://127.0.0.1:6443/readyz)

# ---- lab ----------------------------------------------------------------------------------------
MONITORS=(); PINGER=""
chaos_cleanup() {
  for m in "${MONITORS[@]}"; do kill -KILL "$m" 2>/dev/null || true; done
  [ -n "$PINGER" ] && kill -KILL "$PINGER" 2>/dev/null || true
  for n in "${NODES[@]}"; do kill -CONT "$(eval echo "\${PID_karp_$n:-}")" 2>/dev/null || true; done
  lab_cleanup
}
trap chaos_cleanup EXIT

lab_create
if [ "$MODE" = dual ]; then
  # As karp-lib's NetnsLab: IPv6 on, no DAD (the lab's addresses must be usable at once).
  for h in n1 n2 n3 client; do
    inns "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 \
      net.ipv6.conf.eth0.disable_ipv6=0 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.eth0.accept_dad=0
  done
fi
v6addr() { case "$1" in n1) echo fd00:200::11 ;; n2) echo fd00:200::12 ;; n3) echo fd00:200::13 ;; client) echo fd00:200::50 ;; esac; }
if [ "$MODE" = dual ]; then
  for h in n1 n2 n3 client; do
    ip -n "$(ns "$h")" addr add "$(v6addr "$h")/64" dev eth0 nodad
  done
fi

# Each karp JVM runs in a cgroup of its own (no quota until a "cpu" fault squeezes it).
CPU_V2=""
cgroup_for() {
  local dir
  if grep -qw cpu /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
    CPU_V2=1; dir="/sys/fs/cgroup/$P-$1"
  elif [ -d /sys/fs/cgroup/cpu ]; then
    dir="/sys/fs/cgroup/cpu/$P-$1"
  else
    echo ""; return
  fi
  mkdir -p "$dir"
  echo "$dir"
}
declare -A CG
for n in "${NODES[@]}"; do
  CG[$n]="$(cgroup_for "$n")"
  [ -n "${CG[$n]}" ] && CGROUPS+=("${CG[$n]}")
done
cpu_quota() { # NODE PERCENT|max
  local dir="${CG[$1]}"
  [ -n "$dir" ] || return 0
  if [ -n "$CPU_V2" ]; then
    if [ "$2" = max ]; then echo "max 100000" >"$dir/cpu.max"; else echo "$(($2 * 1000)) 100000" >"$dir/cpu.max"; fi
  else
    echo 100000 >"$dir/cpu.cfs_period_us"
    if [ "$2" = max ]; then echo -1 >"$dir/cpu.cfs_quota_us"; else echo "$(($2 * 1000))" >"$dir/cpu.cfs_quota_us"; fi
  fi
}

chaos_karp() { # NODE: (re)starts karp in the node's cgroup
  local n="$1" dir="${CG[$1]}"
  local cmd=(ip netns exec "$(ns "$n")" java "${JAVA_OPTS[@]}" -jar "$JAR" run -i eth0 -s "$(addr "$n")" -v 7
    --password-file "$WORK/password" --vip "$VIP/24" "${KARP_ARGS[@]}")
  if [ -n "$dir" ]; then
    start_bg "karp_$n" "$WORK/karp-$n.log" sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$dir" "${cmd[@]}"
  else
    start_bg "karp_$n" "$WORK/karp-$n.log" "${cmd[@]}"
  fi
  # No "Killed" job notices in the output; running() and fault_revert's wait_for watch the pid instead.
  disown "$(karp_pid "$n")" 2>/dev/null || true
  STARTS[$n]=$(( ${STARTS[$n]:-0} + 1 ))
}
declare -A STARTS
karp_pid() { local v="PID_karp_$1"; echo "${!v:-}"; }
running() { # PID: alive and not a zombie
  local st
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

# nftables on the bridge, one table replaced atomically (as NetnsLab does).
declare -A RULES
nft_apply() {
  local f="$WORK/bridge.nft" k
  { echo "add table bridge chaos"; echo "delete table bridge chaos"
    if [ "${#RULES[@]}" -gt 0 ]; then
      echo "table bridge chaos {"; echo "  chain forward {"; echo "    type filter hook forward priority 0; policy accept;"
      for k in "${!RULES[@]}"; do printf '    %s\n' "${RULES[$k]//; /$'\n'    }"; done
      echo "  }"; echo "}"
    fi; } >"$f"
  inns br nft -f "$f"
}
rule_set() { RULES[$1]="$2"; nft_apply; }
rule_del() { unset "RULES[$1]"; nft_apply; }
# Unicast mode: a network that drops multicast (ARP broadcasts pass), for the whole soak.
[ "$MODE" = unicast ] && rule_set nomcast "meta pkttype multicast counter drop"

holder_list() {
  local h="" n
  for n in "${NODES[@]}"; do
    if [ "$MODE" = dual ]; then
      has_addr "$n" "$VIP" "$VIP6" && h="$h $n"
    else
      has_addr "$n" "$VIP" && h="$h $n"
    fi
  done
  echo "${h# }"
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ---- start --------------------------------------------------------------------------------------
echo "== chaos soak: $ROUNDS round(s), seed $SEED, mode $MODE${ONLY:+, round $ONLY only}; karp ${KARP_ARGS[*]}"
echo "== $(machine)"
echo "== cgroup cpu controller: ${CG[n1]:-none (cpu faults become no-ops)}"

# Who holds the VIP, from the kernel's address notifications on each node (bench/holder-timeline.py): started
# before the daemons, so every add and removal is seen; renewals of the VIP lifetime show as adds.
MONITORS=()
for n in "${NODES[@]}"; do
  ip -n "$(ns "$n")" -ts monitor address dev eth0 >"$WORK/monitor-$n.log" 2>&1 &
  MONITORS+=($!)
  disown $!
done
for n in "${NODES[@]}"; do start_apiserver "$n"; chaos_karp "$n"; done
PINGLOG="$WORK/ping.log"
ip netns exec "$(ns client)" ping -D -n -i 0.05 -W 1 "$VIP" >"$PINGLOG" 2>&1 &
PINGER=$!
disown "$PINGER"

# settled: exactly one holder, one MASTER, all daemons running, the client reaches the VIP. UNSETTLED names the
# check that failed last. A status query (1 s limit) or a ping that times out is asked twice before it counts: on
# a machine at load 15 a single slow answer is the machine, not the group (a failed recheck once showed nothing
# wrong a moment later); a stale neighbour entry or a second master lasts seconds and is still caught.
UNSETTLED=""
master_count() {
  local n masters=0
  for n in "${NODES[@]}"; do [ "$(state_of "$n")" = MASTER ] && masters=$((masters + 1)); done
  echo "$masters"
}
settled() {
  local n h masters
  for n in "${NODES[@]}"; do running "$(karp_pid "$n")" || { UNSETTLED="$n not running"; return 1; }; done
  h="$(holder_list)"
  [ -n "$h" ] && [ "$h" = "${h%% *}" ] || { UNSETTLED="holders=[$h]"; return 1; }
  masters=$(master_count)
  [ "$masters" = 1 ] || masters=$(master_count)
  [ "$masters" = 1 ] || { UNSETTLED="$masters MASTERs by status"; return 1; }
  inns client ping -c 1 -w 2 -q "$VIP" >/dev/null 2>&1 || { UNSETTLED="client ping $VIP failed (2 s)"; return 1; }
  if [ "$MODE" = dual ]; then
    inns client ping -6 -c 1 -w 2 -q "$VIP6" >/dev/null 2>&1 || { UNSETTLED="client ping $VIP6 failed (2 s)"; return 1; }
  fi
  UNSETTLED=""
  return 0
}
why_not() {
  local n out=""
  for n in "${NODES[@]}"; do running "$(karp_pid "$n")" || out="$out $n:exited"; done
  out="$out holders=[$(holder_list)]"
  for n in "${NODES[@]}"; do out="$out $n=$(state_of "$n")/$(health_of "$n")"; done
  inns client ping -c 1 -W 1 -q "$VIP" >/dev/null 2>&1 || out="$out client:no-answer"
  if [ "$MODE" = dual ]; then
    inns client ping -6 -c 1 -W 1 -q "$VIP6" >/dev/null 2>&1 || out="$out client:no-answer-v6"
  fi
  out="$out client-neigh=[$(inns client ip neigh show dev eth0 | grep -E "^($VIP|$VIP6) " | tr '\n' ';')]"
  echo "${out# }"
}
wait_for 90 settled || die "the group never settled at the start: $(why_not); see $WORK (KEEP=1 keeps it)"
echo "== settled: holder $(holder_list)"

# ---- faults -------------------------------------------------------------------------------------
master_node() { local h; h="$(holder_list)"; h="${h%% *}"; echo "${h:-n1}"; }
pick_target() { # master with p=2/3, else a random backup
  local m; m="$(master_node)"
  if [ $((RANDOM % 3)) -lt 2 ]; then echo "$m"; return; fi
  local others=() n
  for n in "${NODES[@]}"; do [ "$n" != "$m" ] && others+=("$n"); done
  echo "${others[$((RANDOM % ${#others[@]}))]}"
}
fault_apply() { # KIND NODE PERCENT
  case "$1" in
    kill9) kill -KILL "$(karp_pid "$2")" 2>/dev/null || true ;;
    term) kill -TERM "$(karp_pid "$2")" 2>/dev/null || true ;;
    cable) link_down "$2" ;;
    part) rule_set "cut-$2" "iifname \"p-$2\" drop; oifname \"p-$2\" drop" ;;
    loss) rule_set loss "numgen random mod 100 < $3 drop" ;;
    api) stop_apiserver "$2" ;;
    cpu) cpu_quota "$2" 2 ;;
    freeze) kill -STOP "$(karp_pid "$2")" 2>/dev/null || true ;;
  esac
}
fault_revert() { # KIND NODE
  local pid
  case "$1" in
    kill9|term)
      pid="$(karp_pid "$2")"
      # bounded: SIGTERM's own exit may take a moment; SIGKILL after 10 s.
      wait_for 10 bash -c "! kill -0 $pid 2>/dev/null || [ \"\$(sed 's/^.*) //' /proc/$pid/stat | cut -d' ' -f1)\" = Z ]" \
        || { echo "   ! $2: karp still running 10 s after SIG${1/kill9/KILL}" | sed 's/SIGterm/SIGTERM/'; kill -KILL "$pid" 2>/dev/null || true; }
      wait "$pid" 2>/dev/null || true
      chaos_karp "$2" ;;
    cable) link_up "$2" ;;
    part) rule_del "cut-$2" ;;
    loss) rule_del loss ;;
    api) start_apiserver "$2" ;;
    cpu) cpu_quota "$2" max ;;
    freeze) kill -CONT "$(karp_pid "$2")" 2>/dev/null || true ;;
  esac
}

# Windows with two or more holders between two times (ms): "count total_ms max_ms".
two_holder_windows() {
  local vips="$VIP" specs=() n
  [ "$MODE" = dual ] && vips="$VIP,$VIP6"
  for n in "${NODES[@]}"; do specs+=("$n=$WORK/monitor-$n.log"); done
  python3 "$ROOT/bench/holder-timeline.py" "$1" "$2" "$vips" "${specs[@]}"
}
# Longest gap between two ping answers (ms) between two times (ms), counting from a to the first answer.
outage() {
  awk -F'[][]' -v a="$1" -v b="$2" '/bytes from/ { t = int($2 * 1000); if (t < a) { last = t; next }
      if (t > b) exit
      if (!last) last = a
      if (t - last > g) g = t - last; last = t }
    END { if (last && b - last > g) g = b - last; printf "%d\n", g }' "$PINGLOG"
}

RESULTS="$WORK/rounds.txt"; : >"$RESULTS"
FAILED=()
declare -A OUTMAX TWOMAX TWOTOT TWON NKIND
for k in "${KINDS[@]}"; do OUTMAX[$k]=0; TWOMAX[$k]=0; TWOTOT[$k]=0; TWON[$k]=0; NKIND[$k]=0; done

run_round() {
  local r="$1"
  RANDOM=$(( (SEED * 7919 + r * 104729) % 32768 ))
  local nfaults=1 roll=$((RANDOM % 5))
  [ "$roll" = 0 ] && nfaults=$((2 + RANDOM % 2))
  local kinds=() nodes=() pcts=() durs=() i k used=" "
  for i in $(seq 1 "$nfaults"); do
    for _ in 1 2 3 4 5 6 7 8; do k="${KINDS[$((RANDOM % ${#KINDS[@]}))]}"; [[ "$used" != *" $k "* ]] && break; done
    [[ "$used" == *" $k "* ]] && continue
    used="$used$k "
    kinds+=("$k"); nodes+=("$(pick_target)"); pcts+=($((20 + RANDOM % 31)))
    case "$k" in
      loss|cpu) durs+=($((2000 + RANDOM % 3001))) ;;
      api) durs+=($((3000 + RANDOM % 3001))) ;;
      cable|part) durs+=($((1000 + RANDOM % 4001))) ;;
      *) durs+=($((1000 + RANDOM % 3001))) ;;
    esac
  done
  # Two faults on one node's process (kill9+term, kill9+freeze...) collapse into the first.
  local desc="" t0 t1 t2 maxd=0
  for i in "${!kinds[@]}"; do
    desc="$desc ${kinds[$i]}@${nodes[$i]}"
    [ "${kinds[$i]}" = loss ] && desc="$desc(${pcts[$i]}%)"
    desc="$desc/${durs[$i]}ms"
    [ "${durs[$i]}" -gt "$maxd" ] && maxd="${durs[$i]}"
  done
  t0=$(now_ms)
  local proc_hit=" "
  for i in "${!kinds[@]}"; do
    case "${kinds[$i]}" in kill9|term|freeze)
      if [[ "$proc_hit" == *" ${nodes[$i]} "* ]]; then kinds[$i]=skip; continue; fi
      proc_hit="$proc_hit${nodes[$i]} " ;;
    esac
    fault_apply "${kinds[$i]}" "${nodes[$i]}" "${pcts[$i]}"
  done
  # Revert each fault at its own time (sorted by duration).
  local order; order=$(for i in "${!kinds[@]}"; do echo "${durs[$i]} $i"; done | sort -n | awk '{ print $2 }')
  for i in $order; do
    local due=$((t0 + durs[i])) nowv; nowv=$(now_ms)
    [ "$due" -gt "$nowv" ] && sleep "$(awk -v d=$((due - nowv)) 'BEGIN { printf "%.3f", d / 1000 }')"
    [ "${kinds[$i]}" = skip ] || fault_revert "${kinds[$i]}" "${nodes[$i]}"
  done
  t1=$(now_ms)
  local ok=1 why=""
  if ! wait_for "$SETTLE_MAX" settled; then ok=0; why="$UNSETTLED: $(why_not)"; fi
  t2=$(now_ms)
  # A short look after settling: a second holder that comes back late (a resumed frozen master).
  sleep 1
  if [ "$ok" = 1 ] && ! settled; then ok=0; why="unsettled again 1 s after settling ($UNSETTLED): $(why_not)"; fi
  local t3; t3=$(now_ms)
  local out two; out=$(outage "$t0" "$t3"); two=$(two_holder_windows "$t0" "$t3")
  local tn ttot tmax; read -r tn ttot tmax <<<"$two"
  for i in "${!kinds[@]}"; do
    k="${kinds[$i]}"; [ "$k" = skip ] && continue
    NKIND[$k]=$((NKIND[$k] + 1))
    [ "$out" -gt "${OUTMAX[$k]}" ] && OUTMAX[$k]=$out
    TWON[$k]=$((TWON[$k] + tn)); TWOTOT[$k]=$((TWOTOT[$k] + ttot))
    [ "$tmax" -gt "${TWOMAX[$k]}" ] && TWOMAX[$k]=$tmax
  done
  local verdict=ok
  if [ "$ok" = 0 ]; then
    verdict="FAILED ($why)"
    FAILED+=("$r")
  fi
  printf 'round %3d:%s | settled in %5d ms | client outage %5d ms | two+ holders %d x, %d ms (max %d) | holder %s | %s\n' \
    "$r" "$desc" $((t2 - t1)) "$out" "$tn" "$ttot" "$tmax" "$(holder_list)" "$verdict" | tee -a "$RESULTS"
  [ "$ok" = 0 ] && echo "   replay: sudo bench/chaos.sh 1 $SEED $MODE --round $r"
  if [ "$ok" = 0 ]; then
    # Bring the group back to a known state for the next round: restart what is not running.
    for n in "${NODES[@]}"; do
      kill -CONT "$(karp_pid "$n")" 2>/dev/null || true
      running "$(karp_pid "$n")" || chaos_karp "$n"
    done
    wait_for 60 settled || true
  fi
  return 0
}

START=$(date +%s)
if [ -n "$ONLY" ]; then run_round "$ONLY"; else for r in $(seq 1 "$ROUNDS"); do run_round "$r"; done; fi
ELAPSED=$(( $(date +%s) - START ))

echo "== summary: mode $MODE, seed $SEED, $(wc -l <"$RESULTS") round(s) in ${ELAPSED} s, ${#FAILED[@]} failed"
printf '   %-7s %6s %18s %14s %16s %14s\n' kind rounds "longest outage ms" "2+ holders x" "2+ holders ms" "longest 2+ ms"
for k in "${KINDS[@]}"; do
  printf '   %-7s %6d %18d %14d %16d %14d\n' "$k" "${NKIND[$k]}" "${OUTMAX[$k]}" "${TWON[$k]}" "${TWOTOT[$k]}" "${TWOMAX[$k]}"
done
for n in "${NODES[@]}"; do
  pid="$(karp_pid "$n")"
  echo "   $n: VmRSS $(awk '/^VmRSS/ { print $2 " " $3 }' "/proc/$pid/status" 2>/dev/null || echo '?'), started $(( ${STARTS[$n]:-0} )) time(s)"
done
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "${#FAILED[@]}" -gt 0 ]; then
  echo "== failed rounds: ${FAILED[*]}; replay one with: sudo bench/chaos.sh 1 $SEED $MODE --round N"
  exit 1
fi
