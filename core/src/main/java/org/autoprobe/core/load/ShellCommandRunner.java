package org.autoprobe.core.load;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;

/** {@link CommandRunner} through {@code /bin/sh -c}, sharing this process's standard streams (as {@code system(3)}). */
public final class ShellCommandRunner implements CommandRunner {
    private final Map<String, String> environment;

    public ShellCommandRunner() {
        this(Map.of());
    }

    /** Commands also get these environment variables (modprobe hands its -v/-q/-C on as MODPROBE_OPTIONS). */
    public ShellCommandRunner(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public int run(String command, String module) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).inheritIO();
        pb.environment().putAll(environment);
        pb.environment().put("MODPROBE_MODULE", module);
        Process p = pb.start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw new InterruptedIOException("interrupted while running: " + command);
        }
    }
}
