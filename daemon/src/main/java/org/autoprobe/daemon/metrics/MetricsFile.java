package org.autoprobe.daemon.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The metrics text file for node_exporter's textfile collector, replaced whole each time: the text
 * goes to a new file beside it ({@code .NAME.tmp.*}, which the collector skips: it reads
 * {@code *.prom} only), mode 0644, then is renamed over it, so a reader sees the old file or the
 * new one, never a part. A write that fails (the directory missing or not writable, the disk full)
 * leaves the old file and is said once, through {@code warn}, until a write succeeds again; the
 * caller goes on either way.
 */
public final class MetricsFile {
    private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path file;
    private final Consumer<String> warn;
    /** Whether the last write failed (then the next failure is not said again). */
    private boolean failing;

    public MetricsFile(Path file, Consumer<String> warn) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.warn = Objects.requireNonNull(warn, "warn");
    }

    Path path() {
        return file;
    }

    /** Replaces the file's contents with {@code text}; returns whether it did. Never throws for I/O. */
    public synchronized boolean write(String text) {
        Path dir = file.getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".tmp.", "");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            Files.setPosixFilePermissions(tmp, MODE);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + tmp + " to " + file + " atomically", e);
            }
            tmp = null;
            failing = false;
            return true;
        } catch (java.nio.channels.ClosedByInterruptException e) {
            // the writing thread was stopped (the daemon is stopping: its last write follows): not a fault
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            if (!failing) {
                failing = true;
                warn.accept("cannot write the metrics file " + file + ": " + describe(e)
                        + " (the daemon goes on; said once until a write succeeds)");
            }
            return false;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the next write makes another; a leftover is skipped by the collector (not *.prom)
                }
            }
        }
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        return e.toString();
    }
}
