package org.autoprobe.daemon.control;

/** A request the daemon refuses or cannot answer; its message goes back as {@code ERR <message>}. */
public final class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    public ControlException(String message) {
        super(message);
    }
}
