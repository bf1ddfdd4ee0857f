package org.autoprobe.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of {@code /proc/modules}: {@code name size refcnt holders state address [taints]}, holders
 * as {@code a,b,} or {@code -}.
 */
public record ProcModule(String name, long size, int refcount, List<String> holders, String state) {

    public ProcModule {
        holders = List.copyOf(holders);
    }

    /** Parses a whole {@code /proc/modules} text; a malformed line is an error naming it. */
    public static List<ProcModule> parseAll(String text) {
        List<ProcModule> modules = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                modules.add(parse(lines[i], i + 1));
            }
        }
        return modules;
    }

    static ProcModule parse(String line, int lineNumber) {
        String[] f = line.trim().split(" +");
        if (f.length < 5) {
            throw new IllegalArgumentException("/proc/modules line " + lineNumber + ": expected at least 5 fields: " + line);
        }
        try {
            List<String> holders = f[3].equals("-") ? List.of()
                    : Arrays.stream(f[3].split(",")).filter(s -> !s.isEmpty()).toList();
            return new ProcModule(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), holders, f[4]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("/proc/modules line " + lineNumber + ": bad size or count: " + line, e);
        }
    }
}
