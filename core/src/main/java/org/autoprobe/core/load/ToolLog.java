package org.autoprobe.core.load;

import java.util.ArrayList;
import java.util.List;

/**
 * kmod's tool logging: {@code PROGRAM: LEVEL: message} on stderr for priorities up to the threshold
 * (LOG_WARNING plus one per {@code -v}; nothing with {@code -q}); a printed FATAL ends the run, as
 * kmod exits there. Standard output lines are collected too. With a {@link LogSink} (modprobe's
 * {@code -s}) the messages go there instead, as {@code LEVEL: message} at their priority, and none
 * reaches stderr; the threshold, the FATAL rule and standard output do not change.
 */
public final class ToolLog {
    public static final int LOG_CRIT = 2;
    public static final int LOG_ERR = 3;
    public static final int LOG_WARNING = 4;
    static final int LOG_NOTICE = 5;
    public static final int LOG_INFO = 6;
    public static final int LOG_DEBUG = 7;

    private final String program;
    private final int threshold;
    private final LogSink sink;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private boolean fatal;

    /** @param threshold the highest priority printed (kmod's {@code verbose}) */
    public ToolLog(String program, int threshold) {
        this(program, threshold, null);
    }

    /**
     * @param threshold the highest priority logged (kmod's {@code verbose})
     * @param sink      where messages go instead of stderr; null for stderr
     */
    public ToolLog(String program, int threshold, LogSink sink) {
        this.program = program;
        this.threshold = threshold;
        this.sink = sink;
    }

    /** modprobe's threshold: LOG_WARNING + verbose, 0 with {@code -q}. */
    public static ToolLog modprobe(int verbose, boolean quiet) {
        return modprobe(verbose, quiet, null);
    }

    /** modprobe's log, its messages going to {@code sink} when not null ({@code -s}). */
    public static ToolLog modprobe(int verbose, boolean quiet, LogSink sink) {
        return new ToolLog("modprobe", quiet ? 0 : LOG_WARNING + verbose, sink);
    }

    public int threshold() {
        return threshold;
    }

    /** Logs a message (without its newline); once a FATAL was printed, nothing more is. */
    public void log(int priority, String message) {
        if (fatal || priority > threshold) {
            return;
        }
        if (sink != null) {
            sink.log(priority, level(priority) + ": " + message);
        } else {
            err.add(program + ": " + level(priority) + ": " + message);
        }
        if (priority <= LOG_CRIT) {
            fatal = true;
        }
    }

    /** A line on standard output (ignored after a FATAL). */
    public void out(String line) {
        if (!fatal) {
            out.add(line);
        }
    }

    /** A raw line on standard error (kmod's multi-part messages). */
    public void rawErr(String line) {
        if (!fatal) {
            err.add(line);
        }
    }

    /** Whether a FATAL message ended the run. */
    public boolean fatal() {
        return fatal;
    }

    /** The output so far and the exit code: 1 after a FATAL, else as given. */
    public ToolResult result(int exitCode) {
        return new ToolResult(out, err, fatal ? 1 : exitCode);
    }

    /**
     * The priority of a level word as {@link #log} writes it ({@code FATAL}, {@code ERROR}, ...,
     * {@code LOG-NNN}); -1 for anything else.
     */
    public static int priority(String level) {
        return switch (level) {
            case "FATAL" -> LOG_CRIT;
            case "ERROR" -> LOG_ERR;
            case "WARNING" -> LOG_WARNING;
            case "NOTICE" -> LOG_NOTICE;
            case "INFO" -> LOG_INFO;
            case "DEBUG" -> LOG_DEBUG;
            default -> level.matches("LOG-[0-9]{3}") ? Integer.parseInt(level.substring(4)) : -1;
        };
    }

    /** The level word kmod prints for a priority. */
    public static String level(int priority) {
        return switch (priority) {
            case LOG_CRIT -> "FATAL";
            case LOG_ERR -> "ERROR";
            case LOG_WARNING -> "WARNING";
            case LOG_NOTICE -> "NOTICE";
            case LOG_INFO -> "INFO";
            case LOG_DEBUG -> "DEBUG";
            default -> String.format("LOG-%03d", priority);
        };
    }
}
