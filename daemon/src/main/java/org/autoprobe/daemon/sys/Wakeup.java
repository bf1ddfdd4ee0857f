package org.autoprobe.daemon.sys;

import java.io.Closeable;
import java.io.IOException;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

import org.autoprobe.core.sys.Errors;

/** A non-blocking pipe that lets other threads wake a thread waiting in {@link Poll}. */
public final class Wakeup implements Closeable {
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    private final int readFd;
    private final int writeFd;
    private final Memory one = new Memory(1);
    private final Memory sink = new Memory(256);
    private volatile boolean closed;

    private Wakeup(int readFd, int writeFd) {
        this.readFd = readFd;
        this.writeFd = writeFd;
        one.setByte(0, (byte) 1);
    }

    public static Wakeup open() throws IOException {
        Memory fds = new Memory(8);
        Errors.check(UnixStreamCalls.pipe2(fds, O_NONBLOCK | O_CLOEXEC), "pipe2", "O_NONBLOCK|O_CLOEXEC");
        return new Wakeup(fds.getInt(0), fds.getInt(4));
    }

    /** The end to poll for {@link Poll#POLLIN}. */
    public int fd() {
        return readFd;
    }

    /** Wakes the poller (a full pipe already will). */
    public synchronized void signal() {
        if (!closed) {
            UnixStreamCalls.write(writeFd, one, new NativeLong(1));
        }
    }

    /** Empties the pipe, after the poller woke. */
    public void drain() {
        while (UnixStreamCalls.read(readFd, sink, new NativeLong(sink.size())).longValue() > 0) {
            // keep reading
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            UnixStreamCalls.close(readFd);
            UnixStreamCalls.close(writeFd);
        }
    }
}
