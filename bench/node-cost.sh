#!/usr/bin/env bash
# What a VIP daemon costs a control-plane node, side by side in one run: karp as the rendered pod
# runs it, UCarp and keepalived configured alike. Each runs alone in a lab namespace (n1 karp,
# n2 ucarp, n3 keepalived; distinct vhids and VIPs, so each is master of its own group), with a
# stand-in API server on 127.0.0.1:6443 of its namespace.
#
#   sudo bench/node-cost.sh [SECONDS=600]       # after 'mvn -B -DskipTests package'
#
# karp: the distribution's launcher (bin/karp) with the manifest's arguments (--advbase=1,
#   --health-url=https://127.0.0.1:6443/readyz), plus --metrics-addr 127.0.0.1:9242 unless
#   METRICS=0. Around it, what a node does to the pod: the kubelet's httpGet probes of /healthz at
#   the rendered periods (readiness 10 s, liveness 20 s; curl stands in for the kubelet, which makes
#   the request in its own process), /status read every STATUS_POLL seconds (default 1; 0: never)
#   and /metrics scraped every METRICS seconds (default 5; 0: no metrics endpoint, as the manifests
#   render it). STATUS_POLL=0 METRICS=0 is the manifests' default configuration. For comparison the
#   old exec probes, `karp healthcheck` at the same periods (a JVM each; the container runtime's own
#   exec cost comes on top and is not counted).
# ucarp: advbase 1, no health check (it has none). keepalived: VRRPv3, advert_int 1, and a
#   vrrp_script that checks the API server with curl every second, as kubeadm's HA guide does.
# API server: APISERVER=python (default) keeps connections as kube-apiserver does (HTTP/1.1
#   keep-alive); APISERVER=openssl is `openssl s_server -www`, which closes each (HTTP/1.0), so
#   every probe connects afresh.
#
# Prints per daemon: CPU (% of one core) over the steady part of the run (after the first sixth),
# CPU of the probes as the kubelet would run them, the total, RSS (kB, summed over the daemon's
# processes) at the end, and karp's RSS every minute (the trend). KEEP=1 keeps the work directory.
# DIST=dir runs another unpacked distribution; COMPARE=dir runs a second karp from that one beside
# the first, alike (in the client namespace, on a link of its own): old against new in one run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SECS="${1:-600}"
STATUS_POLL="${STATUS_POLL:-1}"
METRICS="${METRICS:-5}"
APISERVER="${APISERVER:-python}"
DIST="${DIST:-$(ls -d "$ROOT"/karp-cli/target/dist/karp-*/ 2>/dev/null | head -1)}"
COMPARE="${COMPARE:-}"
[ -z "$COMPARE" ] || [ -x "$COMPARE/bin/karp" ] || die "COMPARE=$COMPARE is not an unpacked distribution (no bin/karp)"
[ -n "$DIST" ] || die "the distribution is missing; build it first: mvn -B -q -DskipTests package"
[ "$SECS" -ge 60 ] || die "SECONDS must be at least 60 (got $SECS)"
for tool in ucarp keepalived python3; do
  command -v "$tool" >/dev/null || die "'$tool' is missing (Debian: apt-get install ucarp keepalived python3)"
done

lab_create
# Each daemon alone on its link: ucarp's and keepalived's bridge ports move to bridges of their own
# (the carrier stays up), so no daemon sees another's adverts (karp would log every VRRP advert).
for n in n2 n3 client; do
  ip -n "$(ns br)" link add "br-$n" type bridge
  ip -n "$(ns br)" link set "br-$n" up
  ip -n "$(ns br)" link set "p-$n" master "br-$n"
done
echo "== $(machine)"
echo "== $SECS s; karp: $DIST ($("$DIST/runtime/bin/java" -version 2>&1 | head -1)); API server stand-in:" \
  "$APISERVER; /status every ${STATUS_POLL}s, /metrics every ${METRICS}s (0: never)${NMT:+; native memory tracking on}"

