package org.autoprobe.daemon.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.InitState;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.kernel.LoadedModule;
import org.autoprobe.core.testing.InMemoryKernel;

/**
 * An {@link InMemoryKernel} made safe for the load workers, with hooks: an insert of a module
 * can be held until released (finit_module blocking), and every successful insert is reported
 * (a driver that creates child devices).
 */
public final class SharedKernel implements Kernel {
    private final InMemoryKernel kernel = new InMemoryKernel();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final List<String> inserted = new ArrayList<>();
    private volatile Consumer<String> onInsert = name -> { };

    /** Defines module {@code name} at {@code file}. */
    public synchronized SharedKernel define(Path file, String name, String... uses) {
        kernel.define(file, name, uses);
        return this;
    }

    public synchronized SharedKernel failInsert(String name, org.autoprobe.core.errno.Errno errno) {
        kernel.failInsert(name, errno);
        return this;
    }

    /** Inserts of {@code name} wait until the returned latch is counted down. */
    public CountDownLatch hold(String name) {
        CountDownLatch l = new CountDownLatch(1);
        holds.put(name, l);
        return l;
    }

    private final Map<String, CountDownLatch> holdsAfterLive = new ConcurrentHashMap<>();

    /**
     * Inserts of {@code name} put the module in (live) and then wait, before returning, until the
     * returned latch is counted down: the kernel's wait for asynchronous calls at the end of a load.
     */
    public CountDownLatch holdAfterLive(String name) {
        CountDownLatch l = new CountDownLatch(1);
        holdsAfterLive.put(name, l);
        return l;
    }

    /** Called with the module name after each successful insert, outside the kernel's lock. */
    public void onInsert(Consumer<String> hook) {
        this.onInsert = hook;
    }

    /** The finit_module calls, in order. */
    public synchronized List<String> calls() {
        return kernel.calls();
    }

    private final java.util.concurrent.atomic.AtomicInteger prepared = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void prepare() {
        prepared.incrementAndGet();
    }

    /** How many times {@link #prepare()} was called. */
    public int prepared() {
        return prepared.get();
    }

    /** The modules inserted successfully, in order. */
    public synchronized List<String> inserted() {
        return List.copyOf(inserted);
    }

    @Override
    public void insert(Path file, String parameters, InsertFlags flags) throws SyscallException {
        String name = file.getFileName().toString().replaceFirst("\\.ko.*$", "").replace('-', '_');
        CountDownLatch l = holds.get(name);
        if (l != null) {
            try {
                if (!l.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held insert of " + name + " never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        synchronized (this) {
            kernel.insert(file, parameters, flags);
            inserted.add(name);
        }
        CountDownLatch after = holdsAfterLive.get(name);
        if (after != null) {
            try {
                if (!after.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("insert of " + name + " held after it was live, never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        onInsert.accept(name);
    }

    @Override
    public synchronized void remove(String name, boolean force) throws SyscallException {
        kernel.remove(name, force);
    }

    @Override
    public synchronized List<LoadedModule> loaded() throws IOException {
        return kernel.loaded();
    }

    @Override
    public synchronized Optional<InitState> initState(String name) {
        return kernel.initState(name);
    }

    @Override
    public synchronized OptionalInt refcount(String name) {
        return kernel.refcount(name);
    }

    @Override
    public synchronized List<String> holders(String name) {
        return kernel.holders(name);
    }

    @Override
    public synchronized OptionalLong size(String name) {
        return kernel.size(name);
    }

    @Override
    public synchronized Map<String, String> parameters(String name) {
        return kernel.parameters(name);
    }
}
