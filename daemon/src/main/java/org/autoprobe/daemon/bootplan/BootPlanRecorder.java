package org.autoprobe.daemon.bootplan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.autoprobe.core.resolve.LoadPlan;
import org.autoprobe.core.resolve.LoadStep;
import org.autoprobe.core.resolve.ModuleState;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.load.LoadResult;
import org.autoprobe.daemon.pipeline.DecisionListener;
import org.autoprobe.daemon.pipeline.Origin;
import org.autoprobe.daemon.pipeline.RingEvent;
import org.autoprobe.daemon.pipeline.SysfsRead;
import org.autoprobe.netlink.sysfs.SysfsDevice;

/**
 * Notes what the start's coldplug decided, device by device (the walk tells it each device's
 * {@code uevent}, the pipeline each decision with the rules' sysfs reads), and makes the next
 * boot's plan from it once the loads have ended. Only coldplug decisions are kept: a device that
 * appeared later (a USB device behind a controller whose driver the coldplug loaded) is not in the
 * plan, and comes through the uevent socket at the next boot as at this one.
 */
public final class BootPlanRecorder implements DecisionListener {
    private record Decision(List<SysfsRead> reads, List<String> modules) {
    }

    private final Map<String, String> uevents = new ConcurrentHashMap<>();
    private final Map<String, Decision> decisions = new LinkedHashMap<>();
    private volatile boolean recording = true;

    /** The coldplug walk found {@code d} (called before its event is published). */
    public void seen(SysfsDevice d) {
        if (recording) {
            uevents.put(d.devpath(), BootPlan.canonical(d));
        }
    }

    @Override
    public void decided(RingEvent ev) {
        if (!recording || ev.origin() != Origin.COLDPLUG || ev.modules().isEmpty() || ev.devpath() == null) {
            return;
        }
        Decision d = new Decision(List.copyOf(new LinkedHashSet<>(ev.reads())), List.copyOf(new LinkedHashSet<>(ev.modules())));
        synchronized (decisions) {
            decisions.putIfAbsent(ev.devpath(), d);
        }
    }

    /** The start's coldplug is over: later events are not noted. */
    public void stop() {
        recording = false;
    }

    /**
     * The plan for the next boot: each device noted, with the modules its decision wanted that were
     * {@linkplain #tried tried} (loaded, there, or refused by the kernel) and what kmod would insert
     * for them on a kernel that has nothing loaded, as generation {@code g} plans them. A module
     * that needs an install command or a missing file is left to the normal path (so is its
     * device's share of the plan: the device keeps its other modules).
     *
     * <p>A device that this boot took from the last plan ({@code unchanged}) keeps that plan's entry:
     * it was checked against this boot's start, before any load, while the coldplug saw it later,
     * perhaps after the plan's loads had changed what its rules read (a {@code TEST} of a module the
     * plan had just loaded).
     *
     * @param unchanged the last plan's devices found unchanged at this start (empty without a plan)
     * @param finished  the coordinator's last result of each module
     * @param notes     told why modules are left out
     */
    public BootPlan build(List<String> key, Generation g, Map<String, BootPlan.Device> unchanged,
                          Map<String, LoadResult> finished, Consumer<String> notes) {
        Resolver fresh = g.resolver().resolver().assuming(ModuleState.nothingLoaded());
        Map<String, ModuleEdges> modules = new LinkedHashMap<>();
        Map<String, Boolean> plannable = new java.util.HashMap<>();
        Map<String, BootPlan.Device> devices = new LinkedHashMap<>();
        Map<String, Decision> noted = new LinkedHashMap<>();
        Map<String, String> ueventOf = new java.util.HashMap<>(uevents);
        for (BootPlan.Device d : unchanged.values()) {
            noted.put(d.devpath(), new Decision(d.reads(), d.wants()));
            ueventOf.put(d.devpath(), d.uevent());
        }
        synchronized (decisions) {
            decisions.forEach(noted::putIfAbsent);
        }
        for (Map.Entry<String, Decision> e : noted.entrySet()) {
            String uevent = ueventOf.get(e.getKey());
            if (uevent == null) {
                continue;
            }
            List<String> wants = new ArrayList<>();
            for (String m : e.getValue().modules()) {
                LoadResult r = finished.get(m);
                if (r == null || !tried(r.status())) {
                    continue;
                }
                Boolean ok = plannable.get(m);
                if (ok == null) {
                    ok = add(fresh, m, modules, notes);
                    plannable.put(m, ok);
                }
                if (ok) {
                    wants.add(m);
                }
            }
            if (!wants.isEmpty()) {
                devices.put(e.getKey(), new BootPlan.Device(e.getKey(), uevent, e.getValue().reads(), wants));
            }
        }
        Map<String, BootPlan.Module> out = new LinkedHashMap<>();
        modules.forEach((name, m) -> {
            m.soft.removeAll(m.after);
            out.put(name, new BootPlan.Module(name, m.path, m.options, List.copyOf(m.after), List.copyOf(m.soft)));
        });
        return new BootPlan(key, devices, out);
    }

