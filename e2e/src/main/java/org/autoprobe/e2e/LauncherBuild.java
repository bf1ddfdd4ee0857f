package org.autoprobe.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Makes sure the launcher has a build to run before a guest uses it (a guest must never build). */
final class LauncherBuild {
    private LauncherBuild() {
    }

    static synchronized void ensure(Path repo) {
        Path jar = repo.resolve("cli/target/autoprobe-cli.jar");
        Path lib = repo.resolve("cli/target/lib");
        if (Files.isRegularFile(jar) && Files.isDirectory(lib)) {
            return;
        }
        try {
            Process p = new ProcessBuilder("mvn", "-q", "-B", "-DskipTests", "package").directory(repo.toFile())
                    .inheritIO().start();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new GuestException("mvn -DskipTests package failed in " + repo + "; the guest needs " + jar);
            }
        } catch (IOException e) {
            throw new GuestException("cannot run mvn in " + repo + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GuestException("interrupted while building " + jar, e);
        }
    }
}
