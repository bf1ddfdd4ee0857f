package org.autoprobe.daemon.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.daemon.testing.SharedKernel;
import org.junit.jupiter.api.Test;

class LiveInsertsTest {
    private static final Path MII = Path.of("/lib/modules/9.9.9/kernel/mii.ko");
    private static final Path E1000 = Path.of("/lib/modules/9.9.9/kernel/e1000.ko");

    private static SharedKernel kernel() {
        return new SharedKernel().define(MII, "mii").define(E1000, "e1000", "mii");
    }

    @Test
    void anInsertReturnsOnceItsModuleIsLiveWhileTheCallStillWaits() throws Exception {
        SharedKernel k = kernel();
        CountDownLatch scan = k.holdAfterLive("mii");
        Kernel live = LiveInserts.of(k);
        long t0 = System.nanoTime();
        live.insert(MII, "", InsertFlags.NONE);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5_000, "returned while the call was held: " + ms + " ms");
        assertTrue(live.isLive("mii"));
        // read now: e1000's insert below may count too on a loaded machine (its call not back within
        // the first 100 ms, its module live by then), which is right but not what this test is about
        assertEquals(1, ((LiveInserts) live).returnedWhenLive());
        live.insert(E1000, "", InsertFlags.NONE); // its user goes in meanwhile
        assertEquals(List.of("mii", "e1000"), k.inserted());
        scan.countDown();
    }

    @Test
    void anInsertHeldBeforeItsModuleIsLiveWaitsForTheCall() throws Exception {
        SharedKernel k = kernel();
        CountDownLatch init = k.hold("mii"); // its init runs: not live, the call has not returned
        Kernel live = LiveInserts.of(k);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            init.countDown();
        });
        releaser.start();
        long t0 = System.nanoTime();
        live.insert(MII, "", InsertFlags.NONE);
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 350, "waited for the call");
        assertEquals(0, ((LiveInserts) live).returnedWhenLive());
        releaser.join();
    }

    @Test
    void theCallsRefusalIsTheInsertsAnswer() {
        SharedKernel k = kernel().failInsert("mii", Errno.of(19));
        Kernel live = LiveInserts.of(k);
        SyscallException e = assertThrows(SyscallException.class, () -> live.insert(MII, "", InsertFlags.NONE));
        assertEquals(19, e.errno().value());
        SyscallException missing = assertThrows(SyscallException.class,
                () -> live.insert(E1000, "", InsertFlags.NONE));
        assertEquals(Errno.ENOENT.value(), missing.errno().value(), "e1000 without mii: unknown symbols");
    }

    @Test
    void wrappingTwiceIsWrappingOnce() {
        Kernel once = LiveInserts.of(kernel());
        assertTrue(LiveInserts.of(once) == once);
    }

    @Test
    void aSecondInsertOfAModuleWhoseCallIsUnderWayMakesNoSecondCall() throws Exception {
        SharedKernel k = kernel();
        CountDownLatch init = k.hold("mii"); // the first call is in the module's init
        LiveInserts live = (LiveInserts) LiveInserts.of(k);
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<?> a = two.submit(() -> {
                live.insert(MII, "", InsertFlags.NONE);
                return null;
            });
            long deadline = System.nanoTime() + 5_000_000_000L;
            // the first call is under way once its thread is (it waits in the held init)
            while (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("autoprobe-insert-"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            java.util.concurrent.Future<?> b = two.submit(() -> {
                live.insert(MII, "", InsertFlags.NONE);
                return null;
            });
            while (live.joinedRunningCall() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertEquals(1, live.joinedRunningCall(), "the second insert joined the first call");
            init.countDown();
            a.get(5, java.util.concurrent.TimeUnit.SECONDS);
            b.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(List.of("finit_module mii  0"), k.calls(), "one call to the kernel");
            // once the call is over, an insert is a call again (the kernel answers EEXIST)
            SyscallException again = assertThrows(SyscallException.class, () -> live.insert(MII, "", InsertFlags.NONE));
            assertEquals(Errno.EEXIST.value(), again.errno().value());
        } finally {
            two.shutdownNow();
        }
    }
}
