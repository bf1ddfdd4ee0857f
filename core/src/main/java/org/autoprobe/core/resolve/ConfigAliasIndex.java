package org.autoprobe.core.resolve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.autoprobe.core.config.ModprobeConfig;
import org.autoprobe.core.match.Glob;

/**
 * The {@code alias} lines of a modprobe configuration, arranged so that a lookup does not try every
 * pattern: a pattern without wildcards is found by a hash lookup of the whole string; a pattern with
 * wildcards is tried (as an fnmatch glob) only when the string starts with the pattern's literal
 * prefix, the bytes before its first {@code * ? [ \}. The prefixes sit in a character trie that
 * one walk along the string visits; its edges hold whole runs of characters (a radix tree), so a
 * long pattern costs one node, not one per character, and building and walking are linear.
 *
 * <p>The answer is the same as trying each line in config order with {@link Glob#matches}: the
 * candidates are put back in config order before they are returned. A string holding a NUL (which
 * ends a C string early) falls back to that plain scan. Immutable, thread-safe.
 */
final class ConfigAliasIndex {
    private static final int[] NONE = new int[0];

    private final List<ModprobeConfig.Alias> aliases;
    /** Per line, its compiled pattern; null for a literal pattern (found by {@link #literal}). */
    private final Glob[] globs;
    /** Literal pattern to the lines that have it, ascending. */
    private final Map<String, int[]> literal;
    private final PrefixNode prefixes = new PrefixNode();

    ConfigAliasIndex(List<ModprobeConfig.Alias> aliases) {
        this.aliases = List.copyOf(aliases);
        this.globs = new Glob[this.aliases.size()];
        Map<String, int[]> lit = new HashMap<>();
        for (int i = 0; i < globs.length; i++) {
            String pattern = this.aliases.get(i).pattern();
            int special = firstSpecial(pattern);
            if (special < 0) {
                lit.merge(pattern, new int[] {i}, ConfigAliasIndex::concat);
            } else {
                globs[i] = Glob.compile(pattern);
                prefixes.add(pattern, special, i);
            }
        }
        this.literal = lit;
    }

    /** The configuration's alias lines whose pattern matches {@code s}, in config order. */
    List<ModprobeConfig.Alias> matches(String s) {
        if (aliases.isEmpty()) {
            return List.of();
        }
        if (s.indexOf('\0') >= 0) {
            return scan(s);
        }
        int[] found = literal.getOrDefault(s, NONE);
        int count = found.length;
        int[] candidates = count == 0 ? new int[4] : Arrays.copyOf(found, count + 4);
        PrefixNode node = prefixes;
        for (int i = 0; ; i++) {
            for (int line : node.lines) {
                if (globs[line].matches(s)) {
                    if (count == candidates.length) {
                        candidates = Arrays.copyOf(candidates, count * 2);
                    }
                    candidates[count++] = line;
                }
            }
            if (i == s.length() || node.children == null) {
                break;
            }
            PrefixNode child = node.children.get(s.charAt(i));
            if (child == null || !s.startsWith(child.label, i)) {
                break;
            }
            i += child.label.length() - 1; // the loop's i++ passes the last one
            node = child;
        }
        if (count == 0) {
            return List.of();
        }
        Arrays.sort(candidates, 0, count);
        List<ModprobeConfig.Alias> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            out.add(aliases.get(candidates[k]));
        }
        return out;
    }

    /** The reference behaviour: every line, in order. */
    private List<ModprobeConfig.Alias> scan(String s) {
        List<ModprobeConfig.Alias> out = new ArrayList<>();
        for (ModprobeConfig.Alias a : aliases) {
            if (Glob.matches(a.pattern(), s)) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Where the pattern stops being a plain string: the first {@code * ? [ \} or NUL, or -1. A NUL
     * counts because {@link Glob} ends the pattern there, which a plain string compare would not do.
     */
    private static int firstSpecial(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\' || c == '\0') {
                return i;
            }
        }
        return -1;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /**
     * A radix tree over the literal prefixes of the wildcard patterns; each node lists the lines
     * whose prefix ends there. A child is found by the first character of its edge ({@link #label},
     * never empty below the root).
     */
    private static final class PrefixNode {
        private int[] lines = NONE;
        private Map<Character, PrefixNode> children;
        private String label;

        PrefixNode(String label) {
            this.label = label;
        }

        PrefixNode() {
            this("");
        }

        void add(String pattern, int prefixLength, int line) {
            PrefixNode node = this;
            int i = 0;
            while (i < prefixLength) {
                if (node.children == null) {
                    node.children = new HashMap<>();
                }
                char c = pattern.charAt(i);
                PrefixNode child = node.children.get(c);
                if (child == null) {
                    child = new PrefixNode(pattern.substring(i, prefixLength));
                    node.children.put(c, child);
                    node = child;
                    break;
                }
                int k = 1;
                while (k < child.label.length() && i + k < prefixLength && child.label.charAt(k) == pattern.charAt(i + k)) {
                    k++;
                }
                if (k < child.label.length()) { // the prefix ends or parts inside the edge: split it there
                    PrefixNode mid = new PrefixNode(child.label.substring(0, k));
                    child.label = child.label.substring(k);
                    mid.children = new HashMap<>();
                    mid.children.put(child.label.charAt(0), child);
                    node.children.put(c, mid);
                    child = mid;
                }
                node = child;
                i += k;
            }
            node.lines = concat(node.lines, new int[] {line});
        }
    }
}
