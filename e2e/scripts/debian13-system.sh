#!/usr/bin/env bash
# A real Debian 13 ("trixie") system in QEMU: a root made by debootstrap from Debian's archive,
# booted from its own disk (ext4 on /dev/vda, virtio) with Debian 13's own kernel and initramfs and
# systemd as PID 1, as users run it. A systemd unit in it (e2e-agent.service, debian13-agent.sh)
# serves the host's scripts as the busybox guest of guest.sh does: OUTDIR/req/<n>.sh in order, by
# bash as root, results in OUTDIR/res/<n>.{out,err,rc}, OUTDIR/req/stop powers it off.
#
#   debian13-system.sh prepare  builds what is missing or out of date (see "Cache") and prints
#                               kernel=, initrd=, image=, kver=, root=, accel= lines
#   debian13-system.sh root     the root alone (made if missing), for chroot: prints root=, kver= lines
#   debian13-system.sh boot OUTDIR [KERNEL-ARG...]
#                               runs QEMU in the foreground (exec): the image under a copy-on-write
#                               overlay (OUTDIR/disk.qcow2, made afresh: every boot starts from the
#                               pristine image), kernel arguments "root=/dev/vda rw console=ttyS0
#                               panic=-1" and KERNEL-ARGs, OUTDIR shared over 9p (tag "e2e", the
#                               guest's /e2e). Serial console: OUTDIR/serial.log; QMP: OUTDIR/qmp.sock.
#                               The machine is guest.sh's (qemu-common.sh); the emulated devices come
#                               from AUTOPROBE_E2E_QEMU_ARGS (word-split), after the disk and the share.
#                               State that outlives the guest: AUTOPROBE_E2E_DISK=FILE is the overlay
#                               instead (made when missing, kept afterwards: install a package, power
#                               off, boot again with the same FILE). A FILE made on an older image is
#                               refused: delete it.
#   debian13-system.sh run SCRIPT...
#                               boots, runs each SCRIPT (bash, as root, in the guest), prints its
#                               stdout/stderr, powers off; exit code: the last failing script's
#
# Cache: ${AUTOPROBE_E2E_CACHE:-/var/cache/autoprobe-test/e2e}/debian13/
#   root/         the Debian 13 root (debootstrap --variant=minbase, the packages below), configured
#                 for the guest; chroot into it to run trixie's tools (mount /proc in it for a JVM,
#                 and unmount it again: prepare refuses to touch a root with anything mounted in it).
#                 Treat it as read-only: prepare makes the image from it.
#   image-KEY/    disk.raw (ext4, sparse; made by mke2fs -d, no loop mount), vmlinuz, initrd.img
# The root is made again when the package list changes (or AUTOPROBE_E2E_DEBIAN13_REFRESH=1: new
# packages from the archive), configured again and imaged when configure_root or the agent changes.
#
# Environment: AUTOPROBE_E2E_CACHE, AUTOPROBE_E2E_DEBIAN_MIRROR (default http://deb.debian.org/debian),
# AUTOPROBE_E2E_DEBIAN13_REFRESH=1, AUTOPROBE_E2E_DISK, AUTOPROBE_E2E_QEMU_ARGS, AUTOPROBE_E2E_ACCEL
# (kvm|tcg; default kvm when a probe boot shows it works), AUTOPROBE_E2E_MEM (MiB, default 2048),
# AUTOPROBE_E2E_CPUS (default 2), AUTOPROBE_E2E_TIMEOUT (seconds for `run`, default 900).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cache="${AUTOPROBE_E2E_CACHE:-/var/cache/autoprobe-test/e2e}"
dir="$cache/debian13"
root="$dir/root"
suite=trixie
mirror="${AUTOPROBE_E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# shellcheck source=qemu-common.sh
. "$here/qemu-common.sh"

# What the root holds beyond minbase: init and udev (systemd as PID 1), the system bus (systemd's
# first Recommends: with it logind runs, as on an installed system), kmod, Debian 13's kernel and
# the initramfs tools (zstd: their default compression), e2fsprogs (fsck of / at boot), the Java
# runtimes the package can run on (it depends on java17-runtime-headless) and the rest of its
# dependencies (init-system-helpers), procps and iproute2 for the tests. No Recommends otherwise
# (debootstrap installs none): no AppArmor, timesyncd, cron or network configuration.
packages=(systemd systemd-sysv udev dbus kmod linux-image-amd64 initramfs-tools zstd e2fsprogs
  openjdk-21-jre-headless openjdk-25-jre-headless init-system-helpers procps iproute2)

