package org.autoprobe.daemon.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void readyAndStatusArriveAsOneDatagramOnAPathSocket() throws IOException {
        String address = dir.resolve("notify").toString();
        try (UnixDatagramSocket systemd = UnixDatagramSocket.bind(address); SdNotify n = SdNotify.to(address)) {
            n.ready("coldplug done: 12 devices, 3 modules loaded");
            byte[] got = systemd.receive(4096, 5000);
            assertNotNull(got);
            assertEquals("READY=1\nSTATUS=coldplug done: 12 devices, 3 modules loaded\n",
                    new String(got, StandardCharsets.UTF_8));
            n.stopping("stopping");
            assertEquals("STOPPING=1\nSTATUS=stopping\n", new String(systemd.receive(4096, 5000), StandardCharsets.UTF_8));
            assertNull(systemd.receive(4096, 50), "nothing more");
        }
    }

    @Test
    void anAbstractAddressWorksToo() throws IOException {
        String address = "@autoprobe-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (UnixDatagramSocket systemd = UnixDatagramSocket.bind(address); SdNotify n = SdNotify.to(address)) {
            n.status("working");
            assertEquals("STATUS=working\n", new String(systemd.receive(4096, 5000), StandardCharsets.UTF_8));
        }
    }

    @Test
    void sendingToNobodyNamesTheCallAndErrno() throws IOException {
        try (SdNotify n = SdNotify.to(dir.resolve("nobody").toString())) {
            IOException e = assertThrows(IOException.class, () -> n.ready("x"));
            assertTrue(e.getMessage().startsWith("sendto(" + dir.resolve("nobody") + ") failed: ENOENT"), e.getMessage());
        }
    }

    @Test
    void messagesAreKeyValueLines() {
        assertArrayEquals("READY=1\nSTATUS=a b\n".getBytes(StandardCharsets.UTF_8), SdNotify.message("READY=1", "STATUS=a\nb"));
        assertThrows(IllegalArgumentException.class, () -> SdNotify.message("READY"));
        assertThrows(IllegalArgumentException.class, () -> SdNotify.to("relative/path").send("READY=1"));
    }
}
