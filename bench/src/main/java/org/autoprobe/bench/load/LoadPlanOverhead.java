package org.autoprobe.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.index.BinModuleDatabase;
import org.autoprobe.core.kernel.InsertFlags;
import org.autoprobe.core.kernel.LinuxKernel;
import org.autoprobe.core.kernel.LoadedModule;
import org.autoprobe.core.load.ShellCommandRunner;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.resolve.LoadPlan;
import org.autoprobe.core.resolve.LoadStep;
import org.autoprobe.core.resolve.ProbeFlags;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.root.SystemRoot;
import org.autoprobe.core.sys.NativeModuleSyscalls;
import org.autoprobe.core.tools.ModprobeInsert;
import org.autoprobe.core.tools.ModprobeRemove;
import org.autoprobe.rules.modprobe.ModprobeConfigLoader;

/**
 * Issue 3's in-process overhead on a real kernel (run as root in the e2e guest, not under JMH): in
 * one JVM, {@code modprobe NAME} and {@code modprobe -r NAME} through core's own code
 * ({@link ModprobeInsert}, {@link ModprobeRemove} over {@link LinuxKernel}), round after round, with
 * the module system calls timed by a decorator. Overhead = (whole operation - time inside
 * {@code finit_module}/{@code init_module}/{@code delete_module}) / that time.
 * <p>
 * Two ways of running each operation, alternating in every round:
 * <ul>
 *   <li>{@code invocation}: what one {@code modprobe NAME} does in-process: open the index, load
 *       modprobe.d and the kernel command line, then resolve, plan and execute;</li>
 *   <li>{@code resident}: the index and configuration opened once (the daemon's case): resolve, plan
 *       and execute.</li>
 * </ul>
 * After each removal whatever {@code modprobe -r} leaves loaded is removed (untimed), so every
 * round starts from the boot state.
 * <p>
 * Usage: {@code LoadPlanOverhead [MODULE (snd-hda-intel)] [WARMUP (5)] [ROUNDS (20)]}; the module
 * tree is {@code /lib/modules/$(uname -r)}.
 */
public final class LoadPlanOverhead {
    private final String module;
    private final Path moduleDir;
    private final Optional<String> cmdline;
    private final TimedSyscalls calls = new TimedSyscalls(NativeModuleSyscalls.system());
    private final LinuxKernel raw = new LinuxKernel(SystemRoot.host(), calls, p -> System.err.println("warning: " + p));
    private final TimedKernel kernel = new TimedKernel(raw);
    private final Set<String> bootModules = new HashSet<>();
    private final Resolver resident;
    private int chain;

    private LoadPlanOverhead(String module, Path moduleDir) throws IOException {
        this.module = module;
        this.moduleDir = moduleDir;
        this.cmdline = Optional.of(org.autoprobe.core.text.RawText.decode(Files.readAllBytes(SystemRoot.host().cmdline())));
        for (LoadedModule m : raw.loaded()) {
            bootModules.add(m.name());
        }
        this.resident = resolver();
    }

    public static void main(String[] args) throws Exception {
        String module = args.length > 0 ? args[0] : "snd-hda-intel";
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        SystemRoot host = SystemRoot.host();
        LoadPlanOverhead bench = new LoadPlanOverhead(module, host.modulesDirectory(host.osRelease()));
        bench.run(warmup, rounds);
    }

    private Resolver resolver() {
        return new Resolver(BinModuleDatabase.open(moduleDir),
                ModprobeConfigLoader.load(List.of(), moduleDir, cmdline, w -> System.err.println("config: " + w)),
                kernel, e -> System.err.println("resolver: " + e));
    }

