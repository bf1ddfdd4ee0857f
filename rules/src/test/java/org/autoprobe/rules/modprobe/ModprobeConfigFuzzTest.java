package org.autoprobe.rules.modprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.module.ModuleNames;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for modprobe.d files and the kernel command line: any bytes give a configuration
 * and warnings, never an exception. Each warning names the file and a line that exists; every
 * module name is normalised, words hold no blank, option strings hold no tab; the command line
 * counts only up to its first NUL and its first {@value KernelCmdlineParser#MAX_BYTES} bytes.
 */
class ModprobeConfigFuzzTest {
    private static final String FILE = "/etc/modprobe.d/fuzzed.conf";
    private static final Pattern WARNING = Pattern.compile(Pattern.quote(FILE) + ":(\\d+): .+", Pattern.DOTALL);

    @FuzzTest
    void modprobeD(byte[] content) {
        List<String> warnings = new ArrayList<>();
        ModprobeConfig c = ModprobeConfigParser.parse(FILE, content, warnings::add);
        int physical = 1;
        for (byte b : content) {
            physical += b == '\n' ? 1 : 0;
        }
        for (String w : warnings) {
            Matcher m = WARNING.matcher(w);
            assertTrue(m.matches(), "warning without file and line: " + w);
            int line = Integer.parseInt(m.group(1));
            assertTrue(line >= 1 && line <= physical, "warning for line " + line + " of " + physical);
        }
        for (ModprobeConfig.Alias a : c.aliases()) {
            checkName(a.pattern());
            checkName(a.module());
        }
        for (ModprobeConfig.Options o : c.options()) {
            checkName(o.module());
            assertFalse(o.options().isEmpty() || o.options().indexOf('\t') >= 0, "options '" + o.options() + "'");
        }
        for (ModprobeConfig.Command cmd : c.installs()) {
            checkName(cmd.module());
            assertFalse(cmd.command().isEmpty());
        }
        for (ModprobeConfig.Command cmd : c.removes()) {
            checkName(cmd.module());
            assertFalse(cmd.command().isEmpty());
        }
        c.blacklist().forEach(ModprobeConfigFuzzTest::checkName);
        for (ModprobeConfig.SoftDep d : c.softdeps()) {
            checkName(d.module());
            for (String s : d.pre()) {
                checkWord(s);
            }
            for (String s : d.post()) {
                checkWord(s);
            }
            assertNotNull(d.shown());
        }
        for (ModprobeConfig.WeakDep d : c.weakdeps()) {
            checkName(d.module());
            for (int i = 1; i < d.deps().size(); i++) { // the first may keep one leading blank (kmod's quirk)
                checkWord(d.deps().get(i));
            }
        }
        // the same file given as its lines (when it ends in a newline and is valid UTF-8) reads the same
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.endsWith("\n") && Arrays.equals(text.getBytes(StandardCharsets.UTF_8), content)) {
            List<String> lines = Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
            List<String> again = new ArrayList<>();
            assertEquals(c, ModprobeConfigParser.parse(FILE, lines, again::add));
            assertEquals(warnings, again);
        }
    }

    /** A module name or alias as kmod keeps it: one word, '-' already turned into '_'. */
    private static void checkName(String name) {
        checkWord(name);
        assertEquals(name, ModuleNames.normalizeAlias(name), "not normalised: " + name);
    }

    private static void checkWord(String word) {
        assertNotNull(word);
        assertFalse(word.isEmpty(), "an empty word");
        assertFalse(word.indexOf(' ') >= 0 || word.indexOf('\t') >= 0 || word.indexOf('\n') >= 0,
                "blank inside '" + word + "'");
    }

    @FuzzTest
    void kernelCommandLine(byte[] content) {
        String cmdline = new String(content, StandardCharsets.ISO_8859_1);
        List<String> warnings = new ArrayList<>();
        ModprobeConfig c = KernelCmdlineParser.parse(cmdline, warnings::add);
        for (String w : warnings) {
            assertTrue(w.startsWith("kernel command line: "), w);
        }
        assertTrue(c.aliases().isEmpty() && c.installs().isEmpty() && c.removes().isEmpty()
                && c.softdeps().isEmpty() && c.weakdeps().isEmpty(), "the command line gives only options and blacklist");
        for (ModprobeConfig.Options o : c.options()) {
            assertEquals(o.module(), ModuleNames.normalizeAlias(o.module()));
            for (char ch : o.module().toCharArray()) {
                assertFalse(SoftDepParser.isSpace(ch) || ch == '"' || ch == '.' || ch == '=',
                        "module name '" + o.module() + "'");
            }
            assertFalse(o.options().indexOf('\t') >= 0);
        }
        for (String b : c.blacklist()) {
            assertFalse(b.indexOf(',') >= 0, "blacklist entry with a comma: " + b);
        }
        // what follows a NUL does not count
        int nul = cmdline.indexOf('\0');
        if (nul >= 0) {
            assertEquals(c, KernelCmdlineParser.parse(cmdline.substring(0, nul), w -> { }));
        }
        // nor what follows the first MAX_BYTES bytes (one byte per char here, below U+0080)
        if (cmdline.chars().allMatch(ch -> ch < 0x80) && cmdline.length() > KernelCmdlineParser.MAX_BYTES) {
            assertEquals(c, KernelCmdlineParser.parse(cmdline.substring(0, KernelCmdlineParser.MAX_BYTES), w -> { }));
        }
    }
}
