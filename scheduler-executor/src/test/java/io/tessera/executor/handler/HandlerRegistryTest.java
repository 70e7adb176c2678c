package io.tessera.executor.handler;

import io.tessera.core.model.RunStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandlerRegistryTest {

    public static class Jobs {
        @TesseraHandler("resize")
        public HandlerResult resize(ShardContext context) {
            return HandlerResult.succeeded("resized " + context.params());
        }

        @TesseraHandler("ping")
        public String ping() {
            return "pong";
        }

        @TesseraHandler("explode")
        public void explode() throws Exception {
            throw new IllegalStateException("boom");
        }
    }

    public static class Bad {
        @TesseraHandler("two")
        public void two(String a, String b) {
        }
    }

    @Test
    void registersAnnotatedMethods() throws Exception {
        HandlerRegistry registry = new HandlerRegistry();
        assertThat(registry.registerAnnotated(new Jobs())).containsExactlyInAnyOrder("resize", "ping", "explode");
        assertThat(registry.find("ping").orElseThrow().handle(null)).isEqualTo(HandlerResult.succeeded("pong"));
        assertThatThrownBy(() -> registry.find("explode").orElseThrow().handle(null))
                .isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(registry.names()).containsExactlyInAnyOrder("resize", "ping", "explode");
    }

    @Test
    void refusesDuplicatesBadNamesAndTheBuiltInName() {
        HandlerRegistry registry = new HandlerRegistry();
        registry.register("a", ctx -> HandlerResult.succeeded());
        assertThatThrownBy(() -> registry.register("a", ctx -> HandlerResult.succeeded())).hasMessageContaining("already");
        assertThatThrownBy(() -> registry.register("command", ctx -> HandlerResult.succeeded())).hasMessageContaining("built-in");
        assertThatThrownBy(() -> registry.register("no spaces", ctx -> HandlerResult.succeeded())).hasMessageContaining("handler");
        assertThatThrownBy(() -> registry.registerAnnotated(new Bad())).hasMessageContaining("ShardContext");
        assertThatThrownBy(() -> registry.registerAnnotated(new Object())).hasMessageContaining("no public @TesseraHandler");
        assertThat(registry.unregister("a")).isTrue();
        assertThat(registry.find("a")).isEmpty();
    }

    @Test
    void resultsNeedATerminalStatus() {
        assertThatThrownBy(() -> new HandlerResult(RunStatus.RUNNING, "", null)).hasMessageContaining("terminal");
        assertThat(List.of(HandlerResult.failed("x").status())).containsExactly(RunStatus.FAILED);
    }
}