# lib.sh's stand-ins: python keeps connections as kube-apiserver does, openssl closes each.
export APISERVER
for n in n1 n2 n3 ${COMPARE:+client}; do start_apiserver "$n"; done

METRICS_ADDR=()
[ "$METRICS" -gt 0 ] && METRICS_ADDR=(--metrics-addr 127.0.0.1:9242)
# NMT=1: where karp's memory goes, printed at the end (the tracking itself costs about 1 MB).
[ -n "${NMT:-}" ] && export KARP_JAVA_OPTS="${KARP_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary"
start_bg karp "$WORK/karp.log" ip netns exec "$(ns n1)" "$DIST/bin/karp" run --vip=10.200.0.100/24 --vhid=7 \
  --advbase=1 --advskew=0 --password-file="$WORK/password" --interface=eth0 \
  --health-url=https://127.0.0.1:6443/readyz ${METRICS_ADDR[@]+"${METRICS_ADDR[@]}"}
if [ -n "$COMPARE" ]; then
  start_bg karp2 "$WORK/karp2.log" ip netns exec "$(ns client)" "$COMPARE/bin/karp" run --vip=10.200.0.103/24 --vhid=10 \
    --advbase=1 --advskew=0 --password-file="$WORK/password" --interface=eth0 \
    --health-url=https://127.0.0.1:6443/readyz ${METRICS_ADDR[@]+"${METRICS_ADDR[@]}"}
fi
# UCarp runs scripts to move the VIP (once per transition, not part of its steady cost).
printf '#!/bin/sh\nexec ip addr add "$2/24" dev "$1"\n' >"$WORK/ucarp-up"
printf '#!/bin/sh\nexec ip addr del "$2/24" dev "$1"\n' >"$WORK/ucarp-down"
chmod 755 "$WORK/ucarp-up" "$WORK/ucarp-down"
start_bg ucarp "$WORK/ucarp.log" ip netns exec "$(ns n2)" ucarp -i eth0 -s 10.200.0.12 -v 8 -p bench-secret \
  -a 10.200.0.101 -b 1 -k 0 -u "$WORK/ucarp-up" -d "$WORK/ucarp-down" -f none
cat >"$WORK/keepalived.conf" <<EOF
global_defs {
  router_id bench-n3
  vrrp_version 3
  enable_script_security
  script_user root
}
vrrp_script apiserver {
  script "/usr/bin/curl -sfk --max-time 1 -o /dev/null https://127.0.0.1:6443/readyz"
  interval 1
  fall 2
  rise 2
}
vrrp_instance bench {
  state BACKUP
  interface eth0
  virtual_router_id 9
  priority 150
  advert_int 1
  virtual_ipaddress {
    10.200.0.102/24 dev eth0
  }
  track_script {
    apiserver
  }
}
EOF
start_bg keepalived "$WORK/keepalived.log" ip netns exec "$(ns n3)" keepalived --dont-fork --log-console \
  --no-syslog --vrrp --use-file="$WORK/keepalived.conf" --pid="$WORK/ka.pid" --vrrp_pid="$WORK/ka-vrrp.pid" \
  --checkers_pid="$WORK/ka-check.pid" --bfd_pid="$WORK/ka-bfd.pid"

has_vip() { has_addr "$1" "$2"; }
wait_for 30 has_vip n1 10.200.0.100 || die "karp did not take its VIP; see $WORK/karp.log (KEEP=1 keeps it)"
wait_for 30 has_vip n2 10.200.0.101 || die "ucarp did not take its VIP; see $WORK/ucarp.log"
wait_for 30 has_vip n3 10.200.0.102 || die "keepalived did not take its VIP; see $WORK/keepalived.log"
[ -z "$COMPARE" ] || wait_for 30 has_vip client 10.200.0.103 || die "the second karp did not take its VIP; see $WORK/karp2.log"
wait_for 30 bash -c "[ \"\$(ip netns exec $(ns n1) curl -s --max-time 1 http://127.0.0.1:9241/status \
  | jq -r .health)\" = ok ]" || die "karp's health check did not pass; see $WORK/karp.log"

