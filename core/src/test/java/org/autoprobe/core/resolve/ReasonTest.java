package org.autoprobe.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.autoprobe.core.errno.Errno;
import org.junit.jupiter.api.Test;

class ReasonTest {
    @Test
    void wordsAreTheSharedVocabulary() {
        assertEquals("no-match", Reason.NO_MATCH.word());
        assertEquals("blacklisted", Reason.BLACKLISTED.word());
        assertEquals("built-in", Reason.BUILT_IN.word());
        assertEquals("alias-to-missing", Reason.ALIAS_TO_MISSING.word());
        assertEquals("install-command", Reason.INSTALL_COMMAND.word());
        assertEquals("loaded", Reason.LOADED.word());
        assertEquals("would-load", Reason.WOULD_LOAD.word());
        assertEquals("failed:ENODEV", Reason.failed(Errno.ENODEV).word());
        assertEquals("failed:E999", Reason.failed(Errno.of(999)).word());
    }

    @Test
    void everyWordParsesBack() {
        for (Reason.Kind k : Reason.Kind.values()) {
            Reason r = k == Reason.Kind.FAILED ? Reason.failed(Errno.EPERM) : new Reason(k, null);
            assertEquals(r, Reason.parse(r.word()));
        }
        assertEquals(Reason.failed(Errno.of(999)), Reason.parse("failed:E999"));
        assertNull(Reason.parse("failed:nonsense"));
        assertNull(Reason.parse("failed:E0"));
        assertNull(Reason.parse("loaded "));
    }

    @Test
    void onlyFailedCarriesAnErrno() {
        assertThrows(IllegalArgumentException.class, () -> new Reason(Reason.Kind.FAILED, null));
        assertThrows(IllegalArgumentException.class, () -> new Reason(Reason.Kind.LOADED, Errno.EPERM));
    }
}
