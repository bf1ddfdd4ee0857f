package org.autoprobe.daemon.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.LoadedModule;
import org.autoprobe.core.module.ModuleNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's kernel for inserts: an insert returns as soon as its module is live, without waiting
 * for the end of the kernel's wait that follows.
 *
 * <p>The kernel ends every module's load by waiting for all asynchronous calls in the system
 * ({@code do_init_module}: the module is made live, its {@code add} uevent sent, then
 * {@code async_synchronize_full()}). Storage drivers scan their buses that way (libata's port probes,
 * the SCSI host scan), so every load that ends during a scan waits for it: 3–5 s under emulation,
 * whatever the module. While it waits, the module is in: its init has returned (it cannot fail any
 * more), its devices are bound, and the kernel resolves other modules' symbols against it. kmod's
 * modprobe, and udevd's worker behind it, wait anyway; the daemon need not: a device's event is
 * done, the next module of a chain may go in, and the worker may take the next load.
 *
 * <p>So {@code finit_module} runs on a thread of its own ({@code autoprobe-insert-N}, at the
 * loaders' raised priority); the caller waits for it and, once the call has run
 * {@link #CHECK_AFTER_MILLIS}, looks every {@link #POLL_MILLIS} at {@code /sys/module/NAME/initstate}.
 * It returns when the call returns (its answer, error included) or when the module is
 * {@code live}, whichever comes first. A module whose name is not its file's gets the call's own
 * answer. One that another loader (not the daemon) inserts at the same time may count as inserted
 * by this call once it is live, where the call would have said {@code EEXIST}: the module is in
 * either way.
 *
 * <p>One call per module at a time: an insert of a module whose call is under way (the boot plan
 * and the coordinator can both reach a shared dependency before either sees it live) makes no
 * second call; it waits for the first and has its answer, as Linux 6.5 and later answer concurrent
 * {@code finit_module} calls of one file. The kernel's own deduplication is not relied on.
 */
public final class LiveInserts implements Kernel {
    private static final Logger LOG = LoggerFactory.getLogger(LiveInserts.class);

    /** How long an insert runs before its module's state is looked at (most inserts end sooner). */
    static final long CHECK_AFTER_MILLIS = 100;
    /** How often it is looked at after that. */
    static final long POLL_MILLIS = 50;
    /** Nice value of the threads that make the calls: as the boot plan's loaders. */
    static final int CALLER_NICE = -5;

    private final Kernel kernel;
    private final ExecutorService calls;
    private final LongAdder early = new LongAdder();
    private final LongAdder joined = new LongAdder();
    /** The call under way for each module name. */
    private final java.util.concurrent.ConcurrentHashMap<String, CompletableFuture<Void>> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();

    private LiveInserts(Kernel kernel) {
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        AtomicInteger n = new AtomicInteger();
        // one thread per call under way: a call waiting in the kernel holds its thread, never a worker
        this.calls = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(() -> {
                org.autoprobe.daemon.sys.ThreadPriority.setNice(CALLER_NICE);
                r.run();
            }, "autoprobe-insert-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code kernel} with inserts that return once their module is live (itself if it is one already). */
    public static Kernel of(Kernel kernel) {
        return kernel instanceof LiveInserts ? kernel : new LiveInserts(kernel);
    }

    /** How many inserts returned because their module was live while the call still waited. */
    long returnedWhenLive() {
        return early.sum();
    }

    /** How many inserts found their module's call under way and waited for it instead of calling. */
    long joinedRunningCall() {
        return joined.sum();
    }

    @Override
    public void insert(Path file, String parameters, InsertFlags flags) throws SyscallException {
        long t0 = System.nanoTime();
        String name = ModuleNames.fromPath(file);
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(name, mine);
        CompletableFuture<Void> call;
        if (running != null) {
            joined.increment();
            LOG.debug("{}: its insert is under way; waiting for that call", name);
            call = running;
        } else {
            call = mine;
            try {
                calls.execute(() -> {
                    try {
                        kernel.insert(file, parameters, flags);
                        mine.complete(null);
                    } catch (SyscallException | RuntimeException | Error e) {
                        mine.completeExceptionally(e);
                    } finally {
                        inFlight.remove(name, mine);
                    }
                });
            } catch (RuntimeException rejected) {
                inFlight.remove(name, mine);
                throw rejected;
            }
        }
        long wait = CHECK_AFTER_MILLIS;
        boolean interrupted = false;
        try {
            while (true) {
                if (waitFor(call, wait)) {
                    return;
                }
                if (kernel.initState(name).filter(s -> s == InitState.LIVE).isPresent()) {
                    early.increment();
                    LOG.debug("{} live after {} ms; its insert goes on waiting for the kernel's asynchronous calls", name,
                            (System.nanoTime() - t0) / 1_000_000);
                    return;
                }
                wait = POLL_MILLIS;
            }
        } catch (InterruptedException e) {
            // the call goes on (the kernel cannot be stopped): its answer is still the answer
            interrupted = true;
            while (true) {
                try {
                    if (waitFor(call, POLL_MILLIS)) {
                        return;
                    }
                } catch (InterruptedException again) {
                    // keep waiting
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True when the call ended without an error within {@code millis}; its error thrown; false if still running. */
    private static boolean waitFor(CompletableFuture<Void> call, long millis) throws SyscallException, InterruptedException {
        try {
            call.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SyscallException k) {
                throw k;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void prepare() {
        kernel.prepare();
    }

    @Override
    public void remove(String name, boolean force) throws SyscallException {
        kernel.remove(name, force);
    }

    @Override
    public List<LoadedModule> loaded() throws IOException {
        return kernel.loaded();
    }

    @Override
    public Optional<InitState> initState(String name) {
        return kernel.initState(name);
    }

    @Override
    public OptionalInt refcount(String name) {
        return kernel.refcount(name);
    }

    @Override
    public List<String> holders(String name) {
        return kernel.holders(name);
    }

    @Override
    public OptionalLong size(String name) {
        return kernel.size(name);
    }

    @Override
    public Map<String, String> parameters(String name) {
        return kernel.parameters(name);
    }

    @Override
    public boolean isLive(String name) {
        return kernel.isLive(name);
    }
}
