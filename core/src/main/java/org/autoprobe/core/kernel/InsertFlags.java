package org.autoprobe.core.kernel;

/**
 * How a module file is inserted: the force flags of {@code insmod -f} / {@code modprobe -f},
 * {@code --force-modversion} and {@code --force-vermagic}.
 *
 * @param ignoreModversions MODULE_INIT_IGNORE_MODVERSIONS: load despite symbol version mismatches
 * @param ignoreVermagic    MODULE_INIT_IGNORE_VERMAGIC: load despite a different kernel version magic
 */
public record InsertFlags(boolean ignoreModversions, boolean ignoreVermagic) {
    /** {@code finit_module} flag: ignore symbol versions. */
    static final int MODULE_INIT_IGNORE_MODVERSIONS = 1;
    /** {@code finit_module} flag: ignore the version magic. */
    static final int MODULE_INIT_IGNORE_VERMAGIC = 2;
    /** {@code finit_module} flag: the file is compressed and the kernel decompresses it. */
    static final int MODULE_INIT_COMPRESSED_FILE = 4;

    /** No forcing. */
    public static final InsertFlags NONE = new InsertFlags(false, false);
    /** {@code -f}: both. */
    public static final InsertFlags FORCE = new InsertFlags(true, true);

    /** The {@code finit_module} flag bits these stand for. */
    public int kernelFlags() {
        return (ignoreModversions ? MODULE_INIT_IGNORE_MODVERSIONS : 0) | (ignoreVermagic ? MODULE_INIT_IGNORE_VERMAGIC : 0);
    }

    /** Whether anything is forced. */
    boolean forced() {
        return ignoreModversions || ignoreVermagic;
    }
}
