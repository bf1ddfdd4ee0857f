package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

/** {@code modprobe -w MSEC} reads its value as kmod's strtoul(optarg, &end, 0) does. */
class ModprobeWaitValueTest {
    @Test
    void decimalHexOctalAndTheWholeValue() {
        assertEquals(OptionalLong.of(500), ModprobeCommand.parseUnsigned("500"));
        assertEquals(OptionalLong.of(0x1f4), ModprobeCommand.parseUnsigned("0x1f4"));
        assertEquals(OptionalLong.of(0x1f4), ModprobeCommand.parseUnsigned("0X1F4"));
        assertEquals(OptionalLong.of(8), ModprobeCommand.parseUnsigned("010"));
        assertEquals(OptionalLong.of(0), ModprobeCommand.parseUnsigned("0"));
        assertEquals(OptionalLong.of(7), ModprobeCommand.parseUnsigned(" +7"));
        assertEquals(OptionalLong.of(0), ModprobeCommand.parseUnsigned("-0"));
        assertEquals(OptionalLong.of(ModprobeCommand.MAX_WAIT), ModprobeCommand.parseUnsigned("-1"), "huge in C");
        assertEquals(OptionalLong.of(ModprobeCommand.MAX_WAIT), ModprobeCommand.parseUnsigned("99999999999999999999999"));
        for (String bad : new String[] {"", " ", "12x", "08", "0x", "0xg", "x", "1 ", "\u0661"}) {
            assertEquals(OptionalLong.empty(), ModprobeCommand.parseUnsigned(bad), "'" + bad + "'");
        }
    }

    @Test
    void aBadValueIsKmodsError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "modprobe", "-r", "-w", "12x", "vfat");
        assertEquals(1, rc);
        assertEquals("modprobe: ERROR: unexpected wait value '12x'.\n", err.toString(StandardCharsets.UTF_8));
    }
}
