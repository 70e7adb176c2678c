package io.tessera.executor.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A secret read from a file ({@code --secret-file}, {@code --zookeeper-auth-file}), so that it appears
 * neither in the command line ({@code ps}) nor in the agent's environment. The value is the file's
 * text without surrounding white space. A file that group or others may read works, with a warning.
 */
final class SecretFile {

    private static final Logger log = LoggerFactory.getLogger(SecretFile.class);
    private static final Set<PosixFilePermission> OPEN = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private SecretFile() {
    }

    /** @param option the option that named the file, for messages */
    static String read(String option, Path file) throws UsageException {
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UsageException(option + " " + file + " cannot be read (" + e + ")");
        }
        if (value.isEmpty()) {
            throw new UsageException(option + " " + file + " is empty; put the secret in it");
        }
        warnIfOpen(file);
        return value;
    }

    private static void warnIfOpen(Path file) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(OPEN::contains)) {
                log.warn("secret file {} is open to others ({}); restrict it with: chmod 600 {}", file,
                        PosixFilePermissions.toString(permissions), file);
            }
        } catch (IOException e) {
            log.warn("cannot read the permissions of secret file {} ({}); make sure only this user can read it", file,
                    e.toString());
        }
    }
}
