package org.autoprobe.daemon.bootplan;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.autoprobe.daemon.pipeline.SysfsRead;

/**
 * What the daemon decided at a boot, to be done at once at the next one if nothing it depended on
 * has changed: the {@link BootKey} lines, the devices present at start that wanted modules (each
 * with its {@code uevent} contents and the sysfs reads of its rules), and every module those loads
 * insert, with what must be in the kernel before it.
 *
 * @param key     the {@link BootKey} of the boot that made it
 * @param devices by devpath, in walk order
 * @param modules by name
 */
public record BootPlan(List<String> key, Map<String, Device> devices, Map<String, Module> modules) {
    public BootPlan {
        key = List.copyOf(key);
        devices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(devices));
        modules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        for (Device d : devices.values()) {
            for (String m : d.wants()) {
                if (!modules.containsKey(m)) {
                    throw new IllegalArgumentException(d.devpath() + " wants " + m + ", which the plan does not have");
                }
            }
        }
        for (Module m : modules.values()) {
            for (String p : m.after()) {
                if (!modules.containsKey(p)) {
                    throw new IllegalArgumentException(m.name() + " comes after " + p + ", which the plan does not have");
                }
            }
            for (String p : m.softAfter()) {
                if (!modules.containsKey(p)) {
                    throw new IllegalArgumentException(m.name() + " comes after " + p + ", which the plan does not have");
                }
            }
        }
        String cycle = cycle(modules);
        if (cycle != null) {
            throw new IllegalArgumentException("the modules' order has a cycle through " + cycle);
        }
    }

    /**
     * A device present at start.
     *
     * @param devpath its devpath
     * @param uevent  its {@code uevent} file's contents, canonical ({@link #canonical})
     * @param reads   what the rules read of sysfs while deciding it, with the answers
     * @param wants   the modules it made the daemon load (after the blacklist), in order
     */
    public record Device(String devpath, String uevent, List<SysfsRead> reads, List<String> wants) {
        public Device {
            Objects.requireNonNull(devpath, "devpath");
            Objects.requireNonNull(uevent, "uevent");
            reads = List.copyOf(reads);
            wants = List.copyOf(wants);
        }

        /**
         * The same entry for the device at {@code to} (found there under other numbers): its reads of
         * its own directory and below made there ({@link SysfsRead#movedTo}).
         */
        Device movedTo(String to) {
            List<SysfsRead> moved = new java.util.ArrayList<>(reads.size());
            for (SysfsRead r : reads) {
                moved.add(r.movedTo(devpath, to));
            }
            return new Device(to, uevent, moved, wants);
        }
    }

    /**
     * One module to insert.
     *
     * @param name      its name
     * @param path      its file
     * @param options   its options (configuration and kernel command line)
     * @param after     modules that must be in the kernel first (its dependencies; for a device's
     *                  module, also the rest of what kmod inserts before it): if one fails, this is
     *                  not tried
     * @param softAfter modules to try first whose failure does not matter (softdeps: {@code pre:})
     */
    public record Module(String name, String path, String options, List<String> after, List<String> softAfter) {
        public Module {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(options, "options");
            after = List.copyOf(after);
            softAfter = List.copyOf(softAfter);
        }
    }

    /**
     * A device's {@code uevent} as the plan compares it: its subsystem, then its properties sorted by
     * key, without {@code DRIVER}. A driver binding the device adds that line, and whether it has
     * happened when a walk reaches the device depends on the loads running meanwhile; a rule that
     * looks at the driver notes it as a {@link SysfsRead.Kind#DRIVER} read, compared on its own.
     */
    static String canonical(org.autoprobe.netlink.sysfs.SysfsDevice d) {
        StringBuilder b = new StringBuilder();
        b.append("SUBSYSTEM-LINK=").append(d.subsystem());
        new java.util.TreeMap<>(d.properties()).forEach((k, v) -> {
            if (!k.equals("DRIVER")) {
                b.append('\n').append(k).append('=').append(v);
            }
        });
        return b.toString();
    }

    /** A module on a cycle of {@code after}/{@code softAfter}, or null when there is none. */
    private static String cycle(Map<String, Module> modules) {
        Map<String, Integer> state = new HashMap<>(); // 1 on the stack, 2 done
        for (String start : modules.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            Deque<java.util.Iterator<String>> stack = new ArrayDeque<>();
            Deque<String> names = new ArrayDeque<>();
            state.put(start, 1);
            names.push(start);
            stack.push(predecessors(modules.get(start)).iterator());
            while (!stack.isEmpty()) {
                java.util.Iterator<String> it = stack.peek();
                if (it.hasNext()) {
                    String p = it.next();
                    Integer s = state.get(p);
                    if (s == null) {
                        state.put(p, 1);
                        names.push(p);
                        stack.push(predecessors(modules.get(p)).iterator());
                    } else if (s == 1) {
                        return p;
                    }
                } else {
                    stack.pop();
                    state.put(names.pop(), 2);
                }
            }
        }
        return null;
    }

    private static List<String> predecessors(Module m) {
        if (m.softAfter().isEmpty()) {
            return m.after();
        }
        List<String> all = new java.util.ArrayList<>(m.after());
        all.addAll(m.softAfter());
        return all;
    }
}
