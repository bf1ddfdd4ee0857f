package org.autoprobe.daemon.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;

class UnixStreamSocketTest {
    @TempDir
    Path dir;

    /** This process's real uid, from the kernel (not from a name). */
    private static int myUid() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("Uid:")) {
                return Integer.parseInt(l.split("\\s+")[1]);
            }
        }
        throw new IOException("no Uid: line");
    }

    @Test
    void acceptGivesThePeersNumbersAndBytesGoBothWays() throws IOException {
        String path = dir.resolve("s").toString();
        try (UnixStreamListener l = UnixStreamListener.bind(path, 4)) {
            assertNull(l.accept(), "nobody waiting: null, not a block");
            assertTrue(l.hasSpare());
            UnixStreamSocket client = UnixStreamSocket.connect(path, 1000);
            try (UnixStreamSocket server = l.accept()) {
                assertNotNull(server);
                UnixStreamSocket.Credentials peer = server.peer();
                assertEquals(myUid(), peer.uid());
                assertEquals(ProcessHandle.current().pid(), peer.pid());
                byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
                client.writeFully(hello, System.nanoTime() + 1_000_000_000L);
                byte[] buf = new byte[64];
                int n = server.readAwait(buf, 0, buf.length, System.nanoTime() + 1_000_000_000L);
                assertEquals("hello\n", new String(buf, 0, n, StandardCharsets.UTF_8));
                assertEquals(0, server.read(buf, 0, buf.length), "nothing more yet: 0, not a block");
                client.close();
                assertEquals(-1, server.readAwait(buf, 0, buf.length, System.nanoTime() + 1_000_000_000L));
            } finally {
                client.close();
            }
        }
    }

    @Test
    void failuresNameTheCallAndTheErrno() throws IOException {
        String missing = dir.resolve("missing").toString();
        SyscallException e = assertThrows(SyscallException.class, () -> UnixStreamSocket.connect(missing, 100));
        assertEquals("connect(" + missing + ") failed: ENOENT (No such file or directory)", e.getMessage());
        String path = dir.resolve("s").toString();
        try (UnixStreamListener l = UnixStreamListener.bind(path, 1)) {
            SyscallException twice = assertThrows(SyscallException.class, () -> UnixStreamListener.bind(l.path(), 1));
            assertEquals("bind(" + path + ") failed: EADDRINUSE (Address already in use)", twice.getMessage());
        }
        SyscallException refused = assertThrows(SyscallException.class, () -> UnixStreamSocket.connect(path, 100));
        assertEquals(Errno.ECONNREFUSED, refused.errno(), "a socket file nobody listens on: " + refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UnixStreamListener.bind("/" + "x".repeat(200), 1));
    }

    @Test
    void namesAreForLogLinesOnly() {
        assertEquals("root", Users.name(0));
        assertEquals("uid 0 (root)", Users.describe(0));
        assertEquals("uid 3999999999", Users.describe((int) 3_999_999_999L), "a number without a name");
    }
}
