#!/usr/bin/env bash
# Sizes of what 'mvn package' ships: the image's compressed size (what a registry stores and a node
# pulls: the layers, config and manifest blobs), its layers unpacked, the distribution tarball and the jar.
#
#   bench/image-size.sh          # after 'mvn package'
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
T=$ROOT/karp-cli/target
[ -f "$T/karp-oci.tar" ] || { echo "image-size: build first: mvn -B -DskipTests package" >&2; exit 2; }
WORK=$(mktemp -d /tmp/karp-size.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
tar -xf "$T/karp-oci.tar" -C "$WORK"
manifest=$(sed -n 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/p' "$WORK/index.json" | head -1)
m=$WORK/blobs/sha256/$manifest
mb() { awk -v b="$1" 'BEGIN{printf "%.1f MB", b / 1000000}'; }
total=$(stat -c %s "$m")
echo "image layers (compressed, as pulled):"
for d in $(grep -o '"digest":"sha256:[0-9a-f]*","size":[0-9]*' "$m" | sed 's/.*sha256:\([0-9a-f]*\)".*/\1/'); do
  size=$(stat -c %s "$WORK/blobs/sha256/$d")
  total=$((total + size))
  if gzip -t "$WORK/blobs/sha256/$d" 2>/dev/null; then
    echo "  layer sha256:${d:0:12}  $(mb "$size") compressed, $(mb "$(gzip -dc "$WORK/blobs/sha256/$d" | wc -c)") unpacked"
  else
    echo "  config sha256:${d:0:12}  $size bytes"
  fi
done
echo "image total compressed: $(mb "$total") ($total bytes)"
echo "karp-oci.tar: $(mb "$(stat -c %s "$T/karp-oci.tar")")"
echo "karp-dist.tar.gz: $(mb "$(stat -c %s "$T/karp-dist.tar.gz")")"
echo "karp.jar: $(mb "$(stat -c %s "$T/karp.jar")")"
