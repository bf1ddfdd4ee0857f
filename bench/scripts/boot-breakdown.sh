#!/usr/bin/env bash
# Issue 11's "measure first": where the time from `autoprobe daemon`'s start to its first
# finit_module goes, in a QEMU guest with ColdplugE2EIT's 21 emulated devices (TCG unless
# AUTOPROBE_E2E_ACCEL says otherwise). Boots the guest (e2e/scripts/guest.sh), runs
# bench/scripts/boot-breakdown-guest.sh there (one cold start, no CDS archive; then WARM-RUNS warm
# starts, the archive the cold run wrote; each through the launcher with AUTOPROBE_CDS_DIR=
# /var/cache/autoprobe, as the systemd unit), and prints for each run the milestones in ms after the
# launcher started, from three clocks that agree (the guest's wall clock): the JVM's class+load log
# (first load of a phase's class), the daemon's own log lines and a /proc/modules monitor.
# Then the classes loaded in each phase and before the first module (by where they came from), and
# the JVM's own counters (hsperfdata: class loading, linking, initialisers, JIT, GC) at the first
# module and at ready. docs/PERFORMANCE.md, "Boot: where the time before the first load goes".
#
#   boot-breakdown.sh [WARM-RUNS (default 2)] [OUTDIR (default: a new /tmp/boot-breakdown.XXXXXX)]
#   BOOT_BREAKDOWN_AHEAD=1 ... adds a run with class data built ahead (--build-class-data daemon)
#   AUTOPROBE_JAVA=... ...     the guest's launcher runs that java (default: the newest JDK 17+)
#   BOOT_BREAKDOWN_JFR=1 ...   adds a warm run under JFR (settings=profile) and prints its hot methods
#                              and allocations before the first module loaded
#   BOOT_BREAKDOWN_JAVA_OPTS=...  more JVM options for every run (e.g. -XX:CICompilerCount=1)
#   BOOT_BREAKDOWN_DAEMON_ARGS=... more daemon arguments for every run (e.g. --workers 4)
#   boot-breakdown.sh --analyse OUTDIR   only the tables, from an earlier run's OUTDIR (its raw files
#                              are in OUTDIR/guest/runs); BOOT_BREAKDOWN_CLASSES=1 lists every
#                              non-JDK class with the ms of its first load
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

