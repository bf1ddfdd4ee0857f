package org.autoprobe.core.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Parses {@code /proc/modules}: {@code name size refcnt holders state address [taints]}, holders as
 * {@code a,b,} or {@code -}. A line that does not parse is reported (file and line) and skipped.
 */
final class ProcModules {
    private ProcModules() {
    }

    /**
     * @param source   the file name, for messages
     * @param text     the file's contents
     * @param problems receives one message per bad line
     */
    static List<LoadedModule> parse(String source, String text, Consumer<String> problems) {
        List<LoadedModule> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Optional<LoadedModule> m = line(line);
            if (m.isPresent()) {
                out.add(m.get());
            } else {
                problems.accept(source + ":" + lineNo + ": ignoring bad line: " + line);
            }
        }
        return out;
    }

    /** One line; empty when it does not have the kernel's shape. */
    static Optional<LoadedModule> line(String line) {
        String[] f = line.trim().split("[ \t]+");
        if (f.length < 5) {
            return Optional.empty();
        }
        try {
            long size = Long.parseLong(f[1]);
            int refcount = Integer.parseInt(f[2]);
            List<String> holders = f[3].equals("-") ? List.of()
                    : Arrays.stream(f[3].split(",")).filter(s -> !s.isEmpty()).toList();
            return InitState.fromProc(f[4]).map(s -> new LoadedModule(f[0], size, refcount, holders, s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
