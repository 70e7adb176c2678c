package io.tessera.admin.dispatch;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin's client side of TLS towards executors, from PEM files read through Spring Boot's PEM support: the CA
 * certificates it trusts, and the certificate it shows an executor that asks for one.
 */
public final class AdminTls {

    private AdminTls() {
    }

    /**
     * An SSL context for calls to executors, or null when nothing is configured (the JDK's default trust, no
     * client certificate).
     *
     * @param trustCa    PEM CA certificates; null for the JDK's default trust store
     * @param clientCert PEM certificate chain shown to executors that require one; null for none
     * @param clientKey  PEM private key of {@code clientCert}
     * @throws IllegalArgumentException naming the property when a file cannot be used
     */
    public static SSLContext clientContext(Path trustCa, Path clientCert, Path clientKey) {
        if (trustCa == null && clientCert == null) {
            return null;
        }
        PemSslStoreDetails keyStore = clientCert == null ? null
                : PemSslStoreDetails.forCertificates(read("tessera.tls.client-cert", clientCert))
                        .withPrivateKey(read("tessera.tls.client-key", clientKey));
        PemSslStoreDetails trustStore = trustCa == null ? null
                : PemSslStoreDetails.forCertificates(read("tessera.tls.trust-ca", trustCa));
        try {
            return SslBundle.of(new PemSslStoreBundle(keyStore, trustStore)).createSslContext();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tessera.tls: cannot use " + (trustCa == null ? "" : "trust-ca " + trustCa + " ")
                    + (clientCert == null ? "" : "client-cert " + clientCert + " with client-key " + clientKey + " ")
                    + "(" + e.getMessage() + "). Each must be PEM: certificates as 'BEGIN CERTIFICATE', the key as"
                    + " 'BEGIN PRIVATE KEY' or 'BEGIN RSA/EC PRIVATE KEY', unencrypted", e);
        }
    }

    private static String read(String property, Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(property + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
