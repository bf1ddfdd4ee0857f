package org.autoprobe.daemon.sys;

import com.sun.jna.Native;
import com.sun.jna.Platform;

import org.autoprobe.core.sys.Errors;

/**
 * The calling thread's scheduling priority (its nice value). On Linux {@code setpriority(2)} with
 * {@code PRIO_PROCESS} and a thread id changes that one thread; the threads that insert modules at
 * start raise theirs, so that the kernel's work in {@code finit_module} (relocation, signature check,
 * the driver's probe) runs before the daemon's own start-up work when the processors are short.
 */
public final class ThreadPriority {
    private static final int PRIO_PROCESS = 0;

    private ThreadPriority() {
    }

    private static final class Calls {
        static {
            Native.register(Calls.class, Platform.C_LIBRARY_NAME);
        }

        static native int gettid();

        static native int setpriority(int which, int who, int prio);
    }

    /** Binds the calls now (JNA's registration), so that the first {@link #setNice} is quick. */
    public static void prepare() {
        Calls.gettid();
    }

    /**
     * Sets the calling thread's nice value ({@code -20} highest to {@code 19} lowest).
     *
     * @return null when done, else why not (e.g. {@code EACCES} without {@code CAP_SYS_NICE})
     */
    public static String setNice(int nice) {
        try {
            if (Calls.setpriority(PRIO_PROCESS, Calls.gettid(), nice) == 0) {
                return null;
            }
            return Errors.failure("setpriority", Integer.toString(nice)).getMessage(); // setpriority(-5) failed: EACCES (Permission denied)
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "setpriority unavailable: " + e.getMessage();
        }
    }
}
