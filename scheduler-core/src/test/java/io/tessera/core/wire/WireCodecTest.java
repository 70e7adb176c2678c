package io.tessera.core.wire;

import io.tessera.core.model.BlockStrategy;
import io.tessera.core.model.Device;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.model.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tessera.core.wire.WireMessage.PROTOCOL_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireCodecTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:15:30.123Z");
    private static final List<DeviceId> TWO_GPUS = List.of(new DeviceId("GPU", 0), new DeviceId("GPU", 3));

    static Stream<Object> everyMessage() {
        return Stream.of(
                new TriggerRequest(PROTOCOL_VERSION, 41, 7, "train", "command", "python train.py --lr 0.1", 1, 2, 3,
                        TWO_GPUS, 600, BlockStrategy.DISCARD_NEW, new TriggerRequest.Rendezvous("10.0.0.5", 29500, 1),
                        T0, T0.plusMillis(2), "http://admin:8080/api/v1/internal/results"),
                new TriggerRequest(PROTOCOL_VERSION, 1, 1, "cron", "echo", "", 0, 1, 1, List.of(), 0,
                        BlockStrategy.SERIAL, null, T0, T0, null),
                new TriggerReply(PROTOCOL_VERSION, 41, 1, TriggerOutcome.ALREADY_CLAIMED, "exec-1", 0, "held by exec-2"),
                new TriggerBatch(PROTOCOL_VERSION, List.of(new TriggerRequest(PROTOCOL_VERSION, 1, 1, "cron", "echo", "", 0, 1,
                        1, List.of(), 0, BlockStrategy.SERIAL, null, T0, T0, null))),
                new TriggerBatchReply(PROTOCOL_VERSION, List.of(new TriggerReply(PROTOCOL_VERSION, 1, 0,
                        TriggerOutcome.REJECTED, "exec-1", 0, "bad"))),
                new KillRequest(PROTOCOL_VERSION, 41, 1, "cancelled by alice"),
                new KillRequest(PROTOCOL_VERSION, 41, 2, "preempted by run 9", true, 30),
                new KillReply(PROTOCOL_VERSION, 41, 1, true, "killed process tree of pid 4242"),
                new ShardResult(PROTOCOL_VERSION, 41, 1, 3, 7, "exec-1", RunStatus.FAILED, 137, "killed", T0,
                        T0.plusSeconds(5), 0x1_0000_002AL),
                new ResultBatch(PROTOCOL_VERSION, List.of(new ShardResult(PROTOCOL_VERSION, 41, 0, 1, 7, "exec-1",
                        RunStatus.SUCCEEDED, null, "", T0, T0.plusMillis(3), 42, TWO_GPUS))),
                new ResultBatchAck(PROTOCOL_VERSION, 3, 1),
                new LogRead(PROTOCOL_VERSION, 41, 1, 1024, LogRead.DEFAULT_MAX_BYTES),
                new LogChunk(PROTOCOL_VERSION, 41, 1, 1024, 1030, "épsilon\n", false),
                new ExecutorStatus(PROTOCOL_VERSION, "exec-1", "gpu", 4,
                        List.of(new ExecutorStatus.RunningShard(41, 1, "train", 3, TWO_GPUS, T0, 42)),
                        List.of(new DeviceId("GPU", 1))),
                new ErrorReply(PROTOCOL_VERSION, "bad_signature", "bad signature"),
                new ExecutorCard("exec-1", "gpu", "10.0.0.5:9999",
                        List.of(new Device("GPU", "nvidia", "NVIDIA H100 80GB HBM3", 81559, 0, "GPU-abc")), 4,
                        Map.of("zone", "eu-1"), "0.1.0"));
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void everyMessageSurvivesARoundTrip(Object message) {
        byte[] bytes = WireCodec.encode(message);
        assertThat(WireCodec.decode(bytes, message.getClass())).isEqualTo(message);
    }

    @Test
    void instantsAreWrittenAsEpochMillisecondsAndReadEitherWay() {
        String json = new String(WireCodec.encode(new ResultBatchAck(PROTOCOL_VERSION, 1, 0)), StandardCharsets.UTF_8);
        assertThat(json).contains("\"v\":" + PROTOCOL_VERSION);
        String trigger = new String(WireCodec.encode(everyMessage().findFirst().orElseThrow()), StandardCharsets.UTF_8);
        assertThat(trigger).contains("\"scheduledAt\":" + T0.toEpochMilli());
        byte[] iso = ("{\"v\":" + PROTOCOL_VERSION + ",\"runId\":1,\"shardIndex\":0,\"attempt\":1,\"jobId\":1,\"executorId\":\"e\","
                + "\"status\":\"SUCCEEDED\",\"exitCode\":null,\"message\":\"\",\"startedAt\":\"2026-11-25T10:15:30.123Z\","
                + "\"finishedAt\":" + T0.plusMillis(1).toEpochMilli() + ",\"fencingToken\":1,\"devices\":[]}").getBytes(StandardCharsets.UTF_8);
        ShardResult read = WireCodec.decode(iso, ShardResult.class);
        assertThat(read.startedAt()).as("ISO text is read too").isEqualTo(T0);
        assertThat(read.finishedAt()).isEqualTo(T0.plusMillis(1));
    }

    @Test
    void unknownFieldsFromANewerPeerAreIgnored() {
        byte[] json = ("{\"v\":" + PROTOCOL_VERSION + ",\"runId\":5,\"shardIndex\":0,\"reason\":\"x\",\"addedLater\":true}")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(WireCodec.decode(json, KillRequest.class)).isEqualTo(new KillRequest(PROTOCOL_VERSION, 5, 0, "x"));
    }

    @Test
    void aNewerProtocolVersionIsRefused() {
        byte[] json = ("{\"v\":" + (PROTOCOL_VERSION + 1) + ",\"runId\":5,\"shardIndex\":0,\"reason\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WireCodec.decode(json, KillRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("protocol version " + (PROTOCOL_VERSION + 1));
    }

    @Test
    void anOlderProtocolVersionIsRefusedWithAnUpgradeHint() {
        byte[] json = "{\"v\":1,\"runId\":5,\"shardIndex\":0,\"reason\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WireCodec.decode(json, KillRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("protocol version 1")
                .hasMessageContaining("upgrade admins and agents together");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingItsField() {
        byte[] json = ("{\"v\":" + PROTOCOL_VERSION + ",\"runId\":\"five\",\"shardIndex\":0,\"reason\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WireCodec.decode(json, KillRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("at field 'runId'");
    }

    @Test
    void jsonNullIsRefusedNotReturned() {
        assertThatThrownBy(() -> WireCodec.decode("null".getBytes(StandardCharsets.UTF_8), KillRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("body");
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedNamingTheBody() {
        assertThatThrownBy(() -> WireCodec.decode("{".getBytes(StandardCharsets.UTF_8), KillRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageStartingWith("not a valid KillRequest body: ");
    }

    @Test
    void aResultBatchIsNeverEmptyNorUnbounded() {
        ShardResult one = new ShardResult(PROTOCOL_VERSION, 1, 0, 1, 1, "e", RunStatus.SUCCEEDED, null, "", T0, T0, 1);
        assertThatThrownBy(() -> new ResultBatch(PROTOCOL_VERSION, List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new ResultBatch(PROTOCOL_VERSION, java.util.Collections.nCopies(ResultBatch.MAX_RESULTS + 1, one)))
                .hasMessageContaining("at most " + ResultBatch.MAX_RESULTS);
    }

    @Test
    void malformedInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> WireCodec.decode(new byte[0], KillRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("empty body");
        assertThatThrownBy(() -> WireCodec.decode("{not json".getBytes(StandardCharsets.UTF_8), KillRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("not a valid KillRequest");
        assertThatThrownBy(() -> WireCodec.decode("{\"v\":2,\"shardIndex\":0}".getBytes(StandardCharsets.UTF_8), KillRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("runId");
        assertThatThrownBy(() -> WireCodec.decode("{\"runId\":1,\"shardIndex\":0,\"reason\":\"\"}".getBytes(StandardCharsets.UTF_8), KillRequest.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("'v'");
        assertThatThrownBy(() -> WireCodec.decode("{\"v\":2,\"runId\":1,\"shardIndex\":0,\"attempt\":1,\"jobId\":1,\"executorId\":\"e\",\"status\":\"RUNNING\",\"exitCode\":null,\"message\":\"\",\"startedAt\":null,\"finishedAt\":null,\"fencingToken\":1,\"devices\":[]}"
                .getBytes(StandardCharsets.UTF_8), ShardResult.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("terminal status");
        assertThatThrownBy(() -> WireCodec.decode("{\"v\":2,\"error\":5,\"message\":[1]}".getBytes(StandardCharsets.UTF_8), ErrorReply.class))
                .isInstanceOf(WireFormatException.class);
    }
}
