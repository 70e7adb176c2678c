package io.tessera.admin.dispatch;

import io.tessera.executor.support.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin's TLS towards executors, from PEM files. */
class AdminTlsTest {

    @TempDir
    Path dir;

    @Test
    void withoutFilesTheJdksDefaultsStay() {
        assertThat(AdminTls.clientContext(null, null, null)).isNull();
    }

    @Test
    void pemTrustAndAClientCertificateMakeAContext() {
        TestCertificates certificates = TestCertificates.create(dir);

        assertThat(AdminTls.clientContext(certificates.caCert(), null, null)).isNotNull();
        assertThat(AdminTls.clientContext(certificates.caCert(), certificates.clientCert(), certificates.clientKey()))
                .isNotNull();
    }

    @Test
    void aFileThatIsNotPemIsRefusedNamingTheProperty() throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "this is no certificate");

        assertThatThrownBy(() -> AdminTls.clientContext(notPem, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tessera.tls").hasMessageContaining("trust-ca " + notPem);
    }
}
