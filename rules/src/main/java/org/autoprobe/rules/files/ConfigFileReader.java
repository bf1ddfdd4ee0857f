package org.autoprobe.rules.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads one configuration file (modprobe.d, depmod.d, a rules file, the kernel command line), and
 * only if it is a regular file, a symbolic link to one included (as kmod reads them).
 *
 * <p>The type is checked before the file is opened: opening a FIFO for reading blocks until a
 * writer comes, and a device such as {@code /dev/zero} never ends. Anything that is not a regular
 * file gets one message naming it and its type, and is skipped; the one exception is the null
 * device ({@code ln -s /dev/null x.conf}, the usual way to mask a file), which reads as empty and
 * silently, as kmod and udev read it. A file larger than {@link #MAX_BYTES} gets one message and
 * is skipped; at most that many bytes (plus one) are ever read, so a file that grows, or is swapped
 * for something endless after the check, still ends. Files whose size the kernel reports as 0
 * ({@code /proc/cmdline}) are read to their end.
 */
public final class ConfigFileReader {
    /** The largest configuration file read: 4 MiB, some thousand times a large modprobe.d file. */
    public static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;
    private static final String NULL_DEVICE = "the null device";

    /** What a file that does not exist means. */
    public enum IfMissing {
        /** Nothing: the file is optional ({@code modules.softdep}, {@code /proc/cmdline}). */
        SKIP,
        /**
         * The file was found in its directory a moment ago, so it vanished before it could be read:
         * reported {@linkplain ReadProblems#unreadable unreadable}. A symbolic link to a missing file
         * is skipped silently instead, as kmod skips it: that is how the configuration is.
         */
        VANISHED
    }

    private ConfigFileReader() {
    }

    /**
     * The bytes of {@code path}, or empty when it is skipped (the reason reported to
     * {@code warnings}, a {@link ReadProblems} when it should tell the kinds apart).
     *
     * @param shownAs how messages name the file
     */
    public static Optional<byte[]> read(Path path, String shownAs, IfMissing ifMissing, Consumer<String> warnings) {
        ReadProblems problems = ReadProblems.of(warnings);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class); // follows symbolic links
        } catch (NoSuchFileException e) {
            return missing(path, shownAs, ifMissing, problems);
        } catch (IOException e) {
            if (unresolvableLink(path, e)) {
return Optional.empty(); // as a dangling link: kmod cannot open it and says nothing
            }
            problems.unreadable(shownAs + ": cannot read: " + reason(e));
            return Optional.empty();
        }
        if (!attrs.isRegularFile()) {
            String type = typeOf(path, attrs);
            if (type.equals(NULL_DEVICE)) {
return Optional.of(new byte[0]);
            }
            problems.accept(shownAs + ": not a regular file (" + type + "), ignored");
            return Optional.empty();
        }
        if (attrs.size() > MAX_BYTES) {
            problems.accept(tooLarge(shownAs));
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return missing(path, shownAs, ifMissing, problems);
        } catch (IOException e) {
            problems.unreadable(shownAs + ": cannot read: " + reason(e));
            return Optional.empty();
        }
        if (bytes.length > MAX_BYTES) {
            problems.accept(tooLarge(shownAs));
            return Optional.empty();
        }
        return Optional.of(bytes);
    }

    private static Optional<byte[]> missing(Path path, String shownAs, IfMissing ifMissing, ReadProblems problems) {
        // a symbolic link to nothing is skipped silently, as kmod skips what it cannot open
        if (ifMissing == IfMissing.VANISHED && !Files.isSymbolicLink(path)) {
            problems.unreadable(shownAs + ": gone before it could be read");
        }
        return Optional.empty();
    }

    /** A symbolic link whose target path runs through a file ({@code ENOTDIR}) or loops ({@code ELOOP}). */
    private static boolean unresolvableLink(Path path, IOException e) {
        if (!Files.isSymbolicLink(path)) {
            return false;
        }
        String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : "";
        return e instanceof java.nio.file.NotDirectoryException || why.equals("Not a directory")
|| why.startsWith("Too many levels of symbolic links");
    }

    private static String tooLarge(String shownAs) {
        return shownAs + ": larger than " + MAX_BYTES + " bytes, ignored";
    }

    /** Why reading failed, without the path (messages name the file themselves). */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** "a directory", "a FIFO", "a character device", ...: what a file that is not a regular file is. */
    static String typeOf(Path path, BasicFileAttributes attrs) {
        if (attrs.isDirectory()) {
            return "a directory";
        }
        int mode;
        try {
            mode = (Integer) Files.getAttribute(path, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
        switch (mode & S_IFMT) {
            case S_IFIFO:
return "a FIFO";
            case S_IFCHR:
return isNullDevice(path) ? NULL_DEVICE : "a character device";
            case S_IFBLK:
return "a block device";
            case S_IFSOCK:
return "a socket";
            default:
return "a special file";
        }
    }

    /** Character device 1:3, whatever it is called (glibc's encoding of {@code dev_t}). */
    private static boolean isNullDevice(Path path) {
        try {
            long rdev = (Long) Files.getAttribute(path, "unix:rdev");
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            return major == 1 && minor == 3;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }
}