START=$SECONDS
END=$((START + SECS))
# The probe loops run inside n1 and report their children's CPU (bash 'times') when done.
probe_loop() { # NAME NODE COMMAND: readiness every 10 s, liveness every 20 s, until END
  local name=$1 node=$2 cmd=$3
  start_bg "probe_$name" "$WORK/probe-$name.out" ip netns exec "$(ns "$node")" bash -c "
    end=\$((SECONDS + $SECS)); i=0; fails=0
    while [ \$SECONDS -lt \$end ]; do
      $cmd || fails=\$((fails + 1))
      [ \$((i % 2)) = 0 ] && { $cmd || fails=\$((fails + 1)); }
      i=\$((i + 1)); sleep 10
    done
    echo probes=\$((i + (i + 1) / 2)) fails=\$fails; times"
}
probe_loop httpget n1 "curl -sf --max-time 5 -o /dev/null http://127.0.0.1:9241/healthz 2>/dev/null"
probe_loop exec n1 "KARP_JAVA_OPTS= '$DIST/bin/karp' healthcheck -q --timeout 5 >/dev/null 2>&1"
if [ -n "$COMPARE" ]; then
  probe_loop httpget2 client "curl -sf --max-time 5 -o /dev/null http://127.0.0.1:9241/healthz 2>/dev/null"
  probe_loop exec2 client "KARP_JAVA_OPTS= '$COMPARE/bin/karp' healthcheck -q --timeout 5 >/dev/null 2>&1"
fi
DAEMONS=(karp ${COMPARE:+karp2} ucarp keepalived)
(
  n=0
  while [ "$SECONDS" -lt "$END" ]; do
    if [ "$STATUS_POLL" -gt 0 ] && [ $((n % STATUS_POLL)) = 0 ]; then
      for k in n1 ${COMPARE:+client}; do inns "$k" curl -s --max-time 1 -o /dev/null http://127.0.0.1:9241/status || true; done
    fi
    if [ "$METRICS" -gt 0 ] && [ $((n % METRICS)) = 0 ]; then
      for k in n1 ${COMPARE:+client}; do inns "$k" curl -s --max-time 1 -o /dev/null http://127.0.0.1:9242/metrics || true; done
    fi
    n=$((n + 1))
    sleep 1
  done
) &
PIDS+=($!)

