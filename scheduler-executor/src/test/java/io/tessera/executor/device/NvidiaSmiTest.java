package io.tessera.executor.device;

import io.tessera.core.model.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser on recorded outputs, and the detector against stand-in executables (the one external
 * edge faked here: this machine has no NVIDIA driver).
 */
class NvidiaSmiTest {

    @TempDir
    Path dir;

    @Test
    void parsesOneGpu() throws IOException {
        assertThat(NvidiaSmiParser.parse(recorded("one-gpu.csv"))).containsExactly(
                new Device("GPU", "nvidia", "NVIDIA GeForce RTX 4090", 24564, 0, "GPU-5e3b9a1c-7d2f-4b8e-9a61-0c2d4e6f8a10"));
    }

    @Test
    void parsesEightH100s() throws IOException {
        List<Device> devices = NvidiaSmiParser.parse(recorded("eight-h100.csv"));
        assertThat(devices).hasSize(8);
        assertThat(devices).extracting(Device::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(devices).allSatisfy(d -> {
            assertThat(d.model()).isEqualTo("NVIDIA H100 80GB HBM3");
            assertThat(d.memoryMb()).isEqualTo(81559);
            assertThat(d.kind()).isEqualTo("GPU");
            assertThat(d.uuid()).startsWith("GPU-");
        });
        assertThat(devices.get(7).uuid()).isEqualTo("GPU-88713dc9-acbe-4f2a-9b6c-7d8e9fa0b1c7");
    }

    @Test
    void skipsLinesThatAreNotGpus() throws IOException {
        assertThat(NvidiaSmiParser.parse(recorded("garbage.csv"))).extracting(Device::index).containsExactly(0, 3);
        assertThat(NvidiaSmiParser.parse("")).isEmpty();
        assertThat(NvidiaSmiParser.parse(recorded("failed.txt"))).isEmpty();
    }

    @Test
    void detectsWhatTheToolPrintsAndPassesTheQuery() throws IOException {
        Files.writeString(dir.resolve("out.csv"), recorded("eight-h100.csv"));
        Path tool = script("echo \"$@\" >> " + dir.resolve("args") + "; cat " + dir.resolve("out.csv"));
        List<Device> devices = new NvidiaSmiDetector(tool.toString(), Duration.ofSeconds(10)).detect();
        assertThat(devices).hasSize(8);
        assertThat(Files.readAllLines(dir.resolve("args")))
                .containsExactly("--query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits", "topo -m", "-L");
    }

    @Test
    void aMissingToolMeansNoDevices() {
        assertThat(new NvidiaSmiDetector(dir.resolve("no-such-nvidia-smi").toString(), Duration.ofSeconds(5)).detect()).isEmpty();
    }

    @Test
    void aFailingToolMeansNoDevices() throws IOException {
        Files.writeString(dir.resolve("failed.txt"), recorded("failed.txt"));
        Path tool = script("cat " + dir.resolve("failed.txt") + "; exit 9");
        assertThat(new NvidiaSmiDetector(tool.toString(), Duration.ofSeconds(10)).detect()).isEmpty();
    }

    @Test
    void aHangingToolIsCutOffAtTheTimeout() throws IOException {
        Path tool = script("exec sleep 60");
        Instant start = Instant.now();
        assertThat(new NvidiaSmiDetector(tool.toString(), Duration.ofMillis(500)).detect()).isEmpty();
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
    }

    private Path script(String body) throws IOException {
        Path tool = dir.resolve("nvidia-smi");
        Files.writeString(tool, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tool;
    }

    static String recorded(String name) throws IOException {
        try (InputStream in = NvidiaSmiTest.class.getResourceAsStream("/nvidia-smi/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
