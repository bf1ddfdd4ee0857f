package org.autoprobe.rules.depmod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.autoprobe.core.config.DepmodConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for depmod.d files: any bytes give a configuration and warnings naming the file
 * and an existing line, never an exception; every word kept is one non-empty word without blanks;
 * reading the file from disk gives what parsing its lines gives.
 */
class DepmodConfigFuzzTest {
    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("depmod-d-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        Files.deleteIfExists(dir.resolve("fuzzed.conf"));
        Files.delete(dir);
    }

    @FuzzTest
    void depmodD(byte[] content) throws IOException {
        Path file = dir.resolve("fuzzed.conf");
        Files.write(file, content);
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<String> lines = DepmodConfigParser.lines(text);
        assertEquals(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text, String.join("\n", lines),
                "the lines are not the file");
        List<String> warnings = new ArrayList<>();
        DepmodConfig c = DepmodConfigParser.parse(file.toString(), lines, warnings::add);
        Pattern warning = Pattern.compile(Pattern.quote(file.toString()) + ":(\\d+): ignoring bad line starting with '.*'",
                Pattern.DOTALL);
        for (String w : warnings) {
            Matcher m = warning.matcher(w);
            assertTrue(m.matches(), "warning without file and line: " + w);
            int line = Integer.parseInt(m.group(1));
            assertTrue(line >= 1 && line <= lines.size(), "warning for line " + line + " of " + lines.size());
        }
        c.search().forEach(DepmodConfigFuzzTest::checkWord);
        c.excludes().forEach(DepmodConfigFuzzTest::checkWord);
        for (DepmodConfig.Override o : c.overrides()) {
            checkWord(o.module());
            checkWord(o.kernelVersion());
            checkWord(o.subdir());
        }
        for (DepmodConfig.External e : c.externals()) {
            checkWord(e.kernelVersion());
            e.dirs().forEach(DepmodConfigFuzzTest::checkWord);
        }
        List<String> loadWarnings = new ArrayList<>();
        assertEquals(c, DepmodConfigParser.load(List.of(file), loadWarnings::add), "load and parse disagree");
        assertEquals(warnings, loadWarnings);
    }

    private static void checkWord(String word) {
        assertFalse(word.isEmpty(), "an empty word");
        assertFalse(word.indexOf(' ') >= 0 || word.indexOf('\t') >= 0 || word.indexOf('\n') >= 0,
                "blank inside '" + word + "'");
    }
}
