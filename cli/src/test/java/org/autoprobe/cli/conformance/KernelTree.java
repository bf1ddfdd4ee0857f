package org.autoprobe.cli.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Debian's current kernel module tree, as the conformance tests use it: the package {@code linux-image-amd64}
 * depends on, fetched and extracted once into a cache by {@code bench/scripts/kernel-tree.sh} (the project's one
 * fetcher, which bench and the e2e guest use too), then copied (the {@code .ko} files hard-linked) into this
 * build's work directory: one copy on which kmod's depmod ran (the reference), and fresh copies for our tools.
 * One instance per JVM, shared by the test classes.
 *
 * <p>The script: system property {@code autoprobe.kernelTreeScript}, else {@code bench/scripts/kernel-tree.sh}
 * in the first of the working directory and its parents that has one. Its cache: {@code $AUTOPROBE_TEST_CACHE},
 * else {@code /var/cache/autoprobe-test/fixture} (see the script). Work directory: system property
 * {@code autoprobe.conformance.work}, else {@code target/conformance}, emptied on first use. Any failure (the
 * script, depmod) throws with the command's output: these tests never skip.
 */
final class KernelTree {
    private static final String SCRIPT = "bench/scripts/kernel-tree.sh";

    private static KernelTree instance;
    private static RuntimeException failure;

    private final String packageName;
    private final Path pristine;
    private final String kernelVersion;
    private final Path workDir;
    private final Path reference;
    private final Path emptyConfigDir;
    private final List<ModuleFile> modules;
    private final long referenceDepmodMillis;

    /** A module file of the tree: its name (as kmod spells it) and its path under the modules directory. */
    record ModuleFile(String name, String relativePath) {
    }

    private KernelTree(String packageName, Path pristine, String kernelVersion, Path workDir) throws IOException {
        this.packageName = packageName;
        this.pristine = pristine;
        this.kernelVersion = kernelVersion;
        this.workDir = workDir;
        this.emptyConfigDir = Files.createDirectories(workDir.resolve("empty-modprobe.d"));
        this.reference = copyTree("kmod-reference");
        long t0 = System.nanoTime();
        Proc.run(List.of("depmod", "-b", reference.toString(), kernelVersion)).requireSuccess("kmod's depmod on the reference copy");
        this.referenceDepmodMillis = (System.nanoTime() - t0) / 1_000_000;
        this.modules = readModules(moduleDir(reference));
    }

    /** The shared tree; the first call downloads/extracts (if not cached) and runs kmod's depmod. */
    static synchronized KernelTree get() {
        if (failure != null) {
            throw new IllegalStateException("the kernel module tree could not be prepared (see the first failure)", failure);
        }
        if (instance == null) {
            try {
                long t0 = System.nanoTime();
                instance = prepare();
                System.out.printf("[conformance] %s (kernel %s, %d modules) ready in %d ms (kmod depmod %d ms)%n",
                        instance.packageName, instance.kernelVersion, instance.modules.size(),
                        (System.nanoTime() - t0) / 1_000_000, instance.referenceDepmodMillis);
            } catch (IOException e) {
                failure = new UncheckedIOException("cannot prepare the kernel module tree: " + e.getMessage(), e);
                throw failure;
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return instance;
    }

    String packageName() {
        return packageName;
    }

    String kernelVersion() {
        return kernelVersion;
    }

    /** Root (for {@code -b}/{@code -d}) of the copy on which kmod's depmod ran. Treat as read-only. */
    Path reference() {
        return reference;
    }

    /** {@code root/lib/modules/<kver>}. */
    Path moduleDir(Path root) {
        return root.resolve("lib/modules").resolve(kernelVersion);
    }

    /** An empty modprobe.d directory, for "no configuration" runs ({@code -C dir}). */
    Path emptyConfigDir() {
        return emptyConfigDir;
    }

    /** The package's {@code /boot/System.map-<kver>} (read-only). */
    Path systemMap() {
        return pristine.resolve("boot").resolve("System.map-" + kernelVersion);
    }

    /** This run's scratch directory. */
    Path workDir() {
        return workDir;
    }

    /** The modules of the tree in modules.dep order (kmod's module order). */
    List<ModuleFile> modules() {
        return modules;
    }

    long referenceDepmodMillis() {
        return referenceDepmodMillis;
    }

    /** A new copy of the tree as the package ships it (no index files written yet), with its own root. */
    synchronized Path freshCopy(String name) {
        try {
            return copyTree(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the module tree for " + name, e);
        }
    }

    private Path copyTree(String name) throws IOException {
        Path root = workDir.resolve(name);
        for (int i = 2; Files.exists(root); i++) {
            root = workDir.resolve(name + "-" + i);
        }
        Path from = pristine.resolve("lib/modules").resolve(kernelVersion);
        Path to = root.resolve("lib/modules").resolve(kernelVersion);
        Files.createDirectories(to.getParent());
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            private boolean linksWork = true;

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectory(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = to.resolve(from.relativize(file).toString());
                String n = file.getFileName().toString();
                boolean module = n.endsWith(".ko") || n.contains(".ko.");
                if (module && attrs.isRegularFile() && linksWork) {
                    try {
                        Files.createLink(target, file);
                        return FileVisitResult.CONTINUE;
                    } catch (IOException | UnsupportedOperationException e) {
                        linksWork = false; // another file system: copy instead
                    }
                }
                Files.copy(file, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
        return root;
    }

    private static KernelTree prepare() throws IOException {
        Path script = script();
        Proc.Result r = Proc.run(List.of(script.toString())).requireSuccess(script + " (fetches the kernel package)");
        String[] rootAndVersion = r.outText().strip().split(" ");
        if (rootAndVersion.length != 2) {
            throw new IllegalStateException(script + " answered no \"<root> <kver>\" line:\n" + r.describe());
        }
        Path extracted = Paths.get(rootAndVersion[0]);
        String pkg = extracted.getParent().getFileName().toString();
        Path work = Paths.get(System.getProperty("autoprobe.conformance.work", "target/conformance")).toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        return new KernelTree(pkg, extracted, rootAndVersion[1], work);
    }

    /** The fetcher script: the system property, else the nearest {@code bench/scripts/kernel-tree.sh} upwards. */
    private static Path script() {
        String given = System.getProperty("autoprobe.kernelTreeScript");
        if (given != null && !given.isBlank()) {
            return Paths.get(given).toAbsolutePath();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SCRIPT);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " in " + Paths.get("").toAbsolutePath()
                + " or its parents: set -Dautoprobe.kernelTreeScript=PATH");
    }

    private static List<ModuleFile> readModules(Path moduleDir) throws IOException {
        List<ModuleFile> out = new ArrayList<>();
        for (String line : Files.readAllLines(moduleDir.resolve("modules.dep"))) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalStateException("kmod's modules.dep has a line without ':' : " + line);
            }
            String rel = line.substring(0, colon);
            out.add(new ModuleFile(nameOf(rel), rel));
        }
        return List.copyOf(out);
    }

    /** kmod's module name of a file: the file name up to its first '.', '-' turned into '_'. */
    static String nameOf(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.indexOf('.');
        return (dot < 0 ? file : file.substring(0, dot)).replace('-', '_');
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
