package org.autoprobe.core.load;

/** Runs a modprobe.d install or remove command for a module. */
@FunctionalInterface
public interface CommandRunner {
    /**
     * A dry run's runner: runs nothing and answers success. The plan's steps already say which
     * command would run ({@code modprobe -n} prints it, kmod runs nothing either).
     */
    CommandRunner DRY_RUN = (command, module) -> 0;

    /**
     * Runs {@code command} as {@code /bin/sh -c command} with {@code MODPROBE_MODULE=module} in its
     * environment and returns its exit status.
     *
     * @throws java.io.IOException when the shell cannot be started
     */
    int run(String command, String module) throws java.io.IOException;
}
