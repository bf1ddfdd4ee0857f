package org.autoprobe.core.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.root.SystemRoot;

/**
 * The real kernel: module system calls through {@link ModuleSyscalls}, state from {@code /proc} and
 * {@code /sys} under a {@link SystemRoot}. Holds no cache of kernel state: every question reads
 * the kernel's files afresh.
 */
public final class LinuxKernel implements Kernel {
    private final SystemRoot root;
    private final ModuleSyscalls calls;
    private final SysfsModules sysfs;
    private final ModuleInserter inserter;
    private final Consumer<String> problems;

    /**
     * @param problems receives one message per unreadable {@code /proc/modules} line
     */
    public LinuxKernel(SystemRoot root, ModuleSyscalls calls, Consumer<String> problems) {
        this.root = Objects.requireNonNull(root, "root");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.sysfs = new SysfsModules(root.sys());
        this.inserter = new ModuleInserter(calls, sysfs::kernelCompression);
    }

    public LinuxKernel(SystemRoot root, ModuleSyscalls calls) {
        this(root, calls, p -> { });
    }

    @Override
    public void prepare() {
        calls.prepare();
    }

    @Override
    public void insert(Path file, String parameters, InsertFlags flags) throws SyscallException {
        inserter.insert(ModuleNames.fromPath(file), file, parameters == null ? "" : parameters, flags);
    }

    @Override
    public void remove(String name, boolean force) throws SyscallException {
        int flags = ModuleSyscalls.O_NONBLOCK | (force ? ModuleSyscalls.O_TRUNC : 0);
        try {
            calls.deleteModule(name, flags);
        } catch (SyscallException e) {
            if (e.errno().equals(Errno.EAGAIN) || e.errno().equals(Errno.EBUSY)) {
                List<String> holders = holders(name);
                if (!holders.isEmpty()) {
                    throw KernelCall.DELETE_MODULE.failure(name, e.errno(), " by: " + String.join(" ", holders));
                }
            }
            throw e;
        }
    }

    @Override
    public List<LoadedModule> loaded() throws IOException {
        Path file = root.procModules();
        return ProcModules.parse(file.toString(), Files.readString(file, StandardCharsets.ISO_8859_1), problems);
    }

    @Override
    public Optional<InitState> initState(String name) {
        return sysfs.initState(name);
    }

    @Override
    public OptionalInt refcount(String name) {
        return sysfs.refcount(name);
    }

    @Override
    public List<String> holders(String name) {
        return sysfs.holders(name);
    }

    @Override
    public OptionalLong size(String name) {
        if (!Files.isDirectory(sysfs.directory(name))) {
            return OptionalLong.empty();
        }
        OptionalLong core = sysfs.coreSize(name);
        if (core.isPresent()) {
            return core;
        }
        try {
            return loaded().stream().filter(m -> m.name().equals(name)).mapToLong(LoadedModule::size).findFirst();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public Map<String, String> parameters(String name) {
        return sysfs.parameters(name);
    }
}
