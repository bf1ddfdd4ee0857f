package org.autoprobe.daemon.pipeline;

/**
 * Sees what the rules and the resolver decided for each uevent, on the dispatcher's thread: keep
 * it short, and copy what must outlive the call (the entry is reused).
 */
@FunctionalInterface
public interface DecisionListener {
    void decided(RingEvent event);
}
