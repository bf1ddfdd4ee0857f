package org.autoprobe.e2e;

/** The guest did not boot, died, or did not answer in time; the message carries the serial log's tail. */
public final class GuestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestException(String message) {
        super(message);
    }

    public GuestException(String message, Throwable cause) {
        super(message, cause);
    }
}
