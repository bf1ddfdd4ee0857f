package org.autoprobe.core.elf;

import java.io.ByteArrayOutputStream;

/** Writes DER elements for tests (definite lengths). */
final class DerWriter {
    static final byte[] OID_SIGNED_DATA = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x07, 0x02};
    static final byte[] OID_DATA = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x07, 0x01};
    static final byte[] OID_SHA256 = {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
    static final byte[] OID_SHA512 = {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03};
    static final byte[] OID_RSA = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    static final byte[] OID_CN = {0x55, 0x04, 0x03};
    static final byte[] OID_ORG = {0x55, 0x04, 0x0A};

    private DerWriter() {
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    static byte[] seq(byte[]... parts) {
        return tlv(0x30, parts);
    }

    static byte[] set(byte[]... parts) {
        return tlv(0x31, parts);
    }

    static byte[] oid(byte[] encoded) {
        return tlv(0x06, encoded);
    }

    static byte[] integer(byte... twosComplement) {
        return tlv(0x02, twosComplement);
    }

    static byte[] utf8(String s) {
        return tlv(0x0C, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static byte[] attribute(byte[] type, String value) {
        return set(seq(oid(type), utf8(value)));
    }

    /** A PKCS#7 ContentInfo with SignedData and one SignerInfo, shaped like the kernel's sign-file output. */
    static byte[] pkcs7(byte[] issuerName, byte[] serial, byte[] digestOid, byte[] signature) {
        byte[] algo = seq(oid(digestOid), new byte[] {0x05, 0x00});
        byte[] signerInfo = seq(integer((byte) 1), seq(issuerName, integer(serial)), algo,
                seq(oid(OID_RSA), new byte[] {0x05, 0x00}), tlv(0x04, signature));
        byte[] signedData = seq(integer((byte) 1), set(algo), seq(oid(OID_DATA)), set(signerInfo));
        return seq(oid(OID_SIGNED_DATA), tlv(0xA0, signedData));
    }

    /** A module image with the signature trailer appended. */
    static byte[] signed(byte[] module, int algo, int hash, int idType, byte[] signer, byte[] keyId, byte[] sig) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(module);
        out.writeBytes(signer);
        out.writeBytes(keyId);
        out.writeBytes(sig);
        out.writeBytes(new byte[] {(byte) algo, (byte) hash, (byte) idType, (byte) signer.length, (byte) keyId.length, 0, 0, 0,
            (byte) (sig.length >>> 24), (byte) (sig.length >>> 16), (byte) (sig.length >>> 8), (byte) sig.length});
        out.writeBytes("~Module signature appended~\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
