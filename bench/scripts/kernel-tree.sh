#!/usr/bin/env bash
# Prints the path of an extracted copy of Debian's current kernel image package (the one
# linux-image-amd64 depends on), downloading and extracting it once into a cache.
# Usage: kernel-tree.sh   -> prints "<root> <kver>" (modules at <root>/lib/modules/<kver>)
set -euo pipefail
cache="${AUTOPROBE_TEST_CACHE:-/var/cache/autoprobe-test/fixture}"
pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
if [ -z "$pkg" ]; then
  echo "kernel-tree.sh: cannot find the package linux-image-amd64 depends on (apt-get update?)" >&2
  exit 1
fi
dir="$cache/$pkg"
if [ ! -d "$dir/root/lib/modules" ]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/.tmp.XXXXXX")"
  (cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1) || { echo "kernel-tree.sh: apt-get download $pkg failed" >&2; exit 1; }
  mkdir -p "$tmp/root"
  dpkg -x "$tmp"/*.deb "$tmp/root"
  rm -f "$tmp"/*.deb
  rm -rf "$dir"
  mv "$tmp" "$dir"
fi
kver="$(ls "$dir/root/lib/modules" | head -n 1)"
echo "$dir/root $kver"
