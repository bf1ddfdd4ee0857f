package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoprobe.core.testing.TrieBytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModinfoCommandTest {
    @TempDir
    Path root;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void tree() throws Exception {
        Path moddir = Files.createDirectories(root.resolve("lib/modules/9.9.9-test"));
        Files.writeString(moddir.resolve("modules.dep"), "kernel/drivers/net/real-mod.ko:\n");
        Files.writeString(moddir.resolve("modules.alias"), "alias pci:v00001234d* real_mod\n");
        Files.writeString(moddir.resolve("modules.builtin"), "kernel/fs/ext-four.ko\nkernel/crypto/sha-two.ko\n");
        Files.write(moddir.resolve("modules.builtin.modinfo"),
                ("ext_four.license=GPL\0ext_four.description=Fourth\0sha_two.alias=crypto-sha2\0sha_two.license=GPL\0"
                        + "ext_four.late=ignored\0").getBytes(StandardCharsets.ISO_8859_1));
        // the indexes depmod would write for these files (lookups read the .bin tries, as libkmod does)
        TrieBytes.write(moddir.resolve("modules.dep.bin"), "real_mod", "kernel/drivers/net/real-mod.ko:");
        TrieBytes.write(moddir.resolve("modules.alias.bin"), "pci:v00001234d*", "real_mod");
        TrieBytes.write(moddir.resolve("modules.symbols.bin"));
        TrieBytes.write(moddir.resolve("modules.builtin.bin"), "ext_four", "", "sha_two", "");
        TrieBytes.write(moddir.resolve("modules.builtin.alias.bin"), "crypto_sha2", "sha_two");
    }

    private int run(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "modinfo";
        all[1] = "-b";
        all[2] = root.toString();
        all[3] = "-k";
        all[4] = "9.9.9-test";
        System.arraycopy(args, 0, all, 5, args.length);
        return Main.run(new PrintStream(out, true), new PrintStream(err, true), all);
    }

    @Test
    void builtinModuleByNameShowsItsBuiltinRecords() {
        assertEquals(0, run("ext-four"));
        assertEquals("name:           ext_four\nfilename:       (builtin)\nlicense:        GPL\ndescription:    Fourth\n", out.toString());
    }

    @Test
    void builtinAliasFindsTheBuiltinModule() {
        assertEquals(0, run("-F", "name", "crypto-sha2"));
        assertEquals("sha_two\n", out.toString());
    }

    @Test
    void unknownNamesFailLikeKmod() {
        assertEquals(1, run("nosuch", "ext_four", "-F", "license"));
        assertEquals("GPL\n", out.toString());
        assertEquals("modinfo: ERROR: Module nosuch not found.\n", err.toString());
        err.reset();
        assertEquals(1, run("-m", "nosuch"));
        assertEquals("modinfo: ERROR: Module name nosuch not found.\n", err.toString());
    }

    @Test
    void moduleNamesAndAliasesGiveTheFileFromModulesDep() {
        assertEquals(0, run("-n", "real-mod", "pci:v00001234d00000001sv0"));
        String file = root + "/lib/modules/9.9.9-test/kernel/drivers/net/real-mod.ko";
        assertEquals(file + "\n" + file + "\n", out.toString());
    }

    @Test
    void lastFieldOptionWinsAndNulSeparates() {
        assertEquals(0, run("-a", "-n", "-0", "ext_four"));
        assertEquals("(builtin)\0", out.toString());
    }

    @Test
    void unreadableModuleFilePrintsItsFilenameThenTheProblem() throws Exception {
        Path bad = Files.write(root.resolve("broken.ko"), new byte[] {1, 2, 3});
        assertEquals(1, run(bad.toString()));
        assertEquals("filename:       " + bad + "\n", out.toString());
        assertEquals("modinfo: ERROR: could not get modinfo from 'broken': file too short for an ELF header (3 bytes)\n",
                err.toString());
    }

    @Test
    void missingArgumentIsAnError() {
        assertEquals(1, run());
        assertEquals("modinfo: ERROR: missing module or filename.\n", err.toString());
    }

    /**
     * Bytes that are not UTF-8 (0xff 0xfe) and a valid U+00E9 in a module's records come out byte
     * for byte, as kmod's modinfo prints them (it was U+FFFD twice).
     */
    @Test
    void recordBytesComeOutAsTheyAre() throws Exception {
        Path moddir = root.resolve("lib/modules/9.9.9-test");
        byte[] odd = {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0xa9};
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        records.writeBytes("odd_mod.description=x".getBytes(StandardCharsets.US_ASCII));
        records.writeBytes(odd);
        records.writeBytes("\0odd_mod.parm=p:".getBytes(StandardCharsets.US_ASCII));
        records.writeBytes(odd);
        records.write(0);
        Files.write(moddir.resolve("modules.builtin.modinfo"), records.toByteArray());
        TrieBytes.write(moddir.resolve("modules.builtin.bin"), "odd_mod", "");
        assertEquals(0, run("odd-mod"));
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes("name:           odd_mod\nfilename:       (builtin)\ndescription:    x".getBytes(StandardCharsets.US_ASCII));
        want.writeBytes(odd);
        want.writeBytes("\nparm:           p:".getBytes(StandardCharsets.US_ASCII));
        want.writeBytes(odd);
        want.write('\n');
        assertEquals(java.util.HexFormat.of().formatHex(want.toByteArray()), java.util.HexFormat.of().formatHex(out.toByteArray()));
    }
}
