package org.autoprobe.netlink.uevent;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where kernel uevents come from: the netlink socket in production. One thread receives;
 * {@link #close()} may be called from any thread and wakes a waiting receive, which then returns
 * {@link ReceiveOutcome#CLOSED}.
 */
public interface UeventSource extends Closeable {
    /**
     * Waits for the next message and fills {@code slot} with it.
     *
     * @param timeoutMillis how long to wait; negative waits for ever, 0 only looks
     * @return what came; only {@link ReceiveOutcome#EVENT} leaves an event in the slot. On
     *         {@link ReceiveOutcome#OVERFLOW} the caller must resynchronise from sysfs (coldplug).
     * @throws IOException a failure of the socket itself (it names the call and the errno)
     */
    ReceiveOutcome receive(UeventSlot slot, long timeoutMillis) throws IOException;

    UeventCounters counters();

    SeqnumTracker seqnums();
}
