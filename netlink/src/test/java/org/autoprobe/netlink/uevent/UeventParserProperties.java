package org.autoprobe.netlink.uevent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class UeventParserProperties {
    private final UeventSlot slot = new UeventSlot();

    @Property(tries = 3000)
    void arbitraryBytesNeverThrowOnlyReject(@ForAll @Size(max = 5000) byte[] bytes) {
        ReceiveOutcome o = UeventParser.parse(bytes, 0, bytes.length, slot);
        assertTrue(o == ReceiveOutcome.EVENT || o == ReceiveOutcome.MALFORMED || o == ReceiveOutcome.LIBUDEV, o.name());
        if (o == ReceiveOutcome.MALFORMED) {
            assertNotNull(slot.rejection());
            assertEquals(0, slot.size());
        }
    }

    /** Near misses: a valid message with one byte changed, cut short or extended. */
    @Property(tries = 3000)
    void mutatedKernelMessagesNeverThrow(@ForAll("mutated") byte[] bytes) {
        ReceiveOutcome o = UeventParser.parse(bytes, 0, bytes.length, slot);
        if (o == ReceiveOutcome.EVENT) {
            // whatever was accepted is self-consistent
            assertEquals(slot.action().text(), slot.get("ACTION").toString());
            assertEquals(slot.devpath().toString(), slot.get("DEVPATH").toString());
            assertEquals(String.valueOf(slot.seqnum()), slot.get("SEQNUM").toString());
        } else {
            assertEquals(ReceiveOutcome.MALFORMED, o);
            assertNotNull(slot.rejection());
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        byte[] base = Messages.serial8250();
        return Arbitraries.integers().between(0, base.length - 1).flatMap(pos ->
                Arbitraries.bytes().flatMap(b -> Arbitraries.integers().between(0, 2).map(kind -> {
                    switch (kind) {
                        case 0 -> {
                            byte[] m = base.clone();
                            m[pos] = b;
                            return m;
                        }
                        case 1 -> {
                            return java.util.Arrays.copyOf(base, pos);
                        }
                        default -> {
                            byte[] m = java.util.Arrays.copyOf(base, base.length + 1);
                            System.arraycopy(base, pos, m, pos + 1, base.length - pos);
                            m[pos] = b;
                            return m;
                        }
                    }
                })));
    }

    /** Any well-formed message with kernel-like variables parses back to what was put in. */
    @Property(tries = 500)
    void wellFormedMessagesRoundTrip(@ForAll("names") List<String> names, @ForAll("values") List<String> values) {
        int n = Math.min(names.size(), values.size());
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            extra.add("X_" + names.get(i) + "=" + values.get(i));
        }
        byte[] m = Messages.kernel("bind", "/devices/pci0000:00/0000:00:02.0", "pci", 4242, extra.toArray(String[]::new));
        assertEquals(ReceiveOutcome.EVENT, UeventParser.parse(m, 0, m.length, slot));
        assertEquals(n + 4, slot.size());
        for (int i = 0; i < n; i++) {
            assertEquals("X_" + names.get(i), slot.key(3 + i).toString());
            assertEquals(values.get(i), slot.value(3 + i).toString());
        }
        assertEquals(4242, slot.seqnum());
    }

    @Provide
    Arbitrary<List<String>> names() {
        return Arbitraries.strings().withCharRange('A', 'Z').withChars('_', '0', '9').ofMinLength(1).ofMaxLength(12)
                .list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<String>> values() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40).list().ofMaxSize(20);
    }
}
