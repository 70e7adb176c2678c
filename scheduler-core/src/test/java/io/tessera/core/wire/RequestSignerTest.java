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
    private static final byte[] BODY = "{\"v\":1}".getBytes(StandardCharsets.UTF_8);
    private final Clock now = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final RequestSigner signer = new RequestSigner(SECRET, now, Duration.ofSeconds(60));

    @Test
    void aSignedRequestVerifies() {
        RequestSigner.Signature signature = signer.sign("POST", "/v1/trigger", BODY);
        assertThat(signer.verify("POST", "/v1/trigger", signature.timestamp(), signature.value(), BODY)).isNull();
    }

    @Test
    void anyChangeBreaksTheSignature() {
        RequestSigner.Signature signature = signer.sign("POST", "/v1/trigger", BODY);
        assertThat(signer.verify("POST", "/v1/kill", signature.timestamp(), signature.value(), BODY)).contains("bad signature");
        assertThat(signer.verify("GET", "/v1/trigger", signature.timestamp(), signature.value(), BODY)).contains("bad signature");
        assertThat(signer.verify("POST", "/v1/trigger", signature.timestamp(), signature.value(), "{}".getBytes(StandardCharsets.UTF_8)))
                .contains("bad signature");
        RequestSigner other = new RequestSigner("another-secret-of-length", now, Duration.ofSeconds(60));
        assertThat(other.verify("POST", "/v1/trigger", signature.timestamp(), signature.value(), BODY)).contains("bad signature");
    }

    @Test
    void staleAndMissingHeadersAreRefused() {
        RequestSigner past = new RequestSigner(SECRET, Clock.offset(now, Duration.ofMinutes(-5)), Duration.ofSeconds(60));
        RequestSigner.Signature old = past.sign("POST", "/v1/trigger", BODY);
        assertThat(signer.verify("POST", "/v1/trigger", old.timestamp(), old.value(), BODY)).startsWith("stale request");
        assertThat(signer.verify("POST", "/v1/trigger", null, "x", BODY)).startsWith("missing");
        assertThat(signer.verify("POST", "/v1/trigger", "yesterday", "x", BODY)).contains("epoch milliseconds");
    }

    @Test
    void aShortSecretIsRefused() {
        assertThatThrownBy(() -> new RequestSigner("short")).hasMessageContaining("at least 16");
    }
}
