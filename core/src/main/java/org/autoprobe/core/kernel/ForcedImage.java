package org.autoprobe.core.kernel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.autoprobe.core.elf.ElfFile;
import org.autoprobe.core.module.ModuleFormatException;

/**
 * What a forced load does to an image handed to {@code init_module} (the kernel cannot be told by
 * flags then): {@code __versions} loses its ALLOC flag so the kernel skips symbol versions, and the
 * {@code vermagic=} string of {@code .modinfo} is blanked. Works on a copy; the input is untouched.
 */
final class ForcedImage {
    private static final long SHF_ALLOC = 0x2;

    private ForcedImage() {
    }

    static ByteBuffer strip(String source, ByteBuffer image, InsertFlags flags) throws ModuleFormatException {
        ByteBuffer copy = ByteBuffer.allocate(image.remaining());
        copy.put(image.duplicate()).flip();
        ElfFile elf = ElfFile.parse(source, copy);
        ByteBuffer b = copy.duplicate().order(elf.order());
        if (flags.ignoreModversions()) {
            Optional<ElfFile.Section> versions = elf.section("__versions");
            if (versions.isPresent()) {
                clearAlloc(b, elf.is64(), versions.get().index());
            }
        }
        if (flags.ignoreVermagic()) {
            Optional<ElfFile.Section> modinfo = elf.section(".modinfo");
            if (modinfo.isPresent()) {
                blankVermagic(b, modinfo.get());
            }
        }
        return copy;
    }

    private static void clearAlloc(ByteBuffer b, boolean is64, int index) {
        long shoff = is64 ? b.getLong(0x28) : Integer.toUnsignedLong(b.getInt(0x20));
        int shentsize = Short.toUnsignedInt(b.getShort(is64 ? 0x3A : 0x2E));
        int at = (int) (shoff + (long) index * shentsize) + 8; // sh_flags follows sh_name and sh_type
        if (is64) {
            b.putLong(at, b.getLong(at) & ~SHF_ALLOC);
        } else {
            b.putInt(at, (int) (Integer.toUnsignedLong(b.getInt(at)) & ~SHF_ALLOC));
        }
    }

    private static void blankVermagic(ByteBuffer b, ElfFile.Section modinfo) {
        byte[] key = "vermagic=".getBytes(StandardCharsets.US_ASCII);
        int start = (int) modinfo.offset();
        int end = (int) (modinfo.offset() + modinfo.size());
        int i = start;
        while (i < end) {
            int stop = i;
            while (stop < end && b.get(stop) != 0) {
                stop++;
            }
            if (startsWith(b, i, stop, key)) {
                for (int j = i; j < stop; j++) {
                    b.put(j, (byte) 0);
                }
                return;
            }
            i = stop + 1;
        }
    }

    private static boolean startsWith(ByteBuffer b, int from, int to, byte[] key) {
        if (to - from < key.length) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (b.get(from + k) != key[k]) {
                return false;
            }
        }
        return true;
    }
}
