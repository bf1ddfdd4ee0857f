package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import org.autoprobe.core.testing.TrieBytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration and index bytes that are not UTF-8 (0xff 0xfe) next to a valid U+00E9 (0xc3 0xa9)
 * come out of {@code modprobe -c} and {@code modprobe -n -v} byte for byte. The expected texts are
 * what kmod 30's modprobe printed for the same files (checked by hand: {@code modprobe -C FILE -c}).
 */
class RawBytesCommandsTest {
    private static final String KVER = "6.1.0-b";
    /** 0xff 0xfe U+00E9, one char per byte. */
    private static final String ODD = "\u00ff\u00fe\u00c3\u00a9";

    @TempDir
    Path dir;
    private Path conf;

    @BeforeEach
    void tree() throws IOException {
        Path moddir = Files.createDirectories(dir.resolve("lib/modules").resolve(KVER));
        TrieBytes.write(moddir.resolve("modules.dep.bin"), "drv", "kernel/drv.ko:");
        // kmod's index holds 7-bit keys only (its depmod crashes on others); values may hold any byte
        TrieBytes.write(moddir.resolve("modules.alias.bin"), "pci:v1*", "drv" + ODD);
        TrieBytes.write(moddir.resolve("modules.symbols.bin"));
        TrieBytes.write(moddir.resolve("modules.builtin.bin"));
        Files.createDirectories(moddir.resolve("kernel"));
        Files.write(moddir.resolve("kernel/drv.ko"), new byte[0]);
        conf = dir.resolve("odd.conf");
        Files.write(conf, bytes("options drv foo=" + ODD + " bar=1\nalias " + ODD + "x drv\ninstall other echo " + ODD
                + "\nblacklist " + ODD + "\n"));
    }

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 7];
        all[0] = "modprobe";
        all[1] = "-d";
        all[2] = dir.toString();
        all[3] = "-S";
        all[4] = KVER;
        all[5] = "-C";
        all[6] = conf.toString();
        System.arraycopy(args, 0, all, 7, args.length);
        int rc = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), all);
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(out.toByteArray());
    }

    /** Each line as kmod prints it (the host's own kernel command line adds options lines between them). */
    @Test
    void showConfigKeepsTheBytes() {
        String out = "\n" + new String(HexFormat.of().parseHex(run("-c")), StandardCharsets.ISO_8859_1);
        int at = 0;
        for (String line : new String[] {"blacklist " + ODD, "install other echo " + ODD, "alias " + ODD + "x drv",
                "options drv foo=" + ODD + " bar=1", "alias pci:v1* drv" + ODD}) {
            int found = out.indexOf("\n" + line + "\n", at);
            assertTrue(found >= 0, line + " (in this order) in" + out);
            at = found + line.length() + 1;
        }
    }

    /** The options as the kernel would get them: show-depends prints them after the path. */
    @Test
    void optionsKeepTheBytes() {
        String want = "insmod " + dir.resolve("lib/modules").resolve(KVER).resolve("kernel/drv.ko") + " foo=" + ODD + " bar=1 \n";
        assertEquals(HexFormat.of().formatHex(bytes(want)), run("--show-depends", org.autoprobe.core.text.RawText.decode(bytes(ODD + "x"))));
    }
}
