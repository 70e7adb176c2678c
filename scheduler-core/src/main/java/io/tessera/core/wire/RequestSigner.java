package io.tessera.core.wire;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Signs and checks admin↔executor HTTP requests with the cluster secret:
 * <pre>HMAC-SHA256(secret, METHOD \n PATH \n CANONICAL_QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body)))</pre>
 * sent in the {@value #SIGNATURE_HEADER}, {@value #TIMESTAMP_HEADER} and {@value #NONCE_HEADER}
 * headers ({@link CanonicalQuery} says how the query is written). A request whose timestamp is
 * further than the allowed skew from now is stale; one whose nonce was already seen within that
 * window is a replay; both are refused. During a secret rotation a verifier also accepts the
 * previous secret, while it signs with the current one.
 *
 * <p>Check in two steps on a server: {@link #checkHeaders} before reading the body (presence and
 * freshness cost nothing and refuse most unauthenticated requests before they are buffered), then
 * {@link #verify} once the body is read.
 */
public final class RequestSigner {

    public static final String SIGNATURE_HEADER = "X-Tessera-Signature";
    public static final String TIMESTAMP_HEADER = "X-Tessera-Timestamp";
    public static final String NONCE_HEADER = "X-Tessera-Nonce";
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(60);
    public static final int MIN_SECRET_LENGTH = 16;
    /** Live nonces a verifier remembers at most (about 200 bytes each); beyond it, requests are refused. */
    public static final long DEFAULT_NONCE_CAPACITY = 250_000;

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    private static final Duration NONCE_MARGIN = Duration.ofSeconds(1);

    private final SecretKeySpec current;
    private final List<SecretKeySpec> accepted;
    private final Clock clock;
    private final Duration maxSkew;
    private final NonceCache nonces;
    private final SecureRandom random = new SecureRandom();

    public RequestSigner(String secret) {
        this(secret, null, Clock.systemUTC(), DEFAULT_MAX_SKEW);
    }

    public RequestSigner(String secret, Clock clock, Duration maxSkew) {
        this(secret, null, clock, maxSkew);
    }

    /**
     * @param secret         signs, and verifies
     * @param previousSecret also verifies, while executors or admins still sign with it; null for none
     */
    public RequestSigner(String secret, String previousSecret, Clock clock, Duration maxSkew) {
        this(secret, previousSecret, clock, maxSkew, DEFAULT_NONCE_CAPACITY);
    }

    public RequestSigner(String secret, String previousSecret, Clock clock, Duration maxSkew, long nonceCapacity) {
        this.current = key(secret, "the cluster secret");
        List<SecretKeySpec> keys = new ArrayList<>(List.of(current));
        if (previousSecret != null) {
            keys.add(key(previousSecret, "the previous cluster secret"));
        }
        this.accepted = List.copyOf(keys);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
        this.nonces = new NonceCache(nonceCapacity);
    }

    private static SecretKeySpec key(String secret, String what) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(what + " must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * The headers' values for a request sent now, with a fresh nonce.
     *
     * @param rawQuery the query as it will be sent (without {@code ?}); null or empty for none
     * @param body     null for none
     */
    public Signature sign(String method, String path, String rawQuery, byte[] body) {
        String timestamp = Long.toString(clock.millis());
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        String canonicalQuery = CanonicalQuery.parse(rawQuery).canonical();
        return new Signature(timestamp, nonce, HexFormat.of().formatHex(
                mac(current, method, path, canonicalQuery, timestamp, nonce, body)));
    }

    /** {@link #sign(String, String, String, byte[])} for a request without a query. */
    public Signature sign(String method, String path, byte[] body) {
        return sign(method, path, null, body);
    }

    /**
     * What can be checked before the body is read: the three headers are there and well formed, and
     * the timestamp is fresh.
     *
     * @return why the request is refused, or null when it may be read and {@link #verify verified}
     */
    public String checkHeaders(SignatureHeaders headers) {
        if (headers.timestamp() == null || headers.signature() == null || headers.nonce() == null) {
            return "missing " + SIGNATURE_HEADER + ", " + TIMESTAMP_HEADER + " or " + NONCE_HEADER + " header";
        }
        if (!NONCE.matcher(headers.nonce()).matches()) {
            return NONCE_HEADER + " must be 16 to 64 characters of A-Z, a-z, 0-9, '-' and '_'";
        }
        if (!SIGNATURE.matcher(headers.signature()).matches()) {
            return SIGNATURE_HEADER + " must be 64 lower-case hex digits";
        }
        long millis;
        try {
            millis = Long.parseLong(headers.timestamp());
        } catch (NumberFormatException e) {
            return TIMESTAMP_HEADER + " is not epoch milliseconds";
        }
        Duration skew = Duration.between(Instant.ofEpochMilli(millis), clock.instant()).abs();
        if (skew.compareTo(maxSkew) > 0) {
            return "stale request: timestamp is " + skew.toSeconds() + " s from now (at most " + maxSkew.toSeconds() + " s allowed)";
        }
        return null;
    }

    /**
     * The whole check: {@link #checkHeaders}, the signature under the current or the previous secret,
     * and that the nonce was not used before (it is remembered from now on, so call this once per
     * request).
     *
     * @param rawQuery the query as received (without {@code ?}); null or empty for none
     * @param body     null for none
     * @return why the request is refused, or null when it is authentic, fresh and not a replay
     */
    public String verify(String method, String path, String rawQuery, SignatureHeaders headers, byte[] body) {
        String refusal = checkHeaders(headers);
        if (refusal != null) {
            return refusal;
        }
        String canonicalQuery;
        try {
            canonicalQuery = CanonicalQuery.parse(rawQuery).canonical();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        byte[] received = HexFormat.of().parseHex(headers.signature());
        boolean authentic = false;
        for (SecretKeySpec key : accepted) {
            byte[] expected = mac(key, method, path, canonicalQuery, headers.timestamp(), headers.nonce(), body);
            authentic |= MessageDigest.isEqual(expected, received);
        }
        if (!authentic) {
            return "bad signature (is the cluster secret the same on both sides?)";
        }
        Instant stale = Instant.ofEpochMilli(Long.parseLong(headers.timestamp())).plus(maxSkew).plus(NONCE_MARGIN);
        return nonces.remember(headers.nonce(), Duration.between(clock.instant(), stale));
    }

    private static byte[] mac(SecretKeySpec key, String method, String path, String canonicalQuery, String timestamp,
                              String nonce, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] bodyHash = MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body);
            String canonical = method.toUpperCase(Locale.ROOT) + "\n" + path + "\n" + canonicalQuery + "\n" + timestamp
                    + "\n" + nonce + "\n" + HexFormat.of().formatHex(bodyHash);
            return mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** What a signer puts in a request's headers. */
    public record Signature(String timestamp, String nonce, String value) {

        /** Header name to value, to add to a request as they are. */
        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(TIMESTAMP_HEADER, timestamp);
            headers.put(NONCE_HEADER, nonce);
            headers.put(SIGNATURE_HEADER, value);
            return headers;
        }

        /** As a verifier receives them. */
        public SignatureHeaders received() {
            return new SignatureHeaders(timestamp, nonce, value);
        }
    }

    /** The signature headers as a request carried them; any may be null when missing. */
    public record SignatureHeaders(String timestamp, String nonce, String signature) {

        /** @param header a request's header by name, null when absent */
        public static SignatureHeaders from(UnaryOperator<String> header) {
            return new SignatureHeaders(header.apply(TIMESTAMP_HEADER), header.apply(NONCE_HEADER),
                    header.apply(SIGNATURE_HEADER));
        }
    }
}
