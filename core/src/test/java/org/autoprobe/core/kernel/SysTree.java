package org.autoprobe.core.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoprobe.core.root.SystemRoot;

/** Writes fixture /sys/module and /proc/modules trees under a root. */
final class SysTree {
    final Path root;

    SysTree(Path root) {
        this.root = root;
    }

    SystemRoot systemRoot() {
        return SystemRoot.under(root);
    }

    /** A loaded module: initstate, refcnt, coresize and one holders/ entry per holder. */
    SysTree loaded(String name, String initstate, long coresize, int refcnt, String... holders) throws IOException {
        Path d = Files.createDirectories(root.resolve("sys/module").resolve(name));
        Files.writeString(d.resolve("initstate"), initstate + "\n");
        Files.writeString(d.resolve("refcnt"), refcnt + "\n");
        Files.writeString(d.resolve("coresize"), coresize + "\n");
        Path h = Files.createDirectories(d.resolve("holders"));
        for (String holder : holders) {
            Files.createDirectories(h.resolve(holder));
        }
        return this;
    }

    /** A builtin module with parameters: a directory without initstate. */
    SysTree builtin(String name, String param, String value) throws IOException {
        Path p = Files.createDirectories(root.resolve("sys/module").resolve(name).resolve("parameters"));
        Files.writeString(p.resolve(param), value + "\n");
        return this;
    }

    SysTree file(String relative, String text) throws IOException {
        Path f = root.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return this;
    }
}
