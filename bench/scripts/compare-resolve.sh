#!/usr/bin/env bash
# Whole-process alias resolution on Debian's real module tree: `autoprobe resolve -` against a small C
# program through libkmod (bench/src/main/c/kmod-resolve.c, kmod_module_new_from_lookup per line),
# both reading the same corpus on stdin, in one hyperfine run per corpus; prints the ratio.
#
# Corpora (made with the conformance suite's generator, AliasCorpus, from the tree's own indexes):
#   base      the conformance corpus (default seed): ~6,300 distinct lines
#   repeated  the base corpus REPEAT times over (default 8: ~50,000 lines, ~6,300 distinct), as a
#             fleet's or a coldplug's lookups repeat
#   distinct  the corpora of seeds 1, 2, ... merged, duplicates dropped, until DISTINCT lines
#             (default 50,000): every line new, nothing for a cache to reuse
# Env: RUNS (default 10), REPEAT, DISTINCT, OUT (markdown export prefix; default none).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(cd "$here/../.." && pwd)"
read -r root kver < <("$here/kernel-tree.sh")
work="$(mktemp -d /tmp/resolve-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
command -v gcc >/dev/null || apt-get install -y -qq gcc >/dev/null
[ -f /usr/include/libkmod.h ] || apt-get install -y -qq libkmod-dev >/dev/null

# The tree with kmod's index files (the fixture has none).
cp -al "$root/lib" "$work/lib"
depmod -b "$work" "$kver"
moddir="$work/lib/modules/$kver"
gcc -O2 -D_GNU_SOURCE -o "$work/kmod-resolve" "$top/bench/src/main/c/kmod-resolve.c" -lkmod

[ -f "$top/cli/target/autoprobe-cli.jar" ] || (cd "$top" && mvn -q -B -DskipTests package)
[ -f "$top/cli/target/test-classes/org/autoprobe/cli/conformance/AliasCorpus.class" ] \
  || (cd "$top" && mvn -q -B -pl cli -am test-compile)
corpus() { # seed out
  java -cp "$top/cli/target/test-classes:$top/cli/target/autoprobe-cli.jar:$top/cli/target/lib/*" \
    org.autoprobe.cli.conformance.AliasCorpus "$moddir" "$2" ${1:+"$1"} >/dev/null
}
corpus "" "$work/base.txt"
for _ in $(seq "${REPEAT:-8}"); do cat "$work/base.txt"; done > "$work/repeated.txt"
: > "$work/distinct.txt"
seed=1
while [ "$(wc -l < "$work/distinct.txt")" -lt "${DISTINCT:-50000}" ]; do
  corpus "$seed" "$work/seed.txt"
  cat "$work/distinct.txt" "$work/seed.txt" | awk '!seen[$0]++' > "$work/merged.txt"
  mv "$work/merged.txt" "$work/distinct.txt"
  seed=$((seed + 1))
done
head -n "${DISTINCT:-50000}" "$work/distinct.txt" > "$work/merged.txt" && mv "$work/merged.txt" "$work/distinct.txt"

kmod="$work/kmod-resolve -d $work -S $kver"
ours="$top/autoprobe resolve -d $work -S $kver -"
for name in base repeated distinct; do
  c="$work/$name.txt"
  # Same bytes out, or the timing means nothing (this also writes autoprobe's CDS archive once).
  $kmod < "$c" > "$work/kmod.out" 2>/dev/null
  $ours < "$c" > "$work/ours.out"
  if ! cmp -s "$work/kmod.out" "$work/ours.out"; then
    echo "compare-resolve.sh: outputs differ on the $name corpus" >&2
    exit 1
  fi
  echo "== $name corpus: $(wc -l < "$c") lines, $(sort -u "$c" | wc -l) distinct"
  hyperfine --warmup 2 --runs "${RUNS:-10}" --export-json "$work/$name.json" \
    ${OUT:+--export-markdown "$OUT-$name.md"} \
    -n "kmod-resolve (libkmod)" "$kmod < $c > /dev/null 2>&1" \
    -n "autoprobe resolve" "$ours < $c > /dev/null" \
    -n "autoprobe resolve, no CDS" "AUTOPROBE_CDS=0 $ours < $c > /dev/null"
  python3 - "$work/$name.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
k, o, n = (x["mean"] for x in r)
km, om = (x["median"] for x in r[:2])
print(f"ratio autoprobe/kmod: {o / k:.2f} (means), {om / km:.2f} (medians); without CDS {n / k:.2f}")
EOF
done
