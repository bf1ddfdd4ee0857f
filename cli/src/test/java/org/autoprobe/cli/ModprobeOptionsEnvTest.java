package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** $MODPROBE_OPTIONS: read before modprobe's arguments, and handed on to install commands. */
class ModprobeOptionsEnvTest {
    @Test
    void modprobeTakesEnvironmentOptionsBeforeItsArguments() {
        assertArrayEquals(new String[] {"modprobe", "-v", "-C", "/etc/x", "dummy", "n=1"},
                Main.withEnvironmentOptions(new String[] {"modprobe", "dummy", "n=1"}, "-v -C /etc/x"));
        assertArrayEquals(new String[] {"lsmod"}, Main.withEnvironmentOptions(new String[] {"lsmod"}, "-v"));
        assertArrayEquals(new String[] {"modprobe", "x"}, Main.withEnvironmentOptions(new String[] {"modprobe", "x"}, null));
    }

    @Test
    void wordsSplitOnSpacesWithQuotedWordsKeptWhole() {
        assertEquals(List.of("-C", "/a dir/x.conf", "-q"), Main.splitOptions("-C '/a dir/x.conf' -q"));
        assertEquals(List.of("-v"), Main.splitOptions("-v"));
    }

    @Test
    void commandsInheritThisModprobesVerbosityQuietAndConfig() {
        ModprobeCommand c = new ModprobeCommand();
        picocli.CommandLine cl = new picocli.CommandLine(c);
        cl.parseArgs("-v", "-v", "-q", "-C", "/etc/x.conf", "dummy");
        String expected = (System.getenv("MODPROBE_OPTIONS") == null ? "" : System.getenv("MODPROBE_OPTIONS") + " ")
                + "-C /etc/x.conf -q -v -v";
        assertEquals(expected, c.optionsForCommands());
    }
}
