package org.autoprobe.cli.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.LocationAwareLogger;

/**
 * slf4j-simple, with each line's level also said the way the journal reads it when standard error is
 * the journal: a {@code <N>} syslog priority before the line ({@code <3>} error, {@code <4>} warning,
 * {@code <6>} info, {@code <7>} debug and trace), which journald takes off and keeps as the entry's
 * priority ({@code SyslogLevelPrefix=}, on by default). So {@code journalctl -p warning -u autoprobe}
 * shows autoprobe's warnings and errors, as it shows systemd-udevd's, and nothing else.
 *
 * <p>Standard error is the journal when {@code $JOURNAL_STREAM} ("device:inode", set by systemd for a
 * service whose output goes to the journal) names the file standard error is; elsewhere (a terminal, a
 * redirection of the service's output) lines are slf4j-simple's own. Chosen with the system property
 * {@code slf4j.provider} (the daemon's launch sets it), so slf4j-simple's own provider is not asked.
 */
public final class JournalServiceProvider extends SimpleServiceProvider {
    private ILoggerFactory factory;

    @Override
    public void initialize() {
        super.initialize();
        factory = levelFirst() && toJournal(System.getenv("JOURNAL_STREAM"), Path.of("/proc/self/fd/2"))
                ? new PrefixingFactory() : super.getLoggerFactory();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    /**
     * True when slf4j-simple's configuration puts the level first on the line (no date, thread name or id,
     * no bracket), where journald looks for the prefix.
     */
    static boolean levelFirst() {
        return !flag(SimpleLogger.SHOW_DATE_TIME_KEY, false) && !flag(SimpleLogger.SHOW_THREAD_NAME_KEY, true)
                && !flag(SimpleLogger.SHOW_THREAD_ID_KEY, false) && !flag(SimpleLogger.LEVEL_IN_BRACKETS_KEY, false);
    }

    private static boolean flag(String key, boolean absent) {
        String v = System.getProperty(key);
        return v == null ? absent : v.equalsIgnoreCase("true");
    }

    /**
     * True when {@code journalStream} ({@code $JOURNAL_STREAM}: device and inode numbers in decimal, a
     * colon between) names the file {@code stderr} opens; false when it is unset, malformed, or another file.
     */
    static boolean toJournal(String journalStream, Path stderr) {
        if (journalStream == null) {
            return false;
        }
        int colon = journalStream.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            long dev = Long.parseLong(journalStream.substring(0, colon));
            long ino = Long.parseLong(journalStream.substring(colon + 1));
            Map<String, Object> a = Files.readAttributes(stderr, "unix:dev,ino");
            return a.get("dev") instanceof Long d && d == dev && a.get("ino") instanceof Long i && i == ino;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException
                | SecurityException e) {
            return false;
        }
    }

    /** The syslog priority prefix for an slf4j level ({@link LocationAwareLogger}'s numbers). */
    static String prefix(int level) {
        if (level >= LocationAwareLogger.ERROR_INT) {
            return "<3>";
        }
        if (level >= LocationAwareLogger.WARN_INT) {
            return "<4>";
        }
        if (level >= LocationAwareLogger.INFO_INT) {
            return "<6>";
        }
        return "<7>";
    }

    private static final class PrefixingFactory extends SimpleLoggerFactory {
        @Override
        protected Logger createLogger(String name) {
            return new PrefixingLogger(name);
        }
    }

    private static final class PrefixingLogger extends SimpleLogger {
        private static final long serialVersionUID = 1L;

        PrefixingLogger(String name) {
            super(name);
        }

        @Override
        protected String renderLevel(int level) {
            // the level comes first on the line: the launch turns off the date, thread and logger name
            return prefix(level) + super.renderLevel(level);
        }
    }
}