    private void run(int warmup, int rounds) throws IOException {
        LoadPlan plan = resident.plan(module, flags(), null).get(0);
        List<String> inserts = new ArrayList<>();
        for (LoadStep s : plan.steps()) {
            if (s.kind() == LoadStep.Kind.INSMOD) {
                inserts.add(s.module());
            }
        }
        chain = inserts.size();
        if (chain < 6) {
            throw new IllegalStateException(module + " inserts only " + chain + " modules " + inserts
                    + "; pick one with five or more dependencies, not loaded at boot");
        }
        System.out.printf("kernel %s, module %s: %d modules (%s)%n", moduleDir.getFileName(), module, chain,
                String.join(" ", inserts));
        System.out.printf("%d warm-up rounds, %d measured; JVM %s, %d CPUs%n", warmup, rounds,
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors());
        Figures[] figs = new Figures[4];
        for (int i = 0; i < figs.length; i++) {
            figs[i] = new Figures(Kind.values()[i].label);
        }
        for (int r = 0; r < warmup + rounds; r++) {
            boolean measured = r >= warmup;
            for (boolean perInvocation : new boolean[] {true, false}) {
                Sample load = load(perInvocation);
                Sample remove = remove(perInvocation);
                cleanUp();
                if (measured) {
                    figs[perInvocation ? 0 : 2].add(load);
                    figs[perInvocation ? 1 : 3].add(remove);
                }
            }
        }
        Figures.header();
        for (Figures f : figs) {
            f.print();
        }
        System.out.println();
        System.out.println("breakdown of the non-syscall time, medians in ms (setup = index open + config + resolver):");
        for (Figures f : figs) {
            f.breakdown();
        }
    }

    private enum Kind {
        LOAD_INVOCATION("load, invocation"), REMOVE_INVOCATION("remove, invocation"),
        LOAD_RESIDENT("load, resident"), REMOVE_RESIDENT("remove, resident");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private ProbeFlags flags() {
        return new ProbeFlags(false, false, false, ProbeFlags.Blacklist.ALIAS_ONLY);
    }

    private Sample load(boolean perInvocation) {
        reset();
        long t0 = System.nanoTime();
        Resolver resolver = perInvocation ? resolver() : resident;
        long t1 = System.nanoTime();
        ToolLog log = ToolLog.modprobe(0, false);
        ToolResult r = new ModprobeInsert(resolver, kernel, new ShellCommandRunner(Map.of()), log,
                new ModprobeInsert.Options(false, false, false, false, new InsertFlags(false, false)))
                .run(List.of(module));
        long t2 = System.nanoTime();
        check("modprobe " + module, r, chain);
        return sample(t0, t1, t2);
    }

    private Sample remove(boolean perInvocation) {
        reset();
        long t0 = System.nanoTime();
        Resolver resolver = perInvocation ? resolver() : resident;
        long t1 = System.nanoTime();
        ToolLog log = ToolLog.modprobe(0, false);
        ToolResult r = new ModprobeRemove(resolver, kernel, new ShellCommandRunner(Map.of()), log,
                new ModprobeRemove.Options(false, false, false, false, false, false), false)
                .run(List.of(module));
        long t2 = System.nanoTime();
        check("modprobe -r " + module, r, -1);
        return sample(t0, t1, t2);
    }

    private void reset() {
        calls.reset();
        kernel.reset();
    }

    private Sample sample(long t0, long t1, long t2) {
        return new Sample(t2 - t0, t1 - t0, calls.nanos(), kernel.callNanos(), kernel.stateNanos(),
                kernel.stateQueries(), calls.count());
    }

    private void check(String what, ToolResult r, int expectedCalls) {
        if (r.exitCode() != 0 || !r.stderr().isEmpty() || (expectedCalls >= 0 && calls.count() != expectedCalls)) {
            throw new IllegalStateException(what + " failed: exit " + r.exitCode() + ", " + calls.count()
                    + " system calls, stderr " + r.stderr());
        }
    }

    /** Removes, untimed, what modprobe -r left (dependencies that became unused too late). */
    private void cleanUp() throws IOException {
        for (int pass = 0; pass < 30; pass++) {
            boolean progress = false;
            for (LoadedModule m : raw.loaded()) {
                if (!bootModules.contains(m.name()) && m.refcount() == 0) {
                    try {
                        raw.remove(m.name(), false);
                        progress = true;
                    } catch (SyscallException e) {
                        // a holder goes first; the next pass gets it
                    }
                }
            }
            if (!progress) {
                break;
            }
        }
        Set<String> left = new HashSet<>();
        for (LoadedModule m : raw.loaded()) {
            left.add(m.name());
        }
        if (!left.equals(bootModules)) {
            left.removeAll(bootModules);
            throw new IllegalStateException("not back to the boot state: " + left + " still loaded");
        }
    }
}
