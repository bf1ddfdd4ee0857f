package org.autoprobe.rules.modprobe;

import java.util.Arrays;
import java.util.function.Consumer;
import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.module.ModuleNames;
import org.autoprobe.core.text.RawText;

/**
 * The module settings on the kernel command line ({@code /proc/cmdline}), read as kmod 30 reads
 * them.
 *
 * <ul>
 *   <li>Only the first {@value #MAX_BYTES} bytes count, up to the first NUL.</li>
 *   <li>A token {@code mod.param} or {@code mod.param=value} gives the option string
 *       {@code param} or {@code param=value} for {@code mod} ('-' in the module name becomes '_').
 *       Quotes in the value stay in the option string; blanks are allowed only inside quotes in
 *       the value.</li>
 *   <li>A token quoted as a whole, {@code "mod.param=a b"}, is rewritten to
 *       {@code param="a b"}.</li>
 *   <li>A token is dropped when it has a second '.' before any '=', an '=' before its first '.',
 *       a quote anywhere but at its start or in the value, or blanks inside quotes outside the
 *       value. An unbalanced quote in a dropped token keeps swallowing tokens until the next
 *       quote.</li>
 *   <li>{@code modprobe.blacklist=a,b} blacklists each comma-separated entry as written (not
 *       normalised; empty entries included).</li>
 * </ul>
 */
final class KernelCmdlineParser {
    /** kmod reads /proc/cmdline into a 4096-byte buffer, one byte being the terminating NUL. */
    public static final int MAX_BYTES = 4095;

    private enum State { IGNORE, MODNAME, PARAM, VALUE }

    private KernelCmdlineParser() {
    }

    /** The blacklist entries and options the command line gives, and nothing else. */
    static ModprobeConfig parse(String cmdline, Consumer<String> warnings) {
        ConfigBuilder builder = new ConfigBuilder();
        parseInto(builder, cmdline, warnings);
        return builder.build();
    }

    static void parseInto(ConfigBuilder out, String cmdline, Consumer<String> warnings) {
        out.at("kernel command line");
        byte[] all = RawText.encode(cmdline);
        int len = Math.min(all.length, MAX_BYTES);
        for (int i = 0; i < len; i++) {
            if (all[i] == 0) {
                len = i;
                break;
            }
        }
        byte[] buf = Arrays.copyOf(all, len);

        State state = State.MODNAME;
        boolean quoted = false;
        int quoteStart = -1;
        int modStart = 0;
        int modEnd = -1;
        int paramStart = -1;
        int valueStart = -1;
        for (int p = 0; p <= len; p++) {
            int c = p < len ? buf[p] : 0;
            boolean complete = false;
            if (c == '"') {
                quoted = !quoted;
                if (quoted && state == State.MODNAME && p == modStart) {
                    quoteStart = p;
                    modStart = p + 1;
                } else if (state != State.VALUE) {
                    state = State.IGNORE;
                }
            } else if (c == 0 || SoftDepParser.isSpace(c)) {
                if (quoted && state == State.VALUE) {
                    // a blank inside a quoted value
                } else if (quoted) {
                    state = State.IGNORE;
                } else if (state == State.VALUE || state == State.PARAM) {
                    complete = true;
                } else {
                    modStart = p + 1;
                    state = State.MODNAME;
                    quoteStart = -1;
                }
            } else if (c == '.') {
                if (state == State.MODNAME) {
                    modEnd = p;
                    paramStart = p + 1;
                    state = State.PARAM;
                } else if (state == State.PARAM) {
                    state = State.IGNORE;
                }
            } else if (c == '=') {
                if (state == State.PARAM) {
                    valueStart = p + 1;
                    state = State.VALUE;
                } else if (state == State.MODNAME) {
                    state = State.IGNORE;
                }
            }
            if (complete) {
                String module = text(buf, modStart, modEnd);
                String param;
                String value = state == State.VALUE ? text(buf, valueStart, p) : null;
                if (quoteStart >= 0 && quoteStart < modStart) {
                    // "mod.param=a b" : kmod moves the quote to just after the '='
                    param = text(buf, paramStart, valueStart) + '"' + value;
                    value = '"' + value;
                } else {
                    param = text(buf, paramStart, p);
                }
                result(out, module, param, value, warnings);
                modStart = p + 1;
                state = State.MODNAME;
                quoteStart = -1;
            }
        }
    }

    private static void result(ConfigBuilder out, String module, String param, String value,
                               Consumer<String> warnings) {
        if (module.equals("modprobe") && param.startsWith("blacklist=")) {
            // split like strsep: every comma separates, empty entries included
            for (String entry : value.split(",", -1)) {
                out.blacklist(entry);
            }
            return;
        }
        String name = ModuleNames.normalizeAlias(module);
        if (name == null) {
            warnings.accept("kernel command line: ignoring option for bad module name '" + module + "'");
        } else {
            out.options(name, param);
        }
    }

    private static String text(byte[] buf, int from, int to) {
        return RawText.decode(buf, from, to);
    }
}
