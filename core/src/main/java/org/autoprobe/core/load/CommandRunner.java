package org.autoprobe.core.load;

/** Runs a modprobe.d install or remove command for a module. */
@FunctionalInterface
public interface CommandRunner {
    /**
     * Runs {@code command} as {@code /bin/sh -c command} with {@code MODPROBE_MODULE=module} in its
     * environment and returns its exit status.
     *
     * @throws java.io.IOException when the shell cannot be started
     */
    int run(String command, String module) throws java.io.IOException;
}
