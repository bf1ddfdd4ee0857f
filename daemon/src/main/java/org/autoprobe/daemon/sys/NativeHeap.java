package org.autoprobe.daemon.sys;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * The C library's heap. glibc keeps the memory that {@code free} returned in its arenas for the
 * next {@code malloc}; after a burst (the start's coldplug: the JVM's compilers, class linking, JNA's
 * buffers) an idle daemon holds several megabytes of it. {@code malloc_trim(3)} gives the free pages
 * back to the kernel. Other C libraries (musl) have no such call: then nothing is done.
 */
public final class NativeHeap {
    private NativeHeap() {
    }

    private static final class Calls {
        static {
            Native.register(Calls.class, Platform.C_LIBRARY_NAME);
        }

        static native int malloc_trim(NativeLong pad);
    }

    /**
     * Gives the C heap's free memory back to the kernel ({@code malloc_trim(0)}).
     *
     * @return whether the call exists here (glibc); its own answer (whether anything was given back)
     *         is not an error either way
     */
    public static boolean trim() {
        try {
            Calls.malloc_trim(new NativeLong(0));
            return true;
        } catch (LinkageError e) { // no such symbol in this C library (the class's registration failed)
            return false;
        }
    }
}
