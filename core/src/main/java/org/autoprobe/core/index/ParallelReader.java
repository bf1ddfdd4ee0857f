package org.autoprobe.core.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import org.autoprobe.core.elf.ModuleReader;
import org.autoprobe.core.module.ModuleFormatException;
import org.autoprobe.core.module.ModuleInfo;

/**
 * Reads module files on background threads while the scanner is still finding them; once the
 * scan is over the calling thread helps with what is left. Results are kept by path.
 */
final class ParallelReader {
    /** A file read: its info, or why it could not be read. */
    record Result(ModuleInfo info, String error) {
    }

    private static final String END = new String("end of scan");
    private final LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final Map<String, Result> results = new ConcurrentHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.function.IntConsumer progress;

    ParallelReader(int threads) {
        this(threads, null);
    }

    /** @param progress told the number of files read so far after each one (any thread), or null */
    ParallelReader(int threads, java.util.function.IntConsumer progress) {
        this.progress = progress;
        for (int t = 0; t < Math.max(1, threads - 1); t++) {
            Thread th = new Thread(this::work, "depmod-reader-" + t);
            th.setDaemon(true);
            th.start();
            workers.add(th);
        }
    }

    void submit(String path) {
        queue.add(path);
    }

    /** Ends the scan: reads what is left on this thread too and waits for the workers. */
    void finish() {
        for (int i = 0; i < workers.size(); i++) {
            queue.add(END);
        }
        for (String p = queue.poll(); p != null; p = queue.poll()) {
            if (p == END) {
                queue.add(END); // every real path is taken; leave the marker for a worker
                break;
            }
            read(p);
        }
        boolean interrupted = false;
        for (Thread th : workers) {
            while (true) {
                try {
                    th.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The result for a path submitted before {@link #finish()}; read now if it was not. */
    Result result(String path) {
        Result r = results.get(path);
        if (r == null) {
            read(path);
            r = results.get(path);
        }
        return r;
    }

    private void work() {
        while (true) {
            String p;
            try {
                p = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (p == END) {
                return;
            }
            read(p);
        }
    }

    private void read(String path) {
        Result r;
        try {
            r = new Result(ModuleReader.readForIndex(Path.of(path)), null);
        } catch (ModuleFormatException e) {
            r = new Result(null, e.problem());
        } catch (IOException e) {
            r = new Result(null, IndexProblem.reason(e));
        } catch (RuntimeException e) {
            r = new Result(null, "unexpected failure: " + e);
        }
        results.put(path, r);
        int n = done.incrementAndGet();
        if (progress != null) {
            progress.accept(n);
        }
    }
}
