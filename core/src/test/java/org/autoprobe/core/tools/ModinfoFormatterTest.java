package org.autoprobe.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.autoprobe.core.module.ModinfoField;
import org.autoprobe.core.module.ModuleInfo;
import org.autoprobe.core.module.ModuleSignature;
import org.junit.jupiter.api.Test;

class ModinfoFormatterTest {
    private static final List<ModinfoField> RECORDS = List.of(
            new ModinfoField("license", "GPL"),
            new ModinfoField("parmtype", "debug:int"),
            new ModinfoField("parm", "debug:Debug level"),
            new ModinfoField("parm", "quiet:Say less"),
            new ModinfoField("parmtype", "only_type:uint"),
            new ModinfoField("alias", "pci:v*"),
            new ModinfoField("depends", ""),
            new ModinfoField("a_very_long_key_name", "x"));

    private static String format(String field, char sep, String filename, List<ModinfoField> records, List<String> warnings) {
        StringBuilder out = new StringBuilder();
        new ModinfoFormatter(field, sep).format(out, "foo", filename, records, warnings);
        return out.toString();
    }

    @Test
    void everythingInKmodsOrderWithParametersMergedAndLast() {
        assertEquals("filename:       /m/foo.ko\n"
                + "license:        GPL\n"
                + "alias:          pci:v*\n"
                + "depends:        \n"
                + "a_very_long_key_name:     x\n" // printf width 15-20 = -5: five spaces
                + "parm:           only_type:uint\n"
                + "parm:           quiet:Say less\n"
                + "parm:           debug:Debug level (int)\n",
                format(null, '\n', "/m/foo.ko", RECORDS, new ArrayList<>()));
    }

    @Test
    void fieldsAndParametersAlone() {
        assertEquals("GPL\n", format("license", '\n', "/m/foo.ko", RECORDS, new ArrayList<>()));
        assertEquals("/m/foo.ko\n", format("filename", '\n', "/m/foo.ko", RECORDS, new ArrayList<>()));
        assertEquals("only_type: (uint)\nquiet:Say less\ndebug:Debug level (int)\n",
                format("parm", '\n', "/m/foo.ko", RECORDS, new ArrayList<>()));
        assertEquals("", format("nosuch", '\n', "/m/foo.ko", RECORDS, new ArrayList<>()));
    }

    /**
     * kmod's modinfo (30 and 34 alike: tools/modinfo.c special-cases only parm/parmtype) prints weakdep like any
     * field; kmod 30's modinfo printed these lines for a module whose .modinfo held these records.
     */
    @Test
    void weakdepRecordsPrintAsAnyFieldInFileOrder() {
        List<ModinfoField> records = List.of(new ModinfoField("license", "GPL"), new ModinfoField("weakdep", "mod-simple"),
                new ModinfoField("softdep", "pre: x"), new ModinfoField("weakdep", "two  words"));
        assertEquals("filename:       /tmp/wk/./mod-w.ko\n"
                + "license:        GPL\n"
                + "weakdep:        mod-simple\n"
                + "softdep:        pre: x\n"
                + "weakdep:        two  words\n", format(null, '\n', "/tmp/wk/./mod-w.ko", records, new ArrayList<>()));
        assertEquals("mod-simple\ntwo  words\n", format("weakdep", '\n', "f", records, new ArrayList<>()));
        assertEquals("filename:       f\0license=GPL\0weakdep=mod-simple\0softdep=pre: x\0weakdep=two  words\0",
                format(null, '\0', "f", records, new ArrayList<>()));
    }

    @Test
    void nulSeparatedRecordsAreKeyEqualsValue() {
        assertEquals("filename:       /m/foo.ko\0license=GPL\0alias=pci:v*\0", format(null, '\0', "/m/foo.ko",
                List.of(new ModinfoField("license", "GPL"), new ModinfoField("alias", "pci:v*")), new ArrayList<>()));
    }

    @Test
    void builtinModulesShowNameAndBuiltinFilename() {
        assertEquals("name:           foo\nfilename:       (builtin)\nlicense:        GPL\n",
                format(null, '\n', null, List.of(new ModinfoField("license", "GPL")), new ArrayList<>()));
        assertEquals("foo\n", format("name", '\n', null, List.of(), new ArrayList<>()));
        assertEquals("(builtin)\n", format("filename", '\n', null, List.of(), new ArrayList<>()));
    }

    @Test
    void parameterWithoutColonIsReportedAndSkipped() {
        List<String> warnings = new ArrayList<>();
        assertEquals("filename:       f\n", format(null, '\n', "f", List.of(new ModinfoField("parm", "nocolon")), warnings));
        assertEquals(List.of("Found invalid \"parm=nocolon\": missing ':'"), warnings);
    }

    @Test
    void signatureFieldsFollowModinfoWithHexInLinesOfTwenty() {
        byte[] sig = new byte[23];
        for (int i = 0; i < sig.length; i++) {
            sig[i] = (byte) (0xF0 + i);
        }
        ModuleInfo m = new ModuleInfo("foo", Path.of("/m/foo.ko"), List.of(new ModinfoField("license", "GPL")), List.of(),
                List.of(), Optional.of(new ModuleSignature("PKCS#7", "Build key", new byte[] {0x0A, (byte) 0xBC}, "sha256", sig)));
        assertEquals("filename:       /m/foo.ko\n"
                + "license:        GPL\n"
                + "sig_id:         PKCS#7\n"
                + "signer:         Build key\n"
                + "sig_key:        0A:BC\n"
                + "sig_hashalgo:   sha256\n"
                + "signature:      F0:F1:F2:F3:F4:F5:F6:F7:F8:F9:FA:FB:FC:FD:FE:FF:00:01:02:03:\n"
                + "\t\t04:05:06\n",
                format(null, '\n', "/m/foo.ko", ModinfoFormatter.records(m), new ArrayList<>()));
        assertEquals("", ModinfoFormatter.hex(new byte[0]));
        assertEquals("00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13", ModinfoFormatter.hex(
                new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}), "no break after the last byte");
    }
}
