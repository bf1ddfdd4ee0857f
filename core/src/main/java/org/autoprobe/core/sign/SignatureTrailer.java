package org.autoprobe.core.sign;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.autoprobe.core.module.ModuleSignature;

/**
 * The signature appended to a module: {@code [signer][key id][signature][struct module_signature]
 * "~Module signature appended~\n"}. The 12-byte struct holds algo, hash, id_type, signer_len,
 * key_id_len, 3 bytes of padding and a big-endian sig_len. Like kmod, a trailer that does not
 * check out is simply no signature.
 */
public final class SignatureTrailer {
    static final byte[] MAGIC = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
    static final int INFO_SIZE = 12;
    private static final int ALGO_COUNT = 2; // DSA, RSA
    private static final String[] HASHES = {"md4", "md5", "sha1", "rmd160", "sha256", "sha384", "sha512", "sha224", "sm3"};
    private static final String[] ID_TYPES = {"PGP", "X509", "PKCS#7"};
    private static final int ID_PKCS7 = 2;

    private SignatureTrailer() {
    }

    public static Optional<ModuleSignature> parse(ByteBuffer image) {
        int base = image.position();
        long size = image.limit() - base;
        if (size < MAGIC.length) {
            return Optional.empty();
        }
        size -= MAGIC.length;
        for (int i = 0; i < MAGIC.length; i++) {
            if (image.get(base + (int) size + i) != MAGIC[i]) {
                return Optional.empty();
            }
        }
        if (size < INFO_SIZE) {
            return Optional.empty();
        }
        size -= INFO_SIZE;
        int info = base + (int) size;
        int algo = Byte.toUnsignedInt(image.get(info));
        int hash = Byte.toUnsignedInt(image.get(info + 1));
        int idType = Byte.toUnsignedInt(image.get(info + 2));
        int signerLen = Byte.toUnsignedInt(image.get(info + 3));
        int keyIdLen = Byte.toUnsignedInt(image.get(info + 4));
        long sigLen = Integer.toUnsignedLong(image.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN).getInt(info + 8));
        if (algo >= ALGO_COUNT || hash >= HASHES.length || idType >= ID_TYPES.length) {
            return Optional.empty();
        }
        if (sigLen == 0 || size < signerLen + keyIdLen + sigLen) {
            return Optional.empty();
        }
        int sigStart = base + (int) (size - sigLen);
        if (idType == ID_PKCS7) {
            return Pkcs7.firstSigner(image, sigStart, base + (int) size)
                    .map(s -> new ModuleSignature(ID_TYPES[idType], s.signer() == null ? "" : s.signer(), s.serial(),
                            s.hashAlgo(), s.signature()));
        }
        int keyStart = sigStart - keyIdLen;
        int signerStart = keyStart - signerLen;
        return Optional.of(new ModuleSignature(ID_TYPES[idType], string(image, signerStart, signerLen),
                bytes(image, keyStart, keyIdLen), HASHES[hash], bytes(image, sigStart, (int) sigLen)));
    }

    private static byte[] bytes(ByteBuffer b, int at, int len) {
        byte[] out = new byte[len];
        b.get(at, out);
        return out;
    }

    private static String string(ByteBuffer b, int at, int len) {
        return new String(bytes(b, at, len), StandardCharsets.ISO_8859_1);
    }
}
