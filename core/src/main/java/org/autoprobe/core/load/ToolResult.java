package org.autoprobe.core.load;

import java.util.List;

/** What a tool printed and returned; lines without their newline. */
public record ToolResult(List<String> stdout, List<String> stderr, int exitCode) {
    public ToolResult {
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
    }
}
