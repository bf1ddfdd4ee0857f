package org.autoprobe.core.index;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.autoprobe.core.config.DepmodConfig;
import org.autoprobe.core.module.ModuleNames;

/**
 * Finds the module files depmod indexes: walks the modules directory and the {@code external}
 * directories in kmod's order, skips {@code build}, {@code source} and excluded names, and keeps
 * one file per module name as kmod 30 does (override, then search order, then the first found).
 */
final class ModuleScanner {
    private static final String[] EXTENSIONS = {".ko", ".ko.xz", ".ko.zst"};
    private static final String EXTERNAL = "external";

    /** A module file found. {@code relpath} is null outside the modules directory. */
    record Candidate(String name, String path, String relpath, String orderKey) {
    }

    private final String dirname;
    private final Consumer<IndexProblem> report;
    private final List<String> overrides = new ArrayList<>(); // kmod's list order: last line first
    private final List<Object> searches = new ArrayList<>(); // String path, BUILT_IN or EXTERNAL marker
    private final List<String> externals = new ArrayList<>();
    private final Set<String> excludes = new HashSet<>();
    private final Map<String, Candidate> byName = new HashMap<>();
    private Consumer<String> onFound = p -> { };

    ModuleScanner(String dirname, String kernelVersion, DepmodConfig config, Consumer<IndexProblem> report) {
        this.dirname = dirname;
        this.report = report;
        for (DepmodConfig.Override o : config.overrides()) {
            if (kernelMatches(o.kernelVersion(), kernelVersion)) {
                overrides.add(o.subdir() + "/" + o.module());
            }
        }
        for (DepmodConfig.External e : config.externals()) {
            if (kernelMatches(e.kernelVersion(), kernelVersion)) {
                externals.addAll(e.dirs());
            }
        }
        searches.addAll(config.search().isEmpty() ? List.of("updates") : config.search());
        excludes.addAll(config.excludes());
        Collections.reverse(overrides);
        Collections.reverse(externals);
        Collections.reverse(searches);
    }

