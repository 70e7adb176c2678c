package io.tessera.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The parsers of what other programs print: /proc stat, mntr, jcmd, log lines. */
class ReadingsTest {

    @Test
    void cpuTicksAreUtimePlusStimeEvenWhenTheCommandHasSpaces() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 12345 0 3 0 1500 250 0 0 20 0 40 0 99 0 0";
        assertThat(ProcStat.cpuTicks(stat)).isEqualTo(1750);
    }

    @Test
    void thisProcessHasUsedSomeCpu() {
        assertThat(ProcStat.cpuSeconds(ProcessHandle.current().pid())).isPresent();
    }

    @Test
    void mntrKeepsTheNumbers() {
        Map<String, Long> m = ZkFourLetter.parseMntr("zk_version\t3.9.5-1\nzk_packets_received\t1200\n"
                + "zk_znode_count\t57\nzk_server_state\tstandalone\n");
        assertThat(m).containsExactly(Map.entry("zk_packets_received", 1200L), Map.entry("zk_znode_count", 57L));
    }

    @Test
    void heapInfoGivesTheUsedKilobytes() {
        String g1 = "12345:\n garbage-first heap   total 262144K, used 71680K [0x00000000f0000000, 0x0000000100000000)\n"
                + "  region size 1024K, 40 young (40960K), 3 survivors (3072K)\n";
        assertThat(Jcmd.parseUsedKb(g1)).hasValue(71680);
        assertThat(Jcmd.parseUsedKb("no heap here")).isEmpty();
    }

    @Test
    void logLinesFoldTheirNumbersAndKeepTheLogger() {
        assertThat(LogScan.fold("12345 --- [tessera-admin] [main] i.t.admin.engine.Dispatcher     : trigger 42 of run 7 failed"))
                .isEqualTo("Dispatcher: trigger # of run # failed");
        assertThat(LogScan.fold("[main] i.t.executor.TesseraAgent - executor 127.0.0.1-ab12 closed"))
                .isEqualTo("TesseraAgent: executor #.#.#.#-ab# closed");
    }

    @Test
    void logSummariesCountWarningsAndErrorsUpToTheStop(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("admin.log");
        Files.writeString(log, """
                2026-12-03T11:20:54.094Z  WARN 6284 --- [tessera-admin] [engine] i.t.a.engine.EngineSession : Trigger of run 45 failed
                2026-12-03T11:20:54.101Z  WARN 6284 --- [tessera-admin] [engine] i.t.a.engine.EngineSession : Trigger of run 46 failed
                2026-12-03T11:20:55.000Z  INFO 6284 --- [tessera-admin] [main] i.t.a.Other : fine
                2026-12-03T11:20:56.000Z ERROR 6284 --- [tessera-admin] [main] i.t.a.Other : broken
                """);
        Map<Path, Long> atStop = LogScan.sizes(List.of(log));
        Files.writeString(log, "2026-12-03T11:21:00.000Z  WARN 6284 --- [a] [b] i.t.a.Stop : stopping noise\n",
                java.nio.file.StandardOpenOption.APPEND);

        TrialResult.LogSummary untilStop = LogScan.summarize(List.of(log), atStop);
        TrialResult.LogSummary all = LogScan.summarize(List.of(log));

        assertThat(untilStop.errors()).isEqualTo(1);
        assertThat(untilStop.warnings()).isEqualTo(2);
        assertThat(untilStop.top()).first().isEqualTo("2× WARN EngineSession: Trigger of run # failed");
        assertThat(all.warnings()).isEqualTo(3);
    }
}
