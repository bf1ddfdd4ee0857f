package org.autoprobe.core.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

import org.autoprobe.core.index.trie.TrieWriter;
import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleNames;

/**
 * Writes a {@link ModuleIndex} as kmod 30's depmod does: the text files {@code modules.dep},
 * {@code .alias}, {@code .softdep}, {@code .symbols}, {@code .devname} and the tries
 * {@code modules.dep.bin}, {@code .alias.bin}, {@code .symbols.bin}, {@code .builtin.bin},
 * {@code .builtin.alias.bin}, byte for byte. Each file is written under a fresh temporary name
 * (created exclusively, mode 0644) and renamed into place.
 *
 * <p>One addition from kmod 34 (kmod 30 has none of it): {@code modules.weakdep}, written right
 * after {@code modules.softdep} (in files and in the dry run alike), a header line then one
 * {@code weakdep <mod> <value>} line per {@code weakdep=} field of a module's {@code .modinfo},
 * in module order then field order, the value verbatim; the header is there even when no
 * module has such a field.
 */
public final class IndexWriter {
    /** The files depmod writes, in the order it writes them. */
    static final List<String> FILES = List.of("modules.dep", "modules.dep.bin", "modules.alias",
            "modules.alias.bin", "modules.softdep", "modules.weakdep", "modules.symbols", "modules.symbols.bin",
            "modules.builtin.bin", "modules.builtin.alias.bin", "modules.devname");

    private final ModuleIndex index;
    private final Consumer<IndexProblem> report;
    private boolean warnDuplicates;
    private TrieWriter.Layout layout = TrieWriter.Layout.KMOD_30;

    public IndexWriter(ModuleIndex index, Consumer<IndexProblem> report) {
        this.index = index;
        this.report = report;
    }

    /**
     * depmod's {@code -w}: report a value inserted twice under one key of {@code modules.dep.bin},
     * {@code modules.alias.bin} or {@code modules.symbols.bin} (a module declaring one alias twice),
     * as kmod words it. The files are the same either way.
     */
    public IndexWriter warnDuplicates(boolean warn) {
        this.warnDuplicates = warn;
        return this;
    }

    /** The {@code .bin} files' node order: kmod 30's (the default) or kmod 34's. The text files are the same. */
    public IndexWriter layout(TrieWriter.Layout layout) {
        this.layout = java.util.Objects.requireNonNull(layout, "layout");
        return this;
    }

    /**
     * Writes every file into {@code dir}, each through a temporary file renamed into place.
     * A file that cannot be created is reported and skipped; a failure while writing or renaming
     * removes the temporary file, leaves the old file as it was and stops.
     *
     * @return the names of the files that could not be written (empty when all were)
     * @throws IOException when a file was written but could not be renamed into place
     */
    public List<String> writeAll(Path dir) throws IOException {
        long now = System.currentTimeMillis();
        String suffix = "." + ProcessHandle.current().pid() + "." + (now % 1000) * 1000 + "." + now / 1000;
        List<String> failed = new ArrayList<>();
        byte[][] rendered = renderAll();
        for (int f = 0; f < FILES.size(); f++) {
            String file = FILES.get(f);
            Path tmp = dir.resolve(file + suffix);
            SeekableByteChannel ch;
            try {
                ch = Files.newByteChannel(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
            } catch (IOException e) {
                report.accept(IndexProblem.error("could not create " + tmp + ": " + IndexProblem.reason(e)));
                failed.add(file);
                continue;
            }
            try (ch) {
                ByteBuffer b = ByteBuffer.wrap(rendered[f]);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                report.accept(IndexProblem.error("Could not write index '" + file + "': "
                        + (e instanceof IOException io ? IndexProblem.reason(io) : e.toString())));
                failed.add(file);
                return failed;
            }
            try {
                Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw new IOException("could not rename " + tmp + " to " + file + ": " + IndexProblem.reason(e), e);
            }
        }
        return failed;
    }

    /**
     * Renders every file, two at a time; problems are reported afterwards in file order, so
     * the messages come out as a sequential run would give them.
     */
    private byte[][] renderAll() {
        int n = FILES.size();
        byte[][] out = new byte[n][];
        @SuppressWarnings("unchecked")
        List<IndexProblem>[] problems = (List<IndexProblem>[]) new List<?>[n];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        RuntimeException[] failure = new RuntimeException[n];
        Runnable work = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                List<IndexProblem> mine = new ArrayList<>();
                problems[i] = mine;
                try {
                    out[i] = render(FILES.get(i), mine::add);
                } catch (RuntimeException e) {
                    failure[i] = e;
                }
            }
        };
        Thread helper = new Thread(work, "depmod-writer");
        helper.setDaemon(true);
        helper.start();
        work.run();
        boolean interrupted = false;
        while (true) {
            try {
                helper.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < n; i++) {
            problems[i].forEach(report);
            if (failure[i] != null) {
                throw failure[i];
            }
        }
        return out;
    }