analyse() {
  python3 - "$1" <<'EOF'
import collections, glob, os, re, subprocess, sys

out = sys.argv[1]
runs = sorted({os.path.basename(p)[:-len('.start')] for p in glob.glob(os.path.join(out, '*.start'))},
              key=lambda r: (r != 'cold', r))
# (label, kind, what): kind 'class' = first load of that class; 'classprefix' = first load of a class of that
# prefix after the previous mark; 'log' = first daemon log line containing it
MARKS = [
    ('JVM created (uptime 0)', 'jvm', None),
    ('main class loaded (org.autoprobe.cli.Main)', 'class', 'org.autoprobe.cli.Main'),
    ('picocli starts (picocli.CommandLine)', 'class', 'picocli.CommandLine'),
    ('  or the fast path, no picocli (cli.PlainOptions)', 'class', 'org.autoprobe.cli.PlainOptions'),
    ('DaemonCommand.call() (daemon.service.Signals)', 'class', 'org.autoprobe.daemon.service.Signals'),
    ('  slf4j initialised (org.slf4j.simple.SimpleLogger)', 'class', 'org.slf4j.simple.SimpleLogger'),
    ('kernel, sources, options (core.kernel.LinuxKernel)', 'class', 'org.autoprobe.core.kernel.LinuxKernel'),
    ('generation build starts (daemon.service.Daemon)', 'class', 'org.autoprobe.daemon.service.Daemon'),
    ('  index open (core.index.BinModuleDatabase)', 'class', 'org.autoprobe.core.index.BinModuleDatabase'),
    ('  modprobe config (rules.modprobe.ModprobeConfigLoader)', 'class', 'org.autoprobe.rules.modprobe.ModprobeConfigLoader'),
    ('  udev rules (first rules.udev class after that)', 'classprefix', 'org.autoprobe.rules.udev.'),
    ('generation built (log "built")', 'log', ' INFO built '),
    ('load coordinator, pipeline (daemon.load.LoadCoordinator)', 'class', 'org.autoprobe.daemon.load.LoadCoordinator'),
    ('netlink socket: uevent intake (netlink.uevent.UeventIntake)', 'class', 'org.autoprobe.netlink.uevent.UeventIntake'),
    ('  JNA starts (com.sun.jna.Native)', 'class', 'com.sun.jna.Native'),
    ('  JNA NativeLibrary (static init runs ldconfig -p)', 'class', 'com.sun.jna.NativeLibrary'),
    ('  JNA library bound (com.sun.jna.internal.Cleaner)', 'class', 'com.sun.jna.internal.Cleaner'),
    ('socket open, reader thread (daemon.pipeline.UeventReader)', 'class', 'org.autoprobe.daemon.pipeline.UeventReader'),
    ('control socket (daemon.control.ControlServer)', 'class', 'org.autoprobe.daemon.control.ControlServer'),
    ('control socket listening (log)', 'log', ' INFO control socket listening'),
    ('/sys walk starts (netlink.sysfs.SysfsDevices)', 'class', 'org.autoprobe.netlink.sysfs.SysfsDevices'),
    ('/sys scanned, first event out (coldplug.SyntheticUevent)', 'class', 'org.autoprobe.daemon.coldplug.SyntheticUevent'),
    ('first plan (daemon.load.LoadRequest)', 'class', 'org.autoprobe.daemon.load.LoadRequest'),
    ('first finit_module call (core.sys.LibC)', 'class', 'org.autoprobe.core.sys.LibC'),
    ('first module in /proc/modules', 'mod', None),
    ('coldplug walk done (log "announced")', 'log', ' INFO coldplug: announced'),
    ('first "loaded" log line', 'log', ' INFO loaded '),
    ('ready (log)', 'log', ' INFO ready:'),
    ('last module in /proc/modules', 'modlast', None),
]
CL = re.compile(r'^\[(\d+)ms\]\[(\d+)ms\] (\S+) source: (.*)$')

def read(p):
    try:
        with open(p, errors='replace') as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []

def source_of(src):
    if src.startswith('shared objects file (top)'):
        return 'CDS dynamic archive (autoprobe-daemon.jsa)'
    if src.startswith('shared objects file'):
        return 'CDS base archive (JDK classes.jsa), or on JDK 24+ the AOT cache (autoprobe-daemon.aot)'
    if src.startswith('jrt:/'):
        return 'JDK module ' + src[5:].split()[0] + ' (not archived)'
    m = re.search(r'([^/]+\.jar)', src)
    if m:
        return re.sub(r'-[0-9][0-9.]*(-[A-Za-z0-9]+)?\.jar$', '.jar', m.group(1))
    # __JVM_LookupDefineClass__, __Lookup_defineClass__, or the host class of a lambda or proxy
    return 'generated (lambdas, lambda forms, proxies, hidden classes)'

results = {}
counts = {}
nclasses = {}
for r in runs:
    start = float(read(os.path.join(out, r + '.start'))[0]) * 1000.0
    day0 = start - (start % 86400000.0)
    classes = []
    jvm0 = None
    for line in read(os.path.join(out, r + '.classload')):
        m = CL.match(line)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        wall, up = max(a, b), min(a, b)
        if jvm0 is None:
            jvm0 = wall - up
        classes.append((wall, m.group(3), m.group(4)))
    # log lines start with ms since slf4j-simple's SimpleLogger was initialised (showDateTime without
    # a format: a date format would load locale data, seconds under TCG), or with HH:mm:ss.SSS (UTC)
    logger0 = next((w for w, n, s in classes if n == 'org.slf4j.simple.SimpleLogger'), None)
    logs = []
    for line in read(os.path.join(out, r + '.log')):
        m = re.match(r'^(\d\d):(\d\d):(\d\d)\.(\d\d\d) ', line)
        e = re.match(r'^(\d+) [A-Z]+ ', line)
        if m:
            t = day0 + ((int(m.group(1)) * 60 + int(m.group(2))) * 60 + int(m.group(3))) * 1000 + int(m.group(4))
            if t < start - 3600000:
                t += 86400000
            logs.append((t, line))
        elif e and logger0 is not None:
            logs.append((logger0 + int(e.group(1)), line))
    mods = [(float(l.split()[0]) * 1000.0, int(l.split()[1])) for l in read(os.path.join(out, r + '.modtimes')) if l.strip()]
    first_mod = next((t for t, n in mods if mods and n != mods[0][1]), None)
    last_mod = mods[-1][0] if len(mods) > 1 else None
    res = {}
    after = None
    for label, kind, what in MARKS:
        t = None
        if kind == 'jvm':
            t = jvm0
        elif kind == 'class':
            t = next((w for w, n, s in classes if n == what), None)
        elif kind == 'classprefix':
            t = next((w for w, n, s in classes if n.startswith(what) and (after is None or w >= after)), None)
        elif kind == 'log':
            t = next((w for w, l in logs if what in l), None)
        elif kind == 'mod':
            t = first_mod
        elif kind == 'modlast':
            t = last_mod
        res[label] = None if t is None else t - start
        if t is not None:
            after = t
    results[r] = res
    # classes loaded in each top-level phase (between a mark and the one before it)
    ncl = {}
    prev_t = None
    for label, kind, what in MARKS:
        if label.startswith('  ') or res[label] is None:
            continue
        t = res[label] + start
        ncl[label] = sum(1 for w, n, s in classes if (prev_t is None or w >= prev_t) and w < t) if prev_t is not None else 0
        prev_t = t
    nclasses[r] = ncl
    if first_mod is not None:
        c = collections.Counter(source_of(s) for w, n, s in classes if w < first_mod)
        ours = sum(1 for w, n, s in classes if w < first_mod and n.startswith('org.autoprobe.'))
        counts[r] = (sum(c.values()), len(classes), ours, c)
    if os.environ.get('BOOT_BREAKDOWN_CLASSES'):
        print('--- %s: autoprobe and library classes, first loads (ms after start)' % r)
        for w, n, s in classes:
            if not n.startswith(('java.', 'jdk.', 'sun.', 'com.sun.crypto')):
                print('%8.0f  %s' % (w - start, n))

print('Milestones, ms after the launcher started (delta: since the previous line of the same run)')
hdr = '%-58s' % 'milestone' + ''.join('%18s' % r for r in runs)
print(hdr)
prev = {r: 0.0 for r in runs}
for label, kind, what in MARKS:
    row = '%-58s' % label
    for r in runs:
        t = results[r][label]
        if t is None:
            row += '%18s' % '-'
        elif label.startswith('  '):
            row += '%18s' % ('%.0f' % t)
        else:
            row += '%18s' % ('%.0f (+%.0f)' % (t, t - prev[r])) if t >= prev[r] else '%18s' % ('%.0f' % t)
            prev[r] = t
    print(row)
print()
print('Classes loaded in each phase (since the previous milestone)')
print('%-58s' % 'milestone' + ''.join('%18s' % r for r in runs))
for label, kind, what in MARKS:
    if label.startswith('  '):
        continue
    print('%-58s' % label + ''.join('%18s' % nclasses[r].get(label, '-') for r in runs))
print()
print('Classes loaded before the first module appeared in /proc/modules (of all loaded by ready+stop)')
for r in runs:
    if r not in counts:
        continue
    n, total, ours, c = counts[r]
    print('%s: %d before the first load (%d of them org.autoprobe.*), %d in all' % (r, n, ours, total))
    for src, k in c.most_common():
        print('  %6d  %s' % (k, src))

PERF = [
    ('JVM creation (createVmEnd - createVmBegin)', None),
    ('class loading, all (sun.cls.time)', 'sun.cls.time'),
    ('  from the CDS archives (sun.cls.sharedClassLoadTime)', 'sun.cls.sharedClassLoadTime'),
    ('  app loader, Java side (sun.cls.appClassLoadTime.self)', 'sun.cls.appClassLoadTime.self'),
    ('  parse+define of jar classes (sun.cls.defineAppClassTime.self)', 'sun.cls.defineAppClassTime.self'),
    ('class linking, all (sun.cls.classLinkedTime)', 'sun.cls.classLinkedTime'),
    ('  verification (sun.cls.classVerifyTime)', 'sun.cls.classVerifyTime'),
    ('static initialisers, all (sun.cls.classInitTime)', 'sun.cls.classInitTime'),
    ('JIT compilation, C1 threads (sun.ci.standardTime + osrTime)', 'jit'),
    ('GC pauses (sun.gc.collector.0.time + 1)', 'gc'),
    ('safepoints (sun.rt.safepointTime)', 'sun.rt.safepointTime'),
    ('classes loaded (java.cls.loadedClasses)', '#java.cls.loadedClasses'),
    ('  from CDS (java.cls.sharedLoadedClasses)', '#java.cls.sharedLoadedClasses'),
    ('  classes from jars, bytes (sun.cls.appClassBytes)', '#sun.cls.appClassBytes'),
    ('methods JIT-compiled (sun.ci.totalCompiles)', '#sun.ci.totalCompiles'),
]

def perf(path):
    try:
        text = subprocess.run(['jstat', '-J-Djstat.showUnsupported=true', '-snap', 'file://' + path],
                              capture_output=True, text=True, timeout=120).stdout
    except Exception as e:
        print('jstat on %s failed: %s' % (path, e))
        return None
    v = {}
    for line in text.splitlines():
        k, _, x = line.partition('=')
        try:
            v[k] = int(x.strip().strip('"'))
        except ValueError:
            pass
    return v or None

snaps = [(r, w, perf(os.path.join(out, '%s.perf-%s' % (r, w)))) for r in runs for w in ('first', 'ready')
         if os.path.exists(os.path.join(out, '%s.perf-%s' % (r, w)))]
snaps = [(r, w, v) for r, w, v in snaps if v]
if snaps:
    print()
    print('The JVM\'s own counters (hsperfdata, -XX:+UsePerfData), ms (summed over threads), at the first module / at ready')
    print('%-72s' % 'counter' + ''.join('%16s' % ('%s@%s' % (r, w)) for r, w, v in snaps))
    for label, key in PERF:
        row = '%-72s' % label
        for r, w, v in snaps:
            f = v.get('sun.os.hrt.frequency', 1000000000) / 1000.0
            if key is None:
                x = '%.0f' % (v.get('sun.rt.createVmEndTime', 0) - v.get('sun.rt.createVmBeginTime', 0))
            elif key == 'jit':
                x = '%.0f' % ((v.get('sun.ci.standardTime', 0) + v.get('sun.ci.osrTime', 0)) / f)
            elif key == 'gc':
                x = '%.0f' % ((v.get('sun.gc.collector.0.time', 0) + v.get('sun.gc.collector.1.time', 0)) / f)
            elif key.startswith('#'):
                x = str(v.get(key[1:], '-'))
            else:
                x = '%.0f' % (v[key] / f) if key in v else '-'
            row += '%16s' % x
        print(row)

jfr = os.path.join(out, 'jfr.jfr')
if os.path.exists(jfr) and 'jfr' in results and results['jfr'].get('first module in /proc/modules') is not None:
    start = float(read(os.path.join(out, 'jfr.start'))[0])
    limit = start + results['jfr']['first module in /proc/modules'] / 1000.0
    def events(kind):
        try:
            text = subprocess.run(['jfr', 'print', '--stack-depth', '64', '--events', kind, jfr], capture_output=True, text=True, check=True).stdout
        except Exception as e:
            print('jfr print %s failed: %s' % (kind, e))
            return []
        return [b for b in text.split('\njdk.')[0:] if 'startTime' in b]
    day0 = start - (start % 86400)
    def t_of(block):
        m = re.search(r'startTime = (\d\d):(\d\d):(\d\d)\.(\d+)', block)
        if not m:
            return None
        return day0 + int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)) + float('0.' + m.group(4))
    def frames(block):
        return re.findall(r'^\s+([\w$.<>/]+)\(', block, re.M)
    samples = [b for b in events('jdk.ExecutionSample') if (t_of(b) or 0) < limit]
    print()
    print('JFR (warm, settings=profile): %d execution samples before the first module' % len(samples))
    def thread(b):
        m = re.search(r'sampledThread = "([^"]*)"', b)
        return m.group(1) if m else '?'
    threads = collections.Counter(thread(b) for b in samples)
    print('  by thread: ' + ', '.join('%s %d' % kv for kv in threads.most_common(6)))
    top = collections.Counter(f[0] for f in map(frames, samples) if f)
    print('  hottest methods (top frame):')
    for k, v in top.most_common(15):
        print('  %5d  %s' % (v, k))
    incl = collections.Counter()
    for f in map(frames, samples):
        seen = set()
        for fr in f:
            pkg = fr.rsplit('.', 1)[0]
            if pkg not in seen:
                incl[pkg] += 1
                seen.add(pkg)
    print('  by class on the stack (inclusive):')
    for k, v in incl.most_common(20):
        print('  %5d  %s' % (v, k))
    allocs = [b for b in events('jdk.ObjectAllocationSample') if (t_of(b) or 0) < limit]
    by = collections.Counter()
    for b in allocs:
        m = re.search(r'objectClass = (\S+)', b)
        w = re.search(r'weight = ([\d.]+) (bytes|kB|MB)', b)
        if m and w:
            by[m.group(1)] += float(w.group(1)) * {'bytes': 1, 'kB': 1024, 'MB': 1048576}[w.group(2)]
    print('  allocation (jdk.ObjectAllocationSample weight) before the first module, top classes:')
    for k, v in by.most_common(10):
        print('  %8.0f kB  %s' % (v / 1024, k))
    site = collections.Counter()
    for b in allocs:
        f = [x for x in frames(b) if not x.startswith(('java.', 'jdk.', 'sun.'))]
        w = re.search(r'weight = ([\d.]+) (bytes|kB|MB)', b)
        if f and w:
            site[f[0]] += float(w.group(1)) * {'bytes': 1, 'kB': 1024, 'MB': 1048576}[w.group(2)]
    print('  allocation sites (first non-JDK frame):')
    for k, v in site.most_common(10):
        print('  %8.0f kB  %s' % (v / 1024, k))