    /** kmod matches the version as an extended regular expression anywhere in it; {@code *} matches all. */
    static boolean kernelMatches(String pattern, String kernelVersion) {
        if (pattern.equals("*")) {
            return true;
        }
        try {
            return Pattern.compile(pattern).matcher(kernelVersion).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** Called with the path of every module file kept so far, as soon as it is found (to start reading it early). */
    ModuleScanner onFound(Consumer<String> listener) {
        this.onFound = listener;
        return this;
    }

    /** Scans everything; the modules come back in kmod's name-hash order. */
    List<Candidate> scan() throws IOException {
        searchTop(dirname, true);
        for (String ext : externals) {
            searchTop(ext, false);
        }
        return hashOrder();
    }

    private List<Candidate> hashOrder() {
        List<KmodHash.Key<Candidate>> keys = new ArrayList<>(byName.size());
        for (Candidate c : byName.values()) {
            keys.add(new KmodHash.Key<>(c.name(), KmodHash.MODULE_BUCKETS, c));
        }
        Collections.sort(keys);
        List<Candidate> out = new ArrayList<>(keys.size());
        for (KmodHash.Key<Candidate> k : keys) {
            out.add(k.item);
        }
        return out;
    }

    /**
     * depmod's explicit mode ({@code depmod KVER FILE...}): exactly these files, in kmod's
     * name-hash order, no depmod.d rules. A path that is not absolute, a file that does not exist
     * and a second file of one name stop it, with kmod's words.
     */
    List<Candidate> files(List<String> paths) throws ModuleListException {
        for (String path : paths) {
            if (!path.startsWith("/")) {
                throw new ModuleListException(path + ": not absolute path.");
            }
            if (!Files.exists(Path.of(path))) {
                throw new ModuleListException("could not create module " + path + ": No such file or directory");
            }
            int slash = path.lastIndexOf('/');
            String name = ModuleNames.fromPath(Path.of(path.substring(slash + 1)));
            if (byName.containsKey(name)) {
                report.accept(IndexProblem.error("hash_add_unique " + name + ": File exists"));
                throw new ModuleListException("could not add module " + path + ": File exists");
            }
            add(path.substring(0, slash + 1), name, path);
        }
        return hashOrder();
    }

    private void searchTop(String dir, boolean required) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(dir))) {
            searchDir(ds, dir + "/");
        } catch (IOException e) {
            report.accept(IndexProblem.error("could not open directory " + dir + ": " + IndexProblem.reason(e)));
            if (required) {
                throw e;
            }
        }
    }

    private void searchDir(DirectoryStream<Path> ds, String base) {
        for (Path p : ds) {
            String name = p.getFileName().toString();
            if (name.equals("build") || name.equals("source") || excludes.contains(name)) {
                continue;
            }
            String path = base + name;
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (IOException e) {
                report.accept(IndexProblem.error("could not stat " + path + ": " + IndexProblem.reason(e)));
                continue;
            }
            if (attrs.isDirectory()) {
                try (DirectoryStream<Path> sub = Files.newDirectoryStream(p)) {
                    searchDir(sub, path + "/");
                } catch (IOException e) {
                    report.accept(IndexProblem.error("could not open directory " + path + ": " + IndexProblem.reason(e)));
                }
            } else if (attrs.isRegularFile()) {
                file(base, name, path);
            } else {
                report.accept(IndexProblem.error("unsupported file type " + path));
            }
        }
    }

    static boolean isModuleFile(String name) {
        for (String ext : EXTENSIONS) {
            if (name.length() > ext.length() && name.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    private void file(String base, String fileName, String path) {
        if (!isModuleFile(fileName)) {
            return;
        }
        String name = ModuleNames.fromPath(Path.of(fileName));
        Candidate old = byName.get(name);
        if (old != null && keepOld(old, path, base.length() + name.length())) {
            return;
        }
        add(base, name, path);
    }

    /** Keeps {@code path} as module {@code name}; {@code base} is its directory with the trailing '/'. */
    private void add(String base, String name, String path) {
        String relpath = null;
        String orderKey = null;
        if (path.startsWith(dirname) && path.length() > dirname.length() && path.charAt(dirname.length()) == '/') {
            relpath = path.substring(dirname.length() + 1);
            // modules.order names the file as "<dir>/<name>.ko" whatever its compression
            int dirLen = base.length() - dirname.length() - 1;
            orderKey = relpath.substring(0, Math.min(relpath.length(), dirLen + name.length() + 3));
        }
        byName.put(name, new Candidate(name, path, relpath, orderKey));
        onFound.accept(path);
    }

    /**
     * Whether the module already found wins over a new file of the same name (kmod 30's
     * priority rules, including their quirks: the search entries are visited from the last
     * configured to the first and an entry the new path matches is not tried on the old one).
     *
     * @param newLen the length of the new path up to the end of the module name's span
     */
    private boolean keepOld(Candidate old, String newPath, int newLen) {
        int oldLen = old.path().lastIndexOf('/') + 1 + old.name().length();
        int relStart = dirname.length() + 1;
        String relNew = newPath.startsWith(dirname) ? newPath.substring(0, newLen) : null;
        String relOld = old.path().startsWith(dirname) ? old.path().substring(0, oldLen) : null;
        for (String ov : overrides) {
            if (relNew != null && relSpanEquals(relNew, relStart, ov)) {
                return false;
            }
            if (relOld != null && relSpanEquals(relOld, relStart, ov)) {
                return true;
            }
        }
        int builtinPrio = -1;
        int oldPrio = -1;
        int newPrio = -1;
        int i = 0;
        for (Object se : searches) {
            if (DepmodConfig.BUILT_IN.equals(se)) {
                builtinPrio = i;
            } else if (EXTERNAL.equals(se)) {
                for (String ext : externals) {
                    if (startsWithDir(newPath, newLen, ext)) {
                        newPrio = i;
                    }
                    if (startsWithDir(old.path(), oldLen, ext)) {
                        oldPrio = i;
                    }
                    i++;
                }
            } else {
                String s = (String) se;
                if (relNew != null && relUnder(relNew, relStart, s)) {
                    newPrio = i;
                } else if (relOld != null && relUnder(relOld, relStart, s)) {
                    oldPrio = i;
                }
            }
            i++;
        }
        if (newPrio < 0) {
            newPrio = builtinPrio;
        }
        if (oldPrio < 0) {
            oldPrio = builtinPrio;
        }
        return newPrio <= oldPrio;
    }

    private static boolean relSpanEquals(String span, int relStart, String ov) {
        return span.length() - relStart == ov.length() && span.startsWith(ov, relStart);
    }

    private static boolean relUnder(String span, int relStart, String dir) {
        int relLen = span.length() - relStart;
        return relLen > dir.length() && span.charAt(relStart + dir.length()) == '/' && span.startsWith(dir, relStart);
    }

    private static boolean startsWithDir(String path, int len, String dir) {
        return len > dir.length() && path.charAt(dir.length()) == '/' && path.startsWith(dir);
    }
}
