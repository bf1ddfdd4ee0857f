package org.autoprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * One guest with the default options for a whole test class, put back to its boot state (only the
 * initramfs's modules loaded) after every test, which fails if anything was left loaded.
 */
abstract class GuestPerClass {
    static Guest guest;

    @BeforeAll
    static void boot(TestInfo info) {
        guest = Guest.boot(GuestOptions.defaults());
        System.out.printf("%s: guest %s ready in %d ms%n",
                info.getTestClass().map(Class::getSimpleName).orElse("e2e"), guest.kernelVersion(),
                guest.bootTime().toMillis());
    }

    @AfterAll
    static void stop() {
        if (guest != null) {
            guest.close();
            guest = null;
        }
    }

    @AfterEach
    void backToBootState() {
        assertEquals(List.of(), guest.unloadAllButBootModules(), "modules left loaded after the test");
    }
}
