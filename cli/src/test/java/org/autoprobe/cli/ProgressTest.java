package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void onATerminalOneLineRewrittenThenErased() {
        StringWriter w = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(w), "depmod", true)) {
            p.update("1 module files read");
            p.update("2 module files read"); // within a tenth of a second: not shown
        }
        assertEquals("\r\033[Kdepmod: 1 module files read\r\033[K", w.toString());
    }

    @Test
    void elsewhereNothingAtAll() {
        StringWriter w = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(w), "depmod", false)) {
            p.update("1 module files read");
        }
        assertEquals("", w.toString());
    }

    @Test
    void aTestRunsWithoutATerminal() {
        // surefire gives the forked JVM pipes: what depmod's conformance relies on (no progress bytes)
        assertFalse(Progress.stderrIsTerminal());
    }
}
