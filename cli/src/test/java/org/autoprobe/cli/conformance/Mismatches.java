package org.autoprobe.cli.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Collects the cases of one test that differ from kmod, then fails once with a count and the first few. */
final class Mismatches {
    private static final int SHOW = 4;
    private final String what;
    private final List<String> shown = new ArrayList<>();
    private int checked;
    private int failed;

    Mismatches(String what) {
        this.what = what;
    }

    /** Compares exit codes and stdout of one case; {@code context} holds both commands and their stderr. */
    void check(String label, int kmodExit, byte[] kmodOut, int ourExit, byte[] ourOut, String context) {
        checked++;
        boolean sameOut = Arrays.equals(kmodOut, ourOut);
        if (sameOut && kmodExit == ourExit) {
            return;
        }
        failed++;
        if (shown.size() < SHOW) {
            StringBuilder sb = new StringBuilder(label);
            if (kmodExit != ourExit) {
                sb.append(": exit code kmod ").append(kmodExit).append(", ours ").append(ourExit);
            }
            if (!sameOut) {
                sb.append("\n").append(Texts.explain(label + " output", kmodOut, ourOut));
            }
            sb.append("\n").append(context);
            shown.add(sb.toString());
        }
    }

    void check(String label, Proc.Result kmod, Cli.Result ours) {
        check(label, kmod.exit(), kmod.out(), ours.exit(), ours.out(), "kmod " + kmod.describe() + "\nours " + ours.describe());
    }

    /** A case that differs, described by the caller (for answers that are not one command's output). */
    void note(String difference) {
        checked++;
        failed++;
        if (shown.size() < SHOW) {
            shown.add(difference);
        }
    }

    int checked() {
        return checked;
    }

    /** Fails if any case differed. */
    void assertNone() {
        if (failed > 0) {
            fail(what + ": " + failed + " of " + checked + " cases differ from kmod; the first "
                    + shown.size() + ":\n\n" + String.join("\n\n", shown));
        }
    }
}
