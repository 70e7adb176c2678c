package io.tessera.admin.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class ClusterSecretTest {

    @TempDir
    Path dataDir;

    @Test
    void aConfiguredSecretIsUsedAndNothingIsWritten() {
        ClusterSecret secret = ClusterSecret.resolve(properties(dataDir, "configured-secret-0123"));

        assertThat(secret.value()).isEqualTo("configured-secret-0123");
        assertThat(secret.file()).isNull();
        assertThat(dataDir.resolve("cluster-secret")).doesNotExist();
    }

    @Test
    void aGeneratedSecretIsKeptOwnerOnlyPrintedOnceAndReused(CapturedOutput output) throws Exception {
        Path nested = dataDir.resolve("not/yet/there");
        ClusterSecret first = ClusterSecret.resolve(properties(nested, null));
        ClusterSecret second = ClusterSecret.resolve(properties(nested, null));

        assertThat(second).isEqualTo(first);
        Path file = nested.resolve("cluster-secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(output.getAll().split(first.value(), -1)).hasSize(2);
        assertThat(output.getAll()).contains(file.toAbsolutePath().normalize().toString());
        assertThat(ClusterSecret.resolve(properties(dataDir, null)).value()).as("another data dir, another secret")
                .isNotEqualTo(first.value());
    }

    @Test
    void aLooseFileIsUsedWithAWarningAndAShortOneIsRefused(CapturedOutput output) throws Exception {
        Path file = dataDir.resolve("cluster-secret");
        Files.writeString(file, "kept-by-hand-0123456789\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(ClusterSecret.resolve(properties(dataDir, null)).value()).isEqualTo("kept-by-hand-0123456789");
        assertThat(output.getAll()).contains("chmod 600 " + file.toAbsolutePath().normalize());

        Files.writeString(file, "short");
        assertThatThrownBy(() -> ClusterSecret.resolve(properties(dataDir, null)))
                .hasMessageContaining("shorter than 16 characters").hasMessageContaining("delete the file");
    }

    private static TesseraProperties properties(Path dataDir, String secret) {
        return new TesseraProperties(dataDir, null, secret, null, null, null, null, null, null, null, null, null, null);
    }
}
