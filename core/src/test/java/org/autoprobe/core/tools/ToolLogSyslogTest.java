package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.autoprobe.core.load.LogSink;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.junit.jupiter.api.Test;

/** modprobe -s: log messages go to the sink at their priority, nothing to stderr, stdout unchanged. */
class ToolLogSyslogTest {
    /** Records what would have gone to syslog. */
    static final class RecordingSink implements LogSink {
        final List<String> messages = new ArrayList<>();
        boolean closed;

        @Override
        public void log(int priority, String text) {
            messages.add(priority + " " + text);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final RecordingSink sink = new RecordingSink();
    private final Fixture f = Fixture.standard();

    @Test
    void messagesGoToTheSinkWithTheirPriorityAndLevelAndStderrStaysEmpty() {
        ToolLog log = ToolLog.modprobe(0, false, sink);
        log.log(ToolLog.LOG_WARNING, "w");
        log.log(ToolLog.LOG_ERR, "e");
        log.log(ToolLog.LOG_INFO, "not shown without -v");
        log.out("stdout line");
        assertEquals(List.of("4 WARNING: w", "3 ERROR: e"), sink.messages);
        assertEquals(new ToolResult(List.of("stdout line"), List.of(), 0), log.result(0));
    }

    @Test
    void thresholdAndFatalRuleAreTheSameAsOnStderr() {
        ToolLog quiet = ToolLog.modprobe(0, true, sink);
        quiet.log(ToolLog.LOG_CRIT, "nothing with -q");
        assertTrue(sink.messages.isEmpty());

        ToolLog verbose = ToolLog.modprobe(3, false, sink);
        verbose.log(ToolLog.LOG_DEBUG, "d");
        verbose.log(ToolLog.LOG_CRIT, "the end");
        verbose.log(ToolLog.LOG_ERR, "after the end");
        verbose.out("after the end");
        assertEquals(List.of("7 DEBUG: d", "2 FATAL: the end"), sink.messages);
        assertEquals(new ToolResult(List.of(), List.of(), 1), verbose.result(0));
    }

    @Test
    void modprobeInsertsMessagesGoToTheSinkAndItsActionLinesToStdout() {
        ToolLog log = ToolLog.modprobe(1, false, sink);
        ToolResult r = f.insert(log, ModprobeInsertTest.PLAIN, "8139too");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(!r.stdout().isEmpty() && r.stdout().stream().allMatch(l -> l.startsWith("insmod ")), r.toString());
        assertEquals(List.of(), r.stderr());

        ToolResult missing = f.insert(ToolLog.modprobe(0, false, sink), ModprobeInsertTest.PLAIN, "nosuch");
        assertEquals(new ToolResult(List.of(), List.of(), 1), missing);
        assertEquals(List.of("2 FATAL: Module nosuch not found in directory " + Fixture.DIR), sink.messages);
    }

    @Test
    void priorityReadsBackEveryLevelWord() {
        for (int p = 0; p <= 9; p++) {
            assertEquals(p, ToolLog.priority(ToolLog.level(p)), ToolLog.level(p));
        }
        assertEquals(-1, ToolLog.priority("modprobe"));
        assertEquals(-1, ToolLog.priority("LOG-1x3"));
    }
}
