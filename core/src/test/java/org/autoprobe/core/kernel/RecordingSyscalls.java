package org.autoprobe.core.kernel;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    public void finitModule(String module, Path file, String params, int flags) throws KernelCallException {
        calls.add("finit_module " + module + " " + file.getFileName() + " [" + params + "] " + flags);
        fail(KernelCall.FINIT_MODULE, module);
    }

    @Override
    public void initModule(String module, ByteBuffer image, String params) throws KernelCallException {
        lastImage = new byte[image.remaining()];
        image.duplicate().get(lastImage);
        calls.add("init_module " + module + " " + lastImage.length + " [" + params + "]");
        fail(KernelCall.INIT_MODULE, module);
    }

    @Override
    public void deleteModule(String name, int flags) throws KernelCallException {
        calls.add("delete_module " + name + " " + Integer.toOctalString(flags));
        fail(KernelCall.DELETE_MODULE, name);
    }

    private void fail(KernelCall call, String module) throws KernelCallException {
        Errno e = answers.get(call);
        if (e != null) {
            throw new KernelCallException(call, module, e);
        }
    }
}
