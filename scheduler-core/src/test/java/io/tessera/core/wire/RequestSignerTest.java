package io.tessera.core.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestSignerTest {

    private static final String SECRET = "correct-horse-battery-staple";
    private static final String OLD_SECRET = "the-secret-before-rotation";
    private static final byte[] BODY = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
    private static final String LOG_QUERY = "runId=7&shard=0&offset=0&maxBytes=65536";
    private final Clock now = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final RequestSigner signer = new RequestSigner(SECRET, now, Duration.ofSeconds(60));

    @Test
    void aSignedRequestVerifies() {
        RequestSigner.Signature signature = signer.sign("POST", "/v1/trigger", BODY);
        assertThat(signer.verify("POST", "/v1/trigger", null, signature.received(), BODY)).isNull();
    }

    @Test
    void anyChangeBreaksTheSignature() {
        RequestSigner.Signature signature = signer.sign("POST", "/v1/trigger", BODY);
        assertThat(signer.verify("POST", "/v1/kill", null, signature.received(), BODY)).contains("bad signature");
        assertThat(signer.verify("GET", "/v1/trigger", null, signature.received(), BODY)).contains("bad signature");
        assertThat(signer.verify("POST", "/v1/trigger", null, signature.received(), "{}".getBytes(StandardCharsets.UTF_8)))
                .contains("bad signature");
        assertThat(signer.verify("POST", "/v1/trigger", "dryRun=true", signature.received(), BODY)).contains("bad signature");
        RequestSigner.SignatureHeaders otherNonce = new RequestSigner.SignatureHeaders(signature.timestamp(),
                "AAAAAAAAAAAAAAAAAAAAAA", signature.value());
        assertThat(signer.verify("POST", "/v1/trigger", null, otherNonce, BODY)).contains("bad signature");
        RequestSigner other = new RequestSigner("another-secret-of-length", now, Duration.ofSeconds(60));
        assertThat(other.verify("POST", "/v1/trigger", null, signature.received(), BODY)).contains("bad signature");
    }

    @Test
    void theQueryIsCoveredSoARetargetedReadIsRefused() {
        RequestSigner.Signature signature = signer.sign("GET", "/v1/log", LOG_QUERY, null);
        assertThat(signer.verify("GET", "/v1/log", "runId=8&shard=0&offset=0&maxBytes=65536", signature.received(), null))
                .contains("bad signature");
        assertThat(signer.verify("GET", "/v1/log", "runId=7&shard=1&offset=0&maxBytes=65536", signature.received(), null))
                .contains("bad signature");
        assertThat(signer.verify("GET", "/v1/log", null, signature.received(), null)).contains("bad signature");
        assertThat(signer.verify("GET", "/v1/log", LOG_QUERY, signature.received(), null)).isNull();
    }

    @Test
    void theCanonicalQueryIgnoresOrderAndEscapingButNotValues() {
        RequestSigner.Signature signature = signer.sign("GET", "/v1/log", "shard=0&runId=7&name=a%20b", null);
        assertThat(signer.verify("GET", "/v1/log", "name=a+b&runId=7&shard=0", signature.received(), null)).isNull();
        assertThat(CanonicalQuery.parse("b=2&a=1&a=0&c=%7e%2F").canonical()).isEqualTo("a=0&a=1&b=2&c=~%2F");
        assertThat(CanonicalQuery.parse("x=é").canonical()).isEqualTo("x=%C3%A9");
        assertThat(CanonicalQuery.parse("runId=1;shard=2").parameters())
                .as("';' is no separator: the receiver reads exactly what was signed")
                .containsExactly(new CanonicalQuery.Parameter("runId", "1;shard=2"));
        assertThatThrownBy(() -> CanonicalQuery.parse("a=%zz")).hasMessageContaining("malformed percent escape");
        assertThat(signer.verify("GET", "/v1/log", "a=%zz", signature.received(), null)).contains("malformed percent escape");
    }

    @Test
    void aReplayedNonceIsRefusedWithinTheWindow() {
        RequestSigner.Signature signature = signer.sign("GET", "/v1/log", LOG_QUERY, null);
        assertThat(signer.verify("GET", "/v1/log", LOG_QUERY, signature.received(), null)).isNull();
        assertThat(signer.verify("GET", "/v1/log", LOG_QUERY, signature.received(), null)).startsWith("replayed request");
        RequestSigner.Signature second = signer.sign("GET", "/v1/log", LOG_QUERY, null);
        assertThat(second.nonce()).isNotEqualTo(signature.nonce());
        assertThat(signer.verify("GET", "/v1/log", LOG_QUERY, second.received(), null)).isNull();
    }

    @Test
    void aFullNonceCacheRefusesRatherThanForgets() {
        RequestSigner small = new RequestSigner(SECRET, null, now, Duration.ofSeconds(60), 2);
        assertThat(small.verify("POST", "/v1/kill", null, small.sign("POST", "/v1/kill", BODY).received(), BODY)).isNull();
        assertThat(small.verify("POST", "/v1/kill", null, small.sign("POST", "/v1/kill", BODY).received(), BODY)).isNull();
        assertThat(small.verify("POST", "/v1/kill", null, small.sign("POST", "/v1/kill", BODY).received(), BODY))
                .startsWith("too many signed requests");
    }

    @Test
    void staleMissingAndMalformedHeadersAreRefusedBeforeTheBody() {
        RequestSigner past = new RequestSigner(SECRET, Clock.offset(now, Duration.ofMinutes(-5)), Duration.ofSeconds(60));
        RequestSigner.Signature old = past.sign("POST", "/v1/trigger", BODY);
        assertThat(signer.checkHeaders(old.received())).startsWith("stale request");
        assertThat(signer.verify("POST", "/v1/trigger", null, old.received(), BODY)).startsWith("stale request");
        RequestSigner.Signature fresh = signer.sign("POST", "/v1/trigger", BODY);
        assertThat(signer.checkHeaders(fresh.received())).isNull();
        assertThat(signer.checkHeaders(new RequestSigner.SignatureHeaders(null, fresh.nonce(), fresh.value()))).startsWith("missing");
        assertThat(signer.checkHeaders(new RequestSigner.SignatureHeaders(fresh.timestamp(), null, fresh.value()))).startsWith("missing");
        assertThat(signer.checkHeaders(new RequestSigner.SignatureHeaders("yesterday", fresh.nonce(), fresh.value())))
                .contains("epoch milliseconds");
        assertThat(signer.checkHeaders(new RequestSigner.SignatureHeaders(fresh.timestamp(), "short", fresh.value())))
                .contains(RequestSigner.NONCE_HEADER);
        assertThat(signer.checkHeaders(new RequestSigner.SignatureHeaders(fresh.timestamp(), fresh.nonce(), "xyz")))
                .contains(RequestSigner.SIGNATURE_HEADER);
    }

    @Test
    void thePreviousSecretIsAcceptedDuringARotationButNeverUsedToSign() {
        RequestSigner rotating = new RequestSigner(SECRET, OLD_SECRET, now, Duration.ofSeconds(60));
        RequestSigner notYetRotated = new RequestSigner(OLD_SECRET, now, Duration.ofSeconds(60));
        RequestSigner.Signature byOld = notYetRotated.sign("POST", "/v1/trigger", BODY);
        assertThat(rotating.verify("POST", "/v1/trigger", null, byOld.received(), BODY)).isNull();
        RequestSigner.Signature byRotating = rotating.sign("POST", "/v1/trigger", BODY);
        assertThat(signer.verify("POST", "/v1/trigger", null, byRotating.received(), BODY)).as("signed with the current").isNull();
        assertThat(notYetRotated.verify("POST", "/v1/trigger", null, rotating.sign("POST", "/v1/trigger", BODY).received(), BODY))
                .contains("bad signature");
        RequestSigner unrelated = new RequestSigner("a-third-secret-nobody-has", now, Duration.ofSeconds(60));
        assertThat(rotating.verify("POST", "/v1/trigger", null, unrelated.sign("POST", "/v1/trigger", BODY).received(), BODY))
                .contains("bad signature");
    }

    @Test
    void theSignatureHeadersAreReadByName() {
        RequestSigner.Signature signature = signer.sign("POST", "/v1/kill", BODY);
        RequestSigner.SignatureHeaders read = RequestSigner.SignatureHeaders.from(signature.headers()::get);
        assertThat(read).isEqualTo(signature.received());
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new RequestSigner("short")).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> new RequestSigner(SECRET, "short", now, Duration.ofSeconds(60)))
                .hasMessageContaining("previous cluster secret");
    }
}
