#!/usr/bin/env bash
# Cold start of 'karp render-manifest' (the whole command: JVM start, picocli, rendering, exit): the
# distribution (bin/karp: jlink runtime, class-data sharing, C1 only) beside plain 'java -jar karp.jar'
# on the system Java. Uses hyperfine (Debian: apt-get install hyperfine).
#
#   bench/startup.sh [RUNS]      # default 30; after 'mvn package'
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUNS=${1:-30}
TAR=$ROOT/karp-cli/target/karp-dist.tar.gz
JAR=$ROOT/karp-cli/target/karp.jar
[ -f "$TAR" ] && [ -f "$JAR" ] || { echo "startup: build first: mvn -B -DskipTests package" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "startup: hyperfine is missing (apt-get install hyperfine)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/karp-startup.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# Unpacked elsewhere than it was built, as a user would.
tar -xzf "$TAR" -C "$WORK"
KARP=$(ls -d "$WORK"/karp-*/)bin/karp
ARGS="render-manifest --vip 192.168.1.100/24 --existing-secret karp-password"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$WORK/result.json" \
  -n "bin/karp (distribution)" "$KARP $ARGS" \
  -n "java -jar karp.jar ($(java -version 2>&1 | head -1 | cut -d'"' -f2))" "java -jar $JAR $ARGS" >/dev/null
echo "command | median ms | mean ms | min ms | user+sys ms"
# hyperfine's JSON (one key a line), read without jq.
awk -F': ' '
  /"command":/ { gsub(/[",]/, "", $2); name = $2 }
  /"mean":/ { mean = $2 + 0 }
  /"median":/ { median = $2 + 0 }
  /"user":/ { user = $2 + 0 }
  /"system":/ { sys = $2 + 0 }
  /"min":/ { min = $2 + 0 }
  /"exit_codes":/ { printf "%s | %.0f | %.0f | %.0f | %.0f\n", name, median * 1000, mean * 1000, min * 1000, (user + sys) * 1000 }
' "$WORK/result.json"
