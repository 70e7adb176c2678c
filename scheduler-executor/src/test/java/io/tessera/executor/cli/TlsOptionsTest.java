package io.tessera.executor.cli;

import io.tessera.executor.config.AgentConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent's TLS options: files that must exist, and options that only make sense together. */
class TlsOptionsTest {

    private static final String SECRET = "0123456789abcdef";

    @TempDir
    Path dir;

    private AgentConfig parse(String... args) throws UsageException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--secret", SECRET));
        return AgentOptions.parse(all, Map.of());
    }

    private Path file(String name) throws Exception {
        return Files.writeString(dir.resolve(name), "-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void withoutTlsOptionsTheEndpointIsPlaintext() throws Exception {
        AgentConfig config = parse();

        assertThat(config.tls()).isFalse();
        assertThat(config.tlsCert()).isNull();
        assertThat(config.tlsTrustCa()).isNull();
    }

    @Test
    void everyTlsOptionIsUnderstood() throws Exception {
        Path cert = file("cert.pem");
        Path key = file("key.pem");
        Path clients = file("clients.pem");
        Path admins = file("admins.pem");

        AgentConfig config = parse("--tls-cert", cert.toString(), "--tls-key=" + key, "--tls-client-ca", clients.toString(),
                "--tls-trust-ca", admins.toString());

        assertThat(config.tls()).isTrue();
        assertThat(config.tlsCert()).isEqualTo(cert);
        assertThat(config.tlsKey()).isEqualTo(key);
        assertThat(config.tlsClientCa()).isEqualTo(clients);
        assertThat(config.tlsTrustCa()).isEqualTo(admins);
    }

    @Test
    void aMissingFileIsRefusedNamingItsOption() {
        Path missing = dir.resolve("nope.pem");
        for (String flag : List.of("--tls-cert", "--tls-key", "--tls-client-ca", "--tls-trust-ca")) {
            assertThatThrownBy(() -> parse(flag, missing.toString()))
                    .as(flag).isInstanceOf(UsageException.class)
                    .hasMessageContaining(flag + " " + missing + " is not a readable file");
        }
    }

    @Test
    void aCertificateWithoutItsKeyOrTheOtherWayRoundIsRefused() throws Exception {
        Path pem = file("a.pem");

        assertThatThrownBy(() -> parse("--tls-cert", pem.toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--tls-key").hasMessageContaining("is not set");
        assertThatThrownBy(() -> parse("--tls-key", pem.toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--tls-cert").hasMessageContaining("is not set");
    }

    @Test
    void clientCertificatesNeedATlsEndpoint() throws Exception {
        Path pem = file("ca.pem");

        assertThatThrownBy(() -> parse("--tls-client-ca", pem.toString()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--tls-client-ca")
                .hasMessageContaining("--tls-cert and --tls-key");
    }

    @Test
    void theHelpListsEveryTlsOption() {
        assertThat(AgentOptions.HELP).contains("--tls-cert FILE", "--tls-key FILE", "--tls-client-ca FILE", "--tls-trust-ca FILE");
    }
}
