package org.autoprobe.core.sys;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import com.sun.jna.Memory;

import org.autoprobe.core.load.LogSink;

/**
 * The C library's syslog as a {@link LogSink}, opened as kmod's tools open it with {@code -s}:
 * {@code openlog(program, LOG_CONS, LOG_DAEMON)}, each message sent with its own priority and a
 * trailing newline (kmod's messages end in one), {@code closelog} at the end. One at a time per
 * process: the C library's syslog state is global.
 */
public final class Syslog implements LogSink {
    /** {@code LOG_CONS}: write to the console when the syslog socket cannot be reached. */
    static final int LOG_CONS = 0x02;
    /** {@code LOG_DAEMON}: the facility. */
    static final int LOG_DAEMON = 3 << 3;

    /** openlog keeps the pointer: the ident lives as long as the sink is open. */
    private Memory ident;

    private Syslog(Memory ident) {
        this.ident = ident;
    }

    /** {@code openlog(program, LOG_CONS, LOG_DAEMON)}. */
    public static Syslog open(String program) {
        Objects.requireNonNull(program, "program");
        byte[] bytes = program.getBytes(StandardCharsets.UTF_8);
        Memory ident = new Memory(bytes.length + 1L);
        ident.write(0, bytes, 0, bytes.length);
        ident.setByte(bytes.length, (byte) 0);
        LibC.INSTANCE.openlog(ident, LOG_CONS, LOG_DAEMON);
        return new Syslog(ident);
    }

    @Override
    public synchronized void log(int priority, String text) {
        if (ident == null) {
            throw new IllegalStateException("syslog already closed");
        }
        LibC.INSTANCE.syslog(priority, "%s\n", text);
    }

    @Override
    public synchronized void close() {
        if (ident != null) {
            LibC.INSTANCE.closelog();
            ident.close();
            ident = null;
        }
    }
}
