#!/usr/bin/env bash
# Whole-process depmod, autoprobe against kmod, on Debian's real module tree, in one hyperfine run.
# Prints hyperfine's table; the ratio goes in docs/PERFORMANCE.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$here/../.."
read -r root kver < <("$here/kernel-tree.sh")
work="$(mktemp -d /tmp/depmod-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/kmod" "$work/ours"
cp -al "$root/lib" "$work/kmod/lib"
cp -al "$root/lib" "$work/ours/lib"
[ -f "$top/cli/target/autoprobe-cli.jar" ] || (cd "$top" && mvn -q -B -DskipTests package)
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
hyperfine -N --warmup 3 --runs "${RUNS:-20}" --export-markdown "${OUT:-/dev/null}" \
  -n "kmod depmod" "depmod -b $work/kmod $kver" \
  -n "autoprobe depmod" "$top/autoprobe depmod -b $work/ours $kver"
