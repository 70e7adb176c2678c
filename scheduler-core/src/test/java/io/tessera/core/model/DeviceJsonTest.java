package io.tessera.core.model;

import io.tessera.core.wire.WireCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The card's devices stay readable both ways between agents and admins of different versions. */
class DeviceJsonTest {

    @Test
    void aCardOfAnOlderAgentReadsAsHealthyWithoutTopologyOrMeasurements() {
        String old = "{\"id\":\"e1\",\"group\":\"gpu\",\"address\":\"h:1\",\"slots\":4,\"labels\":{},\"version\":\"1\","
                + "\"devices\":[{\"kind\":\"GPU\",\"vendor\":\"nvidia\",\"model\":\"H100\",\"memoryMb\":81559,\"index\":0,\"uuid\":\"GPU-a\"}]}";
        ExecutorCard card = WireCodec.decode(old.getBytes(StandardCharsets.UTF_8), ExecutorCard.class);
        Device device = card.devices().get(0);
        assertThat(device).isEqualTo(new Device("GPU", "nvidia", "H100", 81559, 0, "GPU-a"));
        assertThat(device.healthy()).isTrue();
        assertThat(device.links()).isEmpty();
        assertThat(device.utilizationPercent()).isNull();
    }

    @Test
    void aPlainDeviceIsWrittenAsBeforeSoOlderAdminsReadIt() {
        String json = new String(WireCodec.encode(new Device("GPU", "nvidia", "H100", 81559, 0, "GPU-a")), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"kind\":\"GPU\",\"vendor\":\"nvidia\",\"model\":\"H100\",\"memoryMb\":81559,\"index\":0,\"uuid\":\"GPU-a\"}");
    }

    @Test
    void healthTopologyAndMeasurementsTravel() {
        Device device = new Device("GPU", "nvidia", "H100", 81559, 1, "GPU-b")
                .withTopology(3, Map.of(0, "NV18", 2, "NV18"))
                .withHealth("2 uncorrectable ECC errors")
                .withUsage(87, 40_000L);
        ExecutorCard card = new ExecutorCard("e1", "gpu", "h:1", List.of(device), 1, Map.of(), "2");
        ExecutorCard read = WireCodec.decode(WireCodec.encode(card), ExecutorCard.class);
        assertThat(read).isEqualTo(card);
        assertThat(read.devices().get(0).healthy()).isFalse();
        assertThat(read.devices().get(0).links()).containsEntry(0, "NV18");
    }

    @Test
    void aDeviceWithoutIndexIsRefused() {
        String json = "{\"id\":\"e1\",\"group\":\"gpu\",\"address\":\"h:1\",\"slots\":4,\"devices\":[{\"kind\":\"GPU\"}]}";
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> WireCodec.decode(json.getBytes(StandardCharsets.UTF_8), ExecutorCard.class))
                .hasMessageContaining("index");
    }
}
