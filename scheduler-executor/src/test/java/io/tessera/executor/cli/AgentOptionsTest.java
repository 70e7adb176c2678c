package io.tessera.executor.cli;

import io.tessera.core.model.DeviceId;
import io.tessera.core.zk.ZkAccess;
import io.tessera.executor.config.AcceleratorSpec;
import io.tessera.executor.config.AgentConfig;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentOptionsTest {

    private static final String SECRET = "0123456789abcdef";

    @Test
    void everyOptionOfTheIssueIsUnderstood() throws Exception {
        AgentConfig config = AgentOptions.parse(List.of("--zookeeper", "zk1:2181,zk2:2181", "--namespace", "prod",
                "--group", "gpu", "--host", "10.1.2.3", "--port", "7777", "--data-dir", "/var/lib/tessera",
                "--secret", SECRET, "--accelerator", "GPU:nvidia:H100:81559:2", "--accelerator=NPU:huawei:910B:65536:1",
                "--no-detect", "--allow-command", "--slots", "4", "--admin-url", "http://admin:8080",
                "--label", "zone=a", "--session-timeout", "12", "--log-retention-days", "3"), Map.of());
        assertThat(config.zookeeper()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(config.namespace()).isEqualTo("prod");
        assertThat(config.group()).isEqualTo("gpu");
        assertThat(config.advertisedHost()).isEqualTo("10.1.2.3");
        assertThat(config.port()).isEqualTo(7777);
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/tessera"));
        assertThat(config.secret()).isEqualTo(SECRET);
        assertThat(config.accelerators()).containsExactly(AcceleratorSpec.parse("GPU:nvidia:H100:81559:2"),
                AcceleratorSpec.parse("NPU:huawei:910B:65536:1"));
        assertThat(config.detectDevices()).isFalse();
        assertThat(config.allowCommand()).isTrue();
        assertThat(config.slots()).isEqualTo(4);
        assertThat(config.adminUrl()).hasToString("http://admin:8080");
        assertThat(config.labels()).containsEntry("zone", "a");
        assertThat(config.sessionTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(config.logRetention()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void theHealthIntervalIsReadInSecondsAndZeroTurnsItOff() throws Exception {
        assertThat(AgentOptions.parse(List.of("--secret", SECRET, "--health-interval", "5"), Map.of()).healthInterval())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(AgentOptions.parse(List.of("--secret", SECRET, "--health-interval=0"), Map.of()).healthInterval()).isZero();
        assertThat(AgentOptions.parse(List.of("--secret", SECRET), Map.of()).healthInterval()).isEqualTo(Duration.ofSeconds(30));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--health-interval", "-1"), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("healthInterval");
    }

    @Test
    void theXidSourceIsACommandLineOrOffAndDmesgByDefault() throws Exception {
        assertThat(AgentOptions.parse(List.of("--secret", SECRET), Map.of()).xidSource()).isEqualTo("dmesg");
        assertThat(AgentOptions.parse(List.of("--secret", SECRET, "--xid-source", "journalctl -k -b"), Map.of()).xidSource())
                .isEqualTo("journalctl -k -b");
        assertThat(AgentOptions.parse(List.of("--secret", SECRET, "--xid-source=off"), Map.of()).xidSource()).isEqualTo("off");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--xid-source", "cat 'x"), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("xidSource");
    }

    @Test
    void aHostThatAUriCannotCarryIsRefusedNamingTheFlag() {
        for (String host : List.of("my_gpu_box", "gpu box", "gpu/box", "-gpu", "fe80::1%eth0", "1:2:3")) {
            assertThatThrownBy(() -> AgentOptions.parse(List.of("--host", host, "--secret", SECRET), Map.of()))
                    .as(host).isInstanceOf(UsageException.class)
                    .hasMessageStartingWith("--host '" + host + "'")
                    .hasMessageContaining("letters, digits, '-' and '.'");
        }
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--port", "70000", "--secret", SECRET), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--port");
    }

    @Test
    void anIpv6HostIsBracketedSoThatTheCardsAddressIsAUri() throws Exception {
        assertThat(AgentOptions.parse(List.of("--host", "fd00::5", "--secret", SECRET), Map.of()).advertisedHost())
                .isEqualTo("[fd00::5]");
        assertThat(AgentOptions.parse(List.of("--host", "[::1]", "--secret", SECRET), Map.of()).advertisedHost())
                .isEqualTo("[::1]");
        assertThat(AgentOptions.parse(List.of("--host", "gpu-box-7.example.org", "--secret", SECRET), Map.of()).advertisedHost())
                .isEqualTo("gpu-box-7.example.org");
        assertThat(java.net.URI.create("http://" + AgentOptions.parse(List.of("--host", "fd00::5", "--secret", SECRET),
                Map.of()).advertisedHost() + ":9999/status").getHost()).isEqualTo("[fd00::5]");
    }

    @Test
    void theSecretComesFromTheEnvironmentWhenNotGiven() throws Exception {
        assertThat(AgentOptions.parse(List.of(), Map.of(AgentOptions.SECRET_ENV, SECRET)).secret()).isEqualTo(SECRET);
        assertThat(AgentOptions.parse(List.of("--secret", SECRET + "x"), Map.of(AgentOptions.SECRET_ENV, SECRET)).secret())
                .isEqualTo(SECRET + "x");
    }

    @Test
    void zooKeeperCredentialsComeFromAFileOrTheEnvironmentElseFromTheSecret(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String explicit = "ops:zookeeper-password-0123";
        Path file = java.nio.file.Files.writeString(dir.resolve("zk-auth"), explicit + "\n");
        ZkAccess fromFile = AgentOptions.parse(List.of("--secret", SECRET, "--zookeeper-auth-file", file.toString()),
                Map.of(AgentOptions.ZOOKEEPER_AUTH_ENV, "env:another-password-0123")).zookeeperAccess();
        assertThat(fromFile.acl()).isEqualTo(ZkAccess.parse("test", explicit).acl());
        assertThat(AgentOptions.parse(List.of("--secret", SECRET), Map.of(AgentOptions.ZOOKEEPER_AUTH_ENV, explicit))
                .zookeeperAccess().acl()).isEqualTo(ZkAccess.parse("test", explicit).acl());
        assertThat(AgentOptions.parse(List.of("--secret", SECRET), Map.of()).zookeeperAccess().acl())
                .isEqualTo(ZkAccess.fromSecret(SECRET).acl());

        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--zookeeper-auth-file",
                dir.resolve("missing").toString()), Map.of())).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--zookeeper-auth-file").hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET), Map.of(AgentOptions.ZOOKEEPER_AUTH_ENV,
                "no-password"))).isInstanceOf(UsageException.class).hasMessageContaining("user:password");
        assertThat(AgentOptions.HELP).contains("--zookeeper-auth-file", AgentOptions.ZOOKEEPER_AUTH_ENV);
    }

    @Test
    void helpIsNotAConfiguration() throws Exception {
        assertThat(AgentOptions.parse(List.of("--help"), Map.of())).isNull();
        for (String option : List.of("--zookeeper", "--namespace", "--group", "--host", "--port", "--data-dir", "--secret",
                "--secret-file", "--accelerator", "--no-detect", "--allow-command", "--slots", "TESSERA_CLUSTER_SECRET")) {
            assertThat(AgentOptions.HELP).contains(option);
        }
        assertThat(AgentOptions.HELP).contains("(default 1024)");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--bogus"), Map.of())).isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown option '--bogus'");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--port"), Map.of())).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--port", "http"), Map.of())).hasMessageContaining("whole number");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--accelerator", "GPU"), Map.of()))
                .hasMessageContaining("KIND:VENDOR:MODEL:MEMORY_MB:COUNT");
        assertThatThrownBy(() -> AgentOptions.parse(List.of(), Map.of())).hasMessageContaining("secret");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--slots", "0"), Map.of())).hasMessageContaining("slots");
    }

    @Test
    void declaredDevicesShowUpAsIds() throws Exception {
        AgentConfig config = AgentOptions.parse(List.of("--secret", SECRET, "--accelerator", "GPU:nvidia:H100:81559:2"), Map.of());
        assertThat(config.accelerators().get(0).devices(0)).extracting(DeviceId::of)
                .containsExactly(new DeviceId("GPU", 0), new DeviceId("GPU", 1));
    }

    @Test
    void theSecretFileIsReadTrimmedAndOverridesTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, "  " + SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        List<ILoggingEvent> warnings = warningsOf(SecretFile.class);

        assertThat(AgentOptions.parse(List.of("--secret-file", file.toString()), Map.of(AgentOptions.SECRET_ENV,
                "from-the-environment-0123")).secret()).isEqualTo(SECRET);
        assertThat(AgentOptions.parse(List.of("--secret-file=" + file), Map.of()).secret()).isEqualTo(SECRET);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aSecretFileOthersMayReadWorksWithAWarning(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, SECRET);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        List<ILoggingEvent> warnings = warningsOf(SecretFile.class);

        assertThat(AgentOptions.parse(List.of("--secret-file", file.toString()), Map.of()).secret()).isEqualTo(SECRET);
        assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("chmod 600 " + file).doesNotContain(SECRET);
    }

    @Test
    void aMissingEmptyOrDoubledSecretIsAUsageError(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret-file", dir.resolve("absent").toString()), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret-file", empty.toString()), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret-file", empty.toString(), "--secret", SECRET), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret-file"), Map.of()))
                .isInstanceOf(UsageException.class).hasMessageContaining("--secret-file needs a value");
    }

    @Test
    void aSecretOnTheCommandLineIsWarnedAbout() throws Exception {
        List<ILoggingEvent> warnings = warningsOf(AgentOptions.class);
        AgentOptions.parse(List.of("--secret", SECRET), Map.of());
        assertThat(warnings).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains("--secret-file").doesNotContain(SECRET);

        warnings.clear();
        AgentOptions.parse(List.of(), Map.of(AgentOptions.SECRET_ENV, SECRET));
        assertThat(warnings).isEmpty();
    }

    private static List<ILoggingEvent> warningsOf(Class<?> source) {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.detachAndStopAllAppenders();
        logger.addAppender(appender);
        return appender.list;
    }

    @Test
    void aPreviousSecretForRotationAndTheReportSizeLimitAreUnderstood() throws Exception {
        String previous = "the-previous-secret-0123";
        AgentConfig config = AgentOptions.parse(List.of("--secret", SECRET, "--previous-secret", previous,
                "--max-result-batch-bytes=1048576"), Map.of());
        assertThat(config.previousSecret()).isEqualTo(previous);
        assertThat(config.maxResultBatchBytes()).isEqualTo(1_048_576);
        AgentConfig fromEnvironment = AgentOptions.parse(List.of("--secret", SECRET),
                Map.of(AgentOptions.PREVIOUS_SECRET_ENV, previous));
        assertThat(fromEnvironment.previousSecret()).isEqualTo(previous);
        assertThat(fromEnvironment.maxResultBatchBytes()).as("the admins' default").isEqualTo(4 * 1024 * 1024);
        assertThat(AgentOptions.parse(List.of("--secret", SECRET), Map.of()).previousSecret()).isNull();
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--previous-secret", "short"), Map.of()))
                .hasMessageContaining("previous cluster secret");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--previous-secret"), Map.of()))
                .hasMessageContaining("--previous-secret needs a value");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--secret", SECRET, "--max-result-batch-bytes", "1000"), Map.of()))
                .hasMessageContaining("maxResultBatchBytes");
    }
}
