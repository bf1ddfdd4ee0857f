package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.autoprobe.core.config.ConfigDump;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.index.ModuleDatabase;
import org.autoprobe.core.kernel.Kernel;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.load.LogSink;
import org.autoprobe.core.load.ToolLog;
import org.autoprobe.core.load.ToolResult;
import org.autoprobe.core.resolve.ModuleState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * modprobe as one tool: which mode its options choose, {@code -w}'s value, {@code -s}, {@code -c}
 * and the symbol listings, without a command line.
 */
class ModprobeTest {
    @TempDir
    Path tmp;

    /** What was asked of the host, in order. */
    private final List<String> asked = new ArrayList<>();
    private final List<String> syslog = new ArrayList<>();
    private final Fixture f = Fixture.standard();

    private final Modprobe.Host host = new Modprobe.Host() {
        @Override
        public ModuleDatabase database() {
            asked.add("database");
            return f.db;
        }

        @Override
        public ModprobeConfig config() {
            asked.add("config");
            return f.config();
        }

        @Override
        public Kernel kernel() {
            asked.add("kernel");
            return f.kernel;
        }

        @Override
        public ModuleState loaded() {
            asked.add("loaded");
            return f.kernel;
        }

        @Override
        public CommandRunner commands() {
            asked.add("commands");
            return f.commands;
        }

        @Override
        public LogSink openSyslog() {
            asked.add("syslog");
            return new LogSink() {
                @Override
                public void log(int priority, String text) {
                    syslog.add(priority + " " + text);
                }

                @Override
                public void close() {
                    asked.add("syslog closed");
                }
            };
        }
    };

    private static Modprobe.Options options(List<String> args, String wait, boolean remove, boolean showDepends,
                                            boolean showConfig, boolean showExports, boolean quiet, boolean syslog) {
        return new Modprobe.Options(args, remove, false, wait, false, false, false, false, false, showDepends,
                showConfig, false, showExports, false, false, false, false, quiet, 0, syslog);
    }

    @Test
    void waitValuesAreReadAsStrtoulWithBaseZeroDoes() {
        assertEquals(OptionalLong.of(500), Modprobe.parseWait("500"));
        assertEquals(OptionalLong.of(0x1f4), Modprobe.parseWait("0x1f4"));
        assertEquals(OptionalLong.of(0x1f4), Modprobe.parseWait("0X1F4"));
        assertEquals(OptionalLong.of(8), Modprobe.parseWait("010"));
        assertEquals(OptionalLong.of(0), Modprobe.parseWait("0"));
        assertEquals(OptionalLong.of(7), Modprobe.parseWait(" +7"));
        assertEquals(OptionalLong.of(0), Modprobe.parseWait("-0"));
        assertEquals(OptionalLong.of(Modprobe.MAX_WAIT), Modprobe.parseWait("-1"), "huge in C");
        assertEquals(OptionalLong.of(Modprobe.MAX_WAIT), Modprobe.parseWait("99999999999999999999999"));
        for (String bad : new String[] {"", " ", "12x", "08", "0x", "0xg", "x", "1 ", "\u0661"}) {
            assertEquals(OptionalLong.empty(), Modprobe.parseWait(bad), "'" + bad + "'");
        }
    }

    @Test
    void aBadWaitValueIsAnOptionErrorOnStderrBeforeAnythingIsOpened() {
        ToolResult r = new Modprobe(host).run(options(List.of("mii"), "12x", true, false, false, false, false, true));
        assertEquals(new ToolResult(List.of(), List.of("modprobe: ERROR: unexpected wait value '12x'."), 1), r);
        assertEquals(List.of(), asked);
    }

    @Test
    void removalAsksForTheKernelThenTheTreeAndClosesTheSyslogItOpened() {
        f.insert(ToolLog.modprobe(0, false), ModprobeInsertTest.PLAIN, "8139too");
        ToolResult r = new Modprobe(host).run(options(List.of("mii"), "00", true, false, false, false, false, true));
        assertEquals(new ToolResult(List.of(), List.of(), 1), r);
        assertEquals(List.of("2 FATAL: Module mii is in use."), syslog);
        assertEquals(List.of("syslog", "kernel", "database", "config", "commands", "syslog closed"), asked);
    }

    @Test
    void showDependsReadsWhatIsLoadedAndNeverTheKernel() {
        ToolResult r = new Modprobe(host).run(options(List.of("mii"), null, false, true, false, false, false, false));
        assertEquals(new ToolResult(List.of("insmod " + Fixture.DIR + "/kernel/crc.ko ",
                "insmod " + Fixture.DIR + "/kernel/mii.ko "), List.of(), 0), r);
        assertEquals(List.of("database", "config", "loaded"), asked);
    }

    @Test
    void showConfigIsTheConfigurationDumpWhenThereAreNoIndexFiles() {
        f.blacklist.add("8139cp");
        ToolResult r = new Modprobe(host).run(options(List.of(), null, false, false, true, false, false, false));
        assertEquals(List.of("blacklist 8139cp", "", ConfigDump.END_MARKER, ""), r.stdout());
        assertEquals(0, r.exitCode());
        assertEquals(List.of("config", "database"), asked);
    }

    @Test
    void symbolListingsReadOnlyTheFileAndTheirMessagesAreNotHeldToQuiet() {
        String missing = tmp.resolve("nosuch.ko").toString();
        ToolResult r = new Modprobe(host).run(options(List.of(missing), null, false, false, false, true, true, false));
        assertEquals(new ToolResult(List.of(), List.of("modprobe: FATAL: Module " + missing + " not found."), 1), r);
        assertEquals(List.of(), asked);
    }
}
