package org.autoprobe.daemon.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class ThreadPriorityTest {
    /** The nice value of the calling thread, from /proc/thread-self/stat (field 19). */
    private static int niceOfThisThread() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[16]);
    }

    @Test
    void changesOnlyTheCallingThread() throws Exception {
        boolean root = ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        int mine = niceOfThisThread();
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                String why = ThreadPriority.setNice(root ? -3 : 7);
                seen.set(why == null ? (Object) niceOfThisThread() : why);
            } catch (Exception e) {
                seen.set(e);
            }
        });
        t.start();
        t.join();
        assertEquals(root ? -3 : 7, seen.get(), "the thread's own nice value");
        assertEquals(mine, niceOfThisThread(), "other threads keep theirs");
        if (!root) {
            String refused = ThreadPriority.setNice(-20);
            assertEquals("setpriority(-20) failed: EACCES (Permission denied)", refused);
        }
    }
}
