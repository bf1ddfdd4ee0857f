package org.autoprobe.cli.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Runs an outside program (kmod's tools, apt, dpkg, gcc) and keeps what it printed. */
final class Proc {
    private Proc() {
    }

    /** What a program printed and how it ended. */
    record Result(List<String> command, int exit, byte[] out, String err) {
        String outText() {
            return new String(out, StandardCharsets.ISO_8859_1);
        }

        /** One line naming the command and its exit, then its stderr: for failure messages. */
        String describe() {
            return "$ " + shortCommand() + "\n  exit " + exit + (err.isEmpty() ? "" : ", stderr:\n" + Texts.head(err, 20));
        }

        String shortCommand() {
            String c = String.join(" ", command);
            return c.length() > 400 ? c.substring(0, 400) + " ...(" + command.size() + " args)" : c;
        }

        /** Throws with the command, exit code and stderr unless the program exited 0. */
        Result requireSuccess(String what) {
            if (exit != 0) {
                throw new IllegalStateException(what + " failed:\n" + describe());
            }
            return this;
        }
    }

    static Result run(List<String> command) {
        return run(command, null, null);
    }

    /** Runs {@code command} in {@code dir} (null: current), feeding {@code stdin} (null: nothing). */
    static Result run(List<String> command, byte[] stdin, Path dir) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        // modprobe reads extra options from here; the reference must not depend on the caller's shell
        pb.environment().remove("MODPROBE_OPTIONS");
        pb.environment().put("LC_ALL", "C");
        Path errFile = null;
        try {
            errFile = Files.createTempFile("autoprobe-proc", ".err");
            pb.redirectError(errFile.toFile());
            Process p = pb.start();
            CompletableFuture<Void> feeder = CompletableFuture.runAsync(() -> feed(p.getOutputStream(), stdin));
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            int exit = p.waitFor();
            feeder.get();
            String err = Files.readString(errFile, StandardCharsets.ISO_8859_1);
            return new Result(List.copyOf(command), exit, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("feeding stdin of " + command.get(0) + " failed", e.getCause());
        } finally {
            if (errFile != null) {
                try {
                    Files.deleteIfExists(errFile);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static void feed(OutputStream os, byte[] stdin) {
        try (os) {
            if (stdin != null) {
                os.write(stdin);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing stdin", e);
        }
    }
}
