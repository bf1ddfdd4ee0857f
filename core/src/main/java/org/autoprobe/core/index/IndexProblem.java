package org.autoprobe.core.index;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Something depmod reports while building or writing the index: kmod prints it as
 * {@code depmod: ERROR: <message>} or {@code depmod: WARNING: <message>} and goes on.
 */
public record IndexProblem(Severity severity, String message) {
    public enum Severity { ERROR, WARNING }

    static IndexProblem error(String message) {
        return new IndexProblem(Severity.ERROR, message);
    }

    static IndexProblem warning(String message) {
        return new IndexProblem(Severity.WARNING, message);
    }

    /** The C library's wording for the usual I/O failures ("No such file or directory"), else the exception's text. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        } else if (e instanceof AccessDeniedException) {
            return "Permission denied";
        } else if (e instanceof NotDirectoryException) {
            return "Not a directory";
        } else if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        } else if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
