package org.autoprobe.core.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleSymbol;

/**
 * depmod's dependency computation over modules in depmod order: the symbol table (the last
 * exporter wins), each module's direct dependencies (in the order of their first needed symbol),
 * the topological index from Kahn's algorithm with a last-in-first-out stack, and every module's
 * transitive dependencies sorted by that index. Cycles are reported as kmod 30 reports them.
 */
final class DependencySolver {
    /** Everything solved: owners of symbols and, per module, its transitive dependencies. */
    record Solved(Map<String, Integer> symbolOwners, int[][] dependencies) {
    }

    private final List<ModuleInfo> modules;
    private final int n;
    private final int[][] direct;
    private final int[] directCount;
    private final int[] users;

    private DependencySolver(List<ModuleInfo> modules) {
        this.modules = modules;
        this.n = modules.size();
        this.direct = new int[n][];
        this.directCount = new int[n];
        this.users = new int[n];
    }

    /**
     * How symbols are looked up and what is said about them (depmod's {@code -e}, {@code -E},
     * {@code -F}, {@code -P} and {@code -v}).
     *
     * @param kernel        the kernel's own symbols with their CRCs (0 from a System.map), or null
     *                      when not known; when known, needed symbols nobody provides are reported
     * @param checkVersions compare a needed symbol's CRC with its provider's and report disagreements
     *                      (a Module.symvers was given, and {@code kernel} is known)
     * @param prefix        the architecture's symbol prefix, dropped from the front of every name
     *                      ({@code -P}); 0 for none
     * @param needs         receives depmod {@code -v}'s line for each new dependency, or null
     */
    record Symbols(Map<String, Long> kernel, boolean checkVersions, char prefix, Consumer<String> needs) {
        static final Symbols NONE = new Symbols(null, false, (char) 0, null);

        /** An exported name as depmod keys it: without the prefix. */
        String exported(String name) {
            return prefix != 0 && !name.isEmpty() && name.charAt(0) == prefix ? name.substring(1) : name;
        }

        /** A needed name as depmod looks it up: without a leading '.' (PPC64), then without the prefix. */
        String needed(String name) {
            return exported(name.startsWith(".") ? name.substring(1) : name);
        }
    }

    static Solved solve(List<ModuleInfo> modules, Symbols symbols, Consumer<IndexProblem> report)
            throws DependencyCycleException {
        DependencySolver s = new DependencySolver(modules);
        Map<String, Integer> owners = s.symbols(symbols);
        s.directDependencies(owners, symbols, report);
        int[] sortIdx = s.topologicalIndex();
        return new Solved(owners, s.transitive(sortIdx));
    }

    private Map<String, Integer> symbols(Symbols symbols) {
        Map<String, Integer> owners = new HashMap<>(n * 8);
        for (int i = 0; i < n; i++) {
            for (ModuleSymbol s : modules.get(i).exports()) {
                owners.put(symbols.exported(s.name()), i);
            }
        }
        return owners;
    }

    /** The CRC the exporter gives {@code name} (the last exporter's, as the owner is the last). */
    private long exportCrc(int owner, String name, Symbols symbols) {
        long crc = 0;
        for (ModuleSymbol s : modules.get(owner).exports()) {
            if (symbols.exported(s.name()).equals(name)) {
                crc = s.crc();
            }
        }
        return crc;
    }

    private void directDependencies(Map<String, Integer> owners, Symbols symbols, Consumer<IndexProblem> report) {
        Map<String, Long> kernel = symbols.kernel();
        for (int i = 0; i < n; i++) {
            int[] deps = new int[4];
            int count = 0;
            ModuleInfo m = modules.get(i);
            for (ModuleSymbol need : m.needs()) {
                String name = symbols.needed(need.name());
                Integer owner = owners.get(name);
                Long kernelCrc = owner == null && kernel != null ? kernel.get(name) : null;
                if (owner == null && kernelCrc == null) {
                    if (kernel != null && !need.weak()) {
                        report.accept(IndexProblem.warning(m.file() + " needs unknown symbol " + need.name()));
                    }
                    continue;
                }
                if (symbols.checkVersions() && kernel != null && !need.weak()) {
                    long crc = owner != null ? exportCrc(owner, name, symbols) : kernelCrc;
                    if (crc != need.crc()) {
                        report.accept(IndexProblem.warning(m.file() + " disagrees about version of symbol " + need.name()));
                    }
                }
                if (owner == null) {
                    continue; // the kernel's own: no module to depend on
                }
                int o = owner;
                boolean seen = false;
                for (int k = 0; k < count; k++) {
                    if (deps[k] == o) {
                        seen = true;
                        break;
                    }
                }
                if (!seen) {
                    if (count == deps.length) {
                        deps = Arrays.copyOf(deps, count * 2);
                    }
                    deps[count++] = o;
                    users[o]++;
                    if (symbols.needs() != null) {
                        symbols.needs().accept(m.file() + " needs \"" + name + "\": " + modules.get(o).file());
                    }
                }
            }
            direct[i] = deps;
            directCount[i] = count;
        }
    }

