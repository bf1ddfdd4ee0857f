package org.autoprobe.daemon.service;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the modules directory (depmod renames new {@code .bin} indexes into it) and the
 * configuration and rules directories; after a change, once things have been quiet for the
 * debounce time (depmod writes a dozen files), runs the reload action once.
 */
public final class IndexWatcher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexWatcher.class);

    private final WatchService watcher;
    private final Thread thread;
    private final List<Path> watched;

    private IndexWatcher(WatchService watcher, List<Path> watched, Duration debounce, Runnable onChange) {
        this.watcher = watcher;
        this.watched = List.copyOf(watched);
        this.thread = new Thread(() -> loop(debounce, onChange), "autoprobe-watch");
        this.thread.setDaemon(true);
    }

    /** Watches those of {@code dirs} that exist. */
    public static IndexWatcher start(List<Path> dirs, Duration debounce, Runnable onChange) throws IOException {
        WatchService ws = FileSystems.getDefault().newWatchService();
        List<Path> watched = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try {
                d.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.ENTRY_MODIFY);
                watched.add(d);
            } catch (IOException e) {
                LOG.warn("cannot watch {}: {}", d, e.getMessage());
            }
        }
        IndexWatcher w = new IndexWatcher(ws, watched, debounce, onChange);
        w.thread.start();
        LOG.info("watching {} for index and configuration changes", watched);
        return w;
    }

    /** The directories actually watched. */
    public List<Path> watched() {
        return watched;
    }

    private void loop(Duration debounce, Runnable onChange) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                drain(key);
                // wait for quiet
                WatchKey more;
                while ((more = watcher.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    drain(more);
                }
                try {
                    onChange.run();
                } catch (RuntimeException e) {
                    LOG.error("reload after a file change failed", e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}
