package org.autoprobe.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;

/** What a command did: its exit code and all it wrote to stdout and stderr (the CLI tests' one run helper). */
record CliRun(int code, String out, String err) {
    /** A body that writes to the two streams it is given and answers an exit code. */
    @FunctionalInterface
    interface Body<E extends Exception> {
        int run(PrintStream out, PrintStream err) throws E;
    }

    /** {@code autoprobe args...} through {@link Main#run(PrintStream, PrintStream, String...)}, streams in UTF-8. */
    static CliRun main(String... args) {
        return capture((out, err) -> Main.run(out, err, args));
    }

    /** Runs {@code body} with two UTF-8 streams and keeps what it wrote. */
    static <E extends Exception> CliRun capture(Body<E> body) throws E {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = body.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Executes a picocli command line with {@code args}, its out and err writers captured. */
    static CliRun picocli(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
