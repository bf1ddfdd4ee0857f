package org.autoprobe.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleNames;

/**
 * A simple {@link ModuleLookup} over a modules directory's text files: module names from
 * {@code modules.dep}, builtin modules from {@code modules.builtin} and their records from
 * {@code modules.builtin.modinfo}, aliases from {@code modules.alias} (glob patterns, file order).
 * It knows no modprobe.d configuration and no {@code symbol:} lookups (the full resolver does).
 */
public final class ModulesDirLookup implements ModuleLookup {
    private final Path moddir;
    private Map<String, Path> files;
    private Set<String> builtins;
    private List<Map.Entry<java.util.regex.Pattern, String>> aliases;
    private List<Map.Entry<java.util.regex.Pattern, String>> builtinAliases;

    public ModulesDirLookup(Path moddir) {
        this.moddir = moddir;
    }

    @Override
    public List<Found> lookup(String nameOrAlias) throws IOException {
        // kmod's order: module name (not for strings with ':'), index aliases, builtin modules
        String normalized = ModuleNames.normalizeAlias(nameOrAlias);
        if (normalized == null) {
            return List.of();
        }
        load();
        if (nameOrAlias.indexOf(':') < 0) {
            Path file = files.get(normalized);
            if (file != null) {
                return List.of(new Found(normalized, Optional.of(file)));
            }
        }
        List<Found> out = new ArrayList<>();
        for (Map.Entry<java.util.regex.Pattern, String> a : aliases) {
            if (a.getKey().matcher(normalized).matches()) {
                String module = a.getValue();
                Path file = files.get(module);
                out.add(new Found(module, file == null ? Optional.empty() : Optional.of(file)));
            }
        }
        if (out.isEmpty() && builtins.contains(normalized)) {
            out.add(new Found(normalized, Optional.empty()));
        }
        if (out.isEmpty()) {
            out.addAll(builtinAliasMatches(normalized));
        }
        return out;
    }

    @Override
    public Optional<Found> byName(String name) throws IOException {
        String n = ModuleNames.normalize(name);
        load();
        Path file = files.get(n);
        if (file != null) {
            return Optional.of(new Found(n, Optional.of(file)));
        }
        if (builtins.contains(n)) {
            return Optional.of(new Found(n, Optional.empty()));
        }
        return builtinAliasMatches(n).stream().findFirst();
    }

    private List<Found> builtinAliasMatches(String alias) throws IOException {
        if (builtinAliases == null) {
            builtinAliases = new ArrayList<>();
            for (String rec : builtinRecords()) {
                int dot = rec.indexOf('.');
                if (dot > 0 && rec.startsWith("alias=", dot + 1)) {
                    String pattern = ModuleNames.normalizeAlias(rec.substring(dot + 7));
                    if (pattern != null) {
                        builtinAliases.add(Map.entry(glob(pattern), rec.substring(0, dot)));
                    }
                }
            }
        }
        List<Found> out = new ArrayList<>();
        for (Map.Entry<java.util.regex.Pattern, String> a : builtinAliases) {
            if (a.getKey().matcher(alias).matches()) {
                out.add(new Found(a.getValue(), Optional.empty()));
            }
        }
        return out;
    }

    /** The records of {@code modules.builtin.modinfo}; empty when it is missing. */
    private List<String> builtinRecords() throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(moddir.resolve("modules.builtin.modinfo"));
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == 0) {
                if (i > start) {
                    out.add(new String(data, start, i - start, StandardCharsets.ISO_8859_1));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private void load() throws IOException {
        if (files != null) {
            return;
        }
        files = new HashMap<>();
        for (String line : lines("modules.dep")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String rel = line.substring(0, colon);
                Path p = Path.of(rel);
                files.putIfAbsent(ModuleNames.fromPath(p), rel.startsWith("/") ? p : Path.of(moddir + "/" + rel));
            }
        }
        aliases = new ArrayList<>();
        for (String line : lines("modules.alias")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[0].equals("alias")) {
                String pattern = ModuleNames.normalizeAlias(w[1]);
                if (pattern != null) {
                    aliases.add(Map.entry(glob(pattern), w[2]));
                }
            }
        }
        builtins = new HashSet<>();
        for (String line : lines("modules.builtin")) {
            if (!line.isBlank()) {
                builtins.add(ModuleNames.fromPath(Path.of(line.trim())));
            }
        }
    }

    /** An fnmatch(3) pattern ('*', '?', '[...]' with '!' or '^' negation) as a regular expression. */
    static java.util.regex.Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[' && pattern.indexOf(']', i + 2) > 0) {
                int close = pattern.indexOf(']', i + 2);
                String set = pattern.substring(i + 1, close);
                boolean negate = set.startsWith("!") || set.startsWith("^");
                re.append('[').append(negate ? "^" : "");
                for (char s : (negate ? set.substring(1) : set).toCharArray()) {
                    if (s != '-' && !Character.isLetterOrDigit(s)) {
                        re.append('\\');
                    }
                    re.append(s);
                }
                re.append(']');
                i = close;
            } else {
                re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return java.util.regex.Pattern.compile(re.toString(), java.util.regex.Pattern.DOTALL);
    }

    private List<String> lines(String name) throws IOException {
        try {
            return Files.readAllLines(moddir.resolve(name), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    @Override
    public Optional<List<ModinfoField>> builtinModinfo(String name) throws IOException {
        if (!Files.exists(moddir.resolve("modules.builtin.modinfo"))) {
            return Optional.empty();
        }
        // records "module.key=value"; the module's first run of consecutive records counts
        String prefix = name + ".";
        List<ModinfoField> out = new ArrayList<>();
        for (String rec : builtinRecords()) {
            if (rec.startsWith(prefix)) {
                out.add(ModinfoField.parse(rec.substring(prefix.length())));
            } else if (!out.isEmpty()) {
                break;
            }
        }
        if (out.isEmpty()) {
            throw new IOException("could not get modinfo from '" + name + "': Function not implemented");
        }
        return Optional.of(out);
    }
}
