package org.autoprobe.netlink.uevent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for the uevent parser and the intake in front of it: any datagram gives
 * {@code EVENT}, {@code LIBUDEV} or {@code MALFORMED} with a reason, never an exception; an accepted
 * event's variables are exactly the {@code KEY=VALUE} entries of the datagram's body, each lying
 * in the datagram's own bytes, with the four variables the kernel always sends agreeing with the
 * header; and a slot filled again says nothing of the message it held before.
 */
class UeventParserFuzzTest {
    /** Reused from one input to the next, as the daemon's ring reuses its slots. */
    private static final UeventSlot REUSED = new UeventSlot();
    private static final UeventIntake INTAKE = UeventIntake.quiet();

    /** The datagram, from offset 1 to one byte before its end (the parser takes a window of a buffer). */
    @FuzzTest
    void parseDatagram(byte[] buf) {
        int off = buf.length > 0 ? 1 : 0;
        int len = Math.max(0, buf.length - off - (buf.length > 1 ? 1 : 0));
        byte[] datagram = Arrays.copyOfRange(buf, off, off + len);
        UeventSlot fresh = new UeventSlot();
        ReceiveOutcome outcome = UeventParser.parse(buf, off, len, fresh);
        check(datagram, outcome, fresh);
        ReceiveOutcome again = UeventParser.parse(buf, off, len, REUSED);
        assertEquals(outcome, again, "a reused slot gives another outcome");
        assertEquals(describe(fresh), describe(REUSED), "a reused slot remembers its last message");
    }

    /**
     * The intake: the first byte picks the sender (kernel or one of the forgeries) and whether the
     * socket truncated the message; the rest is the datagram.
     */
    @FuzzTest
    void intakeDatagram(byte[] buf) {
        if (buf.length == 0) {
            return;
        }
        int who = buf[0] & 0x7;
        boolean truncated = (buf[0] & 0x8) != 0;
        REUSED.setSender(who == 1 ? 4242 : 0, who == 2 ? 0 : who == 3 ? 2 : 1, who != 4, 1, who == 5 ? 1000 : 0, 0);
        SenderVerdict verdict = SenderVerdict.judge(REUSED);
        long before = INTAKE.counters().get(verdict);
        ReceiveOutcome outcome = INTAKE.accept(buf, 1, buf.length - 1, truncated, REUSED);
        assertEquals(before + 1, INTAKE.counters().get(verdict), "each message's verdict is counted");
        assertEquals(verdict, REUSED.senderVerdict());
        if (verdict != SenderVerdict.KERNEL) {
            assertEquals(ReceiveOutcome.DROPPED_SENDER, outcome);
            assertFalse(REUSED.isEvent());
            return;
        }
        if (truncated) {
            assertEquals(ReceiveOutcome.MALFORMED, outcome);
            assertEquals(Rejection.TRUNCATED, REUSED.rejection());
            return;
        }
        UeventSlot fresh = new UeventSlot();
        assertEquals(UeventParser.parse(buf, 1, buf.length - 1, fresh), outcome, "the intake parses as the parser");
        check(Arrays.copyOfRange(buf, 1, buf.length), outcome, REUSED);
    }

    private static void check(byte[] d, ReceiveOutcome outcome, UeventSlot slot) {
        assertNotNull(outcome);
        switch (outcome) {
            case LIBUDEV -> {
                assertTrue(d.length >= 8 && new String(d, 0, 8, StandardCharsets.ISO_8859_1).equals("libudev\0"));
                assertFalse(slot.isEvent());
            }
            case MALFORMED -> {
                assertNotNull(slot.rejection(), "a refused message says why");
                assertFalse(slot.isEvent());
                assertEquals(0, slot.size(), "a refused message shows no variables");
                assertNotNull(slot.rejection().text());
            }
            case EVENT -> checkEvent(d, slot);
            default -> throw new AssertionError("the parser answered " + outcome);
        }
    }

