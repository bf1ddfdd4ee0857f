package org.autoprobe.e2e;

import java.time.Duration;

/**
 * What one script run in the guest gave back.
 *
 * @param script   the bash script as sent
 * @param stdout   its standard output (UTF-8)
 * @param stderr   its standard error (UTF-8)
 * @param exitCode bash's exit code
 * @param elapsed  wall time seen by the host, from sending the request to reading the result
 */
public record CommandResult(String script, String stdout, String stderr, int exitCode, Duration elapsed) {

    public boolean ok() {
        return exitCode == 0;
    }

    /** A readable account for assertion messages. */
    public String describe() {
        return "guest script (exit " + exitCode + ", " + elapsed.toMillis() + " ms):\n" + script.strip()
                + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
    }
}
