#!/usr/bin/env bash
# Whole-process depmod on Debian 13's kernel (6.12, 4,230 .ko.xz), autoprobe against kmod 34.2, in one
# hyperfine run. kmod 34 needs Debian 13's glibc, so it runs by chroot in the Debian 13 root that
# e2e/scripts/debian13-system.sh keeps (made by debootstrap on first use); both write into
# hard-linked copies of the module tree (the cached root is never written to). autoprobe writes
# kmod 34's layout (--kmod-layout 34); the files are compared after the run. Prints hyperfine's
# table; the ratio goes in docs/PERFORMANCE.md. Environment: RUNS (default 10), OUT (markdown export).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$here/../.."
eval "$("$top/e2e/scripts/debian13-system.sh" root | grep -E '^(root|kver)=')"
work="$(mktemp -d /var/tmp/depmod-xz-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp -al "$root" "$work/root"
mods="usr/lib/modules/$kver"
mkdir -p "$work/ours/lib/modules"
cp -al "$work/root/$mods" "$work/ours/lib/modules/"
mkdir -p "$work/empty-depmod.d"
[ -f "$top/cli/target/autoprobe-cli.jar" ] || (cd "$top" && mvn -q -B -DskipTests package)
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
hyperfine -N --warmup 2 --runs "${RUNS:-10}" --export-markdown "${OUT:-/dev/null}" \
  -n "kmod 34.2 depmod (chroot)" "chroot $work/root depmod $kver" \
  -n "autoprobe depmod" "$top/autoprobe depmod --kmod-layout 34 -C $work/empty-depmod.d -b $work/ours $kver"
for f in modules.dep modules.dep.bin modules.alias modules.alias.bin modules.softdep modules.weakdep modules.symbols \
  modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin modules.devname; do
  cmp -s "$work/root/$mods/$f" "$work/ours/lib/modules/$kver/$f" || { echo "compare-depmod-xz.sh: $f differs" >&2; exit 1; }
done
echo "every index file byte-equal to kmod 34's"
