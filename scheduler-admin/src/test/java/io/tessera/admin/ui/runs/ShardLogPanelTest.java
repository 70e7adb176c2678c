package io.tessera.admin.ui.runs;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.ShardRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** The log panel on its own (no admin): it appends what is new and keeps only the last 256 Ki characters. */
class ShardLogPanelTest {

    private final FakeShardLog executor = new FakeShardLog();
    private ShardLogPanel panel;

    @BeforeEach
    void open() {
        MockVaadin.setup();
        panel = new ShardLogPanel(executor, () -> { });
        UI.getCurrent().add(panel);
    }

    @AfterEach
    void close() {
        MockVaadin.tearDown();
    }

    @Test
    void appendsWhatIsNewAndKeepsTheLastPartOfALongLog() {
        panel.show(shard(RunStatus.RUNNING));
        MockVaadin.clientRoundtrip();
        int written = 0;
        for (int round = 0; round < 8; round++) {
            executor.write(FakeShardLog.lines(written + 1, written + 500, 100));
            written += 500;
            panel.poll();
            MockVaadin.clientRoundtrip();
            assertThat(panel.logText()).endsWith("line-" + written + " " + "x".repeat(100 - ("line-" + written + " ").length() - 1) + "\n");
        }

        String shown = panel.logText();
        assertThat(shown.length()).as("%d characters written", written * 100).isLessThanOrEqualTo(LogTail.KEEP_CHARS)
                .isGreaterThan(LogTail.KEEP_CHARS - 200);
        assertThat(shown).as("cut at a line start").startsWith("line-");
        assertThat(_get(Pre.class, spec -> spec.withId("shard-log")).getText()).isEqualTo(shown);
        assertThat(_get(Span.class, spec -> spec.withId("shard-log-trimmed")).getText()).contains("last 262,144 characters");
        assertThat(_get(Span.class, spec -> spec.withId("shard-log-state")).getText()).startsWith("Following");
        assertThat(panel.following()).isTrue();

        executor.stop();
        panel.update(shard(RunStatus.SUCCEEDED));
        panel.poll();
        MockVaadin.clientRoundtrip();
        assertThat(panel.following()).as("finished and read to its end").isFalse();
        assertThat(_get(Span.class, spec -> spec.withId("shard-log-state")).getText()).startsWith("The whole log");
        int reads = executor.reads();
        panel.poll();
        assertThat(executor.reads()).as("nothing more is read").isEqualTo(reads);
    }

    private static ShardRun shard(RunStatus status) {
        return new ShardRun(7, 0, status, "e1", 1, List.of(), Instant.now(), status.isTerminal() ? Instant.now() : null,
                null, "");
    }
}
