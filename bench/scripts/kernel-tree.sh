#!/usr/bin/env bash
# The one way to get Debian's kernel module tree for tests, benchmarks and the e2e guest: the
# current kernel image package (the one linux-image-amd64 depends on), downloaded with apt and
# extracted once into a cache. Used by bench (KernelTree, compare-depmod.sh), e2e (guest.sh) and
# cli's conformance tests (conformance/KernelTree.java runs this script).
# Usage: kernel-tree.sh   -> prints "<root> <kver>" (modules at <root>/lib/modules/<kver>)
# Cache: $AUTOPROBE_TEST_CACHE, else /var/cache/autoprobe-test/fixture: the .deb in <cache>/debs,
# extracted to <cache>/<package>/root through a temporary directory renamed into place (a
# half-extracted tree is never used). Offline, a cached tree is enough (apt-cache reads the local
# package lists). Diagnostics go to stderr; stdout carries only the answer.
set -euo pipefail
die() { echo "kernel-tree.sh: $*" >&2; exit 1; }
cache="${AUTOPROBE_TEST_CACHE:-/var/cache/autoprobe-test/fixture}"
pkg="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')"
[ -n "$pkg" ] || die "cannot find the package linux-image-amd64 depends on (is the package list current? apt-get update)"
dir="$cache/$pkg"
if [ ! -d "$dir/root/lib/modules" ]; then
  mkdir -p "$cache/debs" "$dir"
  find_deb() { find "$cache/debs" -maxdepth 1 -name "${pkg}_*.deb" | sort | head -n 1; }
  deb="$(find_deb)"
  if [ -z "$deb" ]; then
    (cd "$cache/debs" && apt-get download "$pkg") >&2 || die "apt-get download $pkg failed"
    deb="$(find_deb)"
    [ -n "$deb" ] || die "apt-get download $pkg succeeded but no ${pkg}_*.deb is in $cache/debs"
  fi
  tmp="$(mktemp -d "$dir/extract.tmp-XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  dpkg -x "$deb" "$tmp" >&2 || die "dpkg -x $deb failed"
  # a concurrent extraction may have won the rename: then its tree is used
  mv -T "$tmp" "$dir/root" 2>/dev/null || [ -d "$dir/root/lib/modules" ] || die "cannot move the extracted tree to $dir/root"
fi
mapfile -t kvers < <(find "$dir/root/lib/modules" -mindepth 1 -maxdepth 1 -type d -printf '%f\n')
[ "${#kvers[@]}" -eq 1 ] || die "expected exactly one kernel version under $dir/root/lib/modules, found: ${kvers[*]:-none}"
echo "$dir/root ${kvers[0]}"
