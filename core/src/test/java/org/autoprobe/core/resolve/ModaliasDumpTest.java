package org.autoprobe.core.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.autoprobe.core.resolve.ModaliasDump.BadLine;
import org.autoprobe.core.text.RawText;
import org.junit.jupiter.api.Test;

class ModaliasDumpTest {
    private record Read(List<String> values, List<BadLine> bad, long count) {
    }

    private static Read read(byte[] bytes) throws IOException {
        List<String> values = new ArrayList<>();
        List<BadLine> bad = new ArrayList<>();
        long count = ModaliasDump.read(new ByteArrayInputStream(bytes), values::add, bad::add);
        return new Read(values, bad, count);
    }

    private static Read read(String text) throws IOException {
        return read(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void oneModaliasPerLineTheLastWithoutANewlineToo() throws IOException {
        Read r = read("pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\nacpi:PNP0A03:\nvirtio:d00000004v00001AF4");
        assertEquals(List.of("pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00", "acpi:PNP0A03:",
                "virtio:d00000004v00001AF4"), r.values());
        assertEquals(List.of(), r.bad());
        assertEquals(3, r.count());
    }

    @Test
    void badLinesAreToldByNumberAndTheRestIsRead() throws IOException {
        Read r = read("acpi:PNP0A03:\n\n# machine 7\nplatform:pcspkr\r\nvirtio:d0000\tx\nusb:\0x\nserio:ty01\n");
        assertEquals(List.of("acpi:PNP0A03:", "serio:ty01"), r.values());
        assertEquals(List.of(
                new BadLine(2, "an empty line, not a MODALIAS"),
                new BadLine(3, "a comment, not a MODALIAS"),
                new BadLine(4, "ends with a carriage return (CRLF line ends?): a MODALIAS holds no control character"),
                new BadLine(5, "control character 0x09 at byte 13: a MODALIAS holds none"),
                new BadLine(6, "control character 0x00 at byte 5: a MODALIAS holds none")), r.bad());
        assertEquals(2, r.count());
    }

    @Test
    void aLineOfTheLongestLengthIsTakenOneByteMoreIsNot() throws IOException {
        String longest = "of:N" + "x".repeat(ModaliasDump.MAX_LENGTH - 4);
        Read r = read(longest + "\n" + longest + "y\nacpi:PNP0A03:\n" + "z".repeat(5 * ModaliasDump.MAX_LENGTH));
        assertEquals(List.of(longest, "acpi:PNP0A03:"), r.values());
        assertEquals(List.of(new BadLine(2, "longer than 4096 bytes: no MODALIAS is"),
                new BadLine(4, "longer than 4096 bytes: no MODALIAS is")), r.bad());
    }

    @Test
    void bytesThatAreNotUtf8AreKeptExactly() throws IOException {
        byte[] in = {'d', 'm', 'i', ':', 's', 'v', 'n', (byte) 0xE9, (byte) 0xFF, '\n'};
        Read r = read(in);
        assertEquals(1, r.values().size());
        assertEquals(java.util.HexFormat.of().formatHex(in, 0, in.length - 1),
                java.util.HexFormat.of().formatHex(RawText.encode(r.values().get(0))));
    }

    @Test
    void nothingAtAllIsNoLine() throws IOException {
        assertEquals(new Read(List.of(), List.of(), 0), read(""));
        assertEquals(List.of(new BadLine(1, "an empty line, not a MODALIAS")), read("\n").bad());
    }

    @Test
    void aReadErrorComesOutAfterTheLinesBeforeIt() {
        List<String> values = new ArrayList<>();
        InputStream failing = new InputStream() {
            private final InputStream head = new ByteArrayInputStream("acpi:PNP0A03:\n".getBytes(StandardCharsets.US_ASCII));

            @Override
            public int read() throws IOException {
                int b = head.read();
                if (b < 0) {
                    throw new IOException("Input/output error");
                }
                return b;
            }
        };
        assertThrows(IOException.class, () -> ModaliasDump.read(failing, values::add, b -> { }));
        assertEquals(List.of("acpi:PNP0A03:"), values);
    }

    @Test
    void aSingleValueIsJudgedByTheSameRules() {
        assertNull(ModaliasDump.problem("pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00"));
        assertEquals("an empty line, not a MODALIAS", ModaliasDump.problem(""));
        assertEquals("control character 0x1B at byte 4: a MODALIAS holds none", ModaliasDump.problem("pci\u001b"));
        assertEquals("longer than 4096 bytes: no MODALIAS is", ModaliasDump.problem("é".repeat(2049)));
    }

    /** Lines of bytes that often hit each rule: printable text, '#', controls, high bytes, long runs. */
    @Provide
    Arbitrary<byte[]> dumps() {
        Arbitrary<byte[]> pieces = Arbitraries.oneOf(
                Arbitraries.strings().withChars("pci:v0aZ*#\n\r\t\0\u007f").ofMaxLength(20).map(s -> s.getBytes(StandardCharsets.ISO_8859_1)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20),
                Arbitraries.integers().between(4000, 4200).map(n -> "x".repeat(n).getBytes(StandardCharsets.US_ASCII)));
        return pieces.list().ofMaxSize(8).map(list -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            list.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    @Property(tries = 500)
    void everyLineIsEitherAValueOrABadLineAndValuesRoundTrip(@ForAll("dumps") byte[] dump) throws IOException {
        Read r = read(dump);
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < dump.length; i++) {
            if (dump[i] == '\n') {
                lines.add(java.util.Arrays.copyOfRange(dump, start, i));
                start = i + 1;
            }
        }
        if (start < dump.length) {
            lines.add(java.util.Arrays.copyOfRange(dump, start, dump.length));
        }
        assertEquals(lines.size(), r.values().size() + r.bad().size());
        assertEquals(r.values().size(), r.count());
        int v = 0;
        int b = 0;
        for (int n = 0; n < lines.size(); n++) {
            if (b < r.bad().size() && r.bad().get(b).number() == n + 1) {
                b++;
                continue;
            }
            byte[] line = lines.get(n);
            String value = r.values().get(v++);
            assertEquals(java.util.HexFormat.of().formatHex(line), java.util.HexFormat.of().formatHex(RawText.encode(value)));
            assertNull(ModaliasDump.problem(value));
        }
    }
}
