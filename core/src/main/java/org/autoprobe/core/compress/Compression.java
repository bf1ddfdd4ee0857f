package org.autoprobe.core.compress;

import java.nio.ByteBuffer;

/** How a module file is compressed, told by its first bytes (as libkmod does), never by its name. */
public enum Compression {
    NONE(new byte[0]),
    ZSTD(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD}),
    XZ(new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0}),
    GZIP(new byte[] {0x1F, (byte) 0x8B});

    private final byte[] magic;

    Compression(byte[] magic) {
        this.magic = magic;
    }

    /** The compression whose magic bytes start {@code data} (from its position); {@link #NONE} otherwise. */
    public static Compression detect(ByteBuffer data) {
        for (Compression c : values()) {
            if (c != NONE && c.matches(data)) {
                return c;
            }
        }
        return NONE;
    }

    private boolean matches(ByteBuffer data) {
        if (data.remaining() < magic.length) {
            return false;
        }
        int p = data.position();
        for (int i = 0; i < magic.length; i++) {
            if (data.get(p + i) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