    /** kmod's dry run: the text files' contents one after the other (dep, alias, softdep, weakdep, symbols, devname). */
    public void dryRun(OutputStream out) throws IOException {
        for (String file : FILES) {
            if (!file.endsWith(".bin")) {
                out.write(render(file, report));
            }
        }
    }

    /** The bytes of one of {@link #FILES}. */
    byte[] render(String file) {
        return render(file, report);
    }

    private byte[] render(String file, Consumer<IndexProblem> sink) {
        return switch (file) {
            case "modules.dep" -> dep(sink);
            case "modules.dep.bin" -> depBin(sink);
            case "modules.alias" -> alias(sink);
            case "modules.alias.bin" -> aliasBin(sink);
            case "modules.softdep" -> modinfoLines("# Soft dependencies extracted from modules themselves.", "softdep");
            case "modules.weakdep" -> modinfoLines("# Weak dependencies extracted from modules themselves.", "weakdep");
            case "modules.symbols" -> symbols(sink);
            case "modules.symbols.bin" -> symbolsBin(sink);
            case "modules.builtin.bin" -> builtinBin(sink);
            case "modules.builtin.alias.bin" -> builtinAliasBin(sink);
            case "modules.devname" -> devname(sink);
            default -> throw new IllegalArgumentException("not a depmod index file: " + file);
        };
    }

    private String depLine(IndexedModule m) {
        StringBuilder sb = new StringBuilder(m.path().length() + 1 + m.dependencies().size() * 48);
        sb.append(m.path()).append(':');
        for (String d : m.dependencies()) {
            sb.append(' ').append(index.module(d).orElseThrow().path());
        }
        return sb.toString();
    }

    private byte[] dep(Consumer<IndexProblem> sink) {
        Text t = new Text(index.modules().size() * 64);
        for (IndexedModule m : index.modules()) {
            t.line(depLine(m));
        }
        return t.bytes();
    }

    private byte[] depBin(Consumer<IndexProblem> sink) {
        TrieWriter w = new TrieWriter();
        for (IndexedModule m : index.modules()) {
            String line = depLine(m);
            if (insert(sink, w, m.name(), line, m.priority()) && warnDuplicates) {
                sink.accept(IndexProblem.warning("duplicate module deps:\n" + line));
            }
        }
        return w.toBytes(layout);
    }

    private byte[] alias(Consumer<IndexProblem> sink) {
        Text t = new Text(1 << 16);
        t.line("# Aliases extracted from modules themselves.");
        for (IndexedModule m : index.modules()) {
            for (ModinfoField f : m.info().modinfo()) {
                if (f.key().equals("alias")) {
                    t.line("alias ", f.value(), " ", m.name());
                }
            }
        }
        return t.bytes();
    }

    private byte[] aliasBin(Consumer<IndexProblem> sink) {
        TrieWriter w = new TrieWriter();
        for (IndexedModule m : index.modules()) {
            for (ModinfoField f : m.info().modinfo()) {
                if (f.key().equals("alias")) {
                    String alias = ModuleNames.normalizeAlias(f.value());
                    if (alias == null) {
                        sink.accept(IndexProblem.warning("Unmatched bracket in " + f.value()));
                        continue;
                    }
                    if (insert(sink, w, alias, m.name(), m.priority()) && warnDuplicates) {
                        sink.accept(IndexProblem.warning("duplicate module alias:\n" + alias + " " + m.name()));
                    }
                }
            }
        }
        return w.toBytes(layout);
    }

    /** {@code header}, then {@code KEY <mod> <value>} for every {@code KEY=} field, module order then field order. */
    private byte[] modinfoLines(String header, String key) {
        Text t = new Text(4096);
        t.line(header);
        for (IndexedModule m : index.modules()) {
            for (ModinfoField f : m.info().modinfo()) {
                if (f.key().equals(key)) {
                    t.line(key, " ", m.name(), " ", f.value());
                }
            }
        }
        return t.bytes();
    }

    private byte[] symbols(Consumer<IndexProblem> sink) {
        Text t = new Text(index.symbols().size() * 48);
        t.line("# Aliases for symbols, used by symbol_request().");
        for (ModuleIndex.Symbol s : index.symbols()) {
            t.line("alias symbol:", s.symbol(), " ", s.module());
        }
        return t.bytes();
    }

