package org.autoprobe.daemon.bootplan;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.LoadRequest;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.netlink.sysfs.SysfsDevice;
import org.autoprobe.netlink.sysfs.SysfsDevices;
import org.autoprobe.rules.udev.SysfsView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the last boot's {@link BootPlan} at start, beside the normal coldplug (which stays
 * the authority: it decides every device again, and loads what the plan did not).
 *
 * <p>The plan is used only if its {@link BootKey} equals this boot's, line for line; then each
 * device is taken from it only if the device is present now with the same {@code uevent} contents
 * and every sysfs read of its rules gives the same answer. A device that is gone, changed, or new
 * is left to the normal path. So the plan never loads a module that today's machine and
 * configuration would not: the modules of a device are those its decision gave, and that decision
 * depended on nothing but what was compared.
 *
 * <p>Loads run at once, in dependency waves, on a bounded pool: a module is inserted when the
 * modules it needs are in (a failed one stops those that need it; a softdep's failure does not),
 * independent modules in parallel, each module once. "In" is live: the daemon's kernel
 * ({@link org.autoprobe.daemon.load.LiveInserts}) ends an insert when its module is live, not when
 * the kernel's wait for other drivers' asynchronous calls that follows ends. A device's module is claimed in the
 * {@link LoadCoordinator}, so a device of the normal path that wants it shares the load; the
 * coordinator's own plans wait for a dependency the plan is inserting ({@link LoadCoordinator#gate}).
 */
public final class BootPlanRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BootPlanRunner.class);

    /** How one module of the plan ended. */
    private record Outcome(boolean ok, boolean inserted, Errno errno, String detail) {
        static final Outcome INSERTED = new Outcome(true, true, null, "");
        static final Outcome PRESENT = new Outcome(true, false, null, "");

        static Outcome failed(Errno errno, String detail) {
            return new Outcome(false, false, errno, detail);
        }
    }

    private final Path file;
    private final java.util.function.Supplier<List<String>> keySource;
    private volatile List<String> key;
    private final Path sysRoot;
    private final Kernel kernel;
    private final LoadCoordinator coordinator;
    private final long generation;
    private final ExecutorService pool;
    private final ConcurrentHashMap<String, CompletableFuture<Outcome>> scheduled = new ConcurrentHashMap<>();
    /** The modules this runner inserts itself (not those it found claimed by the coordinator). */
    private final ConcurrentHashMap<String, CompletableFuture<Outcome>> inserting = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final LongAdder inserted = new LongAdder();
    private final LongAdder present = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile int devicesPlanned;
    private volatile int devicesMatched;
    /** Of those, the devices found under other numbers ({@link Renumbered}). */
    private volatile int devicesMoved;
    /** The devpaths of this boot's devices taken from the plan. */
    private final java.util.Set<String> taken = ConcurrentHashMap.newKeySet();
    private volatile String unused = "not started";
    private BootPlan plan;
    /** The plan's devices found unchanged (at this boot's devpath, moved when renumbered), by devpath. */
    private final Map<String, BootPlan.Device> matched = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());

    private BootPlanRunner(Path file, java.util.function.Supplier<List<String>> keySource, Path sysRoot, Kernel kernel,
                           LoadCoordinator coordinator, long generation, int threads) {
        this.file = file;
        this.keySource = keySource;
        this.sysRoot = sysRoot;
        this.kernel = kernel;
        this.coordinator = coordinator;
        this.generation = generation;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 5, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(() -> {
                        raisePriority();
                        r.run();
                    }, "autoprobe-plan-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        this.pool = p;
    }


    /**
     * Reads the plan in {@code file} and carries it out on a thread of its own; returns at once.
     *
     * @param key        computes this boot's {@link BootKey} (on the runner's thread: it reads a few
     *                   dozen file attributes, a second under emulation)
     * @param generation the generation id the claimed loads count for (the first generation's)
     */
    public static BootPlanRunner start(Path file, java.util.function.Supplier<List<String>> key, Path sysRoot,
                                       Kernel kernel, LoadCoordinator coordinator, long generation, int threads) {
        BootPlanRunner r = new BootPlanRunner(file, key, sysRoot, kernel, coordinator, generation, threads);
        coordinator.gate(module -> {
            CompletableFuture<Outcome> f = r.inserting.get(module);
            return f == null || f.isDone() ? null : f;
        });
        Thread t = new Thread(r::run, "autoprobe-boot-plan");
        t.setDaemon(true);
        t.start();
        return r;
    }

    /** Nice value of the plan's loading threads: ahead of the daemon's own start-up work. */
    static final int LOADER_NICE = -5;
    /**
     * Nice value of the thread that checks the plan's devices and starts their loads: ahead of the
     * loaders, whose kernel work kept it from the next device for seconds under emulation (the CPU's
     * modules, checked last, started 4.5 s after the first load).
     */
    static final int CHECKER_NICE = -10;
    private static final java.util.concurrent.atomic.AtomicBoolean PRIORITY_SAID = new java.util.concurrent.atomic.AtomicBoolean();

    /** Raises the calling loader thread's priority; says once (at debug level) when it cannot. */
    private static void raisePriority() {
        String why = org.autoprobe.daemon.sys.ThreadPriority.setNice(LOADER_NICE);
        if (why != null && PRIORITY_SAID.compareAndSet(false, true)) {
            LOG.debug("boot plan: loaders keep the default priority: {}", why);
        }
    }

    /** This boot's {@link BootKey}, once {@link #done()} (null if it could not be computed). */
    public List<String> key() {
        return key;
    }

    /** Completes when every load of the plan has ended (at once when there is no usable plan). */
    public CompletableFuture<Void> done() {
        return done;
    }

    /**
     * The plan's devices that were found unchanged at this start (once {@link #done()}): their entries
     * were true of this boot before any load, so the next plan keeps them as they are.
     */
    public Map<String, BootPlan.Device> unchangedDevices() {
        synchronized (matched) {
            return new java.util.LinkedHashMap<>(matched);
        }
    }

    /** {@code bootplan.*} lines for {@code autoprobe status}. */
    public Map<String, String> status() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        out.put("bootplan.used", unused == null ? "yes" : "no: " + unused);
        out.put("bootplan.devices", Integer.toString(devicesPlanned));
        out.put("bootplan.devices_unchanged", Integer.toString(devicesMatched));
        out.put("bootplan.devices_moved", Integer.toString(devicesMoved));
        out.put("bootplan.inserted", Long.toString(inserted.sum()));
        out.put("bootplan.present", Long.toString(present.sum()));
        out.put("bootplan.failed", Long.toString(failed.sum()));
        return out;
    }

    private void run() {
        long t0 = System.nanoTime();
        try {
            // the system calls' binding (JNA) on a loader thread while the plan is read and checked
            pool.execute(new Ranked(-1, () -> {
                try {
                    kernel.prepare();
                    LOG.debug("boot plan: kernel calls bound {} ms after the start", (System.nanoTime() - t0) / 1_000_000);
                } catch (RuntimeException | LinkageError e) {
                    LOG.debug("boot plan: preparing the kernel calls: {}", e.toString());
                }
            }));
            // the key on a thread of its own while this one reads the plan: both take a while under
            // emulation; not on a loader thread, whose start (its priority, through JNA) waits for JNA
            CompletableFuture<List<String>> computing = CompletableFuture.supplyAsync(() -> List.copyOf(keySource.get()),
                    r -> {
                        Thread t = new Thread(r, "autoprobe-boot-key");
                        t.setDaemon(true);
                        t.start();
                    });
            boolean read = read();
            long readAt = System.nanoTime();
            key = computing.join();
            if (LOG.isDebugEnabled()) {
                LOG.debug("boot plan: started at {} (epoch ms); read in {} ms, key in {} ms", System.currentTimeMillis()
                        - (System.nanoTime() - t0) / 1_000_000, (readAt - t0) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
            }
            if (!read || !fits()) {
                return;
            }
            String why = org.autoprobe.daemon.sys.ThreadPriority.setNice(CHECKER_NICE);
            if (why != null) {
                LOG.debug("boot plan: the device checks keep the default priority: {}", why);
            }
            // the plan's own devices, each read where it should be: no walk of the whole tree
            SysfsView sysfs = SysfsView.at(sysRoot);
            Map<String, Integer> later = new java.util.LinkedHashMap<>();
            int rank = 0;
            for (String devpath : order(plan.devices(), plan.modules())) {
                if (!check(devpath, rank, sysfs, true)) {
                    later.put(devpath, rank);
                }
                rank++;
            }
            LOG.debug("boot plan: devices checked {} ms after the start; {} not taken yet", (System.nanoTime() - t0) / 1_000_000,
                    later.size());
            awaitCascaded(later, sysfs, t0);
            List<CompletableFuture<Outcome>> all = new ArrayList<>(scheduled.values());
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).join();
            LOG.info("boot plan: {} of {} planned devices unchanged ({} under other numbers); {} modules inserted, "
                            + "{} already in the kernel, {} failed, in {} ms", devicesMatched, devicesPlanned, devicesMoved,
                    inserted.sum(), present.sum(), failed.sum(), (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("boot plan {}: stopped: {}", file, e.toString());
        } finally {
            pool.shutdown();
            done.complete(null);
        }
    }

    /**
     * The order in which the plan's devices are checked and their loads queued: mass-storage
     * controllers (PCI class 01: IDE, SCSI, SATA, RAID, NVMe) first, USB host controllers (PCI class
     * 0C03) next, then the rest; within each, the longest chain of modules first (a module after the
     * modules it needs: sound's seven, the CPU's aesni_intel and kvm_amd behind cryptd and kvm), then
     * the plan's order. The storage drivers scan their buses through the kernel's asynchronous calls
     * (libata's port probes, the SCSI host scan, NVMe's probe), and the kernel ends every module's
     * load by waiting for all asynchronous calls: started first, the scans end first. A USB host
     * controller's devices (a keyboard and its HID and input devices, each wanting a module) appear
     * only once its driver is in and the hub has enumerated them: the longest chain of loads after
     * the plan's. A long chain takes one insert after another, leaves (evdev, pcspkr) only one, so
     * the chains go first and the leaves fill the gaps, as in list scheduling by critical path.
     */
    static List<String> order(Map<String, BootPlan.Device> devices, Map<String, BootPlan.Module> modules) {
        Map<String, Integer> depths = new java.util.HashMap<>();
        List<String> paths = new ArrayList<>(devices.keySet());
        Map<String, Integer> key = new java.util.HashMap<>();
        for (String p : paths) {
            BootPlan.Device d = devices.get(p);
            int bucket = massStorage(d.uevent()) ? 0 : usbController(d.uevent()) ? 1 : 2;
            int depth = 0;
            for (String m : d.wants()) {
                depth = Math.max(depth, depth(m, modules, depths, new java.util.HashSet<>()));
            }
            key.put(p, bucket * 10_000 - Math.min(depth, 9_999));
        }
        paths.sort(java.util.Comparator.comparingInt(key::get)); // stable: the plan's order within
        return paths;
    }

    /** The longest chain of modules that ends with {@code name} (1 for a module that needs none). */
    private static int depth(String name, Map<String, BootPlan.Module> modules, Map<String, Integer> known,
                             java.util.Set<String> visiting) {
        Integer k = known.get(name);
        if (k != null) {
            return k;
        }
        BootPlan.Module m = modules.get(name);
        if (m == null || !visiting.add(name)) {
            return 1; // not in the plan, or a loop: the plan's loads end it anyway
        }
        int most = 0;
        for (String p : m.after()) {
            most = Math.max(most, depth(p, modules, known, visiting));
        }
        for (String p : m.softAfter()) {
            most = Math.max(most, depth(p, modules, known, visiting));
        }
        visiting.remove(name);
        known.put(name, most + 1);
        return most + 1;
    }

    /** Whether a {@code uevent}'s {@code PCI_CLASS} is a mass-storage controller's (base class 01). */
    static boolean massStorage(String uevent) {
        int c = pciClass(uevent);
        return c >= 0 && c >> 16 == 0x01;
    }

    /** Whether a {@code uevent}'s {@code PCI_CLASS} is a USB host controller's (class 0C, subclass 03). */
    static boolean usbController(String uevent) {
        int c = pciClass(uevent);
        return c >= 0 && c >> 8 == 0x0C03;
    }

    /** A {@code uevent}'s {@code PCI_CLASS} (24 bits, hexadecimal), or -1. */
    private static int pciClass(String uevent) {
        int at = 0;
        if (!uevent.startsWith("PCI_CLASS=")) {
            at = uevent.indexOf("\nPCI_CLASS=") + 1;
            if (at == 0) {
                return -1;
            }
        }
        int from = at + "PCI_CLASS=".length();
        int end = uevent.indexOf('\n', from);
        String hex = uevent.substring(from, end < 0 ? uevent.length() : end);
        if (hex.isEmpty() || hex.length() > 6) {
            return -1;
        }
        try {
            int c = Integer.parseInt(hex, 16);
            return c < 0 ? -1 : c;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads the plan; false (said why) when there is none to use. */
    private boolean read() {
        try {
            plan = BootPlanFile.read(file);
        } catch (NoSuchFileException e) {
            unused = "no plan yet";
            LOG.info("boot plan: none yet ({}); one is made after this boot's coldplug", file);
            return false;
        } catch (BootPlanFile.Invalid e) {
            unused = "invalid";
            LOG.warn("boot plan ignored: {}; a new one is made after this boot's coldplug", e.getMessage());
            return false;
        } catch (IOException | RuntimeException e) {
            unused = "unreadable";
            LOG.warn("boot plan ignored: {}: cannot read: {}; a new one is made after this boot's coldplug", file,
                    e.getMessage());
            return false;
        }
        return true;
    }

    /** Whether the plan's key is this boot's; false (said why) when not. */
    private boolean fits() {
        String diff = BootKey.firstDifference(plan.key(), key);
        if (diff != null) {
            unused = "stale";
            LOG.info("boot plan not used, made for other files: {}", diff);
            return false;
        }
        devicesPlanned = plan.devices().size();
        unused = null;
        return true;
    }

    /**
     * A load for the pool's queue: the device's place in the plan's order ({@link #order}), its
     * modules' dependencies with it, then first come first served. A chain of a storage controller
     * (scsi_mod, libata, ata_piix) thus goes before the leaves of the devices checked after it, and
     * its scan, which every load ending meanwhile waits for, starts sooner.
     */
    private static final class Ranked implements Runnable, Comparable<Ranked> {
        private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();
        private final int rank;
        private final long seq = SEQUENCE.incrementAndGet();
        private final Runnable task;

        Ranked(int rank, Runnable task) {
            this.rank = rank;
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }

        @Override
        public int compareTo(Ranked o) {
            return rank != o.rank ? Integer.compare(rank, o.rank) : Long.compare(seq, o.seq);
        }
    }

    /** How long after the plan's last load ends a device of the plan that was not there is waited for. */
    static final long CASCADE_GRACE_MILLIS = 2_000;
    /** How long after the start at most. */
    static final long CASCADE_LIMIT_MILLIS = 30_000;
    /** How often they are looked for where the plan has them. */
    static final long CASCADE_POLL_MILLIS = 100;
    /** Every how many polls they are looked for under other numbers ({@link Renumbered}: a few directory listings each). */
    static final int SEARCH_EVERY_POLLS = 3;

    /**
     * Checks one planned device: where it should be, and, when it is not there or another device is,
     * where it may be under other numbers ({@link Renumbered}). True when it was taken from the plan;
     * false when it is still to be looked for (the normal path decides every device meanwhile).
     */
    private boolean check(String devpath, int rank, SysfsView sysfs, boolean search) {
        BootPlan.Device planned = plan.devices().get(devpath);
        try {
            java.util.Optional<SysfsDevice> d = SysfsDevices.device(sysRoot, devpath);
            if (d.isPresent() && take(planned, d.get(), sysfs, rank)) {
                return true;
            }
            if (!search) {
                return false;
            }
            for (String other : Renumbered.candidates(sysRoot, devpath)) {
                if (taken.contains(other)) {
                    continue;
                }
                java.util.Optional<SysfsDevice> o = SysfsDevices.device(sysRoot, other);
                if (o.isPresent() && take(planned.movedTo(other), o.get(), sysfs, rank)) {
                    devicesMoved++;
                    LOG.debug("boot plan: {} is at {} at this boot", devpath, other);
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            LOG.debug("boot plan: {}: {}", devpath, e.toString());
            return false;
        }
    }

    /**
     * The plan's devices not taken at the check: devices behind a controller whose driver the plan is
     * loading (a USB keyboard, its HID and input devices; the disks of a SCSI host), which appear
     * later and perhaps under other numbers ({@link Renumbered}), and devices found changed. They are
     * looked for while the plan's loads run and {@link #CASCADE_GRACE_MILLIS} after, and each is
     * checked as it appears exactly as the others were: the same {@code uevent} and reads, or the
     * normal path decides it. One that does not appear (unplugged since) is never loaded for.
     */
    private void awaitCascaded(Map<String, Integer> later, SysfsView sysfs, long t0) {
        long idleSince = -1;
        int polls = 0;
        long limit = t0 + TimeUnit.MILLISECONDS.toNanos(CASCADE_LIMIT_MILLIS);
        try {
            while (!later.isEmpty() && System.nanoTime() < limit) {
                boolean running = scheduled.values().stream().anyMatch(f -> !f.isDone());
                long now = System.nanoTime();
                if (running) {
                    idleSince = -1;
                } else if (idleSince < 0) {
                    idleSince = now;
                } else if (now - idleSince > TimeUnit.MILLISECONDS.toNanos(CASCADE_GRACE_MILLIS)) {
                    break;
                }
                Thread.sleep(CASCADE_POLL_MILLIS);
                boolean search = ++polls % SEARCH_EVERY_POLLS == 0;
                later.entrySet().removeIf(e -> {
                    boolean there = check(e.getKey(), e.getValue(), sysfs, search);
                    if (there) {
                        LOG.debug("boot plan: {} taken {} ms after the start", e.getKey(), (System.nanoTime() - t0) / 1_000_000);
                    }
                    return there;
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes the plan's entry for device {@code d} if its decision is the plan's: the same
     * {@code uevent} and the same answer to every read its rules made; queues its modules.
     */
    private boolean take(BootPlan.Device planned, SysfsDevice d, SysfsView sysfs, int rank) {
        if (!planned.uevent().equals(BootPlan.canonical(d))) {
            return false;
        }
        for (var read : planned.reads()) {
            if (!read.holds(sysfs)) {
                return false;
            }
        }
        if (!taken.add(d.devpath())) {
            return false;
        }
        devicesMatched++;
        matched.put(d.devpath(), planned);
        String modalias = d.properties().get("MODALIAS");
        for (String m : planned.wants()) {
            schedule(m, new LoadRequest(m, modalias == null ? m : modalias, d.devpath(), modalias, "boot plan"), rank);
        }
        return true;
    }

    /**
     * The end of {@code name}'s load, scheduled now if it was not: after the modules it needs.
     *
     * @param request the device's request when {@code name} is a module a device wants, else null
     */
    private CompletableFuture<Outcome> schedule(String name, LoadRequest request, int rank) {
        CompletableFuture<Outcome> known = scheduled.get(name);
        if (known != null) {
            return known;
        }
        BootPlan.Module m = plan.modules().get(name);
        CompletableFuture<LoadResult> claimed = null;
        if (request != null) {
            claimed = coordinator.claim(request, generation);
            if (claimed == null) {
                // the coordinator loads it already (or did, for this generation): wait for that
                CompletableFuture<LoadResult> theirs = coordinator.current(name);
                CompletableFuture<Outcome> f = theirs == null ? CompletableFuture.completedFuture(Outcome.PRESENT)
                        : theirs.handle((r, t) -> r != null && r.ok() ? Outcome.PRESENT
                        : Outcome.failed(r == null ? Errno.EINVAL : r.errno(), r == null ? String.valueOf(t) : r.detail()));
                scheduled.put(name, f);
                return f;
            }
        }
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        scheduled.put(name, f);
        inserting.put(name, f);
        List<CompletableFuture<Outcome>> needs = new ArrayList<>();
        for (String p : m.after()) {
            needs.add(schedule(p, null, rank));
        }
        List<CompletableFuture<Outcome>> soft = new ArrayList<>();
        for (String p : m.softAfter()) {
            soft.add(schedule(p, null, rank));
        }
        List<CompletableFuture<Outcome>> all = new ArrayList<>(needs);
        all.addAll(soft);
        CompletableFuture<LoadResult> mine = claimed;
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).whenComplete((v, t) -> {
            try {
                pool.execute(new Ranked(rank, () -> finish(m, needs, request, mine, f)));
            } catch (RuntimeException rejected) {
                finish(m, needs, request, mine, f);
            }
        });
        return f;
    }

    private void finish(BootPlan.Module m, List<CompletableFuture<Outcome>> needs, LoadRequest request,
                        CompletableFuture<LoadResult> claimed, CompletableFuture<Outcome> f) {
        Outcome o = null;
        long started = System.nanoTime();
        try {
            for (int i = 0; i < needs.size() && o == null; i++) {
                Outcome n = needs.get(i).join();
                if (!n.ok()) {
                    // the needed module's own refusal, as the normal path reports it (kmod stops there too)
                    o = Outcome.failed(n.errno(), n.detail());
                }
            }
            boolean tried = o == null;
            if (tried) {
                started = System.nanoTime();
                o = insert(m);
            }
            LoadResult.Status status = !o.ok() ? LoadResult.Status.FAILED
                    : o.inserted() ? LoadResult.Status.LOADED : LoadResult.Status.ALREADY_LOADED;
            if (claimed != null) {
                coordinator.complete(claimed, new LoadResult(request, status, o.ok() ? null : o.errno(),
                        o.ok() ? "" : o.detail(), List.of("insmod " + m.path() + " " + m.options()), generation), started);
            } else if (tried && !o.ok()) {
                // the device's module that needs it says so, with this refusal as its reason
                LOG.debug("boot plan: {} (needed by a device's module) refused: {}", m.name(), o.detail());
            }
        } catch (RuntimeException | Error e) {
            o = Outcome.failed(Errno.EINVAL, "internal error: " + e);
            LOG.error("boot plan: load of {} failed unexpectedly", m.name(), e);
            if (claimed != null && !claimed.isDone()) {
                coordinator.complete(claimed, new LoadResult(request, LoadResult.Status.FAILED, Errno.EINVAL,
                        o.detail(), List.of(), generation));
            }
        } finally {
            f.complete(o == null ? Outcome.failed(Errno.EINVAL, "no outcome") : o);
            inserting.remove(m.name(), f);
        }
    }

    /** Inserts one module: {@link Outcome#INSERTED}, {@link Outcome#PRESENT} when it was there, or the failure. */
    private Outcome insert(BootPlan.Module m) {
        if (kernel.isLive(m.name())) {
            present.increment();
            return Outcome.PRESENT;
        }
        long t0 = System.nanoTime();
        LOG.debug("boot plan: inserting {}", m.name());
        try {
            kernel.insert(Path.of(m.path()), m.options(), InsertFlags.NONE);
            inserted.increment();
            LOG.debug("boot plan: {} inserted in {} ms", m.name(), (System.nanoTime() - t0) / 1_000_000);
            return Outcome.INSERTED;
        } catch (SyscallException e) {
            LOG.debug("boot plan: {} refused after {} ms: {}", m.name(), (System.nanoTime() - t0) / 1_000_000,
                    e.errno().name());
            if (e.errno().equals(Errno.EEXIST)) {
                present.increment();
                return Outcome.PRESENT;
            }
            failed.increment();
            return Outcome.failed(e.errno(), e.getMessage());
        }
    }
}
