package org.autoprobe.core.module;

/** One {@code key=value} record of a module's {@code .modinfo} section, as written. */
public record ModinfoField(String key, String value) {
    public ModinfoField {
        if (key == null || value == null) {
            throw new IllegalArgumentException("modinfo key and value must not be null");
        }
    }

    /** Parses {@code key=value}; a record without {@code =} has an empty value (kmod keeps it as key only). */
    public static ModinfoField parse(String record) {
        int eq = record.indexOf('=');
        return eq < 0 ? new ModinfoField(record, "") : new ModinfoField(record.substring(0, eq), record.substring(eq + 1));
    }
}
