package org.autoprobe.core.sign;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Takes from a PKCS#7 SignedData blob the fields kmod's modinfo shows for a PKCS#7 module signature,
 * from the first SignerInfo: the issuer's common name, the serial number (as unsigned big-endian
 * bytes without leading zeros), the digest algorithm's name and the encrypted digest.
 */
final class Pkcs7 {
    private static final byte[] SIGNED_DATA = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x07, 0x02};
    private static final byte[] COMMON_NAME = {0x55, 0x04, 0x03};
    private static final byte[][] DIGEST_OIDS = {
        {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x02, 0x04},
        {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x02, 0x05},
        {0x2B, 0x0E, 0x03, 0x02, 0x1A},
        {0x2B, 0x24, 0x03, 0x02, 0x01},
        {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01},
        {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02},
        {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03},
        {0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04},
        {0x2A, (byte) 0x81, 0x1C, (byte) 0xCF, 0x55, 0x01, (byte) 0x83, 0x11},
    };
    /** Names in the order of {@link #DIGEST_OIDS}, as the kernel's hash algorithm table names them. */
    private static final String[] DIGEST_NAMES = {"md4", "md5", "sha1", "rmd160", "sha256", "sha384", "sha512", "sha224", "sm3"};

    /** What a SignerInfo says. {@code signer} is null when the issuer name is empty. */
    record Signer(String signer, byte[] serial, String hashAlgo, byte[] signature) {
    }

    private Pkcs7() {
    }

    /** The first signer of a DER ContentInfo holding SignedData; empty when the blob is not one. */
    static Optional<Signer> firstSigner(ByteBuffer buf, int start, int end) {
        try {
            return Optional.of(parse(buf, start, end));
        } catch (Der.Bad e) {
            return Optional.empty();
        }
    }

    private static Signer parse(ByteBuffer buf, int start, int end) throws Der.Bad {
        Der top = new Der(buf, start, end);
        Der contentInfo = top.inside(top.next(Der.SEQUENCE));
        if (!contentInfo.contentEquals(contentInfo.next(Der.OID), SIGNED_DATA)) {
            throw new Der.Bad("not SignedData");
        }
        Der explicit = contentInfo.inside(contentInfo.next(0xA0));
        Der signedData = explicit.inside(explicit.next(Der.SEQUENCE));
        signedData.next(Der.INTEGER); // version
        signedData.next(Der.SET); // digestAlgorithms
        signedData.next(Der.SEQUENCE); // contentInfo
        if (signedData.peekTag() == 0xA0) {
            signedData.next(); // certificates
        }
        if (signedData.peekTag() == 0xA1) {
            signedData.next(); // crls
        }
        Der signerInfos = signedData.inside(signedData.next(Der.SET));
        Der si = signerInfos.inside(signerInfos.next(Der.SEQUENCE));
        si.next(Der.INTEGER); // version
        Der issuerAndSerial = si.inside(si.next(Der.SEQUENCE));
        String signer = commonName(issuerAndSerial.inside(issuerAndSerial.next(Der.SEQUENCE)));
        byte[] serial = unsignedMagnitude(issuerAndSerial.bytes(issuerAndSerial.next(Der.INTEGER)));
        Der digestAlg = si.inside(si.next(Der.SEQUENCE));
        Der.Element digestOid = digestAlg.next(Der.OID);
        String hash = "unknown";
        for (int i = 0; i < DIGEST_OIDS.length; i++) {
            if (digestAlg.contentEquals(digestOid, DIGEST_OIDS[i])) {
                hash = DIGEST_NAMES[i];
            }
        }
        if (si.peekTag() == 0xA0) {
            si.next(); // authenticatedAttributes
        }
        si.next(Der.SEQUENCE); // digestEncryptionAlgorithm
        byte[] signature = si.bytes(si.next(Der.OCTET_STRING));
        return new Signer(signer, serial, hash, signature);
    }

    /**
     * The value of the name's first commonName attribute; like kmod (which stops its search at a
     * commonName or at the last attribute), the last attribute's value when there is none; null for
     * an empty name. The value's raw bytes count up to the first NUL.
     */
    private static String commonName(Der name) throws Der.Bad {
        byte[] value = null;
        while (name.hasMore()) {
            Der rdn = name.inside(name.next(Der.SET));
            while (rdn.hasMore()) {
                Der atv = rdn.inside(rdn.next(Der.SEQUENCE));
                Der.Element type = atv.next(Der.OID);
                value = atv.bytes(atv.next());
                if (atv.contentEquals(type, COMMON_NAME)) {
                    return cString(value);
                }
            }
        }
        return value == null ? null : cString(value);
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** An INTEGER's magnitude as big-endian bytes without leading zeros (OpenSSL's BN_bn2bin). */
    private static byte[] unsignedMagnitude(byte[] twosComplement) throws Der.Bad {
        if (twosComplement.length == 0) {
            throw new Der.Bad("empty INTEGER");
        }
        byte[] m = new BigInteger(twosComplement).abs().toByteArray();
        int lead = 0;
        while (lead < m.length && m[lead] == 0) {
            lead++;
        }
        return Arrays.copyOfRange(m, lead, m.length);
    }
}
