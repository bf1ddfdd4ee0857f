package org.autoprobe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KmodOptionErrorsTest {
    @Test
    void rmmodsWaitIsKmod30sOddLineUpTo30AndGetoptsAfter() {
        assertEquals("rmmod: ERROR: unexpected getopt_long() value 'w'.", KmodOptionErrors.invalidShort("rmmod", 'w', 30));
        assertEquals("rmmod: ERROR: unexpected getopt_long() value 'w'.", KmodOptionErrors.invalidShort("rmmod", 'w', 29));
        // kmod 34.2 (Debian 13): no 'w' among rmmod's short options any more
        assertEquals("rmmod: invalid option -- 'w'", KmodOptionErrors.invalidShort("rmmod", 'w', 34));
        // no kmod installed: the current kmod's behaviour
        assertEquals("rmmod: invalid option -- 'w'", KmodOptionErrors.invalidShort("rmmod", 'w', -1));
        assertEquals("rmmod: invalid option -- 'Z'", KmodOptionErrors.invalidShort("rmmod", 'Z', 30));
        assertEquals("modprobe: invalid option -- 'w'", KmodOptionErrors.invalidShort("modprobe", 'w', 30));
    }
}
