package org.autoprobe.core.sys;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.ToIntFunction;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.autoprobe.core.kernel.KernelCall;
import org.autoprobe.core.kernel.ModuleSyscalls;
import org.autoprobe.core.text.RawText;

/**
 * The module system calls through JNA: each call checks its result and turns {@code -1} into a
 * {@link SyscallException} carrying the thread's errno ({@link Errors#last()}) and what it means
 * ({@link KernelCall#failure}). An architecture without known numbers answers every call with ENOSYS.
 */
public final class NativeModuleSyscalls implements ModuleSyscalls {
    private final Optional<SyscallNumbers> numbers;

    private NativeModuleSyscalls(Optional<SyscallNumbers> numbers) {
        this.numbers = numbers;
    }

    /** The calls of the machine this JVM runs on. */
    public static NativeModuleSyscalls system() {
        return new NativeModuleSyscalls(SyscallNumbers.forArch(System.getProperty("os.arch")));
    }

    /** Loads JNA and binds the C library (0.5 s and more under emulation), ahead of the first call. */
    @Override
    public void prepare() {
        LibC.INSTANCE.getClass();
    }

    @Override
    public boolean finitModule(String module, Path file, String params, ToIntFunction<ByteBuffer> flags)
            throws SyscallException {
        long nr = numbers(KernelCall.FINIT_MODULE, module).finitModule();
        int fd = LibC.INSTANCE.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw KernelCall.OPEN.failure(file.toString(), Errors.last());
        }
        try {
            byte[] head = new byte[HEAD];
            int n = 0;
            while (n < HEAD) {
                byte[] rest = n == 0 ? head : new byte[HEAD - n];
                NativeLong count = new NativeLong(HEAD - n);
                long got = Errors.restarting(() -> LibC.INSTANCE.read(fd, rest, count).longValue());
                if (got < 0) {
                    throw KernelCall.READ.failure(file.toString(), Errors.last());
                }
                if (got == 0) {
                    break;
                }
                if (rest != head) {
                    System.arraycopy(rest, 0, head, n, (int) got);
                }
                n += (int) got;
            }
            int f = flags.applyAsInt(ByteBuffer.wrap(head, 0, n).slice());
            if (f < 0) {
                return false;
            }
            check(KernelCall.FINIT_MODULE, module,
                    LibC.INSTANCE.syscall(new NativeLong(nr), fd, cParams(params), f));
            return true;
        } finally {
            LibC.INSTANCE.close(fd);
        }
    }

    @Override
    public void initModule(String module, ByteBuffer image, String params) throws SyscallException {
        long nr = numbers(KernelCall.INIT_MODULE, module).initModule();
        int len = image.remaining();
        Pointer mem;
        if (image.isDirect()) {
            mem = Native.getDirectBufferPointer(image).share(image.position());
        } else {
            Memory m = new Memory(Math.max(len, 1));
            m.write(0, image.array(), image.arrayOffset() + image.position(), len);
            mem = m;
        }
        check(KernelCall.INIT_MODULE, module,
                LibC.INSTANCE.syscall(new NativeLong(nr), mem, new NativeLong(len), cParams(params)));
    }

    /**
     * The parameter string as the kernel gets it: its bytes ({@link RawText#encode}, so bytes of a
     * configuration file that are not UTF-8 reach the kernel as they were, as with kmod), NUL
     * ended; JNA's own String conversion would turn them into '?'.
     */
    private static byte[] cParams(String params) {
        return params == null ? null : RawText.cString(params);
    }

    @Override
    public void deleteModule(String name, int flags) throws SyscallException {
        long nr = numbers(KernelCall.DELETE_MODULE, name).deleteModule();
        check(KernelCall.DELETE_MODULE, name, LibC.INSTANCE.syscall(new NativeLong(nr), name, flags));
    }

    /** The C library's text for an errno (tests compare {@link Errno#message()} with it). */
    public static String strerror(int errno) {
        return LibC.INSTANCE.strerror(errno);
    }

    private SyscallNumbers numbers(KernelCall call, String module) throws SyscallException {
        if (numbers.isEmpty()) {
            throw call.failure(module, Errno.ENOSYS, " on " + System.getProperty("os.arch"));
        }
        return numbers.get();
    }

    private static void check(KernelCall call, String module, NativeLong result) throws SyscallException {
        if (result.longValue() != 0) {
            throw call.failure(module, Errors.last());
        }
    }
}
