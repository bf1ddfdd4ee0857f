package org.autoprobe.daemon.bootplan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.core.testing.SysTree;
import org.autoprobe.daemon.coldplug.Coldplug;
import org.autoprobe.daemon.generation.GenerationSources;
import org.autoprobe.daemon.service.Daemon;
import org.autoprobe.daemon.service.DaemonOptions;
import org.autoprobe.daemon.testing.QueueSource;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot plan across daemon starts ("boots") over one sysfs fixture: made at the first, carried out
 * at the next, and never loading what today's devices and files would not.
 */
class BootPlanDaemonTest {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-test");
    private static final String NIC_A = "/devices/pci0000:00/0000:00:03.0";
    private static final String NIC_B = "/devices/pci0000:00/0000:00:04.0";
    private static final String DISK = "/devices/pci0000:00/0000:00:05.0/host0/target0:0:0/0:0:0:0";

    @TempDir
    Path root;
    private Path sys;
    private Path planFile;
    private Path conf;
    private final InMemoryDatabase index = new InMemoryDatabase(DIR).module("kernel/mii.ko").module("kernel/e1000.ko", "kernel/mii.ko")
            .module("kernel/8139cp.ko", "kernel/mii.ko").module("kernel/sg.ko").module("kernel/sd_mod.ko")
            .alias("pci:v00008086d0000100Esv*", "e1000").alias("pci:v000010ECd00008139sv*", "8139cp")
            .alias("scsi:t-0x00*", "sd_mod").module("kernel/usbhid.ko").alias("usb:v0627p0001d*", "usbhid");

    @BeforeEach
    void machine() throws IOException {
        sys = root.resolve("sys");
        planFile = root.resolve("var/lib/autoprobe/boot-plan");
        conf = root.resolve("etc/modprobe.d");
        Files.createDirectories(conf);
        device(NIC_A, "pci", "MODALIAS=pci:v00008086d0000100Esv0sd0bc02sc00i00\n");
        device(NIC_B, "pci", "MODALIAS=pci:v000010ECd00008139sv0sd0bc02sc00i00\n");
        device(DISK, "scsi", "DEVTYPE=scsi_device\nMODALIAS=scsi:t-0x00\n");
    }

    private void device(String devpath, String subsystem, String uevent) throws IOException {
        new SysTree(root).device(devpath, subsystem, uevent);
    }

    private SharedKernel kernel() {
        return new SharedKernel().define(index.file("kernel/mii.ko"), "mii")
                .define(index.file("kernel/e1000.ko"), "e1000", "mii")
                .define(index.file("kernel/8139cp.ko"), "8139cp", "mii")
                .define(index.file("kernel/sg.ko"), "sg").define(index.file("kernel/sd_mod.ko"), "sd_mod")
                .define(index.file("kernel/usbhid.ko"), "usbhid");
    }

    /**
     * Until set, the first generation's build waits (at most 5 s) for the kernel to have this many
     * modules: a normal path as slow as a real one, which lets the plan go first.
     */
    private int slowStartUntil;

    /** Loads at once. */
    private int workers = 2;

    /** Every load's end the daemons told of. */
    private final java.util.Queue<org.autoprobe.daemon.load.LoadResult> results = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private DaemonOptions options(SharedKernel kernel) {
        GenerationSources sources = new GenerationSources(DIR, List.of(conf), List.of(), sys, null);
        int wait = slowStartUntil;
        return new DaemonOptions(sources, id -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (id == 1 && kernel.inserted().size() < wait && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            return TestGenerations.of(id, index, ModprobeConfig.EMPTY, kernel, sys);
        }, kernel,
                new ShellCommandRunner(), workers, Coldplug.Mode.WALK, null, false, null, Duration.ofSeconds(10),
                Duration.ofSeconds(5), QueueSource::new, results::add).withBootPlan(planFile);
    }

