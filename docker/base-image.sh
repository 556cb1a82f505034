#!/usr/bin/env bash
# Builds a stand-in for the Dockerfile's base image without any image registry: a minimal Debian
# (debootstrap from the apt mirror this machine uses) plus a jlink runtime from the local JDK 21+,
# imported and tagged as eclipse-temurin:<feature>-jre, the tag docker/Dockerfile expects.
# Only needed where no registry is reachable; with one, the real image is pulled instead.
#
#   docker/base-image.sh            (needs: root, docker, debootstrap; about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_BIN=$(bin/java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.home/ {print $2}')
FEATURE=$("$JAVA_BIN/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]}')
TAG=${1:-eclipse-temurin:${FEATURE}-jre}
if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "$TAG is already present"; exit 0
fi
# The mirror apt itself uses for bookworm's main component (the one that answers here).
MIRROR=$(apt-cache policy 2>/dev/null | awk '/ bookworm\/main / && $2 ~ /^http/ {print $2; exit}' || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
WORK=$(mktemp -d /tmp/asyncprod-base.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

echo "debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -20 "$WORK/debootstrap.log"; exit 1; }
rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*

echo "jlink runtime from $JAVA_BIN"
# java.se plus what Netty, Micrometer and SQLite's driver reach for: a JRE's worth of modules.
"$JAVA_BIN/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.management,jdk.crypto.ec,jdk.zipfs \
  --strip-debug --no-header-files --no-man-pages --output "$WORK/rootfs/opt/java"

tar -C "$WORK/rootfs" -c . | docker import \
  -c 'ENV JAVA_HOME=/opt/java' \
  -c 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'CMD ["bash"]' - "$TAG"
docker image ls "$TAG"
