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
# hyperfine's JSON, one result per "command" key, read without jq.
sed -e 's/"command"/\n"command"/g' "$WORK/result.json" | grep '^"command"' | while IFS= read -r r; do
  name=$(echo "$r" | sed -n 's/^"command": *"\([^"]*\)".*/\1/p')
  num() { echo "$r" | sed -n "s/.*\"$1\": *\([0-9.e-]*\).*/\1/p"; }
  awk -v n="$name" -v med="$(num median)" -v mean="$(num mean)" -v min="$(num min)" -v u="$(num user)" -v s="$(num system)" \
    'BEGIN{printf "%s | %.0f | %.0f | %.0f | %.0f\n", n, med*1000, mean*1000, min*1000, (u+s)*1000}'
done
