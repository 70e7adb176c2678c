package io.tessera.executor.report;

import io.tessera.core.validation.ValidationException;
import io.tessera.executor.config.AgentConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** Which https admins the agent reports to: the JDK's default trust, or the CA certificates of {@code --tls-trust-ca}. */
public final class AdminTrust {

    private AdminTrust() {
    }

    /**
     * An SSL context trusting only the configured CA certificates, or null to keep the JDK's default.
     *
     * @throws ValidationException naming {@code --tls-trust-ca} when the file holds no PEM certificate
     */
    public static SSLContext context(AgentConfig config) {
        Path file = config.tlsTrustCa();
        if (file == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ValidationException("tlsTrustCa", "--tls-trust-ca " + file + " holds no PEM certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new ValidationException("tlsTrustCa", "cannot read --tls-trust-ca " + file + " as PEM CA certificates: "
                    + e.getMessage(), e);
        }
    }
}