    private static void checkEvent(byte[] d, UeventSlot slot) {
        assertTrue(slot.isEvent());
        assertNull(slot.rejection());
        assertEquals(d.length, slot.messageLength());
        assertTrue(d.length <= UeventSlot.MAX_MESSAGE_BYTES);
        byte[] copy = new byte[UeventSlot.MAX_MESSAGE_BYTES];
        assertArrayEquals(d, Arrays.copyOf(copy, slot.copyMessage(copy)), "the slot holds the datagram");
        // the body, split by hand: entries after the header, each NUL-terminated
        int headerEnd = indexOf(d, 0, (byte) 0);
        String header = new String(d, 0, headerEnd, StandardCharsets.ISO_8859_1);
        int at = header.indexOf('@');
        int pos = headerEnd + 1;
        int n = slot.size();
        assertTrue(n >= 4 && n <= UeventSlot.MAX_VARIABLES, n + " variables");
        byte[] value = new byte[UeventSlot.MAX_MESSAGE_BYTES];
        for (int i = 0; i < n; i++) {
            assertTrue(pos < d.length, "more variables than entries");
            int end = indexOf(d, pos, (byte) 0);
            String entry = new String(d, pos, end - pos, StandardCharsets.ISO_8859_1);
            String key = slot.keyString(i);
            assertFalse(key.isEmpty());
            for (char c : key.toCharArray()) {
                assertTrue(c > ' ' && c < 0x7f && c != '=', "key byte " + (int) c);
            }
            String v = slot.value(i).toString();
            int nl = entry.indexOf('\n');
            String written = nl < 0 ? entry : entry.substring(0, nl);
            assertEquals(written, key + "=" + v, "variable " + i + " is not the datagram's entry");
            assertEquals(key, slot.key(i).toString());
            assertTrue(slot.keyEquals(i, key));
            assertTrue(slot.valueEquals(i, v));
            assertEquals(v.length(), slot.copyValue(i, value));
            assertEquals(v, new String(value, 0, v.length(), StandardCharsets.ISO_8859_1));
            assertTrue(slot.indexOf(key) <= i && slot.indexOf(key) >= 0);
            pos = end + 1;
        }
        assertEquals(d.length, pos, "entries left over after the last variable");
        assertEquals(header.substring(0, at), slot.action().text());
        assertEquals(header.substring(at + 1), slot.devpath().toString());
        assertEquals(header.substring(0, at), String.valueOf(slot.get("ACTION")));
        assertEquals(header.substring(at + 1), String.valueOf(slot.get("DEVPATH")));
        assertNotNull(slot.subsystem());
        assertEquals(String.valueOf(slot.get("SUBSYSTEM")), slot.subsystem().toString());
        assertTrue(slot.seqnum() > 0);
        assertEquals(Long.toString(slot.seqnum()), String.valueOf(slot.get("SEQNUM")).replaceFirst("^0+", ""));
        String devpath = slot.devpath().toString();
        assertTrue(devpath.startsWith("/") && !devpath.contains("//") && !devpath.endsWith("/")
                && !("/" + devpath + "/").contains("/../") && !("/" + devpath + "/").contains("/./"), devpath);
        assertNotNull(slot.toString());
    }

    private static int indexOf(byte[] d, int from, byte b) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return d.length;
    }

    /** Everything the slot tells about its message. */
    private static String describe(UeventSlot s) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.isEvent()).append(' ').append(s.rejection()).append(' ').append(s.action()).append(' ')
                .append(s.size()).append(' ').append(s.seqnum()).append(' ').append(s.messageLength());
        if (s.isEvent()) {
            sb.append(' ').append(s.devpath()).append(' ').append(s.subsystem());
        }
        for (int i = 0; i < s.size(); i++) {
            sb.append('\n').append(s.keyString(i)).append('=').append(s.valueString(i));
        }
        return sb.append('\n').append(s).toString();
    }
}
