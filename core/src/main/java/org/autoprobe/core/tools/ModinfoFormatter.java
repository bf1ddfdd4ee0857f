package org.autoprobe.core.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleSignature;

/**
 * Formats one module the way kmod 30's {@code modinfo} prints it: {@code filename} first, the
 * {@code .modinfo} records in file order (keys padded to column 16), the signature fields, then
 * {@code parm}/{@code parmtype} merged per parameter and printed last. Strings are byte strings
 * (one char per byte, ISO-8859-1), as the ELF reader gives them.
 */
final class ModinfoFormatter {
    private static final int HEX_BYTES_PER_LINE = 20;

    private final String field;
    private final char separator;

    /**
     * @param field     print only this field's values ({@code -F}); null for everything
     * @param separator {@code '\n'}, or {@code '\0'} for {@code -0} (then records print as {@code key=value})
     */
    ModinfoFormatter(String field, char separator) {
        this.field = field;
        this.separator = separator;
    }

    /** A module's records as kmod's {@code kmod_module_get_info} lists them: {@code .modinfo}, then the signature's. */
    static List<ModinfoField> records(ModuleInfo module) {
        List<ModinfoField> out = new ArrayList<>(module.modinfo());
        out.addAll(signatureRecords(module.signature()));
        return out;
    }

    static List<ModinfoField> signatureRecords(Optional<ModuleSignature> signature) {
        if (signature.isEmpty()) {
            return List.of();
        }
        ModuleSignature s = signature.get();
        return List.of(new ModinfoField("sig_id", s.idType()), new ModinfoField("signer", s.signer()),
                new ModinfoField("sig_key", hex(s.keyId())), new ModinfoField("sig_hashalgo", s.hashAlgo()),
                new ModinfoField("signature", hex(s.signature())));
    }

    /** Bytes as {@code 01:AB:...}, a line break and two tabs after every 20th byte but the last. */
    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3 + bytes.length / HEX_BYTES_PER_LINE * 3);
        for (int i = 0; i < bytes.length; i++) {
            sb.append(Character.toUpperCase(Character.forDigit((bytes[i] >> 4) & 0xF, 16)))
                    .append(Character.toUpperCase(Character.forDigit(bytes[i] & 0xF, 16)));
            if (i < bytes.length - 1) {
                sb.append(':');
                if ((i + 1) % HEX_BYTES_PER_LINE == 0) {
                    sb.append("\n\t\t");
                }
            }
        }
        return sb.toString();
    }

    /**
     * Appends one module's output.
     *
     * @param name     the module's name (printed for builtin modules)
     * @param filename its file, or null for a builtin module
     * @param records  its records (see {@link #records}); for a builtin, those of {@code modules.builtin.modinfo}
     * @param warnings receives kmod's complaints (a {@code parm} without ':'), one line each
     */
    void format(StringBuilder out, String name, String filename, List<ModinfoField> records, List<String> warnings) {
        String file = filename;
        if (filename == null) {
            if (field == null) {
                out.append(padded("name:")).append(name).append(separator);
            } else if (field.equals("name")) {
                out.append(name).append(separator);
            }
            file = "(builtin)";
        }
        if ("filename".equals(field)) {
            out.append(file).append(separator);
            return;
        } else if (field == null) {
            out.append(padded("filename:")).append(file).append(separator);
        }
        formatRecords(out, records, warnings);
    }

    /** The part after {@code filename}: used alone when the records could not be read for the filename line. */
    void formatRecords(StringBuilder out, List<ModinfoField> records, List<String> warnings) {
        Params params = new Params();
        if ("parm".equals(field)) {
            for (ModinfoField f : records) {
                if (f.key().equals("parm") || f.key().equals("parmtype")) {
                    params.add(f, warnings);
                }
            }
            params.printBare(out, separator);
            return;
        }
        for (ModinfoField f : records) {
            String key = f.key();
            if (field != null) {
                if (field.equals(key)) {
                    out.append(f.value()).append(separator);
                }
                continue;
            }
            if (key.equals("parm") || key.equals("parmtype")) {
                params.add(f, warnings);
            } else if (separator == '\0') {
                out.append(key).append('=').append(f.value()).append(separator);
            } else {
                // kmod pads with printf's "%-*s" and width 15 - len: a negative width pads by its absolute value
                out.append(key).append(':').append(" ".repeat(Math.abs(15 - key.length()))).append(f.value()).append(separator);
            }
        }
        if (field == null) {
            params.printLabelled(out, separator);
        }
    }

    private static String padded(String label) {
        return label.length() >= 16 ? label : label + " ".repeat(16 - label.length());
    }

    /** Parameters merged from {@code parm} and {@code parmtype}, newest name first (kmod prepends to its list). */
    private static final class Params {
        private final List<String[]> list = new ArrayList<>(); // {name, description or null, type or null}

        void add(ModinfoField f, List<String> warnings) {
            int colon = f.value().indexOf(':');
            if (colon < 0) {
                warnings.add("Found invalid \"" + f.key() + "=" + f.value() + "\": missing ':'");
                return;
            }
            String name = f.value().substring(0, colon);
            String rest = f.value().substring(colon + 1);
            String[] p = null;
            for (String[] it : list) {
                if (it[0].equals(name)) {
                    p = it;
                    break;
                }
            }
            if (p == null) {
                p = new String[] {name, null, null};
                list.add(0, p);
            }
            p[f.key().equals("parm") ? 1 : 2] = rest;
        }

        void printLabelled(StringBuilder out, char sep) {
            for (String[] p : list) {
                out.append(padded("parm:")).append(p[0]).append(':');
                if (p[1] == null) {
                    out.append(p[2]);
                } else if (p[2] != null) {
                    out.append(p[1]).append(" (").append(p[2]).append(')');
                } else {
                    out.append(p[1]);
                }
                out.append(sep);
            }
        }

        void printBare(StringBuilder out, char sep) {
            for (String[] p : list) {
                out.append(p[0]).append(':');
                if (p[1] == null) {
                    out.append(" (").append(p[2]).append(')');
                } else if (p[2] != null) {
                    out.append(p[1]).append(" (").append(p[2]).append(')');
                } else {
                    out.append(p[1]);
                }
                out.append(sep);
            }
        }
    }
}
