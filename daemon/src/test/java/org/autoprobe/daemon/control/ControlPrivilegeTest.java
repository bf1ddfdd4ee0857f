package org.autoprobe.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The control socket against peers of real other uids (root only: {@code setpriv} changes uid).
 * The clients are JDK-only one-file programs, the server either in this JVM or in a child.
 */
class ControlPrivilegeTest {
    private static final int UID = 4242;
    private static final int OTHER_UID = 4243;

    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Children.root(), "needs root: starts clients as other uids");
        assumeTrue(Children.onPath("setpriv"), "needs setpriv (util-linux)");
        dir = Children.openDirectory();
    }

    @AfterEach
    void tearDown() throws IOException {
        Children.deleteTree(dir);
    }

    @Test
    void anotherUidMayQueryButNotAct() throws Exception {
        Path socket = dir.resolve("control");
        Path client = Children.writeClient(dir);
        List<Integer> uids = Collections.synchronizedList(new ArrayList<>());
        try (ControlServer server = ControlServer.open(socket, req -> {
            uids.add(req.uid());
            return List.of("uid=" + req.uid());
        })) {
            assertEquals("ERR permission denied: reload needs root\n",
                    Children.run(Children.asUid(UID, client, "request", socket.toString(), "reload")));
            assertEquals("ERR permission denied: coldplug needs root\n",
                    Children.run(Children.asUid(UID, client, "request", socket.toString(), "coldplug")));
            assertEquals("uid=" + UID + "\nOK\n", Children.run(Children.asUid(UID, client, "request", socket.toString(), "status")));
            assertEquals(List.of(UID), uids, "the handler saw the status only, with the peer's number");
            assertEquals(2, server.counters().refused.sum());
            assertEquals("uid=0\nOK\n", Children.run(Children.client(client, "request", socket.toString(), "reload")),
                    "root itself may act");
        }
    }

    /**
     * The regression exactly: a password database where the user named {@code 0} has uid 4242.
     * The server runs in a mount namespace that sees it; looking root up by the name "0" gave that
     * user root's rights.
     */
    @Test
    void aUserNamedZeroIsNotRoot() throws Exception {
        assumeTrue(Children.onPath("unshare"), "needs unshare (util-linux)");
        Process probe = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
        String why = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assumeTrue(probe.waitFor() == 0, "this machine allows no mount namespace: " + why);
        Path passwd = dir.resolve("passwd");
        Files.writeString(passwd, Files.readString(Path.of("/etc/passwd"))
                + "0:x:" + UID + ":" + UID + ":named zero:/nonexistent:/usr/sbin/nologin\n");
        Files.setPosixFilePermissions(passwd, PosixFilePermissions.fromString("rw-r--r--"));
        Path socket = dir.resolve("control");
        Path client = Children.writeClient(dir);
        Path log = dir.resolve("server.log");
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount --bind \"$0\" /etc/passwd && exec \"$@\"", passwd.toString(),
                Children.java(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", Children.classPath(),
                ControlServerChild.class.getName(), socket.toString(), "10000", "8", "64", "32"));
        try (Children.Child server = Children.Child.start(cmd, log)) {
            String ready = server.await("READY ");
            assertTrue(ready.endsWith(" 0"), "in the server's namespace uid " + UID + " is named 0: " + ready);
            assertEquals("ERR permission denied: reload needs root\n",
                    Children.run(Children.asUid(UID, client, "request", socket.toString(), "reload")));
            assertEquals("ERR permission denied: coldplug needs root\n",
                    Children.run(Children.asUid(UID, client, "request", socket.toString(), "coldplug")));
            assertEquals("uid=" + UID + "\ncommand=status\nOK\n",
                    Children.run(Children.asUid(UID, client, "request", socket.toString(), "status")));
            String counters = server.finish();
            assertTrue(counters.contains("refused=2"), counters);
            String text = Files.readString(log);
            assertTrue(text.contains("refused 'reload' from uid " + UID + " (0) (needs root)"), text);
        }
    }

    @Test
    void openConnectionsAreBoundedPerUidAndForAllUsersAndRootIsServedMeanwhile() throws Exception {
        Path socket = dir.resolve("control");
        Path client = Children.writeClient(dir);
        ControlServer.Limits limits = new ControlServer.Limits(Duration.ofSeconds(20), 2, 3, 4);
        try (ControlServer server = ControlServer.open(socket, req -> List.of("uid=" + req.uid()), limits);
             Children.Child first = Children.Child.start(Children.asUid(UID, client, "hold", socket.toString(), "3"), null)) {
            assertEquals(List.of("open", "open", "ERR busy"), first.linesUntil("HELD"), "two per uid");
            try (Children.Child second = Children.Child.start(
                    Children.asUid(OTHER_UID, client, "hold", socket.toString(), "2"), null)) {
                assertEquals(List.of("open", "ERR busy"), second.linesUntil("HELD"), "three for all users together");
                long t0 = System.nanoTime();
                ControlClient.Response r = ControlClient.request(socket, "status");
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(List.of("uid=0"), r.lines());
                assertTrue(millis < 2000, "root waited " + millis + " ms behind idle users");
                assertEquals(2, server.counters().busy.sum());
                second.finish();
            }
            first.finish();
        }
    }

    /** The measurement of the review: N idle connections of nobody, and root's status. */
    @Test
    void idleConnectionsOfAnotherUserDoNotDelayRoot() throws Exception {
        Path socket = dir.resolve("control");
        Path client = Children.writeClient(dir);
        int n = 12;
        try (ControlServer server = ControlServer.open(socket, req -> List.of("ok"),
                new ControlServer.Limits(Duration.ofSeconds(20), n, 64, 32));
             Children.Child idle = Children.Child.start(Children.asUid(65534, client, "hold", socket.toString(), "" + n), null)) {
            assertEquals(Collections.nCopies(n, "open"), idle.linesUntil("HELD"));
            long t0 = System.nanoTime();
            ControlClient.Response r = ControlClient.request(socket, "status");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(r.ok());
            System.out.println("root status with " + n + " idle connections of nobody: " + millis + " ms");
            assertTrue(millis < 1000, "root's status took " + millis + " ms");
            assertEquals(0, server.counters().busy.sum());
            idle.finish();
        }
    }
}
