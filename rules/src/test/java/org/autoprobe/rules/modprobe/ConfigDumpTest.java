package org.autoprobe.rules.modprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.autoprobe.core.config.ConfigDump;
import org.autoprobe.core.config.ModprobeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected texts are what kmod 30's {@code modprobe -C dir -c} printed for the same input. */
class ConfigDumpTest {
    @TempDir
    Path root;

    private static String dump(ModprobeConfig c) {
        StringWriter sw = new StringWriter();
        ConfigDump.write(c, new PrintWriter(sw));
        return sw.toString();
    }

    @Test
    void sectionsInKmodOrderWithCommandLineAfterFiles() throws IOException {
        Path d = Files.createDirectories(root.resolve("d"));
        Files.writeString(d.resolve("10-a.conf"), """
                blacklist pcspkr
                alias usb:v05ACp*d*dc*dsc*dp*ic*isc*ip*in* apple-mfi-fastcharge
                softdep my-mod post: a pre: b post: c
                options snd-hda\tindex=1\t  model=x
                install vfat /sbin/modprobe --ignore-install vfat $CMDLINE_OPTS
                remove vfat echo bye
                softdep uhci-hcd pre: ehci-hcd ehci_pci post: x
                """);
        Files.writeString(d.resolve("20-b.conf"), "blacklist floppy\noptions snd-hda extra=2\n");
        ModprobeConfig c = ModprobeConfigLoader.load(List.of(d), root.resolve("nonexist"),
                Optional.of("a.b=1 \"c.d=e f\" modprobe.blacklist=x-y,,z- g.h\n"), w -> { });
        assertEquals("""
                blacklist pcspkr
                blacklist floppy
                blacklist x-y
                blacklist\s
                blacklist z-
                install vfat /sbin/modprobe --ignore-install vfat $CMDLINE_OPTS
                remove vfat echo bye
                alias usb:v05ACp*d*dc*dsc*dp*ic*isc*ip*in* apple_mfi_fastcharge
                options snd_hda index=1   model=x
                options snd_hda extra=2
                options a b=1
                options c d="e f"
                options g h
                softdep my_mod pre: bpost: a b c
                softdep uhci_hcd pre: ehci-hcd ehci_pcipost: x

                # End of configuration files. Dumping indexes now:

                """, dump(c));
    }

    @Test
    void softdepLinesWithoutGroupsPrintNothingAfterTheName() {
        ModprobeConfig c = ModprobeConfigParser.parse("s.conf", List.of(
                "softdep a-b pre: x y post: z w", "softdep c  pre: x", "softdep d\tpre: x post:",
                "softdep e pre:x", "softdep g  ", "softdep i x pre:  y  "), w -> { });
        assertEquals("""
                softdep a_b pre: x ypost: z w
                softdep c\s
                softdep d pre: x
                softdep e\s
                softdep g\s
                softdep i pre: y

                # End of configuration files. Dumping indexes now:

                """, dump(c));
    }

    /** kmod 34, modprobe.c show_config (weakdep after softdep) and libkmod-config.c weakdep_to_char. */
    @Test
    void weakdepLinesComeLastWithTheirNamesJoinedBySpaces() {
        ModprobeConfig c = ModprobeConfigParser.parse("w.conf", List.of(
                "weakdep m-x a-b  c", "softdep s pre: t", "weakdep k  ", "weakdep q  r", "blacklist z"), w -> { });
        assertEquals("""
                blacklist z
                softdep s pre: t
                weakdep m_x a-b c
                weakdep k\s
                weakdep q  r

                # End of configuration files. Dumping indexes now:

                """, dump(c));
    }

    @Test
    void emptyConfiguration() {
        assertEquals("\n# End of configuration files. Dumping indexes now:\n\n", dump(ModprobeConfig.EMPTY));
    }

    @Test
    void softdepBuiltInCodeShowsPreThenPost() {
        ModprobeConfig c = new ModprobeConfig(List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(new ModprobeConfig.SoftDep("m", List.of("a", "b"), List.of("c"))), List.of());
        assertEquals("softdep m pre: a bpost: c\n", dump(c).lines().findFirst().orElseThrow() + "\n");
    }
}
