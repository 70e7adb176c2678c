package io.tessera.core.model;

import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireFormatException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The card says whether its endpoint speaks TLS; cards written before TLS existed still read, as plaintext. */
class ExecutorCardSchemeTest {

    private static final Device GPU = new Device("GPU", "nvidia", "H100", 81559, 0, null);

    @Test
    void aCardWithoutASchemeReadsAsHttp() {
        byte[] old = ("{\"id\":\"exec-1\",\"group\":\"gpu\",\"address\":\"10.0.0.5:9999\",\"devices\":[{\"kind\":\"GPU\","
                + "\"vendor\":\"nvidia\",\"model\":\"H100\",\"memoryMb\":81559,\"index\":0,\"uuid\":null}],\"slots\":4,"
                + "\"labels\":{\"zone\":\"eu-1\"},\"version\":\"0.1.0\"}").getBytes(StandardCharsets.UTF_8);

        ExecutorCard card = WireCodec.decode(old, ExecutorCard.class);

        assertThat(card).isEqualTo(new ExecutorCard("exec-1", "gpu", "10.0.0.5:9999", List.of(GPU), 4,
                Map.of("zone", "eu-1"), "0.1.0", "http"));
        assertThat(card.baseUrl()).isEqualTo("http://10.0.0.5:9999");
    }

    @Test
    void anHttpsCardSurvivesTheWireAndNamesItsBaseUrl() {
        ExecutorCard card = new ExecutorCard("exec-2", "gpu", "[fd00::5]:9443", List.of(GPU), 2, Map.of(), "1", "https");

        ExecutorCard read = WireCodec.decode(WireCodec.encode(card), ExecutorCard.class);

        assertThat(read).isEqualTo(card);
        assertThat(read.baseUrl()).isEqualTo("https://[fd00::5]:9443");
        assertThat(new String(WireCodec.encode(card), StandardCharsets.UTF_8)).contains("\"scheme\":\"https\"");
    }

    @Test
    void anotherSchemeIsRefused() {
        assertThatThrownBy(() -> new ExecutorCard("e", "gpu", "h:1", List.of(), 1, Map.of(), "1", "ftp"))
                .hasMessageContaining("scheme").hasMessageContaining("ftp");
        byte[] json = "{\"id\":\"e\",\"group\":\"gpu\",\"address\":\"h:1\",\"slots\":1,\"scheme\":\"gopher\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WireCodec.decode(json, ExecutorCard.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("gopher");
    }

    @Test
    void aCardMissingWhatItNeedsIsStillRefused() {
        byte[] noId = "{\"group\":\"gpu\",\"address\":\"h:1\",\"slots\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] noSlots = "{\"id\":\"e\",\"group\":\"gpu\",\"address\":\"h:1\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WireCodec.decode(noId, ExecutorCard.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> WireCodec.decode(noSlots, ExecutorCard.class))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("slots");
    }
}
