package org.autoprobe.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.autoprobe.core.index.trie.TrieWriter;

/**
 * The kmod installed on this system, for what autoprobe writes as it would: its {@code .bin}
 * layout ({@link TrieWriter.Layout}). Asked of kmod itself ({@code kmod --version}: "kmod version
 * 30"), in the directories a Debian system has it in; a system without kmod gets kmod 34's.
 */
final class KmodVersion {
    private static final List<Path> PLACES = List.of(Path.of("/usr/bin/kmod"), Path.of("/bin/kmod"),
            Path.of("/usr/sbin/kmod"), Path.of("/sbin/kmod"));
    private static final Pattern VERSION = Pattern.compile("^kmod version (\\d{1,4})");

    private KmodVersion() {
    }

    /** The major version of the installed kmod, or -1 when there is none (or it does not say). */
    static int installed() {
        for (Path p : PLACES) {
            if (Files.isExecutable(p)) {
                return of(p);
            }
        }
        return -1;
    }

    /** The layout of the installed kmod's depmod: kmod 34's from version 34 on, and when there is no kmod. */
    static TrieWriter.Layout installedLayout() {
        int v = installed();
        return v >= 0 && v < 34 ? TrieWriter.Layout.KMOD_30 : TrieWriter.Layout.KMOD_34;
    }

    /** What {@code kmod --version} of {@code binary} says its major version is; -1 when it does not say. */
    static int of(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readNBytes(4096);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The major version in {@code kmod --version}'s first line ("kmod version 34.2" → 34); -1 if none. */
    static int parse(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
