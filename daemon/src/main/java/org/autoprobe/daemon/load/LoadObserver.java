package org.autoprobe.daemon.load;

/**
 * Told of every finished load with its times (metrics, the coldplug timeline), on the thread that
 * ran it, after it was counted and before the load's listener. Must be short and must not throw.
 */
@FunctionalInterface
public interface LoadObserver {
    /**
     * @param startNanos when the load began to run ({@link System#nanoTime()}): a worker took it, or
     *                   the boot plan started its insert
     * @param endNanos   when it ended
     */
    void ended(LoadResult result, long startNanos, long endNanos);
}
