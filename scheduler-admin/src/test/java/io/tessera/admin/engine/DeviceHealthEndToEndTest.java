package io.tessera.admin.engine;

import io.tessera.admin.cluster.ExecutorDirectory;
import io.tessera.core.model.AcceleratorRequirement;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.JobDefinition;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import io.tessera.executor.TesseraAgent;
import io.tessera.executor.handler.HandlerResult;
import io.tessera.executor.log.ShardLogFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A GPU that starts reporting ECC errors, end to end: a real agent (its {@code nvidia-smi} a stand-in
 * script, the one external edge) re-publishes its card in ZooKeeper, the admin's directory sees the
 * device unhealthy, the shard running on it is told in its log, and the admin places nothing more on it.
 */
class DeviceHealthEndToEndTest extends EngineTestBase {

    @Autowired
    ExecutorDirectory directory;

    @TempDir
    Path dir;

    @Test
    void aGpuReportingEccErrorsIsMarkedItsShardToldAndNoLongerPlacedOn() throws Exception {
        Path health = dir.resolve("health.csv");
        write(health, "0, 0, No, No, No\n1, 0, No, No, No\n");
        CountDownLatch release = new CountDownLatch(1);
        TesseraAgent agent = agents.start(agents.config("gpu-health").detectDevices(true).nvidiaSmi(fakeNvidiaSmi(health).toString())
                .healthInterval(Duration.ofMillis(200)), "train", context -> {
                    release.await(60, TimeUnit.SECONDS);
                    return HandlerResult.succeeded();
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> card(agent).devices().size() == 2);
        assertThat(card(agent).devices()).allMatch(device -> device.healthy());

        JobDefinition job = jobService.create(JobDefinition.builder("train-one-gpu").group("gpu-health").handler("train")
                .accelerators(AcceleratorRequirement.of("GPU", 1)).build(), "test");
        JobRun first = runService.trigger(job.id(), null, null, TriggerKind.API);
        await().atMost(Duration.ofSeconds(10)).until(() -> agents.of(first.id()).size() == 1);
        assertThat(agents.of(first.id()).get(0).devices()).containsExactly(new DeviceId("GPU", 0));

        write(health, "0, 2, No, No, No\n1, 0, No, No, No\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> !card(agent).devices().get(0).healthy());
        assertThat(card(agent).devices().get(0).health()).isEqualTo("2 uncorrectable ECC error(s) since the driver loaded");
        assertThat(card(agent).devices().get(1).healthy()).isTrue();
        Path shardLog = new ShardLogFiles(agent.config().logDir()).file(first.id(), 0, agents.of(first.id()).get(0).attempt());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(shardLog)
                && Files.readString(shardLog).contains("WARNING: device GPU:0 (NVIDIA H100 80GB HBM3, GPU-aaaa) this shard runs on"
                + " turned unhealthy: 2 uncorrectable ECC error(s) since the driver loaded"));

        release.countDown();
        awaitRun(first.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
        CountDownLatch holdSecond = new CountDownLatch(1);
        agent.handlers().register("hold", context -> {
            holdSecond.await(60, TimeUnit.SECONDS);
            return HandlerResult.succeeded();
        });
        JobDefinition holding = jobService.create(JobDefinition.builder("hold-one-gpu").group("gpu-health").handler("hold")
                .accelerators(AcceleratorRequirement.of("GPU", 1)).build(), "test");
        JobRun second = runService.trigger(holding.id(), null, null, TriggerKind.API);
        awaitRun(second.id(), RunStatus.RUNNING, Duration.ofSeconds(10));
        assertThat(shards(second.id())).singleElement().satisfies(shard -> assertThat(shard.devices()).containsExactly(new DeviceId("GPU", 1)));

        JobRun third = runService.trigger(job.id(), null, null, TriggerKind.API);
        JobRun waiting = awaitRun(third.id(), RunStatus.WAITING, Duration.ofSeconds(10));
        assertThat(waiting.message()).contains("must wait");
        assertThat(agents.of(third.id())).isEmpty();

        write(health, "0, 0, No, No, No\n1, 0, No, No, No\n");
        await().atMost(Duration.ofSeconds(20)).until(() -> agents.of(third.id()).size() == 1);
        assertThat(agents.of(third.id()).get(0).devices()).containsExactly(new DeviceId("GPU", 0));
        holdSecond.countDown();
        awaitRun(second.id(), RunStatus.SUCCEEDED, Duration.ofSeconds(20));
    }

    private ExecutorCard card(TesseraAgent agent) {
        return directory.byId(agent.executorId()).orElseThrow();
    }

    private Path fakeNvidiaSmi(Path health) throws IOException {
        Path tool = dir.resolve("nvidia-smi");
        Files.writeString(tool, "#!/bin/sh\ncase \"$*\" in\n"
                + "  --query-gpu=index,uuid*) printf '0, GPU-aaaa, NVIDIA H100 80GB HBM3, 81559\\n1, GPU-bbbb, NVIDIA H100 80GB HBM3, 81559\\n' ;;\n"
                + "  --query-gpu=index,ecc*) cat " + health + " ;;\n"
                + "  --query-gpu=index,utilization*) printf '0, 0, 0\\n1, 0, 0\\n' ;;\n"
                + "  *) exit 2 ;;\nesac\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tool;
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
