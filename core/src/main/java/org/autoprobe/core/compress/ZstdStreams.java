package org.autoprobe.core.compress;

import java.io.IOException;
import java.io.InputStream;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import org.autoprobe.core.module.ModuleFormatException;

/**
 * The only class that touches zstd-jni: it is loaded (and zstd-jni's native library with it) the
 * first time a zstd-compressed module is read, so reading plain modules never pays for it.
 */
final class ZstdStreams {
    private ZstdStreams() {
    }

    static InputStream open(String source, InputStream in) throws IOException {
        try {
            return new ZstdInputStreamNoFinalizer(in);
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new ModuleFormatException(source, "cannot decompress zstd: zstd-jni's native library did not load (" + e + ")", e);
        }
    }
}
