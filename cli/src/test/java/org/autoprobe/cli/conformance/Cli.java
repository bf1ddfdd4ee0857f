package org.autoprobe.cli.conformance;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.autoprobe.cli.Main;

/** Runs autoprobe in this JVM through {@link Main#run(PrintStream, PrintStream, String...)}. */
final class Cli {
    private Cli() {
    }

    /** What our command printed and returned. */
    record Result(List<String> args, int exit, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.ISO_8859_1);
        }

        String describe() {
            String c = "autoprobe " + String.join(" ", args);
            if (c.length() > 400) {
                c = c.substring(0, 400) + " ...(" + args.size() + " args)";
            }
            return "$ " + c + "\n  exit " + exit + (err.isEmpty() ? "" : ", stderr:\n" + Texts.head(err, 20));
        }
    }

    static Result run(String... args) {
        return run(null, args);
    }

    static Result run(List<String> args) {
        return run(null, args.toArray(String[]::new));
    }

    /**
     * Runs {@code autoprobe args...}; when {@code stdin} is given it is System.in for the call (Main.run takes
     * no InputStream, so commands that read "-" read System.in). Calls are serialised because System.in is global.
     * An exception escaping Main.run is reported as exit -1 with its stack trace as stderr.
     */
    static synchronized Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream savedIn = System.in;
        int exit;
        try (PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, false, StandardCharsets.UTF_8)) {
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin));
            }
            try {
                exit = Main.run(o, e, args);
            } catch (RuntimeException | Error t) {
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                e.print("exception escaped Main.run: " + sw);
                exit = -1;
            } finally {
                System.setIn(savedIn);
            }
            o.flush();
            e.flush();
        }
        return new Result(List.of(args), exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
