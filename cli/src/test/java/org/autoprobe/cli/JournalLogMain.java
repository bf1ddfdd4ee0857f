package org.autoprobe.cli;

import org.slf4j.LoggerFactory;

/** Logs one line per level with the daemon's logging set up as its launch does it (JournalServiceProviderTest). */
public final class JournalLogMain {
    private JournalLogMain() {
    }

    public static void main(String[] args) {
        DaemonRun.plainLogLines();
        var log = LoggerFactory.getLogger("test");
        log.error("an error");
        log.warn("a warning");
        log.info("news");
        log.debug("details");
    }
}
