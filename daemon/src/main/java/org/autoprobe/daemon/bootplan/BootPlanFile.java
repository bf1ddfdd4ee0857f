package org.autoprobe.daemon.bootplan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import org.autoprobe.daemon.pipeline.SysfsRead;

/**
 * A {@link BootPlan} on disk: UTF-8 text, one item per line, fields separated by tabs (a tab,
 * newline, backslash or control character in a field written as a {@code \\xHH} escape, a missing
 * value as {@code \\-}), ending in {@code end CRC}, the CRC-32C of every byte before that line. A
 * file that is truncated, altered, written by another format, too large or not a regular file is
 * refused with a {@link Invalid} that says where; it is never half used.
 *
 * <pre>
 * autoprobe-boot-plan 2                  (1: before NAME_TEST and NAME_VALUE reads; refused)
 * key	LINE                                   (the BootKey lines, in order)
 * module	NAME	PATH	OPTIONS	AFTER...	SOFT...  (AFTER, SOFT: names separated by spaces)
 * device	DEVPATH	UEVENT
 * read	KIND	FIRST	SECOND	RESULT              (belongs to the device above)
 * want	MODULE                                 (belongs to the device above)
 * end	CRC
 * </pre>
 */
public final class BootPlanFile {
    /** The first line: the format and its version. */
    public static final String MAGIC = "autoprobe-boot-plan 2";
    /** Larger files are refused unread (a real plan is a few tens of kB). */
    static final long MAX_BYTES = 8L << 20;