    /** {@link #boot} on another thread, for a test that holds inserts meanwhile. */
    private CompletableFuture<Map<String, String>> bootAsync(SharedKernel kernel) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return boot(kernel);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** One start until READY, the plan written, and a stop; returns the status lines by key. */
    private Map<String, String> boot(SharedKernel kernel) throws Exception {
        long before = Files.exists(planFile) ? Files.getLastModifiedTime(planFile).toMillis() : -1;
        Object key = Files.exists(planFile) ? Files.readAttributes(planFile,
                java.nio.file.attribute.BasicFileAttributes.class).fileKey() : null;
        Daemon d = Daemon.start(options(kernel));
        try {
            awaitPlanWritten(key, before);
            return status(d);
        } finally {
            d.stop();
        }
    }

    private void awaitPlanWritten(Object oldKey, long oldTime) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(planFile)) {
                Object key = Files.readAttributes(planFile, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
                if (!key.equals(oldKey) || Files.getLastModifiedTime(planFile).toMillis() != oldTime) {
                    try {
                        BootPlanFile.read(planFile);
                        return;
                    } catch (BootPlanFile.Invalid e) {
                        // being replaced
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no new boot plan in " + planFile);
    }

    private static Map<String, String> status(Daemon d) {
        return d.status().stream().map(l -> l.split("=", 2))
                .collect(Collectors.toMap(a -> a[0], a -> a[1], (a, b) -> b, java.util.LinkedHashMap::new));
    }

    private static Map<String, Long> callsPerModule(SharedKernel k) {
        return k.calls().stream().map(c -> c.split(" ")[1]).collect(Collectors.groupingBy(m -> m, Collectors.counting()));
    }

    @Test
    void theFirstBootMakesThePlanAndTheNextCarriesItOutEachModuleOnce() throws Exception {
        SharedKernel first = kernel();
        Map<String, String> s1 = boot(first);
        assertEquals("no: no plan yet", s1.get("bootplan.used"));
        assertEquals(1, first.prepared(), "the kernel calls are bound ahead of the loads, once");
        assertEquals(List.of("8139cp", "e1000", "mii", "sd_mod", "sg"), first.inserted().stream().sorted().toList());

        BootPlan plan = BootPlanFile.read(planFile);
        assertEquals(java.util.Set.of(NIC_A, NIC_B, DISK), plan.devices().keySet());
        assertEquals(List.of("sg", "sd_mod"), plan.devices().get(DISK).wants());
        assertTrue(plan.devices().get(DISK).reads().stream()
                        .anyMatch(r -> r.kind() == org.autoprobe.daemon.pipeline.SysfsRead.Kind.DEVPATH_OF
                                && r.second().equals("sg") && r.result() == null),
                "the rule's TEST [module/sg] is kept with its answer: " + plan.devices().get(DISK).reads());
        assertEquals(List.of("mii"), plan.modules().get("e1000").after());
        assertEquals(List.of("mii"), plan.modules().get("8139cp").after());
        assertEquals(index.file("kernel/e1000.ko").toString(), plan.modules().get("e1000").path());

        SharedKernel second = kernel();
        slowStartUntil = 5;
        Map<String, String> s2 = boot(second);
        assertEquals("yes", s2.get("bootplan.used"));
        assertEquals("3", s2.get("bootplan.devices_unchanged"));
        assertEquals("5", s2.get("bootplan.inserted"), "the plan loaded everything before the normal path was up: " + s2);
        assertEquals("0", s2.get("bootplan.failed"));
        assertEquals(List.of("8139cp", "e1000", "mii", "sd_mod", "sg"), second.inserted().stream().sorted().toList());
        assertEquals(Map.of("8139cp", 1L, "e1000", 1L, "mii", 1L, "sd_mod", 1L, "sg", 1L), callsPerModule(second),
                "each module inserted once: " + second.calls());
        assertEquals("4", s2.get("loads.loaded"), "the devices' modules (not mii) count as the daemon's loads: " + s2);
        assertEquals("4", s2.get("loads.started"), "no load started twice: " + s2);
        assertEquals("4", s2.get("loads.remembered"), "the coldplug found them done: " + s2);

        // and when the normal path is as quick as the plan, each module is still inserted once
        SharedKernel third = kernel();
        slowStartUntil = 0;
        Map<String, String> s3 = boot(third);
        assertEquals("3", s3.get("bootplan.devices_unchanged"), s3.toString());
        assertEquals(Map.of("8139cp", 1L, "e1000", 1L, "mii", 1L, "sd_mod", 1L, "sg", 1L), callsPerModule(third),
                "each module inserted once: " + third.calls());
        assertEquals("4", s3.get("loads.started"), "no load started twice: " + s3);
    }

    @Test
    void independentModulesLoadWhileAnotherIsStillLoading() throws Exception {
        boot(kernel());
        SharedKernel k = kernel();
        CountDownLatch e1000 = k.hold("e1000");
        CompletableFuture<Map<String, String>> booted = bootAsync(k);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!k.inserted().containsAll(List.of("mii", "8139cp", "sg", "sd_mod")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of("8139cp", "mii", "sd_mod", "sg"), k.inserted().stream().sorted().toList(),
                "everything but the held e1000 went in meanwhile");
        e1000.countDown();
        Map<String, String> s = booted.get(20, TimeUnit.SECONDS);
        assertEquals("3", s.get("bootplan.devices_unchanged"), s.toString());
        assertEquals(Map.of("8139cp", 1L, "e1000", 1L, "mii", 1L, "sd_mod", 1L, "sg", 1L), callsPerModule(k));
    }

    @Test
    void aModuleLiveButWaitingForTheKernelsAsynchronousCallsLetsItsUsersAndOtherLoadsGoIn() throws Exception {
        boot(kernel());
        SharedKernel k = kernel();
        // mii and sg are in (live) but their inserts do not return: the kernel's wait for another
        // driver's bus scan; with 2 loads at once, both permits would be held by them
        CountDownLatch mii = k.holdAfterLive("mii");
        CountDownLatch sg = k.holdAfterLive("sg");
        slowStartUntil = 5;
        CompletableFuture<Map<String, String>> booted = bootAsync(k);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (k.inserted().size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of("8139cp", "e1000", "mii", "sd_mod", "sg"), k.inserted().stream().sorted().toList(),
                "mii's users and the other loads went in while mii's and sg's inserts had not returned");
        mii.countDown();
        sg.countDown();
        Map<String, String> s = booted.get(20, TimeUnit.SECONDS);
        assertEquals("3", s.get("bootplan.devices_unchanged"), s.toString());
        assertEquals(Map.of("8139cp", 1L, "e1000", 1L, "mii", 1L, "sd_mod", 1L, "sg", 1L), callsPerModule(k));
    }

    @Test
    void aDevicesChainGoesOnBeforeTheLoadsOfDevicesCheckedAfterIt() throws Exception {
        boot(kernel());
        // the plan's devices in a known order (the walk's is the file system's): the NICs, then the disk
        BootPlan made = BootPlanFile.read(planFile);
        Map<String, BootPlan.Device> ordered = new java.util.LinkedHashMap<>();
        for (String devpath : List.of(NIC_A, NIC_B, DISK)) {
            ordered.put(devpath, java.util.Objects.requireNonNull(made.devices().get(devpath), devpath));
        }
        BootPlanFile.write(planFile, new BootPlan(made.key(), ordered, made.modules()));
        SharedKernel k = kernel();
        workers = 1;
        slowStartUntil = 5;
        // with one loader, sd_mod and sg (the disk, checked last) wait while mii runs; then the NICs'
        // modules, which needed mii, go first: their devices come first in the plan
        CountDownLatch mii = k.hold("mii");
        CompletableFuture<Map<String, String>> booted = bootAsync(k);
        Thread.sleep(300);
        mii.countDown();
        Map<String, String> s = booted.get(20, TimeUnit.SECONDS);
        assertEquals("3", s.get("bootplan.devices_unchanged"), s.toString());
        List<String> order = k.inserted();
        assertEquals(List.of("mii", "e1000", "8139cp"), order.subList(0, 3), "order of inserts: " + order);
    }

    @Test
    void aPlannedDeviceThatAppearsWhileThePlansLoadsRunIsCheckedAndLoadedForThen() throws Exception {
        boot(kernel());
        // the disk is not there at the start (its controller's driver is still loading), and appears
        // while mii's insert runs: checked then, as the others were, and its modules go in
        Path disk = sys.resolve(DISK.substring(1));
        Path kept = root.resolve("disk-kept");
        Files.move(disk, kept);
        SharedKernel k = kernel();
        CountDownLatch mii = k.hold("mii");
        slowStartUntil = 5;
        CompletableFuture<Map<String, String>> booted = bootAsync(k);
        Thread.sleep(400);
        Files.move(kept, disk);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!k.inserted().containsAll(List.of("sd_mod", "sg")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(k.inserted().containsAll(List.of("sd_mod", "sg")), "the disk's modules went in: " + k.inserted());
        assertFalse(k.inserted().contains("mii"), "while mii's insert was still held");
        mii.countDown();
        Map<String, String> s = booted.get(20, TimeUnit.SECONDS);
        assertEquals("3", s.get("bootplan.devices_unchanged"), s.toString());
        assertEquals(Map.of("8139cp", 1L, "e1000", 1L, "mii", 1L, "sd_mod", 1L, "sg", 1L), callsPerModule(k));
    }

    @Test
    void aPlannedDeviceThatNeverAppearsIsNeverLoadedFor() throws Exception {
        boot(kernel());
        deleteTree(sys.resolve(DISK.substring(1)));
        SharedKernel k = kernel();
        Map<String, String> s = boot(k);
        assertEquals("2", s.get("bootplan.devices_unchanged"), s.toString());
        assertFalse(k.inserted().contains("sd_mod"), k.inserted().toString());
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static final String XHCI = "/devices/pci0000:00/0000:00:06.0";
    private static final String KEYBOARD = "DEVTYPE=usb_interface\nINTERFACE=3/1/1\n"
            + "MODALIAS=usb:v0627p0001d0000dc00dsc00dp00ic03isc01ip01in00\n";

    /** Moves the keyboard's interface from usb{@code from} to usb{@code to}, as a boot that numbered the buses otherwise. */
    private void renumber(int from, int to) throws IOException {
        Path hub = sys.resolve(XHCI.substring(1));
        deleteTree(hub.resolve("usb" + from));
        device(XHCI + "/usb" + to + "/" + to + "-1/" + to + "-1:1.0", "usb", KEYBOARD);
    }

    @Test
    void aPlannedDeviceUnderAnotherUsbBusNumberIsTakenFromThePlanThere() throws Exception {
        device(XHCI + "/usb2/2-1/2-1:1.0", "usb", KEYBOARD);
        boot(kernel());
        assertTrue(BootPlanFile.read(planFile).devices().containsKey(XHCI + "/usb2/2-1/2-1:1.0"));
        renumber(2, 1);
        SharedKernel k = kernel();
        slowStartUntil = 6; // the normal path waits: the plan loads it all
        Map<String, String> s = boot(k);
        assertEquals("4", s.get("bootplan.devices_unchanged"), s.toString());
        assertEquals("1", s.get("bootplan.devices_moved"), s.toString());
        assertEquals("6", s.get("bootplan.inserted"), s.toString());
        assertEquals(1L, callsPerModule(k).get("usbhid"), k.calls().toString());
        BootPlan next = BootPlanFile.read(planFile);
        assertTrue(next.devices().containsKey(XHCI + "/usb1/1-1/1-1:1.0"), "the next plan has it where it is now: "
                + next.devices().keySet());
        assertFalse(next.devices().containsKey(XHCI + "/usb2/2-1/2-1:1.0"));
        for (var r : next.devices().get(XHCI + "/usb1/1-1/1-1:1.0").reads()) {
            assertFalse(r.first() != null && r.first().contains("/usb2/"), "its reads moved with it: " + r);
        }
    }

    @Test
    void aPlannedDeviceWhoseRulesTestedItsNameIsNotTakenUnderAnother() throws Exception {
        device(XHCI + "/usb2/2-1/2-1:1.0", "usb", KEYBOARD);
        boot(kernel());
        // as if a rule had matched KERNEL=="2-1:1.0" for it: under its new name, the rules could decide otherwise
        BootPlan plan = BootPlanFile.read(planFile);
        Map<String, BootPlan.Device> devices = new java.util.LinkedHashMap<>(plan.devices());
        BootPlan.Device kb = devices.get(XHCI + "/usb2/2-1/2-1:1.0");
        List<org.autoprobe.daemon.pipeline.SysfsRead> reads = new java.util.ArrayList<>(kb.reads());
        reads.add(new org.autoprobe.daemon.pipeline.SysfsRead(org.autoprobe.daemon.pipeline.SysfsRead.Kind.NAME_TEST,
                kb.devpath(), "KERNEL ==-2-1:1.0", "1"));
        devices.put(kb.devpath(), new BootPlan.Device(kb.devpath(), kb.uevent(), reads, kb.wants()));
        BootPlanFile.write(planFile, new BootPlan(plan.key(), devices, plan.modules()));
        renumber(2, 1);
        SharedKernel k = kernel();
        slowStartUntil = 5; // the normal path waits for the plan's five: usbhid is its own
        Map<String, String> s = boot(k);
        assertEquals("3", s.get("bootplan.devices_unchanged"), s.toString());
        assertEquals("0", s.get("bootplan.devices_moved"), s.toString());
        assertEquals("5", s.get("bootplan.inserted"), s.toString());
        assertEquals(1L, callsPerModule(k).get("usbhid"), "the normal path loads it: " + k.calls());
    }

    @Test
    void theRulesTestsOfEveryDevicesNameAreInThePlan() throws Exception {
        device(XHCI + "/usb2/2-1/2-1:1.0", "usb", KEYBOARD);
        boot(kernel());
        BootPlan.Device kb = BootPlanFile.read(planFile).devices().get(XHCI + "/usb2/2-1/2-1:1.0");
        // autoprobe's default rules test KERNEL=="parport_pc" and KERNEL=="mtd*ro" of every device
        assertEquals(List.of("KERNEL ==-mtd*ro=0", "KERNEL ==-parport_pc=0"), kb.reads().stream()
                .filter(r -> r.kind() == org.autoprobe.daemon.pipeline.SysfsRead.Kind.NAME_TEST)
                .map(r -> r.second() + "=" + r.result()).sorted().toList());
    }

    @Test
    void aLoadTheKernelRefusedIsTriedAtOnceAtTheNextBootAndOnceOnly() throws Exception {
        // mii's init finds nothing (ENODEV): neither NIC driver goes in, as with kmod
        boot(kernel().failInsert("mii", org.autoprobe.core.errno.Errno.of(19)));
        BootPlan plan = BootPlanFile.read(planFile);
        assertEquals(List.of("e1000"), plan.devices().get(NIC_A).wants(), "a refused load is the next boot's too");
        assertEquals(List.of("8139cp"), plan.devices().get(NIC_B).wants());

        results.clear();
        SharedKernel k = kernel().failInsert("mii", org.autoprobe.core.errno.Errno.of(19));
        slowStartUntil = 2; // sg and sd_mod: the normal path waits for the plan
        Map<String, String> s = boot(k);
        assertEquals("yes", s.get("bootplan.used"), s.toString());
        assertEquals("3", s.get("bootplan.devices_unchanged"), s.toString());
        assertEquals("1", s.get("bootplan.failed"), "mii, tried by the plan: " + s);
        assertEquals(Map.of("mii", 1L, "sd_mod", 1L, "sg", 1L), callsPerModule(k),
                "mii tried once, its users not at all, nothing tried again by the normal path: " + k.calls());
        assertEquals("2", s.get("loads.failed"), s.toString());
        List<String> failures = results.stream().filter(r -> !r.ok())
                .map(r -> r.request().module() + ": " + r.errno().name() + " " + r.detail()).sorted().toList();
        assertEquals(2, failures.size(), failures.toString());
        for (String f : failures) {
            assertTrue(f.contains("ENODEV") && f.contains("mii"), "the devices' modules fail with mii's refusal: " + failures);
        }
    }

    @Test
    void aPlanCarriedOutOnlyIsUsedAndNeverWritten() throws Exception {
        boot(kernel());
        byte[] before = Files.readAllBytes(planFile);
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(planFile);
        SharedKernel k = kernel();
        Daemon d = Daemon.start(options(k).withBootPlanCarriedOutOnly(planFile));
        Map<String, String> s;
        try {
            s = status(d);
        } finally {
            d.stop();
        }
        assertEquals("yes", s.get("bootplan.used"), s.toString());
        assertEquals("3", s.get("bootplan.devices_unchanged"), s.toString());
        assertEquals(List.of("8139cp", "e1000", "mii", "sd_mod", "sg"), k.inserted().stream().sorted().toList());
        assertEquals(written, Files.getLastModifiedTime(planFile), "not written again");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(planFile)));
        try (var files = Files.list(planFile.getParent())) {
            assertEquals(List.of(planFile), files.toList(), "no temporary file either");
        }
    }

    @Test
    void devicesThatAreGoneOrChangedOrReadOtherwiseAreLeftToTheNormalPath() throws Exception {
        boot(kernel());
        // NIC B removed, NIC A now another card (no driver), and sg is in the kernel (its rule's TEST differs)
        delete(sys.resolve(NIC_B.substring(1)));
        Files.writeString(sys.resolve(NIC_A.substring(1)).resolve("uevent"),
                "MODALIAS=pci:v0000FFFFd00000001sv0sd0bc02sc00i00\n");
        Files.createDirectories(sys.resolve("module/sg"));
        SharedKernel k = kernel();
        Map<String, String> s = boot(k);
        assertEquals("yes", s.get("bootplan.used"));
        assertEquals("0", s.get("bootplan.devices_unchanged"), s.toString());
        assertEquals("0", s.get("bootplan.inserted"));
        assertEquals(List.of("sd_mod"), k.inserted(), "only what this machine wants: " + k.calls());
    }

    @Test
    void aDriverBoundWhenTheWalkCameByDoesNotMakeTheDeviceAnother() throws Exception {
        // the last boot's walk found NIC A bound already (its driver loaded for another device first)
        Files.writeString(sys.resolve(NIC_A.substring(1)).resolve("uevent"),
                "DRIVER=e1000\nMODALIAS=pci:v00008086d0000100Esv0sd0bc02sc00i00\n");
        boot(kernel());
        Files.writeString(sys.resolve(NIC_A.substring(1)).resolve("uevent"),
                "MODALIAS=pci:v00008086d0000100Esv0sd0bc02sc00i00\n");
        Map<String, String> s = boot(kernel());
        assertEquals("3", s.get("bootplan.devices_unchanged"), s.toString());
    }

    @Test
    void aStopRightAfterReadyStillWritesThePlan() throws Exception {
        Daemon d = Daemon.start(options(kernel()));
        d.stop();
        assertEquals(java.util.Set.of(NIC_A, NIC_B, DISK), BootPlanFile.read(planFile).devices().keySet());
    }

    @Test
    void aNewConfigurationFileMeansNoPlan() throws Exception {
        boot(kernel());
        Files.writeString(conf.resolve("blacklist-nic.conf"), "blacklist 8139cp\n");
        SharedKernel k = kernel();
        Map<String, String> s = boot(k);
        assertEquals("no: stale", s.get("bootplan.used"));
        assertEquals("0", s.get("bootplan.inserted"));
        BootPlan rewritten = BootPlanFile.read(planFile);
        assertTrue(rewritten.key().stream().anyMatch(l -> l.contains("blacklist-nic.conf")), rewritten.key().toString());
    }

    @Test
    void aDamagedPlanIsIgnoredAndWrittenAgain() throws Exception {
        boot(kernel());
        byte[] whole = Files.readAllBytes(planFile);
        for (byte[] bad : List.of(java.util.Arrays.copyOf(whole, whole.length / 2), "garbage\n".getBytes(),
                new byte[0])) {
            Files.write(planFile, bad);
            SharedKernel k = kernel();
            Map<String, String> s = boot(k);
            assertEquals("no: invalid", s.get("bootplan.used"));
            assertEquals(List.of("8139cp", "e1000", "mii", "sd_mod", "sg"), k.inserted().stream().sorted().toList(),
                    "the normal path loads everything");
            BootPlanFile.read(planFile); // valid again
        }
        Files.delete(planFile);
        Files.createDirectories(planFile); // not a file at all: said, ignored, and not replaceable
        Daemon d = Daemon.start(options(kernel()));
        try {
            assertEquals("no: invalid", status(d).get("bootplan.used"));
        } finally {
            d.stop();
        }
    }

    private static void delete(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
