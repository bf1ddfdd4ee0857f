package org.autoprobe.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlTest {
    @TempDir
    Path dir;

    @Test
    void anyoneMayQueryOnlyRootMayAct() {
        for (String query : List.of("status", "resolve", "explain", "STATUS", "nonsense")) {
            assertTrue(ControlPolicy.permits(query, 1000), query);
            assertTrue(ControlPolicy.permits(query, -1), query);
            assertTrue(ControlPolicy.permits(query, 0), query);
        }
        for (String act : List.of("reload", "coldplug", "Reload")) {
            assertFalse(ControlPolicy.permits(act, 1000), act);
            assertFalse(ControlPolicy.permits(act, -1), act);
            assertFalse(ControlPolicy.permits(act, 65534), act);
            assertTrue(ControlPolicy.permits(act, 0), act);
        }
    }

    @Test
    void requestLinesAreWords() {
        ControlRequest r = ControlRequest.parse("  Resolve   pci:v00008086d*  \r", 5);
        assertEquals("resolve", r.command());
        assertEquals(List.of("pci:v00008086d*"), r.args());
        assertEquals(5, r.uid());
        assertEquals("", ControlRequest.parse("   ", 0).command());
    }

    @Test
    void answersEndWithOkOrErr() throws IOException {
        assertEquals(new ControlClient.Response(List.of("a", "b"), null), ControlClient.parse("a\nb\nOK\n"));
        assertEquals(new ControlClient.Response(List.of(), "no such device"), ControlClient.parse("ERR no such device\n"));
        assertThrows(IOException.class, () -> ControlClient.parse("a\nb\n"));
        assertThrows(IOException.class, () -> ControlClient.parse(""));
    }

    @Test
    void aRealRoundTripCarriesThePeersUid() throws IOException {
        Path socket = dir.resolve("run/autoprobe/control");
        List<ControlRequest> seen = new ArrayList<>();
        try (ControlServer server = ControlServer.open(socket, req -> {
            seen.add(req);
            if (req.command().equals("explain")) {
                throw new ControlException("no device " + req.args().get(0));
            }
            return List.of("command=" + req.command(), "args=" + req.args());
        })) {
            assertEquals(socket, server.path());
            assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            ControlClient.Response r = ControlClient.request(socket, "status");
            assertTrue(r.ok());
            assertEquals(List.of("command=status", "args=[]"), r.lines());
            ControlClient.Response e = ControlClient.request(socket, "explain /devices/none");
            assertEquals("no device /devices/none", e.error());
            boolean root = ProcessHandle.current().info().user().map("root"::equals).orElse(false);
            ControlClient.Response reload = ControlClient.request(socket, "reload");
            if (root) {
                assertTrue(reload.ok(), String.valueOf(reload.error()));
                assertEquals(0, seen.get(seen.size() - 1).uid(), "SO_PEERCRED says root");
            } else {
                assertEquals("permission denied: reload needs root", reload.error());
            }
        }
        assertFalse(Files.exists(socket), "the socket file goes with the server");
    }

    @Test
    void connectingToNoDaemonSaysSo() {
        IOException e = assertThrows(IOException.class, () -> ControlClient.request(dir.resolve("none"), "status"));
        assertTrue(e.getMessage().contains("is the autoprobe daemon running?"), e.getMessage());
    }

    @Test
    void theRootCheckOnThisMachine() {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false), "needs root");
        assertTrue(ControlPolicy.permits("coldplug", 0));
    }
}
