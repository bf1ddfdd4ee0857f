package org.autoprobe.core.index;

import java.io.IOException;

/** What stops depmod's explicit mode ({@code depmod KVER FILE...}), in kmod's words (depmod prints it as FATAL). */
public final class ModuleListException extends IOException {
    private static final long serialVersionUID = 1L;

    ModuleListException(String message) {
        super(message);
    }
}
