package org.autoprobe.daemon.sys;

import java.io.IOException;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;

import org.autoprobe.core.sys.Errors;

/** {@code poll(2)} over a set of file descriptors, reusable from one thread. */
public final class Poll {
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;
    /** {@code sizeof(struct pollfd)}: int fd, short events, short revents. */
    private static final int POLLFD = 8;

    private Memory memory = new Memory(POLLFD * 16);
    private int count;

    /** Empties the set. */
    public void clear() {
        count = 0;
    }

    /** Adds {@code fd} waiting for {@code events}; returns its index for {@link #revents(int)}. */
    public int add(int fd, short events) {
        if ((long) (count + 1) * POLLFD > memory.size()) {
            Memory bigger = new Memory(memory.size() * 2);
            bigger.write(0, memory.getByteArray(0, count * POLLFD), 0, count * POLLFD);
            memory = bigger;
        }
        long at = (long) count * POLLFD;
        memory.setInt(at, fd);
        memory.setShort(at + 4, events);
        memory.setShort(at + 6, (short) 0);
        return count++;
    }

    public int size() {
        return count;
    }

    /**
     * Waits up to {@code timeoutMillis} (negative: forever) for any of the set to be ready.
     *
     * @return how many are ready; 0 on timeout or when a signal interrupted the wait
     */
    public int await(int timeoutMillis) throws IOException {
        int rc = UnixStreamCalls.poll(memory, new NativeLong(count), timeoutMillis);
        if (rc < 0) {
            if (Errors.interrupted()) {
                return 0;
            }
            throw Errors.failure("poll", count + " descriptors");
        }
        return rc;
    }

    /** What the last {@link #await(int)} found for the entry at {@code index}. */
    public short revents(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index);
        }
        return memory.getShort((long) index * POLLFD + 6);
    }

    /** Waits for one descriptor; true when it is ready for {@code events} (or has an error or hang-up to report). */
    static boolean one(int fd, short events, int timeoutMillis) throws IOException {
        Poll p = new Poll();
        p.add(fd, events);
        return p.await(timeoutMillis) > 0 && p.revents(0) != 0;
    }
}
