package org.autoprobe.core.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoprobe.core.resolve.ModuleState;

/**
 * Which modules the running kernel has live, read from {@code <sys>/module/NAME/initstate} as
 * libkmod's {@code kmod_module_get_initstate} does: only {@code live} counts as loaded.
 */
public final class SysfsModuleState implements ModuleState {
    private final Path moduleDir;

    /** @param sysRoot the sysfs mount, normally {@code /sys} */
    public SysfsModuleState(Path sysRoot) {
        this.moduleDir = sysRoot.resolve("module");
    }

    @Override
    public boolean isLive(String name) {
        try {
            return Files.readString(moduleDir.resolve(name).resolve("initstate"), StandardCharsets.US_ASCII).strip()
                    .equals("live");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
