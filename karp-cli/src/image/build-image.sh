#!/usr/bin/env bash
# Builds karp's container image without a container engine: a root filesystem from Debian packages
# (glibc, libpcap and the libraries it links, CA certificates, dash for the launcher) plus the
# distribution in /opt/karp, written as an OCI image layout in a tar file.
#
#   build-image.sh oci TARGET_DIR VERSION     -> TARGET_DIR/karp-oci.tar (run by Maven in 'package',
#                                                after build-dist.sh)
#   build-image.sh rootfs DIR DIST            -> the same root filesystem in DIR, from DIST (the
#                                                distribution directory or karp-dist.tar.gz);
#                                                the Containerfile uses this
#
# Reproducible: the same packages and distribution give the same layer digests (sorted tar entries,
# owner 0:0, every mtime SOURCE_DATE_EPOCH, gzip without name or time). Needs apt-get and dpkg-deb
# (Debian or Ubuntu) with package lists ('apt-get update'); downloaded packages are kept in
# KARP_DEB_CACHE (default ~/.cache/karp/debs) and checked against apt's SHA-256.
set -euo pipefail
export LC_ALL=C TZ=UTC

here=$(cd "$(dirname "$0")" && pwd)

fail() {
  echo "karp image: $*" >&2
  exit 1
}

# Runtime needs, checked with ldd: the JVM (Temurin's) and JNA's stub need only libc6; libpcap0.8
# links libdbus-1-3, which links libsystemd0 and through it libcap2, libgcrypt20, libgpg-error0,
# liblzma5, liblz4-1 and libzstd1; libc6 depends on libgcc-s1. dash is /bin/sh for the launcher.
PACKAGES=(libc6 libgcc-s1 libpcap0.8 libdbus-1-3 libsystemd0 libcap2 libgcrypt20 libgpg-error0
  liblzma5 liblz4-1 libzstd1 ca-certificates dash)

