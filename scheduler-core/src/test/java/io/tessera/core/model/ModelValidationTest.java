package io.tessera.core.model;

import io.tessera.core.validation.ValidationException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelValidationTest {

    @Test
    void jobDefaultsAreUsable() {
        JobDefinition job = JobDefinition.builder("nightly-report").build();
        assertThat(job.group()).isEqualTo("default");
        assertThat(job.shardCount()).isEqualTo(1);
        assertThat(job.needsAccelerators()).isFalse();
        assertThat(job.usesCommandHandler()).isTrue();
        assertThat(job.toBuilder().shardCount(4).build().shardCount()).isEqualTo(4);
    }

    @Test
    void badJobsNameTheField() {
        assertField(() -> JobDefinition.builder("has space").build(), "name");
        assertField(() -> JobDefinition.builder("ok").group("a/b").build(), "group");
        assertField(() -> JobDefinition.builder("ok").shardCount(0).build(), "shards");
        assertField(() -> JobDefinition.builder("ok").shardCount(JobDefinition.MAX_SHARDS + 1).build(), "shards");
        assertField(() -> JobDefinition.builder("ok").maxRetries(-1).build(), "maxRetries");
        assertField(() -> JobDefinition.builder("ok").timeoutSeconds(-1).build(), "timeoutSeconds");
        assertField(() -> JobDefinition.builder("ok").params("x".repeat(JobDefinition.MAX_PARAMS_BYTES + 1)).build(), "params");
        assertField(() -> JobDefinition.builder("ok").id(7L).childJobIds(List.of(7L)).build(), "childJobIds");
        assertField(() -> JobDefinition.builder("ok").routing(RoutingStrategy.SHARDING_BROADCAST)
                .accelerators(AcceleratorRequirement.of("GPU", 1)).build(), "routing");
        assertField(() -> JobDefinition.builder("ok").routing(RoutingStrategy.SHARDING_BROADCAST).gang(true).build(), "gang");
        assertField(() -> JobDefinition.builder("ok").routing(null).build(), "routing");
    }

    @Test
    void executorCardSortsDevicesAndRefusesDuplicateIndices() {
        Device gpu1 = new Device("GPU", "nvidia", "T4", 15360, 1, null);
        Device gpu0 = new Device("GPU", "nvidia", "T4", 15360, 0, null);
        ExecutorCard card = new ExecutorCard("e1", "default", "10.0.0.5:9999", List.of(gpu1, gpu0), 4, Map.of(), "1");
        assertThat(card.devices()).containsExactly(gpu0, gpu1);
        assertThat(card.host()).isEqualTo("10.0.0.5");
        assertField(() -> new ExecutorCard("e1", "default", "h:1", List.of(gpu0, gpu0), 4, Map.of(), "1"), "devices");
        assertField(() -> new ExecutorCard("e1", "default", "h:1", List.of(), 0, Map.of(), "1"), "slots");
    }

    private static void assertField(Runnable action, String field) {
        assertThatThrownBy(action::run)
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field));
    }
}
