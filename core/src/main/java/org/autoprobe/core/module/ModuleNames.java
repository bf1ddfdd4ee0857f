package org.autoprobe.core.module;

import java.nio.file.Path;

/** kmod's naming rules for module names. */
public final class ModuleNames {
    private ModuleNames() {
    }

    /** A module's name from its file: the file name up to its first '.', with '-' turned into '_'. */
    public static String fromPath(Path file) {
        String base = file.getFileName().toString();
        int dot = base.indexOf('.');
        return normalize(dot < 0 ? base : base.substring(0, dot));
    }

    /** Every '-' becomes '_' (kmod's modname_normalize). */
    public static String normalize(String name) {
        return name.indexOf('-') < 0 ? name : name.replace('-', '_');
    }

    /**
     * Every '-' becomes '_', except inside '[...]' (kmod's alias_normalize).
     *
     * @return the normalised alias, or null when its brackets are unbalanced (kmod rejects it)
     */
    public static String normalizeAlias(String alias) {
        StringBuilder sb = null;
        int n = alias.length();
        for (int i = 0; i < n; i++) {
            char c = alias.charAt(i);
            if (c == ']') {
                return null;
            } else if (c == '[') {
                int close = alias.indexOf(']', i);
                if (close < 0) {
                    return null;
                }
                if (sb != null) {
                    sb.append(alias, i, close + 1);
                }
                i = close;
            } else if (c == '-') {
                if (sb == null) {
                    sb = new StringBuilder(n).append(alias, 0, i);
                }
                sb.append('_');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? alias : sb.toString();
    }
}