    /** Why a file is not a usable plan: the file, where, what is wrong. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    private BootPlanFile() {
    }

    /** Writes {@code plan} to {@code file} atomically (a temporary file beside it, synced, renamed over it). */
    public static void write(Path file, BootPlan plan) throws IOException {
        byte[] body = format(plan);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(body);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The file's bytes for {@code plan}. */
    static byte[] format(BootPlan plan) {
        StringBuilder b = new StringBuilder(4096);
        b.append(MAGIC).append('\n');
        for (String k : plan.key()) {
            line(b, "key", k);
        }
        for (BootPlan.Module m : plan.modules().values()) {
            line(b, "module", m.name(), m.path(), m.options(), String.join(" ", m.after()), String.join(" ", m.softAfter()));
        }
        for (BootPlan.Device d : plan.devices().values()) {
            line(b, "device", d.devpath(), d.uevent());
            for (SysfsRead r : d.reads()) {
                line(b, "read", r.kind().name(), r.first(), r.second(), r.result());
            }
            for (String w : d.wants()) {
                line(b, "want", w);
            }
        }
        byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] end = ("end\t" + Long.toHexString(crc.getValue()) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[body.length + end.length];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(end, 0, all, body.length, end.length);
        return all;
    }

    private static void line(StringBuilder b, String tag, String... fields) {
        b.append(tag);
        for (String f : fields) {
            b.append('\t');
            escape(b, f);
        }
        b.append('\n');
    }

    private static void escape(StringBuilder b, String f) {
        if (f == null) {
            b.append("\\-");
            return;
        }
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                b.append(c);
            }
        }
    }

    /**
     * Reads a plan.
     *
     * @throws java.nio.file.NoSuchFileException when there is none
     * @throws Invalid                           when the file is not a whole, valid plan (the message says why)
     * @throws IOException                       when it cannot be read
     */
    public static BootPlan read(Path file) throws IOException, Invalid {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new Invalid(file + ": not a regular file");
        }
        if (a.size() > MAX_BYTES) {
            throw new Invalid(file + ": " + a.size() + " bytes, more than a plan can be (" + MAX_BYTES + ")");
        }
        return parse(file.toString(), Files.readAllBytes(file));
    }

    /** Parses a plan's bytes; {@code name} is used in messages. */
    static BootPlan parse(String name, byte[] bytes) throws Invalid {
        int endStart = bytes.length - 1;
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            throw new Invalid(name + ": truncated (no end line)");
        }
        while (endStart > 0 && bytes[endStart - 1] != '\n') {
            endStart--;
        }
        String endLine = new String(bytes, endStart, bytes.length - 1 - endStart, StandardCharsets.UTF_8);
        if (!endLine.startsWith("end\t")) {
            throw new Invalid(name + ": truncated (no end line)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, endStart);
        if (!endLine.substring(4).equals(Long.toHexString(crc.getValue()))) {
            throw new Invalid(name + ": damaged (checksum " + Long.toHexString(crc.getValue()) + ", the end line says "
                    + endLine.substring(4) + ")");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, endStart)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Invalid(name + ": not UTF-8");
        }
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || !lines[0].equals(MAGIC)) {
            throw new Invalid(name + ":1: not a plan of this version (expected '" + MAGIC + "')");
        }
        List<String> key = new ArrayList<>();
        Map<String, BootPlan.Module> modules = new LinkedHashMap<>();
        Map<String, BootPlan.Device> devices = new LinkedHashMap<>();
        String devpath = null;
        String uevent = null;
        List<SysfsRead> reads = new ArrayList<>();
        List<String> wants = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i++) {
            String where = name + ":" + (i + 1) + ": ";
            String[] f = fields(lines[i], where);
            switch (f[0]) {
                case "key" -> key.add(need(f, 2, where)[1]);
                case "module" -> {
                    need(f, 6, where);
                    modules.put(f[1], new BootPlan.Module(f[1], f[2], f[3], names(f[4]), names(f[5])));
                }
                case "device" -> {
                    need(f, 3, where);
                    if (devpath != null) {
                        devices.put(devpath, new BootPlan.Device(devpath, uevent, reads, wants));
                    }
                    devpath = f[1];
                    uevent = f[2];
                    reads = new ArrayList<>();
                    wants = new ArrayList<>();
                }
                case "read" -> {
                    need(f, 5, where);
                    if (devpath == null) {
                        throw new Invalid(where + "a read before any device");
                    }
                    SysfsRead.Kind kind;
                    try {
                        kind = SysfsRead.Kind.valueOf(f[1]);
                    } catch (IllegalArgumentException e) {
                        throw new Invalid(where + "unknown read '" + f[1] + "'");
                    }
                    if (f[3] == null) {
                        throw new Invalid(where + "a read without its second argument");
                    }
                    reads.add(new SysfsRead(kind, f[2], f[3], f[4]));
                }
                case "want" -> {
                    need(f, 2, where);
                    if (devpath == null) {
                        throw new Invalid(where + "a module wanted before any device");
                    }
                    wants.add(f[1]);
                }
                default -> throw new Invalid(where + "unknown line '" + f[0] + "'");
            }
        }
        if (devpath != null) {
            devices.put(devpath, new BootPlan.Device(devpath, uevent, reads, wants));
        }
        try {
            return new BootPlan(key, devices, modules);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Invalid(name + ": inconsistent: " + e.getMessage());
        }
    }

    private static String[] need(String[] f, int n, String where) throws Invalid {
        if (f.length != n) {
            throw new Invalid(where + "'" + f[0] + "' needs " + (n - 1) + " fields, not " + (f.length - 1));
        }
        for (int i = 1; i < n; i++) {
            if (f[i] == null && !(f[0].equals("read") && (i == 2 || i == 4))) {
                throw new Invalid(where + "'" + f[0] + "' has no field " + i);
            }
        }
        return f;
    }

    private static List<String> names(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(" "));
    }

    private static String[] fields(String line, String where) throws Invalid {
        String[] raw = line.split("\t", -1);
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = unescape(raw[i], where);
        }
        if (out[0] == null) {
            throw new Invalid(where + "no line tag");
        }
        return out;
    }

    private static String unescape(String s, String where) throws Invalid {
        if (s.equals("\\-")) {
            return null;
        }
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i + 3 >= s.length() || s.charAt(i + 1) != 'x') {
                throw new Invalid(where + "bad escape in '" + s + "'");
            }
            int hi = Character.digit(s.charAt(i + 2), 16);
            int lo = Character.digit(s.charAt(i + 3), 16);
            if (hi < 0 || lo < 0) {
                throw new Invalid(where + "bad escape in '" + s + "'");
            }
            b.append((char) (hi << 4 | lo));
            i += 3;
        }
        return b.toString();
    }
}
