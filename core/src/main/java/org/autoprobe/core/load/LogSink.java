package org.autoprobe.core.load;

/**
 * Where a tool's log messages go instead of being collected for standard error: kmod's
 * {@code -s}/{@code --syslog}, or a tool that prints its messages as they happen (depmod).
 * The native one is {@code org.autoprobe.core.sys.Syslog}; tests use a recording one.
 */
public interface LogSink extends AutoCloseable {
    /**
     * One message, as kmod hands it to {@code syslog(3)}: its priority ({@link ToolLog#LOG_ERR}, ...)
     * and its text {@code LEVEL: message} (no program name, no trailing newline).
     */
    void log(int priority, String text);

    /** Ends the use of the sink ({@code closelog}); nothing by default. */
    @Override
    default void close() {
    }
}
