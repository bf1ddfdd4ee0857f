package org.autoprobe.core.kernel;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.ToIntFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;

/** ModuleSyscalls that record each call and answer with the errno set for it (success otherwise). */
final class RecordingSyscalls implements ModuleSyscalls {
    final List<String> calls = new ArrayList<>();
    final Map<KernelCall, Errno> answers = new HashMap<>();
    byte[] lastImage;

    RecordingSyscalls answer(KernelCall call, Errno errno) {
        answers.put(call, errno);
        return this;
    }

    @Override
    public boolean finitModule(String module, Path file, String params, ToIntFunction<ByteBuffer> decide)
            throws SyscallException {
        byte[] head;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        } catch (java.io.IOException e) {
            throw KernelCall.OPEN.failure(file.toString(), Errno.ENOENT);
        }
        int flags = decide.applyAsInt(ByteBuffer.wrap(head));
        if (flags < 0) {
            return false;
        }
        calls.add("finit_module " + module + " " + file.getFileName() + " [" + params + "] " + flags);
        fail(KernelCall.FINIT_MODULE, module);
        return true;
    }

    @Override
    public void initModule(String module, ByteBuffer image, String params) throws SyscallException {
        lastImage = new byte[image.remaining()];
        image.duplicate().get(lastImage);
        calls.add("init_module " + module + " " + lastImage.length + " [" + params + "]");
        fail(KernelCall.INIT_MODULE, module);
    }

    @Override
    public void deleteModule(String name, int flags) throws SyscallException {
        calls.add("delete_module " + name + " " + Integer.toOctalString(flags));
        fail(KernelCall.DELETE_MODULE, name);
    }

    private void fail(KernelCall call, String module) throws SyscallException {
        Errno e = answers.get(call);
        if (e != null) {
            throw call.failure(module, e);
        }
    }
}