    private int[] topologicalIndex() throws DependencyCycleException {
        int[] left = users.clone();
        int[] stack = new int[n];
        int top = 0;
        for (int i = 0; i < n; i++) {
            if (left[i] == 0) {
                stack[top++] = i;
            }
        }
        int[] sortIdx = new int[n];
        Arrays.fill(sortIdx, Integer.MAX_VALUE);
        int sorted = 0;
        while (top > 0) {
            int src = stack[--top];
            sortIdx[src] = sorted++;
            for (int k = 0; k < directCount[src]; k++) {
                int dst = direct[src][k];
                if (--left[dst] == 0) {
                    stack[top++] = dst;
                }
            }
        }
        if (sorted < n) {
            throw cycles(left);
        }
        return sortIdx;
    }

    private int[][] transitive(int[] sortIdx) {
        int[][] out = new int[n][];
        int[] stamp = new int[n];
        int[] found = new int[n];
        int[] work = new int[n];
        for (int i = 0; i < n; i++) {
            int mark = i + 1;
            int count = 0;
            int top = 0;
            work[top++] = i;
            while (top > 0) {
                int m = work[--top];
                for (int k = 0; k < directCount[m]; k++) {
                    int d = direct[m][k];
                    if (stamp[d] != mark) {
                        stamp[d] = mark;
                        found[count++] = d;
                        work[top++] = d;
                    }
                }
            }
            long[] keyed = new long[count];
            for (int k = 0; k < count; k++) {
                keyed[k] = ((long) sortIdx[found[k]] << 32) | found[k];
            }
            Arrays.sort(keyed);
            int[] deps = new int[count];
            for (int k = 0; k < count; k++) {
                deps[k] = (int) keyed[k];
            }
            out[i] = deps;
        }
        return out;
    }

    /** A path step while looking for cycles. */
    private record Vertex(int module, Vertex parent, int depth) {
    }

    /**
     * kmod 30's list of modules still to start a cycle search from: a circular list whose head
     * moves to the element after any element removed (kmod's list removal hands back the next
     * node, and depmod keeps it as the new head).
     */
    private static final class RingList {
        private final List<Integer> items;
        private int head;

        RingList(List<Integer> items) {
            this.items = items;
        }

        boolean isEmpty() {
            return items.isEmpty();
        }

        int popHead() {
            int v = items.get(head);
            removeAt(head);
            return v;
        }

        void remove(int module) {
            int at = items.indexOf(module);
            if (at >= 0) {
                removeAt(at);
            }
        }

        private void removeAt(int at) {
            items.remove(at);
            head = items.isEmpty() || at >= items.size() ? 0 : at;
        }
    }

    /**
     * kmod 30's cycle report: from each module left with users (a ring in module order), a
     * depth-first walk that reports a cycle whenever it comes back to its starting module.
     */
    private DependencyCycleException cycles(int[] left) {
        List<Integer> remaining = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (left[i] > 0) {
                remaining.add(i);
            }
        }
        int limit = remaining.size() + 1;
        RingList roots = new RingList(remaining);
        boolean[] visited = new boolean[n];
        Set<String> onCycles = new LinkedHashSet<>();
        List<String> reports = new ArrayList<>();
        while (!roots.isEmpty()) {
            int root = roots.popHead();
            List<Vertex> stack = new ArrayList<>();
            stack.add(new Vertex(root, null, 0));
            while (!stack.isEmpty()) {
                Vertex v = stack.remove(stack.size() - 1);
                int m = v.module();
                if (visited[m] && m == root) {
                    List<Integer> path = new ArrayList<>();
                    for (Vertex p = v.parent(); p != null; p = p.parent()) {
                        path.add(0, p.module());
                        onCycles.add(modules.get(p.module()).name());
                    }
                    StringBuilder sb = new StringBuilder();
                    for (int p : path) {
                        sb.append(modules.get(p).name()).append(" -> ");
                        roots.remove(p);
                    }
                    reports.add(sb.append(modules.get(m).name()).toString());
                    continue;
                }
                visited[m] = true;
                if (directCount[m] == 0) {
                    roots.remove(m);
                    continue;
                }
                if (v.depth() >= limit) {
                    continue; // a cycle that does not pass through root: kmod would walk it forever
                }
                for (int k = 0; k < directCount[m]; k++) {
                    stack.add(new Vertex(direct[m][k], v, v.depth() + 1));
                }
            }
        }
        return new DependencyCycleException(reports, onCycles.size());
    }
}
