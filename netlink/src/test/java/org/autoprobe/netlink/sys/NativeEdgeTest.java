package org.autoprobe.netlink.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.autoprobe.core.errno.Errno;
import org.autoprobe.core.errno.SyscallException;
import org.junit.jupiter.api.Test;

/** The wrapping of the calls themselves: layouts, constants, and how a refusal is reported. */
class NativeEdgeTest {
    @Test
    void aRefusedCallNamesTheCallTheTargetAndTheErrno() throws SyscallException {
        try (UeventSender s = UeventSender.open()) {
            UeventSender other = UeventSender.open(); // opened second, so its port is not reused by s
            int gone = other.port();
            other.close();
            SyscallException e = assertThrows(SyscallException.class, () -> s.send(new byte[40], 40, gone, 0));
            assertEquals("sendmsg", e.call());
            assertEquals(Errno.ECONNREFUSED, e.errno());
            assertEquals("sendmsg(uevent sender to port " + Integer.toUnsignedString(gone)
                    + " groups 0) failed: ECONNREFUSED (Connection refused)", e.getMessage());
        }
    }

    @Test
    void errnoTextIsTheCLibrarys() {
        assertEquals("ENOBUFS (No buffer space available)", Errno.ENOBUFS.toString());
    }

    @Test
    void structureLayoutsOfThisMachine() {
        if (Layout.PTR == 8) {
            assertEquals(56, Layout.MSGHDR);
            assertEquals(16, Layout.MSG_IOV);
            assertEquals(32, Layout.MSG_CONTROL);
            assertEquals(48, Layout.MSG_FLAGS);
            assertEquals(16, Layout.CMSG_DATA);
        } else {
            assertEquals(28, Layout.MSGHDR);
            assertEquals(12, Layout.CMSG_DATA);
        }
    }

    @Test
    void socketOptionNumbersByArchitecture() {
        assertEquals(16, Layout.soPasscred("amd64"));
        assertEquals(16, Layout.soPasscred("aarch64"));
        assertEquals(20, Layout.soPasscred("ppc64le"));
        assertThrows(UnsupportedOperationException.class, () -> Layout.soPasscred("mips"));
    }
}
