package io.tessera.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void profilesSetLoadsAndDefaults() {
        assertThat(BenchOptions.parse(new String[] {"--profile", "single:200"}).loads())
                .containsExactly(new BenchOptions.Load(200, 1));
        assertThat(BenchOptions.parse(new String[] {"--profile=sharded"}).loads())
                .containsExactly(new BenchOptions.Load(300, 10));
        BenchOptions soak = BenchOptions.parse(new String[] {"--profile", "soak:100x3"});
        assertThat(soak.loads()).containsExactly(new BenchOptions.Load(100, 3));
        assertThat(soak.window()).isEqualTo(Duration.ofMinutes(10));
        assertThat(soak.sampleEvery()).isEqualTo(Duration.ofSeconds(10));
        BenchOptions overload = BenchOptions.parse(new String[] {"--profile", "overload"});
        assertThat(overload.healthEvery()).isEqualTo(Duration.ofSeconds(1));
        assertThat(overload.dropTo()).isEqualTo(150);
        assertThat(soak.dropTo()).isZero();
        assertThat(BenchOptions.parse(new String[] {"--profile", "overload:3000x10", "--drop-to", "30"}).dropTo()).isEqualTo(30);
    }

    @Test
    void aSweepTurnsOfferedShardRunsIntoJobs() {
        BenchOptions sweep = BenchOptions.parse(new String[] {"--profile", "sweep:100,300,1000", "--shards", "10"});
        assertThat(sweep.loads()).containsExactly(new BenchOptions.Load(10, 10), new BenchOptions.Load(30, 10),
                new BenchOptions.Load(100, 10));
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--profile", "sweep:105", "--shards", "10"}))
                .hasMessageContaining("multiple");
    }

    @Test
    void explicitOptionsWinAndPassThrough() {
        BenchOptions o = BenchOptions.parse(new String[] {"--profile", "soak", "--window", "60", "--jobs", "50",
                "--agents", "3", "--zookeeper", "standalone", "--admin-arg=--tessera.engine.tick=20ms",
                "--admin-jvm", "-Xmx1g", "--no-record"});
        assertThat(o.loads()).containsExactly(new BenchOptions.Load(50, 10));
        assertThat(o.window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.agents()).isEqualTo(3);
        assertThat(o.standaloneZooKeeper()).isTrue();
        assertThat(o.adminArgs()).containsExactly("--tessera.engine.tick=20ms");
        assertThat(o.adminJvm()).containsExactly("-Xmx1g");
        assertThat(o.workerJvm()).containsExactly("-Xmx512m");
        assertThat(o.record()).isFalse();
        assertThat(o.commandLine()).isEqualTo("java -jar scheduler-bench/target/scheduler-bench.jar --profile soak"
                + " --window 60 --jobs 50 --agents 3 --zookeeper standalone --admin-arg=--tessera.engine.tick=20ms"
                + " --admin-jvm -Xmx1g --no-record");
    }

    @Test
    void mistakesSayWhat() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--profile", "fast"})).hasMessageContaining("fast");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--jobs", "-3"})).hasMessageContaining("--jobs");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--zookeeper", "remote"})).hasMessageContaining("embedded");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--window"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--frobnicate", "1"})).hasMessageContaining("--frobnicate");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--profile", "overload:100x1", "--drop-to", "100"}))
                .hasMessageContaining("fewer than the jobs");
    }
}
