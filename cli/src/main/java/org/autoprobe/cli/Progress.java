package org.autoprobe.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A progress line for long work (depmod over a tree, compat over many dumps), shown only when
 * standard error is a terminal: one line rewritten in place at most ten times a second, erased at
 * the end. Otherwise (a pipe, a file, the journal) nothing at all, so that logs and kmod's
 * byte-for-byte answers stay as they are.
 */
final class Progress implements AutoCloseable {
    private static final long INTERVAL_NS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final boolean live;
    private long last;
    private boolean shown;

    Progress(PrintWriter err, String label, boolean live) {
        this.err = err;
        this.label = label;
        this.live = live;
    }

    /** A progress line on {@code err} if standard error is a terminal. */
    static Progress onTerminal(PrintWriter err, String label) {
        return new Progress(err, label, stderrIsTerminal());
    }

    /** Whether file descriptor 2 is a terminal (a pseudo-terminal or a console). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Shows {@code text} (e.g. "1200 modules read") if a tenth of a second has passed since the last. */
    synchronized void update(String text) {
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        if (shown && now - last < INTERVAL_NS) {
            return;
        }
        last = now;
        shown = true;
        err.print("\r\033[K" + label + ": " + text);
        err.flush();
    }

    /** Erases the line (a message may take its place; a later update shows it again). */
    synchronized void erase() {
        if (shown) {
            err.print("\r\033[K");
            err.flush();
            shown = false;
        }
    }

    /** Erases the line. */
    @Override
    public void close() {
        erase();
    }
}