# Fetches each package's candidate .deb into the cache (once) and prints the paths.
fetch_debs() {
  local cache=${KARP_DEB_CACHE:-${HOME:-/tmp}/.cache/karp/debs}
  command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || fail "apt-get and dpkg-deb are missing: the image is made from Debian packages, so build it on \
Debian or Ubuntu, or skip it: -Dkarp.image.skip=true"
  mkdir -p "$cache"
  local p file sha
  for p in "${PACKAGES[@]}"; do
    file=$(apt-cache show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Filename: //p' | head -1)
    sha=$(apt-cache show --no-all-versions "$p" 2>/dev/null | sed -n 's/^SHA256: //p' | head -1)
    [ -n "$file" ] && [ -n "$sha" ] || fail "apt knows no package $p: run 'apt-get update' (as root), \
or skip the image: -Dkarp.image.skip=true"
    file=${file##*/}
    if [ ! -f "$cache/$file" ] || ! echo "$sha  $cache/$file" | sha256sum -c --status; then
      rm -rf "$cache/download"
      mkdir -p "$cache/download"
      (cd "$cache/download" && apt-get download -qq "$p" >/dev/null 2>"$cache/apt.err") \
        || fail "cannot download $p: $(tail -1 "$cache/apt.err"); is the Debian mirror reachable? \
Or skip the image: -Dkarp.image.skip=true"
      # apt names the file with the version's epoch (1%3a...), the pool without: keep the pool's name.
      mv "$cache"/download/*.deb "$cache/$file"
      echo "$sha  $cache/$file" | sha256sum -c --status || fail "$file does not match apt's SHA-256"
    fi
    echo "$cache/$file"
  done
}

# make_rootfs DIR DIST: the packages' files (no docs), the CA bundle, a few /etc files, karp in /opt/karp.
make_rootfs() {
  local root=$1 dist=$2 deb pkg
  rm -rf "$root"
  mkdir -p "$root/var/lib/dpkg/status.d"
  local debs
  debs=$(fetch_debs) || exit 1
  for deb in $debs; do
    dpkg-deb -x "$deb" "$root"
    # What is installed, where scanners (trivy, grype, syft) look for it in distroless images.
    pkg=$(dpkg-deb -f "$deb" Package)
    { dpkg-deb -f "$deb" Package Version Architecture Source Multi-Arch; echo "Status: install ok installed"; } \
      >"$root/var/lib/dpkg/status.d/$pkg"
  done
  rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/info" "$root/usr/share/lintian" \
    "$root/usr/share/locale" "$root/usr/share/bug" "$root/usr/share/menu" "$root/usr/share/debconf" \
    "$root/usr/sbin" "$root/etc/init.d" "$root"/usr/lib/*/gconv
  # ca-certificates' maintainer script would build this bundle; so does this, from the same files.
  mkdir -p "$root/etc/ssl/certs"
  find "$root/usr/share/ca-certificates" -name '*.crt' | sort | xargs cat >"$root/etc/ssl/certs/ca-certificates.crt"
  [ -e "$root/bin/sh" ] || ln -s dash "$root/bin/sh"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  # Mount points: Kubernetes (and the test) mount a tmpfs on /tmp; the rest is read-only.
  mkdir -p "$root/tmp" "$root/proc" "$root/sys" "$root/dev" "$root/root" "$root/etc/karp" "$root/opt/karp"
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"
  if [ -d "$dist" ]; then
    cp -a "$dist/." "$root/opt/karp/"
  else
    tar -xzf "$dist" -C "$root/opt/karp" --strip-components=1
  fi
  chmod -R go-w "$root"
  chmod 1777 "$root/tmp"
}

# layer DIR OUT: DIR's contents as a reproducible gzip'd tar; prints "diff_id digest size".
layer() {
  local dir=$1 out=$2 entries
  entries=$(cd "$dir" && find . -mindepth 1 -maxdepth 1 -printf '%P\n' | sort)
  # shellcheck disable=SC2086 # top-level names, no spaces
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime --format=posix \
    -C "$dir" -cf "$out.tar" $entries
  gzip -n -6 <"$out.tar" >"$out.tar.gz"
  echo "sha256:$(sha256sum <"$out.tar" | cut -d' ' -f1) sha256:$(sha256sum <"$out.tar.gz" | cut -d' ' -f1) $(stat -c %s "$out.tar.gz")"
  rm "$out.tar"
}

# blob FILE LAYOUT: moves FILE into LAYOUT/blobs/sha256 under its digest; prints "digest size".
blob() {
  local d
  d=$(sha256sum <"$1" | cut -d' ' -f1)
  local size
  size=$(stat -c %s "$1")
  mv "$1" "$2/blobs/sha256/$d"
  echo "sha256:$d $size"
}

oci() {
  local target version dist work image repository tag arch created revision runtime
  target=$(cd "$1" && pwd)
  version=$2
  dist=$(echo "$target"/dist/karp-"$version")
  [ -x "$dist/bin/karp" ] || fail "$dist is missing: the image needs the distribution (build-dist.sh) first"
  if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(date -d "${KARP_OUTPUT_TIMESTAMP:-2026-01-01T00:00:00Z}" +%s)
  fi
  export SOURCE_DATE_EPOCH
  work=$target/image-work
  rm -rf "$work"
  mkdir -p "$work/base" "$work/app" "$work/layout/blobs/sha256"

  # The image name comes from the CLI (dev.karp.kube.KarpImage): the manifests it renders name this image.
  image=$("$dist/bin/karp" render-manifest --vip 192.0.2.1/24 --existing-secret karp-password \
    | sed -n 's/^ *image: *//p' | head -1)
  [ -n "$image" ] || fail "render-manifest printed no image name"
  repository=${image%:*}
  tag=${image##*:}

  # Two layers: the Debian root filesystem (changes with Debian's updates), then /opt/karp.
  make_rootfs "$work/rootfs" "$dist"
  mv "$work/rootfs/opt" "$work/app/opt"
  mkdir -p "$work/rootfs/opt"
  mv "$work/rootfs"/* "$work/base/"
  local base app
  base=$(layer "$work/base" "$work/base-layer")
  app=$(layer "$work/app" "$work/app-layer")
  set -- $base
  local base_diff=$1 base_size=$3
  local base_digest
  base_digest=$(blob "$work/base-layer.tar.gz" "$work/layout" | cut -d' ' -f1)
  set -- $app
  local app_diff=$1 app_size=$3
  local app_digest
  app_digest=$(blob "$work/app-layer.tar.gz" "$work/layout" | cut -d' ' -f1)

  arch=$(dpkg --print-architecture)
  created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
  revision=$(git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)
  runtime=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$dist/runtime/release")
  local packages
  packages=$(for f in "$work"/base/var/lib/dpkg/status.d/*; do
    printf '%s=%s ' "$(sed -n 's/^Package: //p' "$f")" "$(sed -n 's/^Version: //p' "$f")"; done)
  packages=${packages% }

  local labels
  labels=$(cat <<EOF
"org.opencontainers.image.title":"karp","org.opencontainers.image.description":"A UCarp-compatible floating IP (CARP) for Kubernetes control planes","org.opencontainers.image.version":"$tag","org.opencontainers.image.created":"$created","org.opencontainers.image.revision":"$revision","org.opencontainers.image.ref.name":"$tag","dev.karp.java.version":"$runtime","dev.karp.debian.packages":"$packages"
EOF
)
  printf '%s' "{\"architecture\":\"$arch\",\"os\":\"linux\",\"created\":\"$created\",\"config\":{\"Env\":[\"PATH=/opt/karp/bin:/usr/bin:/bin\"],\"Entrypoint\":[\"/opt/karp/bin/karp\"],\"Cmd\":[\"--help\"],\"WorkingDir\":\"/\",\"Labels\":{$labels}},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"$base_diff\",\"$app_diff\"]},\"history\":[{\"created\":\"$created\",\"created_by\":\"karp-cli/src/image/build-image.sh: Debian packages $packages\"},{\"created\":\"$created\",\"created_by\":\"karp-cli/src/image/build-image.sh: /opt/karp (karp $version)\"}]}" >"$work/config.json"
  local config config_digest config_size
  config=$(blob "$work/config.json" "$work/layout")
  config_digest=${config% *}
  config_size=${config#* }

  local lt=application/vnd.oci.image.layer.v1.tar+gzip
  printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"$config_digest\",\"size\":$config_size},\"layers\":[{\"mediaType\":\"$lt\",\"digest\":\"$base_digest\",\"size\":$base_size},{\"mediaType\":\"$lt\",\"digest\":\"$app_digest\",\"size\":$app_size}],\"annotations\":{\"org.opencontainers.image.created\":\"$created\",\"org.opencontainers.image.version\":\"$tag\"}}" >"$work/manifest.json"
  local manifest manifest_digest manifest_size
  manifest=$(blob "$work/manifest.json" "$work/layout")
  manifest_digest=${manifest% *}
  manifest_size=${manifest#* }

  # One manifest, two names: the version the manifests use, and latest.
  local entries="" t
  for t in "$tag" latest; do
    entries="$entries${entries:+,}{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$manifest_digest\",\"size\":$manifest_size,\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"},\"annotations\":{\"org.opencontainers.image.ref.name\":\"$t\",\"io.containerd.image.name\":\"$repository:$t\"}}"
  done
  printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[$entries]}" >"$work/layout/index.json"
  printf '%s' '{"imageLayoutVersion":"1.0.0"}' >"$work/layout/oci-layout"

  find "$work/layout" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  chmod -R u+rwX,go+rX,go-w "$work/layout"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$work/layout" -cf "$target/karp-oci.tar" oci-layout index.json blobs
  echo "karp image: $target/karp-oci.tar ($image and $repository:latest; layers $((base_size / 1024)) KB + \
$((app_size / 1024)) KB compressed; manifest $manifest_digest)"
}

case ${1:-} in
  oci) oci "$2" "$3" ;;
  rootfs) make_rootfs "$2" "$3" ;;
  *) fail "usage: build-image.sh oci TARGET_DIR VERSION | rootfs DIR DIST" ;;
esac
