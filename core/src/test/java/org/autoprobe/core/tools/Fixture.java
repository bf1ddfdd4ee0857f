package org.autoprobe.core.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.match.Glob;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.resolve.Resolver;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.core.testing.InMemoryKernel;

/**
 * A small module tree, its indexes and an in-memory kernel that knows the same files: each
 * module's dependencies are the modules whose symbols it uses.
 */
final class Fixture {
    static final Path DIR = InMemoryDatabase.DIR;

    final InMemoryDatabase db = new InMemoryDatabase();
    final InMemoryKernel kernel = new InMemoryKernel();
    final List<ModprobeConfig.Alias> aliases = new ArrayList<>();
    final List<ModprobeConfig.Options> options = new ArrayList<>();
    final List<ModprobeConfig.Command> installs = new ArrayList<>();
    final List<ModprobeConfig.Command> removes = new ArrayList<>();
    final List<String> blacklist = new ArrayList<>();
    final List<ModprobeConfig.SoftDep> softdeps = new ArrayList<>();
    final Commands commands = new Commands();

    /** Runs nothing; records {@code command [MODPROBE_MODULE]} and answers the status set for the command. */
    static final class Commands implements CommandRunner {
        final List<String> ran = new ArrayList<>();
        final Map<String, Integer> status = new HashMap<>();

        @Override
        public int run(String command, String module) {
            ran.add(command + " [" + module + "]");
            return status.getOrDefault(command, 0);
        }
    }

    /**
     * A module file {@code kernel/<name>.ko} using {@code uses}; modules.dep lists {@code depPaths}
     * (the full closure, nearest first, as depmod writes it).
     */
    Fixture module(String name, List<String> uses, String... depNames) {
        String path = "kernel/" + name.replace('_', '-') + ".ko";
        StringBuilder line = new StringBuilder(path).append(':');
        for (String d : depNames) {
            line.append(" kernel/").append(d.replace('_', '-')).append(".ko");
        }
        db.depLine(ModuleNames.normalize(name), line.toString());
        kernel.define(file(name), ModuleNames.normalize(name), uses.toArray(String[]::new));
        return this;
    }

    static Path file(String name) {
        return DIR.resolve("kernel/" + name.replace('_', '-') + ".ko");
    }

    Fixture alias(String pattern, String module) {
        db.alias(pattern, module);
        return this;
    }

    Fixture builtin(String name) {
        db.builtin(name);
        kernel.builtin(name);
        return this;
    }

    ModprobeConfig config() {
        return new ModprobeConfig(aliases, options, installs, removes, blacklist, softdeps, List.of());
    }

    /** The usual tree: crc <- mii <- 8139too / 8139cp (one PCI alias for both), ehci, uhci, snd, snd_extra, crc32c builtin. */
    static Fixture standard() {
        return new Fixture()
                .module("crc", List.of())
                .module("mii", List.of("crc"), "crc")
                .module("8139too", List.of("mii"), "mii", "crc")
                .module("8139cp", List.of("mii"), "mii", "crc")
                .module("ehci", List.of())
                .module("uhci", List.of())
                .module("snd", List.of())
                .module("snd_extra", List.of())
                .alias("pci:v000010ECd00008139*", "8139too")
                .alias("pci:v000010ECd00008139*", "8139cp")
                .builtin("crc32c");
    }

    /** A resolver over this fixture whose errors go into the log, as the CLI wires it. */
    Resolver resolver(ToolLog log) {
        return new Resolver(db, config(), kernel, e -> log.log(ToolLog.LOG_ERR, e));
    }

    ToolResult insert(ToolLog log, ModprobeInsert.Options o, String... args) {
        return new ModprobeInsert(resolver(log), kernel, commands, log, o).run(List.of(args));
    }

    ToolResult remove(ToolLog log, ModprobeRemove.Options o, String... args) {
        return new ModprobeRemove(resolver(log), kernel, commands, log, o, false).run(List.of(args));
    }
}
