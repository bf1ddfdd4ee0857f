package org.autoprobe.daemon.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child processes for the control socket's tests: a server JVM, and a JDK-only client run as another uid. */
final class Children {
    private Children() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static boolean root() {
        return ProcessHandle.current().info().user().map("root"::equals).orElse(false);
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** A directory every user may enter and read (for sockets and sources a child of another uid uses). */
    static Path openDirectory() throws IOException {
        Path d = Files.createTempDirectory("autoprobe-control-test");
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        return d;
    }

    static void deleteTree(Path d) throws IOException {
        if (d == null || !Files.exists(d)) {
            return;
        }
        try (var s = Files.walk(d)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A one-file client that uses only the JDK, so a process of any uid can run it:
     * {@code request PATH LINE} prints the answer; {@code hold PATH N} opens N connections, prints
     * for each {@code open} or the line the server sent at once (e.g. {@code ERR busy}), then
     * holds them until its input closes.
     */
    static Path writeClient(Path dir) throws IOException {
        Path src = dir.resolve("Client.java");
        Files.writeString(src, """
                import java.net.*;
                import java.nio.*;
                import java.nio.channels.*;
                import java.nio.charset.StandardCharsets;
                import java.util.*;
                public class Client {
                    public static void main(String[] a) throws Exception {
                        UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(a[1]);
                        if (a[0].equals("request")) {
                            try (SocketChannel c = SocketChannel.open(addr)) {
                                c.write(ByteBuffer.wrap((a[2] + "\\n").getBytes(StandardCharsets.UTF_8)));
                                ByteBuffer b = ByteBuffer.allocate(65536);
                                while (c.read(b) >= 0) { }
                                System.out.print(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
                            }
                            return;
                        }
                        int n = Integer.parseInt(a[2]);
                        List<SocketChannel> held = new ArrayList<>();
                        for (int i = 0; i < n; i++) {
                            held.add(SocketChannel.open(addr));
                        }
                        Thread.sleep(300);
                        Selector sel = Selector.open();
                        for (SocketChannel c : held) {
                            c.configureBlocking(false);
                            c.register(sel, SelectionKey.OP_READ);
                        }
                        sel.selectNow();
                        for (SocketChannel c : held) {
                            ByteBuffer b = ByteBuffer.allocate(256);
                            int r = c.read(b);
                            System.out.println(r == 0 ? "open" : r < 0 ? "closed" : new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip());
                        }
                        System.out.println("HELD");
                        System.out.flush();
                        while (System.in.read() >= 0) { }
                    }
                }
                """);
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rw-r--r--"));
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        if (javac == null || javac.run(null, null, null, "-d", dir.toString(), src.toString()) != 0) {
            throw new IOException("cannot compile " + src);
        }
        Files.setPosixFilePermissions(dir.resolve("Client.class"), PosixFilePermissions.fromString("rw-r--r--"));
        return dir;
    }

    /** The client (compiled by {@link #writeClient} into {@code classes}) as this process's user. */
    static List<String> client(Path classes, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-cp", classes.toString(), "Client"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code setpriv} to {@code uid} (its group the same number, no supplementary groups), running the client. */
    static List<String> asUid(int uid, Path classes, String... args) {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
        cmd.addAll(client(classes, args));
        return cmd;
    }

    /** Runs to the end; its standard output (standard error goes to ours). */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("child did not finish: " + cmd);
        }
        return out;
    }

    /** A started child and a reader of its output. */
    record Child(Process process, BufferedReader out) implements AutoCloseable {
        static Child start(List<String> cmd, Path stderr) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (stderr == null) {
                pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            } else {
                pb.redirectError(stderr.toFile());
            }
            Process p = pb.start();
            return new Child(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }

        /** The next line starting with {@code prefix}; fails when the child ends first. */
        String await(String prefix) throws IOException {
            for (String l; (l = out.readLine()) != null; ) {
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
            throw new IOException("child ended before printing " + prefix);
        }

        /** Lines up to and without {@code end}. */
        List<String> linesUntil(String end) throws IOException {
            List<String> lines = new ArrayList<>();
            for (String l; (l = out.readLine()) != null; ) {
                if (l.equals(end)) {
                    return lines;
                }
                lines.add(l);
            }
            throw new IOException("child ended before printing " + end + " (after " + lines + ")");
        }

        /** Closes its input (it ends) and waits. */
        String finish() throws IOException, InterruptedException {
            process.getOutputStream().close();
            String rest = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return rest;
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
