#!/usr/bin/env bash
# Issue 11's race, with more rounds than CI runs: ColdplugE2EIT's boot race (e2e module, QEMU guests,
# TCG unless AUTOPROBE_E2E_ACCEL/guest.sh find a working KVM). A fresh state directory (the guests'
# /var/lib/autoprobe and /var/cache/autoprobe); first the package's installation in a guest (udevd's
# coldplug, then `--build-class-data daemon` and `coldplug --dry-run --write-boot-plan`, as the
# maintainer script does); boot 0 = autoprobe's first boot after it, reported, not counted; then
# ROUNDS rounds of one systemd-udevd boot and one
# autoprobe boot (`autoprobe daemon` through the launcher as the unit starts it, SIGTERM at the end).
# Each boot: t0 = the loader's start, a monitor polls /proc/modules every 0.2 s with shell builtins,
# first/last = the first and last change of the module list, taken once it has held for 10 s.
# Prints every boot's first/last, the medians and median(autoprobe last)/median(udevd last); fails
# only when a boot is wrong (autoprobe's end state is not udevd's, or one of its boots did not use a
# boot plan), never on a time.
#
#   boot-race.sh [ROUNDS (default 5)]        full Maven output: /tmp/boot-race.XXXXXX.log
#   BOOT_RACE_MVN_ARGS="-o" boot-race.sh ...  more Maven arguments (e.g. offline)
#   BOOT_RACE_PROPS="-Dautoprobe.race.noClassData=true" boot-race.sh ...  the installation builds no
#                                            class data: boot 0 records it from a real start, as
#                                            before the installation step existed (an A/B of the two)
#   BOOT_RACE_JAVA_OPTS="-D..." boot-race.sh ...  AUTOPROBE_JAVA_OPTS for the installation's class data
#                                            and the daemon's boots, e.g. the boot plan's debug lines:
#                                            -Dorg.slf4j.simpleLogger.log.org.autoprobe.daemon.bootplan=debug
#                                            (each boot's daemon log: e2e/target/.../guest-*/daemon.log)
#
# Cost under TCG on a shared 2-core host: a guest boot takes about 1 minute (QEMU start, the loader,
# the 10 s hold, reading the end state, power-off), a round (two boots) about 2 minutes; ROUNDS=5 (11
# boots) took 10 min 34 s with an up-to-date build. ColdplugE2EIT's other tests are not run.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
rounds="${1:-5}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "boot-race.sh: ROUNDS must be a positive number, not '$rounds'" >&2; exit 1; }
log="$(mktemp /tmp/boot-race.XXXXXX.log)"
echo "boot-race.sh: $rounds round(s); Maven's output in $log" >&2
rc=0
# shellcheck disable=SC2086 # BOOT_RACE_MVN_ARGS is word-split on purpose
(cd "$repo" && mvn -B ${BOOT_RACE_MVN_ARGS:-} -Pconformance -pl e2e -am verify \
  -Dit.test='ColdplugE2EIT#daemonRacesSystemdUdevdAcrossBootsWithItsBootPlan' \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dautoprobe.race.rounds="$rounds" -Dautoprobe.race.javaOpts="${BOOT_RACE_JAVA_OPTS:-}" ${BOOT_RACE_PROPS:-}) > "$log" 2>&1 || rc=$?
# the per-boot lines as they came, then the table
grep -E '^ColdplugE2EIT: race ' "$log" || true
sed -n "/^ColdplugE2EIT: issue 11's race/,/ratio median/p" "$log"
if [ "$rc" != 0 ]; then
  echo "boot-race.sh: the run failed (exit $rc); see $log" >&2
  grep -E '^\[ERROR\]' "$log" | head -n 40 >&2 || true
fi
exit "$rc"
