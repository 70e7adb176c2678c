package io.tessera.bench.chaos;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short chaos profile against the packaged jars, as {@code mvn verify} (and so {@code scripts/test.sh}
 * and {@code .ci/run}) runs it: the suite in its own JVM, exactly as a person runs it by hand, failing
 * on any violation of the ledger verdict. Its output stays in {@code target/chaos-short-it.log}, its
 * processes' logs and ledgers in {@code target/chaos/}.
 */
class ChaosShortIT {

    private static final long LIMIT_MINUTES = 12;

    @Test
    void theShortProfileFindsNothingLostAndNothingTwice() throws IOException, InterruptedException {
        Path module = Path.of("").toAbsolutePath();
        Path benchJar = module.resolve("target/scheduler-bench.jar");
        Path adminJar = module.resolveSibling("scheduler-admin").resolve("target/scheduler-admin.jar");
        assertThat(benchJar).as("mvn package builds it before the integration tests").isRegularFile();
        assertThat(adminJar).as("the reactor packages scheduler-admin before this module").isRegularFile();
        Path log = module.resolve("target/chaos-short-it.log");
        Path dir = module.resolve("target/chaos/it-short");
        Process suite = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", benchJar.toString(), ChaosSuite.class.getName(), "--profile", "chaos-short",
                "--admin-jar", adminJar.toString(), "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = suite.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES);
        if (!ended) {
            // TERM runs the suite's clean-up hook, which stops every process it started.
            suite.destroy();
            suite.waitFor(2, TimeUnit.MINUTES);
            suite.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(ended).as("the short profile ends within %d minutes; its output:%n%s", LIMIT_MINUTES, output).isTrue();
        assertThat(suite.exitValue()).as("exit status 0 means the verdict passed (1: it failed, 3: the run could not be"
                + " made); the suite's output:%n%s", output).isZero();
    }
}
