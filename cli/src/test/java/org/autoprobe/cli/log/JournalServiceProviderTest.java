package org.autoprobe.cli.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.spi.LocationAwareLogger;

class JournalServiceProviderTest {
    @TempDir
    Path dir;

    @Test
    void standardErrorThatIsTheJournalGetsPriorityPrefixes() throws Exception {
        Path err = dir.resolve("err");
        Files.createFile(err);
        String lines = run(err, journalStream(err), List.of());
        assertEquals("<3>ERROR an error\n<4>WARN a warning\n<6>INFO news\n<7>DEBUG details\n", lines);
    }

    @Test
    void anotherFileOrNoJournalKeepsPlainLines() throws Exception {
        Path err = dir.resolve("err");
        Path other = dir.resolve("other");
        Files.createFile(err);
        Files.createFile(other);
        String plain = "ERROR an error\nWARN a warning\nINFO news\nDEBUG details\n";
        assertEquals(plain, run(err, journalStream(other), List.of()), "JOURNAL_STREAM of another file");
        Files.writeString(err, "");
        assertEquals(plain, run(err, null, List.of()), "no JOURNAL_STREAM");
    }

    @Test
    void aLineThatDoesNotStartWithTheLevelGetsNoPrefix() throws Exception {
        Path err = dir.resolve("err");
        Files.createFile(err);
        String lines = run(err, journalStream(err), List.of("-Dorg.slf4j.simpleLogger.showThreadName=true"));
        assertTrue(lines.contains("] WARN a warning\n") && !lines.contains("<"), lines);
    }

    @Test
    void malformedJournalStreamsAreNotTheJournal() throws Exception {
        Path err = dir.resolve("err");
        Files.createFile(err);
        for (String s : new String[] {"", ":", "12", "x:y", ":5", "1:2:3", "99999999999999999999:1"}) {
            assertFalse(JournalServiceProvider.toJournal(s, err), s);
        }
        assertFalse(JournalServiceProvider.toJournal(journalStream(err), dir.resolve("missing")));
        assertTrue(JournalServiceProvider.toJournal(journalStream(err), err));
    }

    @Test
    void prefixesFollowSyslogPriorities() {
        assertEquals("<3>", JournalServiceProvider.prefix(LocationAwareLogger.ERROR_INT));
        assertEquals("<4>", JournalServiceProvider.prefix(LocationAwareLogger.WARN_INT));
        assertEquals("<6>", JournalServiceProvider.prefix(LocationAwareLogger.INFO_INT));
        assertEquals("<7>", JournalServiceProvider.prefix(LocationAwareLogger.DEBUG_INT));
        assertEquals("<7>", JournalServiceProvider.prefix(LocationAwareLogger.TRACE_INT));
    }

    private static String journalStream(Path file) throws Exception {
        Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino");
        return a.get("dev") + ":" + a.get("ino");
    }

    /** Runs {@code JournalLogMain} (the daemon's logging set-up, then a line per level), standard error appended to {@code err}. */
    private static String run(Path err, String journalStream, List<String> extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"));
        cmd.addAll(extra);
        cmd.add("org.autoprobe.cli.JournalLogMain");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("JOURNAL_STREAM");
        if (journalStream != null) {
            pb.environment().put("JOURNAL_STREAM", journalStream);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM did not end");
        assertEquals(0, p.exitValue(), Files.readString(err));
        return Files.readString(err);
    }
}
