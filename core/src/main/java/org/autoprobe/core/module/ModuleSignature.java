package org.autoprobe.core.module;

import java.util.Arrays;

/**
 * The signature appended to a module file (the {@code ~Module signature appended~} trailer),
 * with the fields kmod's modinfo shows.
 *
 * @param idType    "PKCS#7", "X509" or "PGP"
 * @param signer    the signer's name (may be empty for PKCS#7 without it)
 * @param keyId     the key identifier bytes (may be empty)
 * @param hashAlgo  the hash algorithm name, e.g. "sha256"
 * @param signature the raw signature bytes
 */
public record ModuleSignature(String idType, String signer, byte[] keyId, String hashAlgo, byte[] signature) {
    @Override
    public boolean equals(Object o) {
        return o instanceof ModuleSignature s && idType.equals(s.idType) && signer.equals(s.signer)
                && Arrays.equals(keyId, s.keyId) && hashAlgo.equals(s.hashAlgo) && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return (idType.hashCode() * 31 + signer.hashCode()) * 31 + Arrays.hashCode(keyId);
    }

    @Override
    public String toString() {
        return "ModuleSignature[" + idType + ", " + signer + ", " + hashAlgo + "]";
    }
}
