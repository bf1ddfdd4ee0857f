package org.autoprobe.core.module;

import java.io.IOException;

/** A file that is not a valid kernel module: names the file and what is wrong with it. */
public final class ModuleFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final String problem;

    public ModuleFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    public ModuleFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file (or other source) that was read. */
    public String source() {
        return source;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