    /**
     * Whether a load that ended so is one the next boot repeats: inserted, found in the kernel, or
     * refused by it (a driver whose init finds no device, {@code ENODEV}: the normal path would try
     * it again at the next boot, late, when the walk reaches its device; the plan tries it at once,
     * and the coordinator keeps that answer for the generation, so it is tried once, as udevd does).
     * A blacklisted or vanished module is not planned.
     */
    static boolean tried(LoadResult.Status status) {
        return status == LoadResult.Status.LOADED || status == LoadResult.Status.ALREADY_LOADED
                || status == LoadResult.Status.FAILED;
    }

    private static final class ModuleEdges {
        final String path;
        final String options;
        final Set<String> after = new LinkedHashSet<>();
        final Set<String> soft = new LinkedHashSet<>();

        ModuleEdges(String path, String options) {
            this.path = path;
            this.options = options;
        }
    }

    /** Adds {@code target}'s modules and their order; false (nothing added) when it cannot be planned. */
    private static boolean add(Resolver fresh, String target, Map<String, ModuleEdges> modules, Consumer<String> notes) {
        LoadPlan plan = null;
        for (LoadPlan p : fresh.plan(target, LoadCoordinator.UDEV, null)) {
            if (p.target().name().equals(target)) {
                plan = p;
                break;
            }
        }
        if (plan == null || plan.outcome() != LoadPlan.Outcome.LOAD) {
            return false; // built in, blacklisted since, or gone from the index
        }
        List<LoadStep> inserts = new ArrayList<>();
        for (LoadStep s : plan.steps()) {
            switch (s.kind()) {
                case INSMOD -> inserts.add(s);
                case BUILTIN, ALREADY_LOADED -> {
                }
                default -> {
                    notes.accept(target + " is left to the normal path: " + (s.kind() == LoadStep.Kind.INSTALL
                            ? "an install command runs for " + s.module() : s.module() + " has no module file"));
                    return false;
                }
            }
        }
        Map<String, String> byPath = new java.util.HashMap<>();
        for (LoadStep s : inserts) {
            byPath.put(s.path(), s.module());
        }
        int targetAt = -1;
        for (int i = 0; i < inserts.size(); i++) {
            if (inserts.get(i).module().equals(target)) {
                targetAt = i;
            }
        }
        if (targetAt < 0) {
            return false;
        }
        Map<String, ModuleEdges> staged = new LinkedHashMap<>();
        for (int i = 0; i < inserts.size(); i++) {
            LoadStep s = inserts.get(i);
            ModuleEdges m = staged.computeIfAbsent(s.module(), k -> new ModuleEdges(s.path(), s.options()));
            for (String dep : fresh.module(s.module()).dependencies()) {
                String d = byPath.get(dep);
                if (d != null && !d.equals(s.module())) {
                    m.after.add(d);
                }
            }
            if (i == targetAt) {
                for (int j = 0; j < i; j++) {
                    LoadStep before = inserts.get(j);
                    (before.required() ? m.after : m.soft).add(before.module());
                }
            } else if (i > targetAt) {
                m.after.add(target); // a softdep's post: only once the module itself is in
            }
        }
        for (Map.Entry<String, ModuleEdges> e : staged.entrySet()) {
            ModuleEdges known = modules.get(e.getKey());
            if (known == null) {
                modules.put(e.getKey(), e.getValue());
            } else {
                known.after.addAll(e.getValue().after);
                known.soft.addAll(e.getValue().soft);
            }
        }
        return true;
    }
}
