package io.tessera.executor.endpoint;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.tessera.core.validation.ValidationException;
import io.tessera.executor.config.AgentConfig;

import javax.net.ssl.SSLException;

/** The endpoint's server-side TLS, built from the agent's PEM files: its certificate chain and key, and the CAs of client certificates. */
public final class AgentTls {

    private AgentTls() {
    }

    /**
     * The endpoint's TLS context, or null when the agent serves plaintext HTTP.
     *
     * @throws ValidationException naming the options when a file is not what it should be
     */
    public static SslContext serverContext(AgentConfig config) {
        if (!config.tls()) {
            return null;
        }
        SslContextBuilder builder;
        try {
            builder = SslContextBuilder.forServer(config.tlsCert().toFile(), config.tlsKey().toFile());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("tlsCert", "cannot use --tls-cert " + config.tlsCert() + " with --tls-key "
                    + config.tlsKey() + ": " + describe(e) + ". Expected a PEM certificate chain (leaf first) and its"
                    + " unencrypted PKCS#8 PEM key ('BEGIN PRIVATE KEY'; convert with openssl pkcs8 -topk8 -nocrypt)", e);
        }
        if (config.tlsClientCa() != null) {
            try {
                builder.trustManager(config.tlsClientCa().toFile()).clientAuth(ClientAuth.REQUIRE);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("tlsClientCa", "cannot read --tls-client-ca " + config.tlsClientCa()
                        + " as PEM CA certificates: " + describe(e), e);
            }
        }
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ValidationException("tlsCert", "cannot serve TLS with --tls-cert " + config.tlsCert() + ", --tls-key "
                    + config.tlsKey() + (config.tlsClientCa() == null ? "" : " and --tls-client-ca " + config.tlsClientCa())
                    + ": " + describe(e) + ". Check that the key belongs to the certificate and that both are PEM", e);
        }
    }

    /** The error's message and, where another error caused it, that one's too: Netty's says which file, the cause why. */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = String.valueOf(error.getMessage());
        return root == error ? top : top + " (" + root + ")";
    }
}