tree() { # PID: the pid and its descendants
  local p=$1 c
  echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree "$c"; done
}
# CPU ticks of a process tree, with its reaped children (keepalived's checks, ...).
ticks() { local p t=0; for p in $(tree "$1"); do t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
rss() { local p t=0; for p in $(tree "$1"); do t=$((t + $(awk '/VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0))); done; echo $t; }

WARM=$((SECS / 6))
sleep "$WARM"
declare -A t0
for d in "${DAEMONS[@]}"; do v=PID_$d; t0[$d]=$(ticks "${!v}"); done
T0=$SECONDS
: >"$WORK/karp-rss.trend"
while [ "$SECONDS" -lt "$END" ]; do
  sleep $(( END - SECONDS < 60 ? END - SECONDS : 60 ))
  echo "$((SECONDS - START))s $(rss "$PID_karp")${COMPARE:+ $(rss "$PID_karp2")}" >>"$WORK/karp-rss.trend"
done
T1=$SECONDS
declare -A t1 mem
for d in "${DAEMONS[@]}"; do v=PID_$d; t1[$d]=$(ticks "${!v}"); mem[$d]=$(rss "${!v}"); done
wait "$PID_probe_httpget" "$PID_probe_exec" ${COMPARE:+"$PID_probe_httpget2" "$PID_probe_exec2"} 2>/dev/null || true
hz=$(getconf CLK_TCK)
pct() { awk -v t="$1" -v hz="$hz" -v s="$2" 'BEGIN { printf "%.3f", t * 100 / hz / s }'; }
# 'times' prints the shell's own line, then its children's: "0m1.234s 0m0.567s".
probe_cpu() { tail -1 "$WORK/probe-$1.out" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } printf "%.3f", s }'; }
probe_pct() { awk -v c="$(probe_cpu "$1")" -v s="$SECS" 'BEGIN { printf "%.3f", c * 100 / s }'; }
karp_cpu=$(pct $((t1[karp] - t0[karp])) $((T1 - T0)))
echo "== CPU over the last $((T1 - T0)) s, % of one core; RSS at the end, kB"
printf '%-44s %9s %9s %9s %9s\n' "" daemon probes total "RSS kB"
printf '%-44s %9s %9s %9.3f %9s\n' "karp (bin/karp), httpGet probes (kubelet)" "$karp_cpu" "~0" "$karp_cpu" "${mem[karp]}"
printf '%-44s %9s %9s %9s %9s\n' "  the same probes run by curl" "" "$(probe_pct httpget)" "" ""
printf '%-44s %9s %9s %9.3f %9s\n' "karp, exec karp healthcheck probes (old)" "$karp_cpu" "$(probe_pct exec)" \
  "$(awk -v a="$karp_cpu" -v b="$(probe_pct exec)" 'BEGIN{print a + b}')" ""
if [ -n "$COMPARE" ]; then
  karp2_cpu=$(pct $((t1[karp2] - t0[karp2])) $((T1 - T0)))
  printf '%-44s %9s %9s %9.3f %9s\n' "COMPARE karp, httpGet probes (kubelet)" "$karp2_cpu" "~0" "$karp2_cpu" "${mem[karp2]}"
fi
printf '%-44s %9s %9s %9s %9s\n' "ucarp (advbase 1, no health check)" "$(pct $((t1[ucarp] - t0[ucarp])) $((T1 - T0)))" \
  - "$(pct $((t1[ucarp] - t0[ucarp])) $((T1 - T0)))" "${mem[ucarp]}"
printf '%-44s %9s %9s %9s %9s\n' "keepalived (advert_int 1, curl check 1 s)" \
  "$(pct $((t1[keepalived] - t0[keepalived])) $((T1 - T0)))" "(in it)" \
  "$(pct $((t1[keepalived] - t0[keepalived])) $((T1 - T0)))" "${mem[keepalived]}"
echo "== probes: httpGet $(head -1 "$WORK/probe-httpget.out"), exec $(head -1 "$WORK/probe-exec.out")"
echo "== karp RSS (kB) by time since start${COMPARE:+ (karp, COMPARE karp)}: $(tr '\n' ' ' <"$WORK/karp-rss.trend")"
echo "== karp status at the end: $(status_json n1 | jq -c '{state, health}')"
if [ -n "${NMT:-}" ]; then
  JCMD="${JCMD:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/jcmd}"
  echo "== native memory (jcmd $PID_karp VM.native_memory summary)"
  "$JCMD" "$PID_karp" VM.native_memory summary | grep -E '^ *(Total|-) ' || true
  echo "== classes by instance bytes, top 15 (jcmd GC.class_histogram)"
  "$JCMD" "$PID_karp" GC.class_histogram | head -18 | tail -16 || true
  echo "== loaded classes: $("$JCMD" "$PID_karp" VM.classes 2>/dev/null | grep -c 'dev\.karp\|java\.\|javax\.\|sun\.\|jdk\.\|com\.') (of them TLS and crypto:" \
    "$("$JCMD" "$PID_karp" VM.classes 2>/dev/null | grep -c 'sun\.security\|javax\.net\.ssl\|javax\.crypto')); threads: $(ls /proc/"$PID_karp"/task | wc -l)"
fi
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
