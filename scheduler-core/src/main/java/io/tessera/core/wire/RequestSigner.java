package io.tessera.core.wire;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Signs and checks admin↔executor HTTP requests with the cluster secret:
 * {@code HMAC-SHA256(secret, METHOD \n PATH \n TIMESTAMP \n hex(SHA-256(body)))}, sent in the
 * {@value #SIGNATURE_HEADER} and {@value #TIMESTAMP_HEADER} headers. A request whose timestamp is
 * further than the allowed skew from now is stale and refused, which bounds replays.
 */
public final class RequestSigner {

    public static final String SIGNATURE_HEADER = "X-Tessera-Signature";
    public static final String TIMESTAMP_HEADER = "X-Tessera-Timestamp";
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(60);
    public static final int MIN_SECRET_LENGTH = 16;

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration maxSkew;

    public RequestSigner(String secret) {
        this(secret, Clock.systemUTC(), DEFAULT_MAX_SKEW);
    }

    public RequestSigner(String secret, Clock clock, Duration maxSkew) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the cluster secret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
    }

    /** The headers' values for a request sent now. */
    public Signature sign(String method, String path, byte[] body) {
        String timestamp = Long.toString(clock.millis());
        return new Signature(timestamp, mac(method, path, timestamp, body));
    }

    /** Why a request is refused, or null when its signature is valid and fresh. */
    public String verify(String method, String path, String timestamp, String signature, byte[] body) {
        if (timestamp == null || signature == null) {
            return "missing " + SIGNATURE_HEADER + " or " + TIMESTAMP_HEADER + " header";
        }
        long millis;
        try {
            millis = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return TIMESTAMP_HEADER + " is not epoch milliseconds";
        }
        Duration skew = Duration.between(Instant.ofEpochMilli(millis), clock.instant()).abs();
        if (skew.compareTo(maxSkew) > 0) {
            return "stale request: timestamp is " + skew.toSeconds() + " s from now (at most " + maxSkew.toSeconds() + " s allowed)";
        }
        byte[] expected = mac(method, path, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return "bad signature (is the cluster secret the same on both sides?)";
        }
        return null;
    }

    private String mac(String method, String path, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] bodyHash = MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
            String canonical = method.toUpperCase(java.util.Locale.ROOT) + "\n" + path + "\n" + timestamp + "\n"
                    + HexFormat.of().formatHex(bodyHash);
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    public record Signature(String timestamp, String value) {
    }
}
