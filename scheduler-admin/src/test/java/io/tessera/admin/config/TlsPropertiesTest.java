package io.tessera.admin.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code tessera.tls.*}: files that must be there, and a client certificate that needs its key. */
class TlsPropertiesTest {

    @TempDir
    Path dir;

    @Test
    void nothingConfiguredMeansTheJdksTrustAndNoClientCertificate() {
        TesseraProperties.Tls tls = bind(Map.of()).tls();

        assertThat(tls.trustCa()).isNull();
        assertThat(tls.clientCert()).isNull();
        assertThat(tls.clientKey()).isNull();
    }

    @Test
    void everyFileIsTaken() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
        Path cert = Files.writeString(dir.resolve("cert.pem"), "pem");
        Path key = Files.writeString(dir.resolve("key.pem"), "pem");

        TesseraProperties.Tls tls = bind(Map.of("tessera.tls.trust-ca", ca.toString(),
                "tessera.tls.client-cert", cert.toString(), "tessera.tls.client-key", key.toString())).tls();

        assertThat(tls.trustCa()).isEqualTo(ca);
        assertThat(tls.clientCert()).isEqualTo(cert);
        assertThat(tls.clientKey()).isEqualTo(key);
    }

    @Test
    void aMissingFileIsRefusedNamingItsProperty() {
        Path missing = dir.resolve("missing.pem");
        for (String property : new String[] {"tessera.tls.trust-ca", "tessera.tls.client-cert", "tessera.tls.client-key"}) {
            assertThatThrownBy(() -> bind(Map.of(property, missing.toString())))
                    .as(property).isInstanceOf(BindException.class)
                    .rootCause().hasMessageContaining(property + " " + missing + " is not a readable file");
        }
    }

    @Test
    void aClientCertificateWithoutItsKeyIsRefused() throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "pem");

        assertThatThrownBy(() -> bind(Map.of("tessera.tls.client-cert", cert.toString())))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("tessera.tls.client-key is not set");
    }

    private static TesseraProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tessera", TesseraProperties.class);
    }
}
