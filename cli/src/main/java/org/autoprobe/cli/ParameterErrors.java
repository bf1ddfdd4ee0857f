package org.autoprobe.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * picocli's usage errors, made here rather than with {@code throw new ParameterException(...)} in
 * the commands: the JVM's verifier loads the class of every exception a method throws when it
 * verifies the method's class, so a command class with such a {@code throw} loads picocli even on
 * a start path that never builds picocli's model ({@link DaemonCommand#fastPath},
 * {@link ResolveCommand#fastPath}). This class is loaded only when an error is made.
 */
final class ParameterErrors {
    private ParameterErrors() {
    }

    /** The error picocli reports as a usage error of {@code spec}'s command: the message, then the usage help. */
    static RuntimeException of(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
