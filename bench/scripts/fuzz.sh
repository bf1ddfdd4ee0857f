#!/usr/bin/env bash
# Fuzzes every Jazzer target (*FuzzTest) in turn, each for a time budget.
#
# Usage: bench/scripts/fuzz.sh [FILTER]
#   FILTER            only targets whose "module:Class#method" contains it (e.g. "uevent", "core:")
#   FUZZ_SECONDS      budget per target (default 60)
#   FUZZ_TIMEOUT      seconds one input may take before it counts as a hang (default 10)
#   FUZZ_REAL_TREE    modules directory to take a few real .ko files from as extra seeds (default: the
#                     cached Debian tree of the conformance suite, /var/cache/autoprobe-test/fixture, if present)
#
# Each target runs as `JAZZER_FUZZ=1 mvn test -Dtest=Class#method` (Jazzer fuzzes one test per JVM).
# Its working corpus is target/fuzz-corpus/<Class>/<method> of its module, seeded from the committed
# inputs (src/test/resources/<package>/<Class>Inputs/<method>/, which `mvn test` replays); a crashing
# input is written by Jazzer into that committed inputs directory, so that once the bug is fixed it
# stays as a regression test. The summary at the end gives each target's executions and result.
# Nothing is written outside the modules' target/ directories except those crash files.
set -uo pipefail

cd "$(dirname "$0")/../.."
root="$PWD"
budget="${FUZZ_SECONDS:-60}"
timeout="${FUZZ_TIMEOUT:-10}"
filter="${1:-}"

targets=(
  "core:org.autoprobe.core.elf.ModuleReaderFuzzTest#moduleBytes"
  "core:org.autoprobe.core.elf.ModuleReaderFuzzTest#compressedModule"
  "core:org.autoprobe.core.index.trie.TrieReaderFuzzTest#searchAnyIndex"
  "core:org.autoprobe.core.index.BinModuleDatabaseFuzzTest#lookUpAnyKeyInAnyIndex"
  "netlink:org.autoprobe.netlink.uevent.UeventParserFuzzTest#parseDatagram"
  "netlink:org.autoprobe.netlink.uevent.UeventParserFuzzTest#intakeDatagram"
  "rules:org.autoprobe.rules.modprobe.ModprobeConfigFuzzTest#modprobeD"
  "rules:org.autoprobe.rules.modprobe.ModprobeConfigFuzzTest#kernelCommandLine"
  "rules:org.autoprobe.rules.depmod.DepmodConfigFuzzTest#depmodD"
  "rules:org.autoprobe.rules.udev.UdevRulesFuzzTest#parseAndEvaluate"
  "daemon:org.autoprobe.daemon.control.ControlRequestFuzzTest#decodeRequestBytes"
  "daemon:org.autoprobe.daemon.control.ControlRequestFuzzTest#parseRequestLine"
)

# a few small real modules (signed, as Debian ships them) for the ELF targets
real_tree="${FUZZ_REAL_TREE:-}"
if [ -z "$real_tree" ]; then
  real_tree="$(ls -d "${AUTOPROBE_TEST_CACHE:-/var/cache/autoprobe-test/fixture}"/linux-image-*/root/lib/modules/* 2>/dev/null | head -n 1)"
fi

seed_real_modules() { # $1: corpus directory; $2: method
  [ -n "$real_tree" ] && [ -d "$real_tree" ] || return 0
  local ko n=0
  while IFS= read -r ko; do
    n=$((n + 1))
    if [ "$2" = compressedModule ]; then
      { printf '\001'; cat "$ko"; } >"$1/real-$n"     # zstd around the real module
    else
      cp "$ko" "$1/real-$n.ko"
      if [ "$n" = 1 ] && command -v xz >/dev/null; then xz -0 -c "$ko" >"$1/real-$n.ko.xz"; fi
      if [ "$n" = 1 ] && command -v gzip >/dev/null; then gzip -c "$ko" >"$1/real-$n.ko.gz"; fi
    fi
  done < <(find "$real_tree" -name '*.ko' -size -12k 2>/dev/null | sort | head -n 4)
}

declare -a summary
failed=0
start_all=$(date +%s)
for t in "${targets[@]}"; do
  [ -z "$filter" ] || [[ "$t" == *"$filter"* ]] || continue
  module="${t%%:*}"; test="${t#*:}"; class="${test%#*}"; method="${test#*#}"
  simple="${class##*.}"
  corpus="$root/$module/target/fuzz-corpus/$simple/$method"
  inputs="$root/$module/src/test/resources/$(echo "${class%.*}" | tr . /)/${simple}Inputs/$method"
  mkdir -p "$corpus"
  [ -d "$inputs" ] && cp -n "$inputs"/* "$corpus"/ 2>/dev/null
  case "$simple" in ModuleReaderFuzzTest) seed_real_modules "$corpus" "$method" ;; esac
  log="$root/$module/target/fuzz-$simple-$method.log"
  echo "== $module $simple#$method: ${budget}s (log: ${log#"$root"/})"
  t0=$(date +%s)
  JAZZER_FUZZ=1 mvn -B -q -pl "$module" -am test \
    -Dtest="$simple#$method" -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true \
    -Djazzer.hooks=true \
    -Djazzer.internal.arg.0=fuzz \
    -Djazzer.internal.arg.1="-max_total_time=$budget" \
    -Djazzer.internal.arg.2="-timeout=$timeout" \
    -Djazzer.internal.arg.3="-print_final_stats=1" \
    -Djazzer.internal.arg.4="$corpus" \
    >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - t0 ))
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$')"
  if [ $rc -eq 0 ]; then result=ok; else result=FAILED; failed=1; fi
  summary+=("$(printf '%-8s %-28s %-24s %6ss %10s execs  %s' "$module" "$simple" "$method" "$secs" "${execs:-?}" "$result")")
  if [ $rc -ne 0 ]; then
    grep -E '== Java Exception|FuzzerSecurityIssue|AssertionFailedError|Exception:|crash-|timeout-|Test unit written' "$log" | head -n 15
  fi
done

echo
echo "target results (wall time includes the Maven build of the module):"
printf '%s\n' "${summary[@]}"
echo "total: $(( $(date +%s) - start_all ))s"
exit $failed
