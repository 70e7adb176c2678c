package io.tessera.admin.fuzz;

import io.tessera.core.wire.RequestSigner;

import java.util.List;

/**
 * The one place where the fuzz suite signs admin↔executor requests with the cluster secret. When
 * {@link RequestSigner} signs more of a request (the query, a nonce), only this method changes.
 */
final class WireSigning {

    private static final RequestSigner SIGNER = new RequestSigner(FuzzCluster.SECRET);

    private WireSigning() {
    }

    /**
     * The headers that authenticate this request.
     *
     * @param target the request target as sent: the raw path and, after {@code ?}, the raw query
     */
    /** Timestamp first, signature second, then the nonce: the cases that forge one of them pick by position. */
    static List<RawHttp.Header> signatureHeaders(String method, String target, byte[] body) {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String rawQuery = query < 0 ? null : target.substring(query + 1);
        RequestSigner.Signature signature;
        try {
            signature = SIGNER.sign(method, path, rawQuery, body);
        } catch (IllegalArgumentException malformedQuery) {
            // A query no canonical form exists for (a bare '%'): signed without it, so the agent must refuse it.
            signature = SIGNER.sign(method, path, null, body);
        }
        return List.of(new RawHttp.Header(RequestSigner.TIMESTAMP_HEADER, signature.timestamp()),
                new RawHttp.Header(RequestSigner.SIGNATURE_HEADER, signature.value()),
                new RawHttp.Header(RequestSigner.NONCE_HEADER, signature.nonce()));
    }
}
