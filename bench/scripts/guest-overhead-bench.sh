#!/usr/bin/env bash
# Issue 3's in-process overhead over the raw module system calls, measured on a real kernel: boots
# Debian's current kernel in QEMU (e2e/scripts/guest.sh) and runs org.autoprobe.bench.load.LoadPlanOverhead
# there, as root, in one JVM: modprobe MODULE / modprobe -r MODULE through core's loader, round after
# round, with finit_module/init_module/delete_module timed by a decorator. Prints the figures.
# Usage: guest-overhead-bench.sh [MODULE (default snd-hda-intel)] [WARMUP (default 5)] [ROUNDS (default 20)]
# Environment: JAVA_OPTS (extra JVM options in the guest), and guest.sh's AUTOPROBE_E2E_* variables.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
module="${1:-snd-hda-intel}"
warmup="${2:-5}"
rounds="${3:-20}"
[[ "$warmup" =~ ^[0-9]+$ ]] || { echo "guest-overhead-bench.sh: WARMUP must be a number" >&2; exit 1; }
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "guest-overhead-bench.sh: ROUNDS must be a positive number" >&2; exit 1; }
[[ "$module" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "guest-overhead-bench.sh: bad module name '$module'" >&2; exit 1; }
jar="$repo/bench/target/benchmarks.jar"
# (re)build when the jar is missing or older than any source it is made of
if [ ! -f "$jar" ] || [ -n "$(find "$repo"/core/src/main "$repo"/rules/src/main "$repo"/cli/src/main "$repo"/bench/src/main \
      "$repo"/pom.xml "$repo"/*/pom.xml -newer "$jar" -print -quit)" ]; then
  echo "guest-overhead-bench.sh: building bench/target/benchmarks.jar" >&2
  (cd "$repo" && mvn -q -B -DskipTests -pl bench -am package)
fi
script="$(mktemp /tmp/guest-overhead.XXXXXX.sh)"
trap 'rm -f "$script"' EXIT
cat > "$script" <<EOF
set -euo pipefail
echo "guest: \$(uname -r), \$(nproc) CPUs, \$(awk '/MemTotal/ {print int(\$2 / 1024)}' /proc/meminfo) MiB"
exec java ${JAVA_OPTS:-} -cp '$jar' org.autoprobe.bench.load.LoadPlanOverhead '$module' $warmup $rounds
EOF
accel="$("$repo/e2e/scripts/guest.sh" prepare | sed -n 's/^accel=//p')"
echo "guest accel: $accel, $(nproc) host CPUs, host load $(cut -d' ' -f1-3 /proc/loadavg)"
"$repo/e2e/scripts/guest.sh" run "$script"