EOF
}

if [ "${1:-}" = --analyse ]; then
  [ -d "${2:-}" ] || { echo "usage: boot-breakdown.sh --analyse OUTDIR" >&2; exit 1; }
  if [ -d "$2/guest/runs" ]; then analyse "$2/guest/runs"; else analyse "$2"; fi
  exit 0
fi
warm="${1:-2}"
[[ "$warm" =~ ^[0-9]+$ ]] || { echo "boot-breakdown.sh: WARM-RUNS must be a number" >&2; exit 1; }
outdir="${2:-$(mktemp -d /tmp/boot-breakdown.XXXXXX)}"
mkdir -p "$outdir"
[ -f "$repo/cli/target/autoprobe-cli.jar" ] || (cd "$repo" && mvn -B -q -o -pl cli -am package -DskipTests)
export AUTOPROBE_E2E_ACCEL="${AUTOPROBE_E2E_ACCEL:-tcg}"
# ColdplugE2EIT's devices (org.autoprobe.e2e.Autoloading.DEVICES)
export AUTOPROBE_E2E_QEMU_ARGS="-audiodev none,id=snd0 -device e1000 -device rtl8139 -device ne2k_pci -device pcnet
  -device virtio-rng-pci -device virtio-balloon-pci -device virtio-serial-pci -device qemu-xhci,id=xhci
  -device usb-kbd,bus=xhci.0 -device usb-tablet,bus=xhci.0 -device usb-ehci -device pci-ohci -device intel-hda
  -device hda-duplex,audiodev=snd0 -device ES1370,audiodev=snd0 -device i6300esb -device sdhci-pci
  -device lsi53c895a -device megasas -device ich9-ahci -device pvpanic"
