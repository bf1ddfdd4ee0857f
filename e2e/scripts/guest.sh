#!/usr/bin/env bash
# Boots Debian's current kernel (the package linux-image-amd64 depends on) in QEMU with this
# machine's root as the guest's root (9p, read-only, under a tmpfs overlay) and the kernel's own
# modules at /lib/modules/<kver>. Installs what it needs; caches the module tree (depmod'ed) and
# the initramfs, rebuilt only when their inputs change.
#
#   guest.sh prepare            prints kernel=, initrd=, kver=, moddir=, accel= lines
#   guest.sh boot OUTDIR [KERNEL-ARG...]
#                               runs QEMU in the foreground (exec); the guest runs OUTDIR/req/<n>.sh
#                               in order and writes OUTDIR/res/<n>.{out,err,rc}; OUTDIR/req/stop
#                               ends it. Serial console: OUTDIR/serial.log; QMP: OUTDIR/qmp.sock.
#                               Extra QEMU arguments: AUTOPROBE_E2E_QEMU_ARGS (word-split).
#                               State that outlives the guest: AUTOPROBE_E2E_STATE_DIR=HOSTDIR (made
#                               if missing) is shared read-write (9p tag "state", at PCI slot 0x1f so
#                               that it moves no other device) and the guest's /var/lib/autoprobe and
#                               /var/cache/autoprobe are its lib/ and cache/ (kernel argument e2e_state=1).
#   guest.sh run SCRIPT...      boots, runs each SCRIPT (bash, as root, in the guest), prints its
#                               stdout/stderr, powers off; exit code: the last failing script's
#
# Environment: AUTOPROBE_E2E_CACHE (default /var/cache/autoprobe-test/e2e), AUTOPROBE_E2E_ACCEL
# (kvm|tcg; default kvm when /dev/kvm can be opened), AUTOPROBE_E2E_MEM (MiB, default 2048),
# AUTOPROBE_E2E_CPUS (default 2), AUTOPROBE_E2E_TIMEOUT (seconds for `run`, default 900).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${AUTOPROBE_E2E_CACHE:-/var/cache/autoprobe-test/e2e}"
# shellcheck source=qemu-common.sh
. "$here/qemu-common.sh"

die() { echo "guest.sh: $*" >&2; exit 1; }

ensure_tools() {
  local need=()
  command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
  dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
  command -v cpio >/dev/null 2>&1 || need+=(cpio)
  command -v depmod >/dev/null 2>&1 || need+=(kmod)
  # systemd-udevd: the reference the autoloading tests compare autoprobe's daemon with (guests see this root)
  [ -x /lib/systemd/systemd-udevd ] || need+=(udev)
  if [ ${#need[@]} -gt 0 ]; then
    echo "guest.sh: installing ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } \
      || die "apt-get install ${need[*]} failed"
  fi
}

# The depmod'ed copy of the kernel's modules: $dir/modroot/lib/modules/$kver
prepare_modules() {
  local src="$1/lib/modules/$kver" dst="$dir/modroot/lib/modules/$kver"
  [ -f "$dst/modules.dep.bin" ] && return 0
  local tmp
  tmp="$(mktemp -d "$dir/.modroot.XXXXXX")"
  mkdir -p "$tmp/lib/modules"
  cp -al "$src" "$tmp/lib/modules/" 2>/dev/null || cp -a "$src" "$tmp/lib/modules/"
  depmod -b "$tmp" "$kver" || die "depmod -b $tmp $kver failed"
  rm -rf "$dir/modroot"
  mv "$tmp" "$dir/modroot"
}

# The modules the initramfs loads, in load order (kmod's own --show-depends, duplicates dropped)
initramfs_modules() {
  local m
  for m in virtio_pci 9pnet_virtio 9p overlay; do
    modprobe -d "$dir/modroot" -S "$kver" --show-depends "$m" || die "modprobe --show-depends $m failed"
  done | awk '$1 == "insmod" && !seen[$2]++ {print $2}'
}

prepare_initramfs() {
  local mods key
  mods="$(initramfs_modules)"
  [ -n "$mods" ] || die "no modules for the initramfs"
  key="$( { echo "$kver"; sha256sum "$here/guest-init.sh" "$here/guest-serve.sh" /bin/busybox | cut -d' ' -f1
            for m in $mods; do sha256sum "$m" | cut -d' ' -f1; done; } | sha256sum | cut -c1-16)"
  initrd="$dir/initramfs-$key.cpio.gz"
  [ -f "$initrd" ] && return 0
  local tmp
  tmp="$(mktemp -d "$dir/.initramfs.XXXXXX")"
  mkdir -p "$tmp/bin" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/modules"
  cp /bin/busybox "$tmp/bin/busybox"
  install -m 0755 "$here/guest-init.sh" "$tmp/init"
  install -m 0644 "$here/guest-serve.sh" "$tmp/guest-serve.sh"
  for m in $mods; do
    cp "$m" "$tmp/modules/"
    basename "$m" >> "$tmp/modules/order"
  done
  (cd "$tmp" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -6 > "$dir/.initrd.tmp")
  # other checkouts may use another init script: drop only images unused for a week
  find "$dir" -maxdepth 1 -name 'initramfs-*.cpio.gz' -mtime +7 -delete
  mv "$dir/.initrd.tmp" "$initrd"
  rm -rf "$tmp"
}