die() { echo "debian13-system.sh: $*" >&2; exit 1; }
say() { echo "debian13-system.sh: $*" >&2; }

ensure_tools() {
  local need=()
  command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
  command -v qemu-img >/dev/null 2>&1 || need+=(qemu-utils)
  command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
  command -v mke2fs >/dev/null 2>&1 || need+=(e2fsprogs)
  if [ ${#need[@]} -gt 0 ]; then
    say "installing ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } \
      || die "apt-get install ${need[*]} failed"
  fi
  [ -f /usr/share/debootstrap/scripts/$suite ] || die "this debootstrap does not know $suite (upgrade debootstrap)"
}

# What is mounted at or below $1 (the deepest first)
mounts_under() {
  findmnt -rn -o TARGET | awk -v d="$1" '$0 == d || index($0, d "/") == 1' | sort -r
}

refuse_mounts() {
  local m
  m="$(mounts_under "$1")"
  [ -z "$m" ] || die "something is mounted in $1 (unmount it first): $(echo "$m" | tr '\n' ' ')"
}

# In the root, as root, with a clean environment
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

base_key() {
  { echo "$suite minbase"; printf '%s\n' "${packages[@]}" | LC_ALL=C sort; } | sha256sum | cut -c1-16
}

# debootstrap into root.new, then in place of root (made again only when the package list changes)
prepare_base() {
  local key="$1"
  if [ -d "$root" ] && [ "$(cut -d' ' -f1 "$dir/root.base" 2>/dev/null)" = "$key" ] \
      && [ "${AUTOPROBE_E2E_DEBIAN13_REFRESH:-0}" != 1 ]; then
    return 0
  fi
  local new="$dir/root.new" m
  # a debootstrap killed half-way leaves its /proc and /sys mounts in root.new: ours to undo
  for m in $(mounts_under "$new"); do umount -l "$m" || die "cannot unmount $m"; done
  rm -rf --one-file-system "$new"
  say "debootstrap $suite into $new (${packages[*]}); this takes a few minutes"
  local log="$dir/debootstrap.log" t0=$SECONDS
  if ! debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" "$suite" "$new" "$mirror" \
      > "$log" 2>&1; then
    tail -n 30 "$log" >&2
    for m in $(mounts_under "$new"); do umount -l "$m" || true; done
    die "debootstrap failed (whole log: $log; $new/debootstrap/debootstrap.log)"
  fi
  refuse_mounts "$new"
  rm -f "$new"/var/cache/apt/archives/*.deb
  say "debootstrap done in $((SECONDS - t0)) s"
  if [ -d "$root" ]; then
    refuse_mounts "$root"
    rm -rf --one-file-system "$root"
  fi
  rm -f "$dir/root.base" "$dir/root.conf"
  mv "$new" "$root"
  # the build's time too: a refreshed root (same packages, newer versions) makes a new image
  echo "$key built $(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$dir/root.base"
}

root_kver() {
  local k
  k="$(ls "$root/usr/lib/modules" 2>/dev/null)" || true
  [ -n "$k" ] || die "no kernel modules in $root/usr/lib/modules (is linux-image-amd64 installed?)"
  [ "$(echo "$k" | wc -l)" = 1 ] || die "more than one kernel in $root/usr/lib/modules: $(echo "$k" | tr '\n' ' ')"
  echo "$k"
}

# Everything that makes the debootstrapped root the guest. Its text is part of the image's key:
# edit it and the next prepare configures the root again and makes a new image.
configure_root() {
  local kver="$1" key="$2"
  echo debian13-e2e > "$root/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian13-e2e\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
    > "$root/etc/hosts"
  printf '# <file system>\t<mount point>\t<type>\t<options>\t<dump>\t<pass>\n/dev/vda\t/\text4\terrors=remount-ro\t0\t1\n' \
    > "$root/etc/fstab"
  # a machine id of its own (fixed per image): not a first boot, so systemd-firstboot asks nothing
  echo "$key$key" | sha256sum | cut -c1-32 > "$root/etc/machine-id"
  # no swap, no hibernation: the initramfs waits for no resume device; the root's type said, since
  # the fsck hook cannot look at /dev/vda from here (an installed system's initramfs has e2fsck too)
  mkdir -p "$root/etc/initramfs-tools/conf.d"
  echo "RESUME=none" > "$root/etc/initramfs-tools/conf.d/resume"
  echo "FSTYPE=ext4" > "$root/etc/initramfs-tools/conf.d/fstype"

  # the agent and its unit
  install -d "$root/usr/local/lib/autoprobe-e2e"
  install -m 0755 "$here/debian13-agent.sh" "$root/usr/local/lib/autoprobe-e2e/agent"
  install -m 0644 "$here/guest-serve.sh" "$root/usr/local/lib/autoprobe-e2e/guest-serve.sh"
  cat > "$root/etc/systemd/system/e2e-agent.service" <<'UNIT'
# autoprobe's e2e tests: runs the host's scripts from the 9p share "e2e" (debian13-agent.sh)
[Unit]
Description=autoprobe e2e agent (host scripts over the 9p share e2e)

[Service]
Type=simple
ExecStart=/usr/local/lib/autoprobe-e2e/agent
StandardOutput=journal+console
StandardError=journal+console
TimeoutStopSec=20s

[Install]
WantedBy=multi-user.target
UNIT
  in_root systemctl enable e2e-agent.service >/dev/null 2>&1 || die "systemctl enable e2e-agent.service failed in $root"

  # Debian's initramfs (MODULES=most, its default) with the configuration above
  mkdir -p "$root/proc"
  mount -t proc proc "$root/proc" || die "cannot mount /proc in $root"
  local rc=0
  in_root update-initramfs -u -k "$kver" > "$dir/update-initramfs.log" 2>&1 || rc=$?
  umount "$root/proc" || die "cannot unmount $root/proc"
  [ "$rc" = 0 ] || { cat "$dir/update-initramfs.log" >&2; die "update-initramfs failed in $root"; }
}

# Mounting / needs the virtio disk's driver and ext4: built in, or modules in the initramfs
check_initramfs() {
  local kver="$1" initrd="$2" m list
  list="$(in_root lsinitramfs "/boot/initrd.img-$kver")" || die "lsinitramfs failed on $initrd"
  for m in virtio_blk ext4; do
    grep -q "/$m\.ko" <<< "$list" && continue
    grep -q "/$m\.ko" "$root/usr/lib/modules/$kver/modules.builtin" && continue
    die "$initrd has no $m (and the kernel does not have it built in): the guest could not mount /"
  done
}

prepare() {
  ensure_tools
  mkdir -p "$dir"
  exec 8>"$dir/.lock"
  flock 8
  local bkey key kver
  bkey="$(base_key)"
  prepare_base "$bkey"
  kver="$(root_kver)"
  key="$( { cat "$dir/root.base"; declare -f configure_root check_initramfs; cat "$here/debian13-agent.sh" "$here/guest-serve.sh"; } \
          | sha256sum | cut -c1-16)"
  image_dir="$dir/image-$key"
  if [ ! -f "$image_dir/disk.raw" ]; then
    refuse_mounts "$root"
    if [ "$(cat "$dir/root.conf" 2>/dev/null)" != "$key" ]; then
      say "configuring $root for the guest"
      rm -f "$dir/root.conf"
      configure_root "$kver" "$key"
      echo "$key" > "$dir/root.conf"
    fi
    check_initramfs "$kver" "$root/boot/initrd.img-$kver"
    make_image "$kver"
  fi
  exec 8>&-
  kernel="$image_dir/vmlinuz"
  initrd="$image_dir/initrd.img"
  image="$image_dir/disk.raw"
  guest_kver="$(cat "$image_dir/kver")"
  accel="$(choose_accel "$kernel")"
}

# image_dir/disk.raw: ext4 made from the root (mke2fs -d: no loop mount), the root's size and 1 GiB
# to spare (packages installed by tests, logs), in whole 256 MiB; with the kernel and initramfs
make_image() {
  local kver="$1" tmp used size t0=$SECONDS
  tmp="$(mktemp -d "$dir/.image.XXXXXX")"
  used="$(du -sxm "$root" | cut -f1)"
  size=$(( (used + 1024 + 255) / 256 * 256 ))
  say "making a ${size} MiB ext4 image of $root (${used} MiB used)"
  truncate -s "${size}M" "$tmp/disk.raw"
  mke2fs -q -F -t ext4 -L debian13-e2e -d "$root" "$tmp/disk.raw" \
    || { rm -rf "$tmp"; die "mke2fs -d $root failed"; }
  cp "$root/boot/vmlinuz-$kver" "$tmp/vmlinuz"
  cp "$root/boot/initrd.img-$kver" "$tmp/initrd.img"
  echo "$kver" > "$tmp/kver"
  # older images go (a running guest keeps its open file; an overlay made on one is refused at boot)
  find "$dir" -maxdepth 1 -name 'image-*' -type d ! -path "$image_dir" -exec rm -rf {} +
  mv "$tmp" "$image_dir"
  say "image made in $((SECONDS - t0)) s"
}

boot() {
  local out="$1"; shift
  [ -d "$out" ] || die "no directory $out"
  out="$(cd "$out" && pwd)"
  case "$out" in *,*) die "the out directory's path has a comma (QEMU's option separator): $out" ;; esac
  [ -z "${AUTOPROBE_E2E_STATE_DIR:-}" ] \
    || die "AUTOPROBE_E2E_STATE_DIR is for guest.sh's guest; this guest keeps its state on its disk (AUTOPROBE_E2E_DISK)"
  prepare
  mkdir -p "$out/req" "$out/res"
  local disk
  if [ -n "${AUTOPROBE_E2E_DISK:-}" ]; then
    disk="$(readlink -f "$AUTOPROBE_E2E_DISK")" || die "bad AUTOPROBE_E2E_DISK: $AUTOPROBE_E2E_DISK"
    case "$disk" in *,*) die "the disk's path has a comma (QEMU's option separator): $disk" ;; esac
    if [ -e "$disk" ]; then
      local backing
      backing="$(qemu-img info -U --output=json "$disk" | sed -n 's/^ *"backing-filename": "\(.*\)",*$/\1/p' | head -n 1)" \
        || die "qemu-img info $disk failed"
      [ "$backing" = "$image" ] || die "$disk is an overlay of ${backing:-nothing}, not of the current image $image: delete it to start from the current one"
    else
      mkdir -p "$(dirname "$disk")" || die "cannot make the directory of $disk"
      qemu-img create -q -f qcow2 -b "$image" -F raw "$disk" || die "qemu-img create $disk failed"
    fi
  else
    disk="$out/disk.qcow2"
    rm -f "$disk"
    qemu-img create -q -f qcow2 -b "$image" -F raw "$disk" || die "qemu-img create $disk failed"
  fi
  qemu_machine "$out" "$accel" || exit 1
  # shellcheck disable=SC2086
  exec qemu-system-x86_64 "${qemu_machine_args[@]}" \
    -kernel "$kernel" -initrd "$initrd" \
    -append "root=/dev/vda rw console=ttyS0 panic=-1 $*" \
    -drive "file=$disk,format=qcow2,if=virtio" \
    -virtfs "local,path=$out,mount_tag=e2e,security_model=none" \
    ${AUTOPROBE_E2E_QEMU_ARGS:-}
}


case "${1:-}" in
  prepare)
    [ $# = 1 ] || die "usage: debian13-system.sh prepare"
    prepare
    printf 'kernel=%s\ninitrd=%s\nimage=%s\nkver=%s\nroot=%s\naccel=%s\n' "$kernel" "$initrd" "$image" \
      "$guest_kver" "$root" "$accel" ;;
  root)
    # the root only (no image, no accelerator probe): for running trixie's tools by chroot (kmod 34)
    [ $# = 1 ] || die "usage: debian13-system.sh root"
    ensure_tools
    mkdir -p "$dir"
    exec 8>"$dir/.lock"
    flock 8
    prepare_base "$(base_key)"
    printf 'root=%s\nkver=%s\n' "$root" "$(root_kver)" ;;
  boot) shift; [ $# -ge 1 ] || die "usage: debian13-system.sh boot OUTDIR [KERNEL-ARG...]"; boot "$@" ;;
  run) shift; run_guest_scripts debian13-system.sh "$@" ;;
  *) die "usage: debian13-system.sh prepare | root | boot OUTDIR [KERNEL-ARG...] | run SCRIPT..." ;;
esac
