package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ({@code ./autoprobe}) over the packaged build: which runtime it picks; its class data
 * (a JDK 17 dynamic archive, a JDK 24+ AOT cache), built ahead of time by {@code --build-class-data}
 * or written by a command's first run and put in place by the next; a file that is not what its
 * stamp says is ignored with one warning and made again; none of it changes what a command prints.
 * Real JVMs; runs after {@code package}.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "autoprobe").toAbsolutePath().normalize();
    private static final String WANT = "8139too\t8139too\nnothing-here\t-\n";
    private static final String WARNING = "autoprobe: WARNING: ignoring class data ";

    @TempDir
    Path dir;
    Path cds;

    @BeforeEach
    void tree() throws IOException {
        TwoModuleSystem.write(dir);
        cds = Files.createDirectories(dir.resolve("cds"));
    }

    /** The major version in a JDK's {@code release} file, 0 if none. */
    private static int major(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    v = v.startsWith("1.") ? v.substring(2) : v;
                    return Integer.parseInt(v.replaceAll("[^0-9].*", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** A JDK 17 to 23 (the one running the tests if it is one): the dynamic-archive path. */
    private static Path cdsJdk() {
        Path home = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() < 24) {
            return home;
        }
        return installed().stream().filter(h -> major(h) >= 17 && major(h) < 24).findFirst().orElse(null);
    }

    /** A JDK 24 or later under /usr/lib/jvm (temurin-25 on the project's machines): the AOT cache path. */
    private static Path aotJdk() {
        Path temurin = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
        if (Files.isExecutable(temurin.resolve("bin/java"))) {
            return temurin;
        }
        return installed().stream().filter(h -> major(h) >= 24).findFirst().orElse(null);
    }

    private static List<Path> installed() {
        try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
            return s.filter(h -> Files.isExecutable(h.resolve("bin/java"))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Map<String, String> java(Path home) {
        return Map.of("AUTOPROBE_JAVA", home.resolve("bin/java").toString());
    }

    private CliRun run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("AUTOPROBE_CDS_DIR", cds.toString());
        pb.environment().remove("AUTOPROBE_JAVA_OPTS");
        pb.environment().remove("AUTOPROBE_CDS");
        pb.environment().remove("AUTOPROBE_JAVA");
        pb.environment().remove("AUTOPROBE_JVM_DIR");
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
        return new CliRun(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private CliRun resolve(Map<String, String> env) throws Exception {
        return run(LAUNCHER, env, "resolve", "-d", dir.resolve("root").toString(), "-S", TwoModuleSystem.KVER,
                "8139too", "nothing-here");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(cds)) {
            return s.map(p -> p.getFileName().toString().replaceAll("\\.(pending|assembling)\\.[0-9]+", ".$1.PID")).sorted().toList();
        }
    }

    private List<String> stamp(String file) throws IOException {
        return Files.readAllLines(cds.resolve(file + ".stamp"), StandardCharsets.UTF_8);
    }

    /** Waits until the files are as given (an AOT cache is assembled in the background). */
    private void awaitFiles(List<String> want) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!files().equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(want, files());
    }

    @Test
    void archivesAreWrittenPromotedUsedAndRenewedWithoutChangingOutput() throws Exception {
        Path jdk = cdsJdk();
        assumeTrue(jdk != null, "no JDK 17 to 23 to test the dynamic archive with");
        Map<String, String> env = java(jdk);
        CliRun first = resolve(env);
        assertEquals(new CliRun(0, WANT, ""), first);
        assertEquals(List.of("autoprobe-resolve.jsa.pending.PID", "autoprobe-resolve.jsa.pending.PID.stamp"), files(),
                "the first run writes its archive at exit, and what it started with");

        CliRun second = resolve(env);
        assertEquals(new CliRun(0, WANT, ""), second);
        assertEquals(List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.stamp"), files(), "the next run puts it in place");
        List<String> stamp = stamp("autoprobe-resolve.jsa");
        assertEquals(3, stamp.size(), "stamp: the real java binary; sizes, times and options; the archive's size and time");
        assertTrue(Files.isRegularFile(Path.of(stamp.get(0))) && !Files.isSymbolicLink(Path.of(stamp.get(0))), stamp.get(0));
        assertTrue(stamp.get(1).endsWith("-XX:+UseG1GC"), stamp.get(1));
        assertTrue(stamp.get(2).startsWith(Files.size(cds.resolve("autoprobe-resolve.jsa")) + " "), stamp.get(2));

        assertEquals(new CliRun(0, WANT, ""), resolve(env));
        assertEquals(List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.stamp"), files(), "a current archive is used as it is");

        // other options: the archive no longer matches, a new one is written and then replaces it
        Map<String, String> opts = new HashMap<>(env);
        opts.put("AUTOPROBE_JAVA_OPTS", "-Dautoprobe.launcher.test=1");
        assertEquals(new CliRun(0, WANT, ""), resolve(opts));
        assertEquals(List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.pending.PID",
                "autoprobe-resolve.jsa.pending.PID.stamp", "autoprobe-resolve.jsa.stamp"), files());
        assertEquals(new CliRun(0, WANT, ""), resolve(opts));
        assertEquals(List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.stamp"), files());
        assertTrue(Files.readString(cds.resolve("autoprobe-resolve.jsa.stamp")).contains("-Dautoprobe.launcher.test=1"));

        // a damaged stamp is not trusted: one warning, the archive goes, a new one is written
        Files.writeString(cds.resolve("autoprobe-resolve.jsa.stamp"), "/nonexistent/java\n");
        CliRun damaged = resolve(opts);
        assertEquals(0, damaged.code());
        assertEquals(WANT, damaged.out());
        assertTrue(damaged.err().startsWith(WARNING + cds.resolve("autoprobe-resolve.jsa")) && damaged.err().lines().count() == 1,
                damaged.err());
        assertEquals(List.of("autoprobe-resolve.jsa.pending.PID", "autoprobe-resolve.jsa.pending.PID.stamp"), files());

        // an archive whose run started with other inputs (a jar rebuilt meanwhile) is thrown away
        Path started;
        try (Stream<Path> s = Files.list(cds)) {
            started = s.filter(p -> p.toString().endsWith(".stamp") && p.toString().contains(".pending.")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(started);
        Files.writeString(started, lines.get(0) + "\n1 2 " + lines.get(1) + "\n");
        assertEquals(new CliRun(0, WANT, ""), resolve(opts));
        assertEquals(List.of("autoprobe-resolve.jsa.pending.PID", "autoprobe-resolve.jsa.pending.PID.stamp"), files(),
                "not promoted: a new run writes another");
    }

    /** A recorded archive the JVM refuses: one warning, and no recording again while the inputs are the same. */
    @Test
    void recordedClassDataTheJvmRefusesIsNotRecordedAgainAndAgain() throws Exception {
        Path jdk = cdsJdk();
        assumeTrue(jdk != null, "no JDK 17 to 23 to test the dynamic archive with");
        Map<String, String> env = java(jdk);
        assertEquals(new CliRun(0, WANT, ""), resolve(env));
        Path pending;
        try (Stream<Path> s = Files.list(cds)) {
            pending = s.filter(p -> p.toString().matches(".*\\.pending\\.[0-9]+")).findFirst().orElseThrow();
        }
        pending.toFile().setWritable(true);
        Files.writeString(pending, "not an archive at all");
        CliRun refused = resolve(env);
        assertEquals(0, refused.code());
        assertEquals(WANT, refused.out());
        assertTrue(refused.err().startsWith("autoprobe: WARNING: the class data recorded for " + cds.resolve("autoprobe-resolve.jsa")
                + " was refused by ") && refused.err().lines().count() == 1, refused.err());
        assertEquals(List.of("autoprobe-resolve.jsa.failed"), files());
        assertEquals(new CliRun(0, WANT, ""), resolve(env));
        assertEquals(List.of("autoprobe-resolve.jsa.failed"), files(), "not recorded again from the same inputs");

        // other inputs: recorded again
        Map<String, String> opts = new HashMap<>(env);
        opts.put("AUTOPROBE_JAVA_OPTS", "-Dautoprobe.launcher.test=2");
        assertEquals(new CliRun(0, WANT, ""), resolve(opts));
        assertEquals(List.of("autoprobe-resolve.jsa.pending.PID", "autoprobe-resolve.jsa.pending.PID.stamp"), files());
        assertEquals(new CliRun(0, WANT, ""), resolve(opts));
        assertEquals(List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.stamp"), files());
    }

    @Test
    void classDataBuiltAheadIsUsedFromTheFirstRun() throws Exception {
        Path jdk = cdsJdk();
        assumeTrue(jdk != null, "no JDK 17 to 23 to test the dynamic archive with");
        // the daemon's training: a dry run over this machine's /sys, stopped once ready
        CliRun build = run(LAUNCHER, java(jdk), "--build-class-data", "resolve", "lsmod", "daemon");
        assertEquals(0, build.code(), build.err());
        assertEquals("", build.err());
        assertTrue(build.out().contains("autoprobe: resolve: " + cds.resolve("autoprobe-resolve.jsa") + " (CDS archive, JDK "), build.out());
        assertEquals(3, build.out().lines().count(), build.out());
        List<String> built = List.of("autoprobe-daemon.jsa", "autoprobe-daemon.jsa.stamp", "autoprobe-lsmod.jsa", "autoprobe-lsmod.jsa.stamp",
                "autoprobe-resolve.jsa", "autoprobe-resolve.jsa.stamp");
        assertEquals(built, files(), "the archives and their stamps, nothing left over");
        assertEquals(3, stamp("autoprobe-resolve.jsa").size());

        assertEquals(new CliRun(0, WANT, ""), resolve(java(jdk)));
        assertEquals(built, files(), "used as they are: no archive is written by the first run");

        // a command without a training without side effects is refused, the others still built
        CliRun refused = run(LAUNCHER, java(jdk), "--build-class-data", "insmod", "nosuch", "lsmod");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("no training without side effects for 'insmod'"), refused.err());
        assertTrue(refused.err().contains("no such command: nosuch"), refused.err());
        assertTrue(refused.out().contains("autoprobe: lsmod: "), refused.out());
        assertEquals(built, files());
    }

    /** Truncated, corrupt (same size), another JDK's, or the stamp gone: one warning, right output, made again. */
    @Test
    void damagedClassDataIsIgnoredWithOneWarningAndMadeAgain() throws Exception {
        Path jdk = cdsJdk();
        Path other = aotJdk();
        assumeTrue(jdk != null, "no JDK 17 to 23 to test the dynamic archive with");
        Path jsa = cds.resolve("autoprobe-resolve.jsa");
        List<String> current = List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.stamp");
        List<String> damages = new ArrayList<>(List.of("truncated", "corrupt", "no stamp"));
        if (other != null) {
            damages.add("another JDK's");
        }
        for (String damage : damages) {
            assertEquals(0, run(LAUNCHER, java(jdk), "--build-class-data", "resolve").code());
            assertEquals(current, files().stream().filter(f -> f.contains(".jsa")).toList());
            jsa.toFile().setWritable(true);
            long size = Files.size(jsa);
            FileTime time = Files.getLastModifiedTime(jsa);
            switch (damage) {
                case "truncated" -> {
                    try (RandomAccessFile f = new RandomAccessFile(jsa.toFile(), "rw")) {
                        f.setLength(size / 3);
                    }
                }
                case "corrupt" -> {
                    try (RandomAccessFile f = new RandomAccessFile(jsa.toFile(), "rw")) {
                        for (long at = size / 4; at < size; at += 4096) {
                            f.seek(at);
                            f.write(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 1, 2, 3, 4});
                        }
                    }
                }
                case "no stamp" -> Files.delete(cds.resolve("autoprobe-resolve.jsa.stamp"));
                default -> {
                    assertEquals(0, run(LAUNCHER, java(other), "--build-class-data", "resolve").code());
                    Files.copy(cds.resolve("autoprobe-resolve.aot"), jsa, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.setLastModifiedTime(jsa, time);
                }
            }
            CliRun first = resolve(java(jdk));
            assertEquals(0, first.code(), damage);
            assertEquals(WANT, first.out(), damage);
            assertTrue(first.err().startsWith(WARNING + jsa + ": not what its stamp says"), damage + ": " + first.err());
            assertEquals(1, first.err().lines().count(), damage + ": " + first.err());
            assertEquals(new CliRun(0, WANT, ""), resolve(java(jdk)), damage + ": warned once, then made again");
            assertEquals(current, files().stream().filter(f -> f.contains(".jsa")).toList(), damage);
            assertEquals(new CliRun(0, WANT, ""), resolve(java(jdk)), damage);
            assertEquals(current, files().stream().filter(f -> f.contains(".jsa")).toList(), damage + ": used");
        }
    }

    @Test
    void aJdk24OrLaterGetsAnAotCacheBuiltAheadOrLazily() throws Exception {
        Path jdk = aotJdk();
        assumeTrue(jdk != null, "no JDK 24 or later under /usr/lib/jvm (e.g. temurin-25-jdk-amd64) for the AOT cache");
        Map<String, String> env = java(jdk);
        List<String> current = List.of("autoprobe-resolve.aot", "autoprobe-resolve.aot.stamp");

        // lazily: recorded by the first run, assembled in the background by the second, used by the third
        assertEquals(new CliRun(0, WANT, ""), resolve(env));
        assertEquals(List.of("autoprobe-resolve.aot.pending.PID", "autoprobe-resolve.aot.pending.PID.stamp"), files());
        assertEquals(new CliRun(0, WANT, ""), resolve(env));
        awaitFiles(current);
        List<String> stamp = stamp("autoprobe-resolve.aot");
        assertEquals(jdk.resolve("bin/java").toRealPath().toString(), stamp.get(0));
        assertFalse(stamp.get(1).contains("-Xshare"), "an AOT cache refuses -Xshare: " + stamp.get(1));
        assertEquals(new CliRun(0, WANT, ""), resolve(env));
        assertEquals(current, files());

        // truncated: one warning, then recorded and assembled again
        try (RandomAccessFile f = new RandomAccessFile(cds.resolve("autoprobe-resolve.aot").toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        CliRun truncated = resolve(env);
        assertEquals(WANT, truncated.out());
        assertTrue(truncated.err().startsWith(WARNING) && truncated.err().lines().count() == 1, truncated.err());
        assertEquals(new CliRun(0, WANT, ""), resolve(env));
        awaitFiles(current);

        // ahead of time
        Files.delete(cds.resolve("autoprobe-resolve.aot"));
        Files.delete(cds.resolve("autoprobe-resolve.aot.stamp"));
        CliRun build = run(LAUNCHER, env, "--build-class-data", "resolve");
        assertEquals(0, build.code(), build.err());
        assertTrue(build.out().startsWith("autoprobe: resolve: " + cds.resolve("autoprobe-resolve.aot") + " (AOT cache, JDK "), build.out());
        assertEquals(current, files());
        assertEquals(new CliRun(0, WANT, ""), resolve(env));
        assertEquals(current, files(), "used from the first run");
    }

    /** JNA's System.load makes a JDK 24+ print four lines of warning unless native access is enabled. */
    @Test
    void aJdk24OrLaterIsToldThatJnaLoadsNativeCode() throws Exception {
        Path jdk = aotJdk();
        assumeTrue(jdk != null, "no JDK 24 or later under /usr/lib/jvm (e.g. temurin-25-jdk-amd64)");
        Files.createDirectories(dir.resolve("sys/devices"));
        Map<String, String> env = new HashMap<>(java(jdk));
        env.put("AUTOPROBE_CDS", "0");
        // coldplug opens the uevent socket through JNA; nothing to announce in an empty /sys
        assertEquals(new CliRun(0, "", ""), run(LAUNCHER, env, "coldplug", "--dry-run", "--quiet", "--sys", dir.resolve("sys").toString(),
                "-d", dir.resolve("root").toString(), "-S", TwoModuleSystem.KVER));
    }

    /** AUTOPROBE_JAVA, then JAVA_HOME, then the newest JDK 17+ of the JVM directory and PATH. */
    @Test
    void theNewestJdkIsChosenUnlessOneIsNamed() throws Exception {
        Path jdk17 = cdsJdk();
        Path jdk25 = aotJdk();
        assumeTrue(jdk17 != null && jdk25 != null, "needs a JDK 17 to 23 and a JDK 24 or later");
        Path jvms = Files.createDirectories(dir.resolve("jvm"));
        Files.createSymbolicLink(jvms.resolve("a-17"), jdk17);
        Files.createSymbolicLink(jvms.resolve("b-newest"), jdk25);
        // an old one, and a "newer" one that is not a runtime at all: neither is chosen
        Path old = Files.createDirectories(jvms.resolve("c-11/bin"));
        Files.writeString(jvms.resolve("c-11/release"), "JAVA_VERSION=\"11.0.2\"\n");
        Files.writeString(old.resolve("java"), "#!/bin/sh\nexit 3\n");
        old.resolve("java").toFile().setExecutable(true);
        Files.createDirectories(jvms.resolve("d-99/bin"));
        Files.writeString(jvms.resolve("d-99/release"), "JAVA_VERSION=\"99\"\n");
        Path path = Files.createDirectories(dir.resolve("path"));
        Files.createSymbolicLink(path.resolve("java"), jdk17.resolve("bin/java"));
        String sysPath = path + ":/usr/bin:/bin";

        assertEquals(new CliRun(0, WANT, ""), resolve(Map.of("AUTOPROBE_JVM_DIR", jvms.toString(), "PATH", sysPath)));
        assertEquals(List.of("autoprobe-resolve.aot.pending.PID", "autoprobe-resolve.aot.pending.PID.stamp"), files(),
                "the newest: a JDK 24+, so an AOT cache");
        assertEquals(Optional.of(jdk25.resolve("bin/java").toRealPath().toString()), pendingJava());
        clear();

        assertEquals(new CliRun(0, WANT, ""), resolve(Map.of("AUTOPROBE_JVM_DIR", jvms.toString(), "PATH", sysPath,
                "JAVA_HOME", jdk17.toString())));
        assertEquals(Optional.of(jdk17.resolve("bin/java").toRealPath().toString()), pendingJava(), "JAVA_HOME wins");
        clear();

        assertEquals(new CliRun(0, WANT, ""), resolve(Map.of("AUTOPROBE_JVM_DIR", jvms.toString(), "JAVA_HOME", jdk17.toString(),
                "AUTOPROBE_JAVA", jdk25.resolve("bin/java").toString())));
        assertEquals(Optional.of(jdk25.resolve("bin/java").toRealPath().toString()), pendingJava(), "AUTOPROBE_JAVA wins");
        clear();

        // nothing newer than PATH's: PATH's java
        Files.delete(jvms.resolve("b-newest"));
        assertEquals(new CliRun(0, WANT, ""), resolve(Map.of("AUTOPROBE_JVM_DIR", jvms.toString(), "PATH", sysPath)));
        assertEquals(Optional.of(jdk17.resolve("bin/java").toRealPath().toString()), pendingJava());
        assertTrue(files().contains("autoprobe-resolve.jsa.pending.PID"), files().toString());

        Path bashOnly = Files.createDirectories(dir.resolve("bash-only"));
        Files.createSymbolicLink(bashOnly.resolve("bash"), Path.of("/bin/bash").toRealPath());
        CliRun none = resolve(Map.of("AUTOPROBE_JVM_DIR", dir.resolve("nothing").toString(), "PATH", bashOnly.toString()));
        assertEquals(1, none.code());
        assertTrue(none.err().startsWith("autoprobe: no Java runtime found"), none.err());
        CliRun named = resolve(Map.of("AUTOPROBE_JAVA", dir.resolve("nothing/bin/java").toString()));
        assertEquals(new CliRun(1, "", "autoprobe: " + dir.resolve("nothing/bin/java") + " (from AUTOPROBE_JAVA) is not an executable file\n"),
                named);
    }

    private Optional<String> pendingJava() throws IOException {
        try (Stream<Path> s = Files.list(cds)) {
            Optional<Path> stamp = s.filter(p -> p.toString().endsWith(".stamp") && p.toString().contains(".pending.")).findFirst();
            return stamp.isEmpty() ? Optional.empty() : Optional.of(Files.readAllLines(stamp.get()).get(0));
        }
    }

    private void clear() throws IOException {
        try (Stream<Path> s = Files.list(cds)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aLinkToTheLauncherFindsTheCheckout() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("autoprobe"), LAUNCHER);
        assertEquals(new CliRun(0, WANT, ""), run(link, Map.of("AUTOPROBE_CDS", "0"), "resolve", "-d", dir.resolve("root").toString(),
                "-S", TwoModuleSystem.KVER, "8139too", "nothing-here"));
        assertFalse(files().iterator().hasNext(), "AUTOPROBE_CDS=0 writes no archive");
    }
}
