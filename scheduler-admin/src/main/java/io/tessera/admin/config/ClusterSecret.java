package io.tessera.admin.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The secret that signs admin↔executor requests ({@link io.tessera.core.wire.RequestSigner}). Either
 * {@code tessera.cluster-secret}, or the one kept in {@code tessera.cluster-secret-file} (by default
 * {@code {data-dir}/cluster-secret}), generated there at first start (32 random bytes, URL-safe base64),
 * readable by the owner only, and reused from then on. A generated value is shown once on the console
 * ({@link OperatorConsole}), never in the log, which says only where it is kept.
 *
 * @param file where the secret is kept; null when it came from configuration
 */
public record ClusterSecret(String value, Path file) {

    private static final Logger log = LoggerFactory.getLogger(ClusterSecret.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public ClusterSecret {
        if (value == null || value.length() < TesseraProperties.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("a cluster secret must be at least " + TesseraProperties.MIN_SECRET_LENGTH
                    + " characters long");
        }
    }

    /** Never the value: this record ends up in logs and exception messages. */
    @Override
    public String toString() {
        return file == null ? "ClusterSecret[from tessera.cluster-secret]" : "ClusterSecret[kept in " + file + "]";
    }

    public static ClusterSecret resolve(TesseraProperties properties) {
        if (properties.clusterSecret() != null) {
            log.info("Cluster secret: taken from tessera.cluster-secret; executors need the same value");
            return new ClusterSecret(properties.clusterSecret(), null);
        }
        Path file = properties.clusterSecretFile().toAbsolutePath().normalize();
        try {
            if (Files.exists(file)) {
                return load(file);
            }
            return generate(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the cluster secret file " + file + " (" + e
                    + "); make its directory writable (tessera.data-dir or tessera.cluster-secret-file), or put the"
                    + " secret in that file yourself", e);
        }
    }

    private static ClusterSecret load(Path file) throws IOException {
        String value = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (value.length() < TesseraProperties.MIN_SECRET_LENGTH) {
            throw new IllegalStateException("The cluster secret in " + file + " is shorter than "
                    + TesseraProperties.MIN_SECRET_LENGTH + " characters; delete the file to have a new one generated"
                    + " (then give the new one to every executor), or set tessera.cluster-secret");
        }
        if (isPosix() && !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
            log.warn("Cluster secret file {} is readable by others ({}); restrict it with: chmod 600 {}", file,
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file);
        }
        log.info("Cluster secret: using the one kept in {}; executors need the same value (agent: --secret-file"
                + " or TESSERA_CLUSTER_SECRET)", file);
        return new ClusterSecret(value, file);
    }

    private static ClusterSecret generate(Path file) throws IOException {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (isPosix()) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(temp);
        }
        Files.writeString(temp, value + "\n", StandardCharsets.UTF_8);
        try {
            // Without REPLACE_EXISTING: if another process created the file meanwhile, its secret wins.
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(temp);
            return load(file);
        }
        log.warn("Cluster secret: none was configured, so one was generated and kept in {} (owner-only), and shown"
                + " once on the console. Give every executor the same value (agent: --secret-file or"
                + " TESSERA_CLUSTER_SECRET)", file);
        OperatorConsole.show("""

                ==============================================================
                  Generated the cluster secret, kept in %s (owner-only).
                  Every executor needs it (agent: --secret-file or TESSERA_CLUSTER_SECRET):
                    %s
                  It is shown this once.
                ==============================================================""".formatted(file, value));
        return new ClusterSecret(value, file);
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
