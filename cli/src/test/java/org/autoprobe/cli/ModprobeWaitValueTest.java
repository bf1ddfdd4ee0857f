package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@code modprobe -w MSEC} with a value kmod's strtoul(optarg, &end, 0) refuses (core's ModprobeTest reads the values). */
class ModprobeWaitValueTest {
    @Test
    void aBadValueIsKmodsError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "modprobe", "-r", "-w", "12x", "vfat");
        assertEquals(1, rc);
        assertEquals("modprobe: ERROR: unexpected wait value '12x'.\n", err.toString(StandardCharsets.UTF_8));
    }
}
