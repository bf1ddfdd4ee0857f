package org.autoprobe.rules.files;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Careless and hostile configuration files, made in a test's directory. */
public final class HostileFiles {
    private HostileFiles() {
    }

    /** A named pipe nobody writes to: opening it for reading blocks. */
    public static Path fifo(Path p) throws IOException, InterruptedException {
        Files.createDirectories(p.getParent());
        Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        String out = new String(mk.getInputStream().readAllBytes());
        if (mk.waitFor() != 0) {
            throw new IOException("mkfifo " + p + " failed: " + out);
        }
        return p;
    }

    /** A symbolic link to {@code /dev/zero}: endless. */
    public static Path endless(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.createSymbolicLink(p, Path.of("/dev/zero"));
    }

    /** A file one byte over the limit (sparse: no disk space used). */
    public static Path huge(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(ConfigFileReader.MAX_BYTES + 1L);
        }
        return p;
    }

    /** A directory with a configuration file's name. */
    public static Path directory(Path p) throws IOException {
        return Files.createDirectories(p);
    }
}
