package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Build rules the compiler cannot check: where native code may live. */
class ArchitectureTest {
    /** JNA may only be imported by one small package per module: {@code org.autoprobe.<module>.sys}. */
    private static final Pattern ALLOWED = Pattern.compile("org/autoprobe/[a-z]+/sys/[A-Za-z0-9_]+\\.java$");

    @Test
    void jnaStaysInTheNativeEdgePackages() throws IOException {
        Path top = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isRegularFile(top.resolve("pom.xml")), "project root not found from " + top);
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(top)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java")
                    && f.toString().contains("/src/main/java/"))::iterator) {
                scanned++;
                String unix = p.toString().replace('\\', '/');
                // a module descriptor names the dependency (requires com.sun.jna) and uses nothing of it
                if (Files.readString(p).contains("com.sun.jna") && !ALLOWED.matcher(unix).find()
                        && !unix.endsWith("/module-info.java")) {
                    offenders.add(top.relativize(p).toString());
                }
            }
        }
        assertTrue(scanned > 10, "scanned only " + scanned + " source files: wrong root?");
        assertEquals(List.of(), offenders, "JNA used outside org.autoprobe.<module>.sys");
    }
}