    private byte[] symbolsBin(Consumer<IndexProblem> sink) {
        TrieWriter w = new TrieWriter();
        for (ModuleIndex.Symbol s : index.symbols()) {
            String key = "symbol:".concat(s.symbol());
            if (insert(sink, w, key, s.module(), index.module(s.module()).orElseThrow().priority()) && warnDuplicates) {
                sink.accept(IndexProblem.warning("duplicate module syms:\n" + key + " " + s.module()));
            }
        }
        return w.toBytes(layout);
    }

    private byte[] builtinBin(Consumer<IndexProblem> sink) {
        if (index.builtinModules().isEmpty()) {
            return new byte[0];
        }
        TrieWriter w = new TrieWriter();
        for (String name : index.builtinModules().get()) {
            insert(sink, w, name, "", 0);
        }
        return w.toBytes(layout);
    }

    private byte[] builtinAliasBin(Consumer<IndexProblem> sink) {
        if (index.builtinAliases().isEmpty()) {
            return new byte[0];
        }
        TrieWriter w = new TrieWriter();
        for (ModuleIndex.Alias a : index.builtinAliases().get()) {
            insert(sink, w, a.alias(), a.module(), 0);
        }
        return w.toBytes(layout);
    }

    /** Adds a value; true when the key already held an equal one. */
    private static boolean insert(Consumer<IndexProblem> sink, TrieWriter w, String key, String value, int priority) {
        try {
            return w.add(key, value, priority);
        } catch (IllegalArgumentException e) {
            sink.accept(IndexProblem.error("cannot index " + key + " -> " + value + ": " + e.getMessage()));
            return false;
        }
    }

    private byte[] devname(Consumer<IndexProblem> sink) {
        Text t = new Text(1024);
        boolean empty = true;
        for (IndexedModule m : index.modules()) {
            String devname = null;
            char type = 0;
            long major = 0;
            long minor = 0;
            for (ModinfoField f : m.info().modinfo()) {
                if (!f.key().equals("alias")) {
                    continue;
                }
                String v = f.value();
                long[] mm;
                if (v.startsWith("devname:")) {
                    devname = v.substring("devname:".length());
                } else if ((mm = Scan.twoNumbers(v, "char-major-")) != null) {
                    type = 'c';
                    major = mm[0];
                    minor = mm[1];
                } else if ((mm = Scan.twoNumbers(v, "block-major-")) != null) {
                    type = 'b';
                    major = mm[0];
                    minor = mm[1];
                }
                if (type != 0 && devname != null) {
                    break;
                }
            }
            if (devname == null) {
                continue;
            }
            if (type == 0) {
                sink.accept(IndexProblem.error("Module '" + m.name() + "' has devname (" + devname
                        + ") but lacks major and minor information. Ignoring."));
                continue;
            }
            if (empty) {
                t.line("# Device nodes to trigger on-demand module loading.");
                empty = false;
            }
            t.line(m.name(), " ", devname, " ", String.valueOf(type), Long.toString(major), ":", Long.toString(minor));
        }
        return t.bytes();
    }

    /** sscanf("PREFIX%u-%u") as glibc reads it: both numbers must be there, anything may follow. */
    static final class Scan {
        private Scan() {
        }

        static long[] twoNumbers(String s, String prefix) {
            if (!s.startsWith(prefix)) {
                return null;
            }
            int[] pos = {prefix.length()};
            Long a = unsigned(s, pos);
            if (a == null || pos[0] >= s.length() || s.charAt(pos[0]) != '-') {
                return null;
            }
            pos[0]++;
            Long b = unsigned(s, pos);
            return b == null ? null : new long[] {a, b};
        }

        private static Long unsigned(String s, int[] pos) {
            int i = pos[0];
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            boolean neg = false;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                neg = s.charAt(i) == '-';
                i++;
            }
            int start = i;
            long v = 0;
            boolean overflow = false;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                if (v > 0xFFFFFFFFL) {
                    overflow = true;
                }
                i++;
            }
            if (i == start) {
                return null;
            }
            pos[0] = i;
            if (overflow) {
                v = 0xFFFFFFFFL;
            }
            return (neg ? -v : v) & 0xFFFFFFFFL;
        }
    }

    /** Text in the bytes kmod writes: one byte per char (ISO-8859-1), UTF-8 for wider strings. */
    private static final class Text {
        private final ByteArrayOutputStream out;

        Text(int size) {
            out = new ByteArrayOutputStream(size);
        }

        void line(String... parts) {
            for (String s : parts) {
                out.writeBytes(KmodHash.bytes(s));
            }
            out.write('\n');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
