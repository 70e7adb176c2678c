package io.tessera.core.zk;

import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.validation.ValidationException;
import io.tessera.core.wire.WireCodec;
import io.tessera.core.wire.WireFormatException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CardsTest {

    private static final Device GPU = new Device("GPU", "nvidia", "H100", 81559, 0, "GPU-1");

    @Test
    void aGoodExecutorCardReadsBack() {
        ExecutorCard card = new ExecutorCard("[fd00::5]-1a2b3c4d", "gpu", "[fd00::5]:9999", List.of(GPU), 8,
                Map.of("zone", "a"), "1.0");
        assertThat(Cards.executor(WireCodec.encode(card))).isEqualTo(card);
    }

    @Test
    void executorCardsThatCouldMisleadAreRefusedNamingTheField() {
        assertRefused(executor("e1", "my_gpu_box:9999", List.of(), Map.of(), "1"), "address");
        assertRefused(executor("e1", "10.0.0.5", List.of(), Map.of(), "1"), "address");
        assertRefused(executor("e 1", "10.0.0.5:9999", List.of(), Map.of(), "1"), "id");
        assertRefused(executor("e/1", "10.0.0.5:9999", List.of(), Map.of(), "1"), "id");
        assertRefused(executor("e".repeat(256), "10.0.0.5:9999", List.of(), Map.of(), "1"), "id");
        // So many devices do not fit in a node's bytes either; the count is checked on its own too.
        ExecutorCard crowded = new ExecutorCard("e1", "gpu", "10.0.0.5:9999", IntStream.range(0, Cards.MAX_DEVICES + 1)
                .mapToObj(i -> new Device("GPU", "", "", 1, i, null)).toList(), 8, Map.of(), "1");
        assertThatThrownBy(() -> Cards.check(crowded)).isInstanceOf(ValidationException.class).hasMessageStartingWith("devices:");
        assertRefused(executor("e1", "10.0.0.5:9999", List.of(new Device("GPU", "n", "m".repeat(300), 1, 0, null)),
                Map.of(), "1"), "devices.model");
        Map<String, String> labels = new HashMap<>();
        IntStream.range(0, Cards.MAX_LABELS + 1).forEach(i -> labels.put("k" + i, "v"));
        assertRefused(executor("e1", "10.0.0.5:9999", List.of(), labels, "1"), "labels");
        assertRefused(executor("e1", "10.0.0.5:9999", List.of(), Map.of(), "v".repeat(300)), "version");
    }

    @Test
    void oversizedEmptyOrGarbledNodesAreRefusedBeforeOrWhileDecoding() {
        byte[] huge = WireCodec.encode(new AdminCard("a1", "http://admin:8080", "1", Instant.now(), "FOLLOWER",
                "r".repeat(Cards.MAX_CARD_BYTES)));
        assertThatThrownBy(() -> Cards.admin(huge)).isInstanceOf(ValidationException.class).hasMessageContaining("card");
        assertThatThrownBy(() -> Cards.executor(new byte[0])).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Cards.executor("{oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void adminCardsNeedANameAndAPlainHttpUrl() {
        assertThat(Cards.admin(admin("admin-1", "https://admin.example.com:8443/tessera")).url())
                .isEqualTo("https://admin.example.com:8443/tessera");
        assertThat(Cards.admin(admin("admin-2", "http://[fd00::7]:8080")).id()).isEqualTo("admin-2");
        for (String url : List.of("file:///etc/passwd", "gopher://admin:70", "http://bad_host:8080",
                "http://user:pw@admin:8080", "http://admin:8080/?to=elsewhere", "http://admin:8080/#x", "not a url", "")) {
            assertThatThrownBy(() -> Cards.admin(admin("admin-1", url))).as(url)
                    .isInstanceOf(ValidationException.class).hasMessageContaining("url");
        }
        assertThatThrownBy(() -> Cards.admin(admin("../admin", "http://admin:8080")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("id");
    }

    private static byte[] executor(String id, String address, List<Device> devices, Map<String, String> labels,
                                   String version) {
        // Encoded as a map: the record's own constructor would refuse some of these before they reach the wire.
        Map<String, Object> card = new HashMap<>();
        card.put("id", id);
        card.put("group", "gpu");
        card.put("address", address);
        card.put("devices", devices);
        card.put("slots", 8);
        card.put("labels", labels);
        card.put("version", version);
        return WireCodec.encode(card);
    }

    private static byte[] admin(String id, String url) {
        return WireCodec.encode(new AdminCard(id, url, "1", Instant.now()));
    }

    private static void assertRefused(byte[] data, String field) {
        assertThatThrownBy(() -> Cards.executor(data)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field));
    }
}
