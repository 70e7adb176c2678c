package io.tessera.admin.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Bearer tokens for the HTTP API. Only the SHA-256 of a token is stored: a token is shown once, when
 * created, and is looked up by its hash. Thread-safe.
 */
public interface ApiTokenStore {

    /**
     * Stores the hash of {@code token} under {@code name}.
     *
     * @throws DuplicateKeyException when that token is already stored
     */
    ApiToken create(String name, String token, Role role, String createdBy);

    /** The token that {@code token} is, unless it is unknown or revoked. */
    Optional<ApiToken> findActive(String token);

    Optional<ApiToken> find(long id);

    /** All tokens, revoked ones included, newest first. */
    List<ApiToken> list();

    /** Revokes the token; false when there is none or it was already revoked. */
    boolean revoke(long id);

    /** Revokes every active token of that name; returns how many. */
    int revokeByName(String name);

    /** Records a use; cheap enough to call on every request. */
    void touch(long id, Instant at);

    /** The stored form of a token: lower-case hex SHA-256 of its UTF-8 bytes. */
    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A new random token: 32 bytes, URL-safe base64 without padding, prefixed {@code tsr_} so that scanners spot leaks. */
    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "tsr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    record ApiToken(Long id, String name, Role role, String createdBy, Instant createdAt, Instant lastUsedAt,
                    Instant revokedAt) {

        public boolean revoked() {
            return revokedAt != null;
        }
    }
}