guest="$outdir/guest"
rm -rf "$guest"
mkdir -p "$guest/req" "$guest/res"
cat > "$guest/req/1.sh" <<EOF
${AUTOPROBE_JAVA:+AUTOPROBE_JAVA='$AUTOPROBE_JAVA'} BOOT_BREAKDOWN_AHEAD=${BOOT_BREAKDOWN_AHEAD:-0} \
  BOOT_BREAKDOWN_JFR=${BOOT_BREAKDOWN_JFR:-0} BOOT_BREAKDOWN_JAVA_OPTS='${BOOT_BREAKDOWN_JAVA_OPTS:-}' \
  BOOT_BREAKDOWN_DAEMON_ARGS='${BOOT_BREAKDOWN_DAEMON_ARGS:-}' \
  exec '$repo/bench/scripts/boot-breakdown-guest.sh' /e2e/runs $warm
EOF
touch "$guest/req/stop"
echo "boot-breakdown.sh: accel $AUTOPROBE_E2E_ACCEL, $(nproc) host CPUs, host load $(cut -d' ' -f1-3 /proc/loadavg); output in $outdir" >&2
timeout "${AUTOPROBE_E2E_TIMEOUT:-1800}" "$repo/e2e/scripts/guest.sh" boot "$guest" || true
cat "$guest/res/1.err" >&2 2>/dev/null || true
[ "$(cat "$guest/res/1.rc" 2>/dev/null)" = 0 ] || { echo "boot-breakdown.sh: the guest's script failed; see $guest/serial.log" >&2; exit 1; }
analyse "$guest/runs"