prepare() {
  ensure_tools
  local tree root
  tree="$("$repo/bench/scripts/kernel-tree.sh")" || die "kernel-tree.sh failed"
  root="${tree% *}"
  kver="${tree##* }"
  dir="$cache/$(basename "$(dirname "$root")")"
  mkdir -p "$dir"
  exec 8>"$dir/.lock"
  flock 8
  prepare_modules "$root"
  prepare_initramfs
  exec 8>&-
  kernel="$root/boot/vmlinuz-$kver"
  [ -f "$kernel" ] || die "no kernel image at $kernel"
  moddir="$dir/modroot/lib/modules/$kver"
  accel="$(choose_accel "$kernel")"
}

boot() {
  local out="$1"; shift
  [ -d "$out" ] || die "no directory $out"
  out="$(cd "$out" && pwd)"
  prepare
  mkdir -p "$out/req" "$out/res"
  local state=() state_arg=()
  if [ -n "${AUTOPROBE_E2E_STATE_DIR:-}" ]; then
    mkdir -p "$AUTOPROBE_E2E_STATE_DIR/lib" "$AUTOPROBE_E2E_STATE_DIR/cache" || die "cannot make $AUTOPROBE_E2E_STATE_DIR"
    local sd
    sd="$(cd "$AUTOPROBE_E2E_STATE_DIR" && pwd)"
    case "$sd" in *,*) die "the state directory's path has a comma (QEMU's option separator): $sd" ;; esac
    # an explicit slot: an automatic one would move every device given after it
    state=(-fsdev "local,id=statefs,path=$sd,security_model=none"
           -device "virtio-9p-pci,fsdev=statefs,mount_tag=state,addr=0x1f")
    state_arg=(e2e_state=1)
  fi
  qemu_machine "$out" "$accel" || exit 1
  # shellcheck disable=SC2086
  exec qemu-system-x86_64 "${qemu_machine_args[@]}" \
    -kernel "$kernel" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 e2e_kver=$kver e2e_moddir=$moddir e2e_repo=$repo ${state_arg[*]} $*" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$repo,mount_tag=repo,security_model=none,readonly=on,multidevs=remap" \
    -virtfs "local,path=$out,mount_tag=out,security_model=none" \
    "${state[@]}" \
    ${AUTOPROBE_E2E_QEMU_ARGS:-}
}


case "${1:-}" in
  prepare)
    prepare
    printf 'kernel=%s\ninitrd=%s\nkver=%s\nmoddir=%s\naccel=%s\n' "$kernel" "$initrd" "$kver" "$moddir" "$accel" ;;
  boot) shift; [ $# -ge 1 ] || die "usage: guest.sh boot OUTDIR [KERNEL-ARG...]"; boot "$@" ;;
  run) shift; run_guest_scripts guest.sh "$@" ;;
  *) die "usage: guest.sh prepare | boot OUTDIR [KERNEL-ARG...] | run SCRIPT..." ;;
esac
