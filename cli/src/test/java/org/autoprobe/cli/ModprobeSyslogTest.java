package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.autoprobe.core.load.LogSink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code modprobe -s}: messages to the (recording) syslog, none on stderr; stdout unchanged. No system call is reached. */
class ModprobeSyslogTest {
    @TempDir
    Path tmp;

    private final List<String> syslog = new ArrayList<>();
    private final List<String> opened = new ArrayList<>();

    private CliRun run(String... args) {
        ModprobeCommand cmd = new ModprobeCommand();
        cmd.syslogs = program -> {
            opened.add(program);
            return new LogSink() {
                @Override
                public void log(int priority, String text) {
                    syslog.add(priority + " " + text);
                }

                @Override
                public void close() {
                    opened.add("closed");
                }
            };
        };
        List<String> all = new ArrayList<>(List.of("--sysroot", tmp.toString(), "-d", tmp.resolve("root").toString(),
                "-S", "6.1.0-t", "-C", tmp.resolve("no-config").toString()));
        all.addAll(List.of(args));
        return CliRun.picocli(new CommandLine(cmd), all.toArray(String[]::new));
    }

    @BeforeEach
    void tree() throws IOException {
        TwoModuleSystem.write(tmp);
    }

    @Test
    void removalMessagesGoToSyslogOnly() {
        assertEquals(new CliRun(1, "", ""), run("-s", "-r", "mii"));
        assertEquals(List.of("2 FATAL: Module mii is in use."), syslog);
        assertEquals(List.of("modprobe", "closed"), opened);
    }

    @Test
    void withoutSyslogNothingIsOpenedAndStderrHasTheMessage() {
        assertEquals(new CliRun(1, "", "modprobe: FATAL: Module mii is in use.\n"), run("-r", "mii"));
        assertEquals(List.of(), opened);
    }

    @Test
    void verboseActionLinesStayOnStdout() {
        assertEquals(new CliRun(0, "rmmod 8139too\n", ""), run("--syslog", "-v", "-n", "-r", "8139too"));
        assertEquals(List.of(), syslog);
    }

    @Test
    void insertionNotFoundGoesToSyslogAtItsPriority() {
        assertEquals(new CliRun(1, "", ""), run("-s", "nosuch"));
        assertEquals(List.of("2 FATAL: Module nosuch not found in directory " + tmp.resolve("root/lib/modules/6.1.0-t")),
                syslog);
    }

    @Test
    void showDependsMessagesGoToSyslogToo() {
        CliRun r = run("-s", "--show-depends", "nosuch");
        assertEquals(new CliRun(1, "", ""), r);
        assertEquals(List.of("2 FATAL: Module nosuch not found in directory " + tmp.resolve("root/lib/modules/6.1.0-t")),
                syslog);
        syslog.clear();
        assertEquals(new CliRun(0, "insmod " + tmp.resolve("root/lib/modules/6.1.0-t/kernel/ehci.ko") + " \n", ""),
                run("-s", "-q", "--show-depends", "ehci"), "stdout unchanged");
        assertEquals(List.of(), syslog);
    }
}
