#!/usr/bin/env bash
# Builds stand-ins for the images the Dockerfile and the compose stack name, without any image
# registry. Only needed where none is reachable; with one, the real images are pulled instead.
#
#   debian:bookworm-slim     a minimal Debian, debootstrapped from the apt mirror this machine uses
#   eclipse-temurin:<N>-jre  that Debian plus a jlink runtime from the local JDK 21+ (the Dockerfile's base)
#   nginx:1.22               that Debian plus apt's nginx-light (1.22, hence the tag): the compose `lb`
#   prom/prometheus:v2.42.0  that Debian plus apt's prometheus (2.42), laid out like the official image
#   postgres:15              that Debian plus apt's postgresql-15, with the official image's POSTGRES_* contract
#
#   docker/offline-images.sh            (needs: root, docker, debootstrap; a few minutes the first time)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_BIN=$(bin/java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ {print $2}')
FEATURE=$("$JAVA_BIN/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]}')
DEBIAN=debian:bookworm-slim
JRE=eclipse-temurin:${FEATURE}-jre
WORK=$(mktemp -d /tmp/asyncprod-images.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

present() { docker image inspect "$1" >/dev/null 2>&1 && echo "$1 is already present"; }

debian() {
  present "$DEBIAN" && return
  # The mirror apt itself uses for bookworm's main component (the one that answers here).
  local mirror
  mirror=$(apt-cache policy 2>/dev/null | awk '/ bookworm\/main / && $2 ~ /^http/ {print $2; exit}' || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  echo "debootstrap bookworm (minbase) from $mirror"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log"; exit 1; }
  rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
  tar -C "$WORK/rootfs" -c . | docker import -c 'CMD ["bash"]' - "$DEBIAN"
  rm -rf "$WORK/rootfs"
}

jre() {
  present "$JRE" && return
  echo "jlink runtime from $JAVA_BIN"
  # java.se plus what Netty, Micrometer and SQLite's driver reach for: a JRE's worth of modules.
  "$JAVA_BIN/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.management,jdk.crypto.ec,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --output "$WORK/jre/java"
  docker build --network host -q -f docker/standins/jre.Dockerfile -t "$JRE" "$WORK/jre"
}

from_apt() { # tag dockerfile
  present "$1" && return
  echo "building $1 from Debian's package"
  docker build --network host -q -f "$2" -t "$1" docker/standins
}

debian
jre
from_apt nginx:1.22 docker/standins/nginx.Dockerfile
from_apt prom/prometheus:v2.42.0 docker/standins/prometheus.Dockerfile
from_apt postgres:15 docker/standins/postgres.Dockerfile
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E "^($DEBIAN|$JRE|nginx:1.22|prom/prometheus:v2.42.0|postgres:15) "
