package org.autoprobe.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.load.CommandRunner;
import org.autoprobe.core.testing.InMemoryDatabase;
import org.autoprobe.daemon.generation.Generation;
import org.autoprobe.daemon.load.LoadCoordinator;
import org.autoprobe.daemon.testing.SharedKernel;
import org.autoprobe.daemon.testing.TestGenerations;
import org.autoprobe.rules.modprobe.ModprobeConfigParser;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * What a uevent carries (MODALIAS, DEVPATH, SUBSYSTEM, any other value) never reaches a shell or
 * a path: with values full of {@code ../}, newlines, quotes and shell metacharacters, the only
 * commands run are the configuration's install commands with {@code $CMDLINE_OPTS} as kmod fills
 * it (the configuration's options), every file given to the kernel is a module of the index, and
 * nothing outside the test's directories is created.
 */
class HostileValuesProperties {
    private static final Path DIR = Path.of("/lib/modules/9.9.9-hostile");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INSTALL = "/bin/echo installing snd_pcsp $CMDLINE_OPTS";

    private SharedKernel kernel;
    private List<String> commands;
    private LoadCoordinator coordinator;
    private UeventPipeline pipeline;
    private Path sys;

    @BeforeTry
    void start() throws Exception {
        kernel = new SharedKernel();
        commands = Collections.synchronizedList(new ArrayList<>());
        sys = Files.createTempDirectory("hostile-sys");
        InMemoryDatabase index = new InMemoryDatabase(DIR);
        for (String m : List.of("e1000", "snd_pcsp", "usbhid")) {
            index.module("kernel/" + m + ".ko");
            kernel.define(index.file("kernel/" + m + ".ko"), m);
        }
        // patterns that every hostile value matches, so each one is resolved, planned and loaded
        index.alias("pci:*", "e1000").alias("platform:*", "snd_pcsp").alias("*", "usbhid");
        ModprobeConfig config = ModprobeConfigParser.parse("hostile.conf",
                List.of("install snd_pcsp " + INSTALL, "options snd_pcsp index=2"), w -> {
                    throw new AssertionError(w);
                });
        AtomicReference<Generation> current = new AtomicReference<>(
                TestGenerations.of(1, index, config, kernel, sys));
        CommandRunner recording = (command, module) -> {
            commands.add(module + ": " + command);
            return 0;
        };
        coordinator = new LoadCoordinator(kernel, recording, 2, r -> { });
        pipeline = new UeventPipeline(current::get, coordinator).start();
    }

    @AfterTry
    void stop() throws Exception {
        pipeline.shutdown(WAIT);
        coordinator.shutdown(WAIT);
        try (var walk = Files.walk(sys)) {
            List<Path> made = walk.filter(p -> !p.equals(sys)).toList();
            assertEquals(List.of(), made, "nothing may be created below the sysfs root");
        }
        Files.delete(sys);
    }

    @Property(tries = 200)
    void eventValuesNeverReachAShellOrAPath(@ForAll("hostile") String modalias, @ForAll("hostile") String devpath,
                                            @ForAll("hostile") String subsystem, @ForAll("hostile") String other)
            throws Exception {
        byte[] message = message("add", "/devices/" + devpath, subsystem,
                "MODALIAS=pci:" + modalias, "DRIVER=" + other);
        byte[] platform = message("add", "/devices/platform/" + devpath, "platform",
                "MODALIAS=platform:" + modalias);
        // a plain device first: its load runs the install command; the hostile ones can only share it
        byte[] plain = message("add", "/devices/platform/pcspkr", "platform", "MODALIAS=platform:pcspkr");
        pipeline.publish(plain, 0, plain.length, Origin.KERNEL);
        pipeline.publish(message, 0, message.length, Origin.KERNEL);
        pipeline.publish(platform, 0, platform.length, Origin.KERNEL);
        assertTrue(pipeline.awaitIdle(WAIT));
        assertTrue(coordinatorIdle());
        assertEquals(1, commands.size(), "the install command runs once: " + commands);
        for (String c : commands) {
            // kmod joins the options with a blank after each
            assertEquals("snd_pcsp: /bin/echo installing snd_pcsp index=2 ", c);
        }
        Set<String> modules = Set.of("e1000", "snd_pcsp", "usbhid");
        for (String call : kernel.calls()) {
            String[] words = call.split(" ");
            assertEquals("finit_module", words[0], call);
            assertTrue(modules.contains(words[1]), "only the index's modules reach the kernel: " + call);
        }
    }

    private boolean coordinatorIdle() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (coordinator.active() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> pieces = Arbitraries.of("../", "..", "/", "$(touch /tmp/autoprobe-pwned)", "`id`", ";", "|",
                "&&", "'", "\"", "\\", "\n", "\r", "$CMDLINE_OPTS", "${IFS}", "*", "?", "[a-z]", "%s", "~root", " ",
                "\t", "e1000", "snd_pcsp", "\u00ff", "\u4e2d");
        return Arbitraries.oneOf(pieces, Arbitraries.strings().ofMaxLength(12))
                .list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("", l));
    }

    /** A kernel-format uevent: {@code ACTION@DEVPATH}, then {@code KEY=value} strings, NUL-terminated. */
    private static byte[] message(String action, String devpath, String subsystem, String... vars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(action + "@" + devpath, "ACTION=" + action, "DEVPATH=" + devpath,
                "SUBSYSTEM=" + subsystem));
        all.addAll(List.of(vars));
        all.add("SEQNUM=1");
        for (String s : all) {
            byte[] b = s.replace('\0', ' ').getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            out.write(0);
        }
        return out.toByteArray();
    }
}
