package org.autoprobe.daemon.service;

/** A reload that did not give a new complete generation; the message says why and what is used now. */
final class ReloadException extends Exception {
    private static final long serialVersionUID = 1L;

    ReloadException(String message) {
        super(message);
    }
}
