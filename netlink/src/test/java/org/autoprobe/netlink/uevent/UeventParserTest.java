package org.autoprobe.netlink.uevent;

import static org.autoprobe.netlink.uevent.Messages.kernel;
import static org.autoprobe.netlink.uevent.Messages.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class UeventParserTest {
    private final UeventSlot slot = new UeventSlot();

    private ReceiveOutcome parse(byte[] m) {
        return UeventParser.parse(m, 0, m.length, slot);
    }

    private void rejected(Rejection why, byte[] m) {
        assertEquals(ReceiveOutcome.MALFORMED, parse(m), () -> "accepted: " + slot);
        assertEquals(why, slot.rejection());
        assertFalse(slot.isEvent());
        assertEquals(0, slot.size());
    }

    @Test
    void aRealKernelMessage() {
        assertEquals(ReceiveOutcome.EVENT, parse(Messages.serial8250()));
        assertTrue(slot.isEvent());
        assertNull(slot.rejection());
        assertEquals(UeventAction.CHANGE, slot.action());
        assertEquals("/devices/platform/serial8250", slot.devpath().toString());
        assertEquals("platform", slot.subsystem().toString());
        assertEquals(839, slot.seqnum());
        assertEquals(7, slot.size());
        assertEquals("ACTION", slot.keyString(0));
        assertTrue(slot.keyEquals(5, "MODALIAS"));
        assertTrue(slot.valueEquals(5, "platform:serial8250"));
        assertEquals("platform:serial8250", slot.get("MODALIAS").toString());
        assertEquals(4, slot.indexOf("DRIVER"));
        assertEquals(-1, slot.indexOf("DEVNAME"));
        assertNull(slot.get("DEVNAME"));
        assertEquals('p', slot.value(5).charAt(0));
        assertEquals("form", slot.value(5).subSequence(4, 8).toString());
        assertEquals("change /devices/platform/serial8250 (platform) seqnum 839", slot.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> slot.value(7));
    }

    @Test
    void everyKernelActionAndAModuleEvent() {
        for (UeventAction a : UeventAction.values()) {
            assertEquals(ReceiveOutcome.EVENT, parse(kernel(a.text(), "/module/e1000e", "module", 5)), a.text());
            assertEquals(a, slot.action());
            assertEquals(a, UeventAction.fromText(a.text()));
        }
        assertNull(UeventAction.fromText("explode"));
    }

    @Test
    void theSlotIsReusedAndForgetsTheLastMessage() {
        parse(kernel("add", "/devices/pci0000:00/0000:00:1f.6", "pci", 1000, "MODALIAS=pci:v00008086d000015BCsv*",
                "PCI_SLOT_NAME=0000:00:1f.6"));
        assertEquals("0000:00:1f.6", slot.get("PCI_SLOT_NAME").toString());
        parse(kernel("remove", "/devices/virtual/net/lo", "net", 1001, "INTERFACE=lo", "IFINDEX=1"));
        assertEquals(UeventAction.REMOVE, slot.action());
        assertNull(slot.get("PCI_SLOT_NAME"));
        assertEquals("1", slot.get("IFINDEX").toString());
        rejected(Rejection.MISSING_KEY, raw("add@/devices/x", "ACTION=add", "DEVPATH=/devices/x", "SEQNUM=3"));
        assertNull(slot.action());
        assertEquals(0, slot.seqnum());
    }

    /** Every length and newline position around the eight-byte steps the parser scans values in. */
    @Test
    void valuesOfEveryLengthEndAtTheirFirstNewlineOrTheirEnd() {
        byte[] alphabet = {'a', 1, '\t', 0x0b, (byte) 0x8a, (byte) 0x80, (byte) 0xff, '=', '\r'};
        for (int len = 0; len <= 40; len++) {
            for (int nl = -1; nl < len; nl++) {
                byte[] value = new byte[len];
                for (int i = 0; i < len; i++) {
                    value[i] = alphabet[(i * 7 + len) % alphabet.length];
                }
                if (nl >= 0) {
                    value[nl] = '\n';
                    if (nl + 1 < len) {
                        value[len - 1] = '\n';
                    }
                }
                byte[] head = kernel("add", "/devices/x", "pci", 7);
                byte[] tail = "AFTER=1".getBytes(StandardCharsets.US_ASCII);
                byte[] m = Arrays.copyOf(head, head.length + 2 + len + 1 + tail.length + 1);
                int at = head.length;
                m[at++] = 'V';
                m[at++] = '=';
                System.arraycopy(value, 0, m, at, len);
                at += len + 1;
                System.arraycopy(tail, 0, m, at, tail.length);
                assertEquals(ReceiveOutcome.EVENT, parse(m), len + "/" + nl);
                String expected = new String(value, 0, nl < 0 ? len : nl, StandardCharsets.ISO_8859_1);
                assertEquals(expected, slot.get("V").toString(), len + "/" + nl);
                assertEquals("1", slot.get("AFTER").toString(), len + "/" + nl);
                assertEquals(6, slot.size());
                byte[] copy = new byte[UeventSlot.MAX_MESSAGE_BYTES];
                int n = slot.copyValue(slot.indexOf("V"), copy);
                assertEquals(expected, new String(copy, 0, n, StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void namesAreFoundByAnyCharSequenceAndTheCoreVariablesByIndex() {
        assertEquals(ReceiveOutcome.EVENT, parse(Messages.serial8250()));
        assertEquals(5, slot.indexOf(new StringBuilder("MODALIAS")));
        assertEquals(-1, slot.indexOf(new StringBuilder("MODALIAs")));
        assertEquals("/devices/platform/serial8250", slot.value(slot.devpathIndex()).toString());
        assertEquals("platform", slot.value(slot.subsystemIndex()).toString());
        parse(Messages.raw("add@/x", "nonsense"));
        assertEquals(-1, slot.devpathIndex());
        assertEquals(-1, slot.subsystemIndex());
        assertEquals("", slot.devpath().toString());
    }

    @Test
    void aValueEndsAtItsFirstNewlineAsUdevReadsIt() {
        assertEquals(ReceiveOutcome.EVENT, parse(kernel("change", "/devices/x", "drm", 9, "HOTPLUG=1\ngarbage")));
        assertEquals("1", slot.get("HOTPLUG").toString());
    }

    @Test
    void valuesMayBeEmptyOrUtf8() {
        assertEquals(ReceiveOutcome.EVENT, parse(kernel("add", "/devices/x", "input", 9, "NAME=", "LABEL=Großer Käse")));
        assertEquals("", slot.get("NAME").toString());
        assertEquals("Großer Käse", slot.valueString(slot.indexOf("LABEL")));
    }

    @Test
    void libudevMessagesAreTold() {
        byte[] m = new byte[64];
        System.arraycopy("libudev\0".getBytes(StandardCharsets.US_ASCII), 0, m, 0, 8);
        m[8] = (byte) 0xfe;
        m[9] = (byte) 0xed;
        m[10] = (byte) 0xca;
        m[11] = (byte) 0xfe;
        assertEquals(ReceiveOutcome.LIBUDEV, parse(m));
        assertFalse(slot.isEvent());
    }

    @Test
    void malformedMessagesAreRejectedWithTheirReason() {
        rejected(Rejection.TOO_SHORT, raw("add@/d", "ACTION=add"));
        rejected(Rejection.UNTERMINATED, Arrays.copyOf(Messages.serial8250(), Messages.serial8250().length - 1));
        rejected(Rejection.BAD_HEADER, raw("add /devices/x", "ACTION=add", "DEVPATH=/devices/x", "SUBSYSTEM=a", "SEQNUM=1"));
        rejected(Rejection.BAD_HEADER, raw("add@devices/x", "ACTION=add", "DEVPATH=devices/x", "SUBSYSTEM=a", "SEQNUM=1"));
        rejected(Rejection.BAD_HEADER, raw("@/devices/x", "ACTION=", "DEVPATH=/devices/x", "SUBSYSTEM=a", "SEQNUM=1"));
        rejected(Rejection.UNKNOWN_ACTION, kernel("explode", "/devices/x", "a", 1));
        rejected(Rejection.EMPTY_ENTRY, raw("add@/devices/x", "ACTION=add", "", "DEVPATH=/devices/x", "SUBSYSTEM=a", "SEQNUM=1"));
        rejected(Rejection.NO_EQUALS, kernel("add", "/devices/x", "a", 1, "JUSTAKEY"));
        rejected(Rejection.BAD_KEY, kernel("add", "/devices/x", "a", 1, "=value"));
        rejected(Rejection.BAD_KEY, kernel("add", "/devices/x", "a", 1, "BAD KEY=value"));
        rejected(Rejection.BAD_KEY, kernel("add", "/devices/x", "a", 1, "K\u0001=value"));
        rejected(Rejection.DUPLICATE_KEY, kernel("add", "/devices/x", "a", 1, "SUBSYSTEM=b"));
        rejected(Rejection.MISSING_KEY, raw("add@/devices/x", "ACTION=add", "DEVPATH=/devices/x", "SUBSYSTEM=a"));
        rejected(Rejection.MISSING_KEY, raw("add@/devices/x", "DEVPATH=/devices/x", "SUBSYSTEM=a", "SEQNUM=2"));
        rejected(Rejection.MISSING_KEY, raw("add@/devices/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        rejected(Rejection.HEADER_MISMATCH, raw("add@/devices/x", "ACTION=remove", "DEVPATH=/devices/x", "SUBSYSTEM=a", "SEQNUM=1"));
        rejected(Rejection.HEADER_MISMATCH, raw("add@/devices/x", "ACTION=add", "DEVPATH=/devices/y", "SUBSYSTEM=a", "SEQNUM=1"));
        rejected(Rejection.BAD_DEVPATH, kernel("add", "/devices/../../etc", "a", 1));
        rejected(Rejection.BAD_DEVPATH, kernel("add", "/devices//x", "a", 1));
        rejected(Rejection.BAD_DEVPATH, kernel("add", "/devices/./x", "a", 1));
        rejected(Rejection.BAD_DEVPATH, kernel("add", "/devices/x/", "a", 1));
        rejected(Rejection.BAD_SEQNUM, raw("add@/devices/x", "ACTION=add", "DEVPATH=/devices/x", "SUBSYSTEM=a", "SEQNUM=0"));
        rejected(Rejection.BAD_SEQNUM, raw("add@/devices/x", "ACTION=add", "DEVPATH=/devices/x", "SUBSYSTEM=a", "SEQNUM=12a"));
        rejected(Rejection.BAD_SEQNUM, raw("add@/devices/x", "ACTION=add", "DEVPATH=/devices/x", "SUBSYSTEM=a", "SEQNUM=-1"));
        rejected(Rejection.BAD_SEQNUM, raw("add@/devices/x", "ACTION=add", "DEVPATH=/devices/x", "SUBSYSTEM=a",
                "SEQNUM=1234567890123456789"));
    }

    @Test
    void theKernelsLimitsHoldToTheByte() {
        // 64 variables: accepted; 65: oversize
        String[] sixty = new String[60];
        for (int i = 0; i < sixty.length; i++) {
            sixty[i] = "K" + i + "=v";
        }
        assertEquals(ReceiveOutcome.EVENT, parse(kernel("add", "/devices/x", "a", 1, sixty)));
        assertEquals(UeventSlot.MAX_VARIABLES, slot.size());
        String[] sixtyOne = Arrays.copyOf(sixty, 61);
        sixtyOne[60] = "K60=v";
        rejected(Rejection.OVERSIZE, kernel("add", "/devices/x", "a", 1, sixtyOne));

        // variables of exactly 2048 bytes: accepted; one more byte: oversize
        byte[] base = kernel("add", "/devices/x", "a", 1, "PAD=");
        int header = "add@/devices/x".length() + 1;
        int pad = UeventSlot.MAX_BODY_BYTES - (base.length - header);
        assertEquals(ReceiveOutcome.EVENT, parse(kernel("add", "/devices/x", "a", 1, "PAD=" + "p".repeat(pad))));
        assertEquals(pad, slot.get("PAD").length());
        rejected(Rejection.OVERSIZE, kernel("add", "/devices/x", "a", 1, "PAD=" + "p".repeat(pad + 1)));

        rejected(Rejection.OVERSIZE, new byte[UeventSlot.MAX_MESSAGE_BYTES + 1]);
    }

    @Test
    void parsesFromAnOffsetAndChecksBounds() {
        byte[] m = Messages.serial8250();
        byte[] framed = new byte[m.length + 10];
        System.arraycopy(m, 0, framed, 5, m.length);
        assertEquals(ReceiveOutcome.EVENT, UeventParser.parse(framed, 5, m.length, slot));
        assertEquals(839, slot.seqnum());
        assertThrows(IndexOutOfBoundsException.class, () -> UeventParser.parse(m, 1, m.length, slot));
    }

    @Test
    void parsingAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] good = kernel("add", "/devices/pci0000:00/0000:00:1f.6", "pci", 77,
                "DRIVER=e1000e", "PCI_CLASS=20000", "MODALIAS=pci:v00008086d000015BCsv000017AAsd00002247bc02sc00i00");
        byte[] bad = kernel("add", "/devices/x", "a", 1, "K\u0001=value");
        long sink = 0;
        for (int i = 0; i < 20_000; i++) { // warm up: compile the parser
            sink += UeventParser.parse(good, 0, good.length, slot).ordinal() + slot.indexOf("MODALIAS");
            sink += UeventParser.parse(bad, 0, bad.length, slot).ordinal();
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            sink += UeventParser.parse(good, 0, good.length, slot).ordinal();
            sink += slot.valueEquals(slot.indexOf("DRIVER"), "e1000e") ? 1 : 0;
            sink += slot.get("MODALIAS").charAt(3);
            sink += UeventParser.parse(bad, 0, bad.length, slot).ordinal();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(sink > 0);
        assertTrue(allocated < 4096, allocated + " bytes allocated by 200,000 parses");
    }
}
