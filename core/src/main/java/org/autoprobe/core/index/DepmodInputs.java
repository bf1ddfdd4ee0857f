package org.autoprobe.core.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.autoprobe.core.module.ModuleNames;

/**
 * The plain files of a modules directory depmod reads besides the modules: {@code modules.order},
 * {@code modules.builtin} and {@code modules.builtin.modinfo}, read line by line the way kmod 30's
 * {@code fgets}/{@code fgetc} loops read them.
 */
final class DepmodInputs {
    /** fgets with a PATH_MAX buffer returns at most this many bytes per call. */
    private static final int LINE_MAX = 4095;

    private DepmodInputs() {
    }

    /** The pieces fgets returns, each with its newline when it has one. */
    static List<String> fgetsLines(byte[] data) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < data.length) {
            int end = start;
            while (end < data.length && end - start < LINE_MAX) {
                if (data[end++] == '\n') {
                    break;
                }
            }
            out.add(new String(data, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1));
            start = end;
        }
        return out;
    }

    /** Reads a file of the modules directory, or reports it missing as kmod does and returns null. */
    static byte[] read(String dirname, String file, Consumer<IndexProblem> report) {
        try {
            return Files.readAllBytes(Path.of(dirname, file));
        } catch (IOException e) {
            report.accept(IndexProblem.warning("could not open " + file + " at " + dirname + ": " + IndexProblem.reason(e)));
            return null;
        }
    }

    /**
     * Puts the modules in {@code modules.order}'s order (the last line naming a module counts),
     * the others after them in their given order. A file whose last line lacks its newline is
     * reported and leaves the order as given.
     */
    static <T> List<T> order(List<T> modules, List<String> orderKeys, String dirname, Consumer<IndexProblem> report) {
        byte[] data = read(dirname, "modules.order", report);
        if (data == null) {
            return modules;
        }
        List<String> lines = fgetsLines(data);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).endsWith("\n")) {
                report.accept(IndexProblem.error(dirname + "/modules.order:" + (i + 1) + " corrupted line misses '\\n'"));
                return modules;
            }
        }
        Map<String, Integer> position = new HashMap<>(modules.size() * 2);
        for (int i = 0; i < modules.size(); i++) {
            if (orderKeys.get(i) != null) {
                position.put(orderKeys.get(i), i);
            }
        }
        int total = lines.size() + 1;
        int[] sortIdx = new int[modules.size()];
        java.util.Arrays.fill(sortIdx, 1);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Integer m = position.get(line.substring(0, line.length() - 1));
            if (m != null) {
                sortIdx[m] = (i + 1) - total;
            }
        }
        Integer[] idx = new Integer[modules.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Integer.compare(sortIdx[a], sortIdx[b]));
        List<T> out = new ArrayList<>(idx.length);
        for (Integer i : idx) {
            out.add(modules.get(i));
        }
        return out;
    }

    /** The module names of {@code modules.builtin}, in file order; null when the file is missing. */
    static List<String> builtin(String dirname, Consumer<IndexProblem> report) {
        byte[] data = read(dirname, "modules.builtin", report);
        if (data == null) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String line : fgetsLines(data)) {
            char c = line.charAt(0);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                report.accept(IndexProblem.error("Invalid modules.builtin line: " + line));
                continue;
            }
            String base = line.substring(line.lastIndexOf('/') + 1);
            int dot = base.indexOf('.');
            names.add(ModuleNames.normalize(dot < 0 ? base : base.substring(0, dot)));
        }
        return names;
    }

    /**
     * The {@code alias} records of {@code modules.builtin.modinfo} ({@code module.key=value\0}),
     * aliases normalised, in file order; null when the file is missing. Reads the stream the way
     * kmod 30 does, so a record without {@code =} also swallows the record after it.
     */
    static List<ModuleIndex.Alias> builtinAliases(String dirname, Consumer<IndexProblem> report) {
        byte[] data = read(dirname, "modules.builtin.modinfo", report);
        if (data == null) {
            return null;
        }
        List<ModuleIndex.Alias> out = new ArrayList<>();
        int[] pos = {0};
        boolean eof = false;
        while (!eof) {
            String module = until(data, pos, '.');
            eof = pos[0] > data.length;
            if (module == null || module.isEmpty()) {
                continue;
            }
            String key = until(data, pos, '=');
            if (!"alias".equals(key)) {
                until(data, pos, '\0');
                eof = pos[0] > data.length;
                continue;
            }
            String value = until(data, pos, '\0');
            eof = pos[0] > data.length;
            if (value == null || value.isEmpty()) {
                continue;
            }
            String alias = ModuleNames.normalizeAlias(value);
            if (alias == null) {
                report.accept(IndexProblem.warning("Unmatched bracket in " + value));
                continue;
            }
            out.add(new ModuleIndex.Alias(alias, module));
        }
        return out;
    }

    /**
     * Reads bytes up to {@code end}, a NUL or the end of data (a read past the end leaves
     * {@code pos} beyond the data, as feof would be set). Returns the bytes read when the stop
     * was {@code end}, else null.
     */
    private static String until(byte[] data, int[] pos, char end) {
        int start = pos[0];
        int i = start;
        while (true) {
            if (i >= data.length) {
                pos[0] = data.length + 1;
                return null;
            }
            byte b = data[i++];
            if (b == end) {
                pos[0] = i;
                return new String(data, start, i - 1 - start, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            if (b == 0) {
                pos[0] = i;
                return null;
            }
        }
    }
}
