package org.autoprobe.cli.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lookup strings for conformance tests and benchmarks, made from a module tree's own indexes (as kmod's depmod
 * wrote them): concrete device aliases instantiated from the patterns of modules.alias, near misses of those,
 * module names spelt with dashes and underscores, {@code symbol:} names, builtin module names and builtin
 * aliases, and some nonsense. Deterministic for a given tree and seed; no entry is empty or holds a tab or
 * newline. Run {@link #main} to write a corpus file (e.g. for the bench module).
 */
final class AliasCorpus {
    static final long DEFAULT_SEED = 20240531L;
    private static final String HEX = "0123456789ABCDEF";
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Random rnd;
    private final Set<String> out = new LinkedHashSet<>();

    private AliasCorpus(long seed) {
        this.rnd = new Random(seed);
    }

    /** Writes the corpus of {@code args[0]} (a modules directory) to {@code args[1]}; optional seed {@code args[2]}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: AliasCorpus MODULES_DIR OUT_FILE [SEED]");
            System.exit(2);
        }
        long seed = args.length > 2 ? Long.parseLong(args[2]) : DEFAULT_SEED;
        List<String> corpus = generate(Paths.get(args[0]), seed);
        write(corpus, Paths.get(args[1]));
        System.out.println(corpus.size() + " lookups written to " + args[1]);
    }

    /** The corpus for the modules directory {@code moduleDir} (holding kmod's index files). */
    static List<String> generate(Path moduleDir, long seed) throws IOException {
        return new AliasCorpus(seed).build(moduleDir);
    }

    /** Writes one entry a line (UTF-8, final newline) and returns {@code file}. */
    static Path write(List<String> entries, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, joined(entries));
        return file;
    }

    /** The entries as the bytes of a file, one a line. */
    static byte[] joined(List<String> entries) {
        StringBuilder sb = new StringBuilder();
        entries.forEach(e -> sb.append(e).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private List<String> build(Path dir) throws IOException {
        List<String> patterns = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("modules.alias"), StandardCharsets.ISO_8859_1)) {
            String[] f = l.split(" ");
            if (f.length == 3 && f[0].equals("alias")) {
                patterns.add(f[1]);
            }
        }
        aliases(patterns);
        moduleNames(dir);
        symbols(dir);
        builtins(dir);
        nonsense();
        List<String> result = new ArrayList<>();
        for (String s : out) {
            if (!s.isEmpty() && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\0') < 0 && s.indexOf('\r') < 0) {
                result.add(s);
            }
        }
        return List.copyOf(result);
    }

    private void aliases(List<String> patterns) {
        List<String> shuffled = new ArrayList<>(patterns);
        Collections.shuffle(shuffled, rnd);
        // every bus gets a few, then a broad random sample
        Map<String, List<String>> byBus = new TreeMap<>();
        for (String p : shuffled) {
            byBus.computeIfAbsent(bus(p), k -> new ArrayList<>()).add(p);
        }
        List<String> chosen = new ArrayList<>();
        byBus.values().forEach(ps -> chosen.addAll(ps.subList(0, Math.min(3, ps.size()))));
        chosen.addAll(shuffled.subList(0, Math.min(2600, shuffled.size())));
        List<String> concrete = new ArrayList<>();
        for (String p : chosen) {
            String c = instantiate(p);
            out.add(c);
            concrete.add(c);
        }
        for (int i = 0; i < concrete.size(); i += 3) {
            out.add(nearMiss(concrete.get(i)));
        }
        // the patterns themselves, as typed by a user (a '*' matches itself)
        shuffled.subList(0, Math.min(150, shuffled.size())).forEach(out::add);
        // the brief's own example, and a device every QEMU guest has
        out.add("pci:v00008086d000010D3sv00001234sd00005678bc02sc00i00");
        out.add("pci:v000010ECd00008139sv00001AF4sd00001100bc02sc00i00");
    }

    private void moduleNames(Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("modules.dep"), StandardCharsets.ISO_8859_1)) {
            files.add(l.substring(0, l.indexOf(':')));
        }
        Collections.shuffle(files, rnd);
        for (String f : files.subList(0, Math.min(700, files.size()))) {
            String name = KernelTree.nameOf(f);
            String file = f.substring(f.lastIndexOf('/') + 1);
            out.add(name);
            out.add(file.substring(0, file.indexOf('.')));
            out.add(name.replace('_', '-'));
            if (rnd.nextInt(4) == 0) {
                out.add(name.toUpperCase(java.util.Locale.ROOT));
            }
            if (rnd.nextInt(4) == 0) {
                out.add(nearMiss(name));
            }
            if (rnd.nextInt(8) == 0) {
                out.add(f); // a path is not a name
            }
        }
        out.add("snd-hda-intel");
        out.add("snd_hda_intel");
        out.add("snd-hda_intel");
        out.add("e1000e");
        out.add("ext4");
    }

    private void symbols(Path dir) throws IOException {
        List<String> syms = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("modules.symbols"), StandardCharsets.ISO_8859_1)) {
            String[] f = l.split(" ");
            if (f.length == 3 && f[1].startsWith("symbol:")) {
                syms.add(f[1]);
            }
        }
        Collections.shuffle(syms, rnd);
        List<String> some = syms.subList(0, Math.min(450, syms.size()));
        for (int i = 0; i < some.size(); i++) {
            out.add(some.get(i));
            if (i % 8 == 0) {
                out.add(some.get(i) + "_x");
                out.add(some.get(i).substring("symbol:".length())); // the bare symbol is not a lookup key
            }
        }
    }

    private void builtins(Path dir) throws IOException {
        for (String l : Files.readAllLines(dir.resolve("modules.builtin"), StandardCharsets.ISO_8859_1)) {
            String name = KernelTree.nameOf(l);
            out.add(name);
            out.add(name.replace('_', '-'));
        }
        String modinfo = new String(Files.readAllBytes(dir.resolve("modules.builtin.modinfo")), StandardCharsets.ISO_8859_1);
        for (String rec : modinfo.split("\0")) {
            int dot = rec.indexOf('.');
            if (dot > 0 && rec.startsWith("alias=", dot + 1)) {
                String alias = rec.substring(dot + 1 + "alias=".length());
                String concrete = instantiate(alias);
                out.add(concrete);
                out.add(nearMiss(concrete));
                if (!concrete.equals(alias)) {
                    out.add(alias);
                }
            }
        }
    }

    private void nonsense() {
        out.addAll(List.of("nonexistent_module_xyz", "no-such-module", "pci:", ":", "*", "?", "[", "[]", "]", "-", "_",
                "symbol:", "symbol:no_such_symbol_12345", "fs-", "fs-nosuchfs", "char-major-999-999", "a-b_c-d",
                "snd-[hda]-intel", "pci:v*", "usb:*", "%s%n%x", "modul\u00e9", "x".repeat(300),
                "pci:v00008086d000010D3sv*sd*bc*sc*i*X", "platform:", "of:N*T*C"));
    }

    /** A concrete string the glob {@code p} matches, filled in the way a real device's modalias would be. */
    String instantiate(String p) {
        String bus = bus(p);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                sb.append(p.charAt(++i));
            } else if (c == '*') {
                sb.append(fill(bus, field(sb)));
            } else if (c == '?') {
                sb.append(HEX.charAt(rnd.nextInt(HEX.length())));
            } else if (c == '[') {
                int close = p.indexOf(']', i + 2);
                if (close < 0) {
                    sb.append(c);
                    continue;
                }
                sb.append(member(p.substring(i + 1, close)));
                i = close;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private char member(String set) {
        boolean negated = set.startsWith("!") || set.startsWith("^");
        String body = negated ? set.substring(1) : set;
        StringBuilder members = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
                for (char ch = body.charAt(i); ch <= body.charAt(i + 2); ch++) {
                    members.append(ch);
                }
                i += 2;
            } else {
                members.append(body.charAt(i));
            }
        }
        if (!negated && members.length() > 0) {
            return members.charAt(rnd.nextInt(members.length()));
        }
        for (int tries = 0; tries < 100; tries++) {
            char ch = ALNUM.charAt(rnd.nextInt(ALNUM.length()));
            if (members.indexOf(String.valueOf(ch)) < 0) {
                return ch;
            }
        }
        return '~';
    }

    /** The field letters just before a '*' ("sv" in "...sv*"). */
    private static String field(StringBuilder sb) {
        int i = sb.length();
        while (i > 0 && Character.isLowerCase(sb.charAt(i - 1))) {
            i--;
        }
        return sb.substring(i);
    }

    private String fill(String bus, String field) {
        switch (bus) {
            case "pci":
                return switch (field) {
                    case "v", "d", "sv", "sd" -> hex(8);
                    case "bc", "sc", "i" -> hex(2);
                    default -> hex(2 * (1 + rnd.nextInt(4)));
                };
            case "usb":
                return switch (field) {
                    case "v", "p", "d" -> hex(4);
                    case "dc", "dsc", "dp", "ic", "isc", "ip", "in" -> hex(2);
                    default -> hex(2 * (1 + rnd.nextInt(2)));
                };
            case "hid":
                return switch (field) {
                    case "b", "g" -> hex(4);
                    case "v", "p" -> hex(8);
                    default -> hex(4);
                };
            default:
                return switch (rnd.nextInt(6)) {
                    case 0 -> "";
                    case 1 -> hex(2);
                    case 2 -> hex(4);
                    case 3 -> hex(8);
                    default -> word(3 + rnd.nextInt(6));
                };
        }
    }

    /** One small change that a glob should (usually) notice. */
    String nearMiss(String s) {
        if (s.isEmpty()) {
            return "x";
        }
        int pos = rnd.nextInt(s.length());
        switch (rnd.nextInt(5)) {
            case 0: {
                char old = s.charAt(pos);
                char ch = old;
                while (ch == old) {
                    ch = Character.isDigit(old) || (old >= 'A' && old <= 'F') ? HEX.charAt(rnd.nextInt(16))
                            : ALNUM.charAt(rnd.nextInt(ALNUM.length()));
                }
                return s.substring(0, pos) + ch + s.substring(pos + 1);
            }
            case 1:
                return s.length() > 1 ? s.substring(0, Math.max(1, pos)) : s + "0";
            case 2: {
                String lower = s.toLowerCase(java.util.Locale.ROOT);
                return lower.equals(s) ? s.toUpperCase(java.util.Locale.ROOT) : lower;
            }
            case 3: {
                for (int i = 0; i < s.length(); i++) {
                    int at = (pos + i) % s.length();
                    char ch = s.charAt(at);
                    if (Character.isLetter(ch)) {
                        char t = Character.isUpperCase(ch) ? Character.toLowerCase(ch) : Character.toUpperCase(ch);
                        return s.substring(0, at) + t + s.substring(at + 1);
                    }
                }
                return s + "Z";
            }
            default:
                return s + ALNUM.charAt(rnd.nextInt(ALNUM.length()));
        }
    }

    private String hex(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(HEX.charAt(rnd.nextInt(16)));
        }
        return sb.toString();
    }

    private String word(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALNUM.charAt(rnd.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }

    private static String bus(String pattern) {
        int colon = pattern.indexOf(':');
        return colon < 0 ? "" : pattern.substring(0, colon);
    }
}
