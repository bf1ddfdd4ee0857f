package org.autoprobe.core.module;

/** One {@code key=value} record of a module's {@code .modinfo} section, as written. */
public record ModinfoField(String key, String value) {
    public ModinfoField {
        if (key == null || value == null) {
            throw new IllegalArgumentException("modinfo key and value must not be null");
        }
    }

    /** The keys nearly every module has, shared instead of made again for each record. */
    private static final String[] COMMON = {"alias", "depends", "parm", "parmtype", "license", "author",
        "description", "firmware", "vermagic", "srcversion", "retpoline", "intree", "name", "softdep",
        "import_ns", "version", "weakdep", "file"};
    private static final byte[][] COMMON_BYTES = new byte[COMMON.length][];

    static {
        for (int i = 0; i < COMMON.length; i++) {
            COMMON_BYTES[i] = COMMON[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Parses the record {@code b[from..end)} (Latin-1, no NUL) as {@link #parse(String)} does, without
     * making the whole record a String first; common keys are shared strings.
     */
    public static ModinfoField parse(byte[] b, int from, int end) {
        int eq = from;
        while (eq < end && b[eq] != '=') {
            eq++;
        }
        String key = null;
        int len = eq - from;
        for (int i = 0; i < COMMON_BYTES.length && key == null; i++) {
            byte[] k = COMMON_BYTES[i];
            if (k.length == len && java.util.Arrays.equals(b, from, eq, k, 0, len)) {
                key = COMMON[i];
            }
        }
        if (key == null) {
            key = new String(b, from, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        String value = eq < end ? new String(b, eq + 1, end - eq - 1, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
        return new ModinfoField(key, value);
    }

    /** Parses {@code key=value}; a record without {@code =} has an empty value (kmod keeps it as key only). */
    public static ModinfoField parse(String record) {
        int eq = record.indexOf('=');
        return eq < 0 ? new ModinfoField(record, "") : new ModinfoField(record.substring(0, eq), record.substring(eq + 1));
    }
}
