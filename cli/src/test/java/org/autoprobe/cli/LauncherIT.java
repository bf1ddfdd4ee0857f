package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ({@code ./autoprobe}) over the packaged build: its class-data archives are written by
 * a command's first run, put in place by the next, used after that, and written afresh when what
 * they depend on changes; none of it changes what a command prints. Runs after {@code package}.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "autoprobe").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    Path cds;

    @BeforeEach
    void tree() throws IOException {
        TwoModuleSystem.write(dir);
        cds = Files.createDirectories(dir.resolve("cds"));
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("AUTOPROBE_CDS_DIR", cds.toString());
        pb.environment().remove("AUTOPROBE_JAVA_OPTS");
        pb.environment().remove("AUTOPROBE_CDS");
        pb.environment().putAll(env);
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "launcher did not finish");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run resolve(Path launcher, Map<String, String> env) throws Exception {
        return run(launcher, env, "resolve", "-d", dir.resolve("root").toString(), "-S", TwoModuleSystem.KVER,
                "8139too", "nothing-here");
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(cds)) {
            return s.map(p -> p.getFileName().toString().replaceAll("\\.pending\\.[0-9]+", ".pending.PID")).sorted().toList();
        }
    }

    @Test
    void archivesAreWrittenPromotedUsedAndRenewedWithoutChangingOutput() throws Exception {
        String want = "8139too\t8139too\nnothing-here\t-\n";
        Run first = resolve(LAUNCHER, Map.of());
        assertEquals(new Run(0, want, ""), first);
        assertEquals(List.of("autoprobe-resolve.jsa.pending.PID", "autoprobe-resolve.jsa.pending.PID.stamp"), files(),
                "the first run writes its archive at exit, and what it started with");

        Run second = resolve(LAUNCHER, Map.of());
        assertEquals(new Run(0, want, ""), second);
        assertEquals(List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.stamp"), files(), "the next run puts it in place");
        List<String> stamp = Files.readAllLines(cds.resolve("autoprobe-resolve.jsa.stamp"), StandardCharsets.UTF_8);
        assertEquals(2, stamp.size(), "stamp: the real java binary, then times, sizes and options");
        assertTrue(Files.isRegularFile(Path.of(stamp.get(0))) && !Files.isSymbolicLink(Path.of(stamp.get(0))), stamp.get(0));
        assertTrue(stamp.get(1).endsWith("-XX:+UseG1GC"), stamp.get(1));

        assertEquals(new Run(0, want, ""), resolve(LAUNCHER, Map.of()));
        assertEquals(List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.stamp"), files(), "a current archive is used as it is");

        // other options: the archive no longer matches, a new one is written and then replaces it
        Map<String, String> opts = Map.of("AUTOPROBE_JAVA_OPTS", "-Dautoprobe.launcher.test=1");
        assertEquals(new Run(0, want, ""), resolve(LAUNCHER, opts));
        assertEquals(List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.pending.PID",
                "autoprobe-resolve.jsa.pending.PID.stamp", "autoprobe-resolve.jsa.stamp"), files());
        assertEquals(new Run(0, want, ""), resolve(LAUNCHER, opts));
        assertEquals(List.of("autoprobe-resolve.jsa", "autoprobe-resolve.jsa.stamp"), files());
        assertTrue(Files.readString(cds.resolve("autoprobe-resolve.jsa.stamp")).contains("-Dautoprobe.launcher.test=1"));

        // a damaged stamp is not trusted
        Files.writeString(cds.resolve("autoprobe-resolve.jsa.stamp"), "/nonexistent/java\n");
        assertEquals(new Run(0, want, ""), resolve(LAUNCHER, opts));
        assertTrue(files().contains("autoprobe-resolve.jsa.pending.PID"), files().toString());

        // an archive whose run started with other inputs (a jar rebuilt meanwhile) is thrown away
        Path started;
        try (Stream<Path> s = Files.list(cds)) {
            started = s.filter(p -> p.toString().endsWith(".stamp") && p.toString().contains(".pending.")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(started);
        Files.writeString(started, lines.get(0) + "\n1 2 " + lines.get(1) + "\n");
        Files.delete(cds.resolve("autoprobe-resolve.jsa"));
        assertEquals(new Run(0, want, ""), resolve(LAUNCHER, opts));
        assertEquals(List.of("autoprobe-resolve.jsa.pending.PID", "autoprobe-resolve.jsa.pending.PID.stamp",
                "autoprobe-resolve.jsa.stamp"), files(), "not promoted: a new run writes another");
    }

    @Test
    void aLinkToTheLauncherFindsTheCheckout() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("autoprobe"), LAUNCHER);
        assertEquals(new Run(0, "8139too\t8139too\nnothing-here\t-\n", ""), resolve(link, Map.of("AUTOPROBE_CDS", "0")));
        assertFalse(files().iterator().hasNext(), "AUTOPROBE_CDS=0 writes no archive");
    }
}
