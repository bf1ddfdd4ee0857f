# shellcheck shell=bash
# Sourced (bash) by guest.sh and debian13-system.sh: what their QEMU guests have in common.
#
#   choose_accel KERNEL     prints kvm or tcg: AUTOPROBE_E2E_ACCEL when set, else KVM only when it
#                           really runs a guest (a nested /dev/kvm may open and then hang): KERNEL is
#                           booted once with no root, which panics and exits at once under a working
#                           KVM. Remembered per host boot in /run/autoprobe-e2e-accel.
#   qemu_machine OUTDIR ACCEL
#                           sets the array qemu_machine_args: the machine of every e2e guest (accelerator
#                           and CPU model, AUTOPROBE_E2E_MEM MiB (default 2048), AUTOPROBE_E2E_CPUS CPUs
#                           (default 2), no default devices, no display or monitor, exit instead of
#                           reboot), its serial console in OUTDIR/serial.log and QMP on OUTDIR/qmp.sock.
#                           The emulated devices a test wants come after it, from AUTOPROBE_E2E_QEMU_ARGS.
#   run_guest_scripts NAME SCRIPT...
#                           the `run` subcommand of script NAME ($0): boots it once (`$0 boot OUTDIR`,
#                           within AUTOPROBE_E2E_TIMEOUT seconds, default 900), runs each SCRIPT in order,
#                           prints their stdout/stderr and exits with the last failing one's code

choose_accel() {
  local kernel="$1"
  if [ -n "${AUTOPROBE_E2E_ACCEL:-}" ]; then echo "$AUTOPROBE_E2E_ACCEL"; return; fi
  local memo=/run/autoprobe-e2e-accel a=tcg log
  if [ -f "$memo" ]; then cat "$memo"; return; fi
  if [ -c /dev/kvm ] && { exec 9<>/dev/kvm; } 2>/dev/null; then
    exec 9>&-
    log="$(mktemp)"
    if timeout 20 qemu-system-x86_64 -accel kvm -cpu host -m 256 -nodefaults -no-user-config -display none \
        -monitor none -no-reboot -serial "file:$log" -kernel "$kernel" -append "console=ttyS0 panic=-1" \
        >/dev/null 2>&1 && grep -q 'Kernel panic' "$log"; then
      a=kvm
    fi
    rm -f "$log"
  fi
  echo "$a" > "$memo" 2>/dev/null || true
  echo "$a"
}

qemu_machine() {
  local out="$1" accel="$2" cpu=()
  case "$accel" in
    kvm) cpu=(-accel kvm -cpu host) ;;
    tcg) cpu=(-accel tcg -cpu max) ;;
    *) echo "qemu-common.sh: accelerator must be kvm or tcg, not '$accel' (AUTOPROBE_E2E_ACCEL?)" >&2; return 1 ;;
  esac
  # shellcheck disable=SC2034 # for the caller
  qemu_machine_args=("${cpu[@]}" -m "${AUTOPROBE_E2E_MEM:-2048}" -smp "${AUTOPROBE_E2E_CPUS:-2}"
    -nodefaults -no-user-config -display none -monitor none -no-reboot
    -serial "file:$out/serial.log" -qmp "unix:$out/qmp.sock,server=on,wait=off")
}

run_guest_scripts() {
  local name="$1" out n=0 s rc=0
  shift
  [ $# -gt 0 ] || { echo "$name: usage: $name run SCRIPT..." >&2; exit 1; }
  for s in "$@"; do
    { [ -f "$s" ] && [ -r "$s" ]; } || { echo "$name: no readable script $s" >&2; exit 1; }
  done
  out="$(mktemp -d /tmp/autoprobe-e2e.XXXXXX)"
  mkdir -p "$out/req" "$out/res"
  for s in "$@"; do
    n=$((n + 1))
    cp "$s" "$out/req/$n.sh"
  done
  touch "$out/req/stop"
  timeout "${AUTOPROBE_E2E_TIMEOUT:-900}" "$0" boot "$out" || true
  for s in $(seq 1 "$n"); do
    if [ ! -f "$out/res/$s.rc" ]; then
      echo "$name: request $s gave no result (the guest's files: $out); serial log:" >&2
      cat "$out/serial.log" >&2 2>/dev/null || echo "(no serial log)" >&2
      exit 1
    fi
    cat "$out/res/$s.out"
    cat "$out/res/$s.err" >&2
    [ "$(cat "$out/res/$s.rc")" = 0 ] || rc="$(cat "$out/res/$s.rc")"
  done
  rm -rf "$out"
  exit "$rc"
}
