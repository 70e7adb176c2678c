package io.tessera.admin.ui.runs;

import com.github.mvysny.kaributesting.v10.ComboBoxKt;
import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.QueryParameters;
import io.tessera.admin.store.RunStore;
import io.tessera.admin.store.Role;
import io.tessera.admin.ui.Formats;
import io.tessera.admin.ui.UiTestBase;
import io.tessera.core.model.JobRun;
import io.tessera.core.model.RunStatus;
import io.tessera.core.model.TriggerKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runs grid over the real store: filters narrow it, the address preselects them, a click opens
 * the run. The runs are recorded straight in the store, finished, on a day of 2001 of each test's
 * own, so that neither the engine nor other tests' runs change what these filters match.
 */
class RunsViewTest extends UiTestBase {

    /** Each test records its runs on a day of its own. */
    private static final AtomicInteger DAYS = new AtomicInteger();

    private Instant base;

    @Autowired
    RunStore runs;

    private String busyName;
    private long busy;
    private long quiet;

    @BeforeEach
    void recordRuns() {
        base = Instant.parse("2001-02-03T10:00:00Z").plus(Duration.ofDays(DAYS.getAndIncrement()));
        busyName = unique("ui-runs-busy");
        busy = echoJob(busyName);
        quiet = echoJob(unique("ui-runs-quiet"));
        List<RunStore.NewRun> fires = new ArrayList<>();
        for (int hour = 0; hour < 5; hour++) {
            fires.add(fire(busy, base, hour, hour < 3 ? RunStatus.SUCCEEDED : RunStatus.FAILED));
        }
        fires.add(fire(quiet, base, 0, RunStatus.SUCCEEDED));
        fires.add(fire(quiet, base, 1, RunStatus.CANCELLED));
        assertThat(runs.insertAll(fires)).hasSize(7);
        signIn(Role.VIEWER);
    }

    @Test
    void filtersByJobStatusAndTimeNarrowTheGrid() {
        UI.getCurrent().navigate(RunsView.class);
        Grid<RunPages.Line> grid = grid();
        assertThat(GridKt._size(grid)).as("every run, newest first").isGreaterThanOrEqualTo(7);

        ComboBox<JobChoice> job = _get(ComboBox.class, spec -> spec.withId("runs-filter-job"));
        ComboBoxKt.setUserInput(job, busyName);
        assertThat(ComboBoxKt.getSuggestions(job)).as("jobs searched by name").containsExactly(busyName);
        ComboBoxKt.selectByLabel(job, busyName);
        assertThat(GridKt._size(grid)).isEqualTo(5);
        assertThat(scheduledHours(grid)).as("newest first").containsExactly(4, 3, 2, 1, 0);
        assertThat(GridKt._getFormatted(grid, 0, "job")).isEqualTo(busyName);
        assertThat(GridKt._getFormatted(grid, 0, "scheduled")).isEqualTo(Formats.time(base.plusSeconds(4 * 3600)));
        assertThat(_get(Span.class, spec -> spec.withId("runs-matches")).getText()).isEqualTo("5 runs");

        Select<RunStatus> status = _get(Select.class, spec -> spec.withId("runs-filter-status"));
        _setValue(status, RunStatus.FAILED);
        assertThat(scheduledHours(grid)).containsExactly(4, 3);
        assertThat(GridKt._get(grid, 0).run().status()).isEqualTo(RunStatus.FAILED);

        _setValue(status, null);
        DateTimePicker from = _get(DateTimePicker.class, spec -> spec.withId("runs-filter-from"));
        DateTimePicker to = _get(DateTimePicker.class, spec -> spec.withId("runs-filter-to"));
        _setValue(from, utc(11, 0));
        _setValue(to, utc(13, 0));
        assertThat(scheduledHours(grid)).as("from inclusive, to exclusive, in UTC").containsExactly(2, 1);

        _setValue(job, null);
        _setValue(from, utc(10, 0));
        _setValue(to, utc(10, 30));
        assertThat(GridKt._size(grid)).as("the hour-0 runs of both jobs: nothing else runs on this day of 2001").isEqualTo(2);

        _setValue(to, utc(9, 0));
        assertThat(to.isInvalid()).as("a range that ends before it starts is flagged at its end").isTrue();
        assertThat(to.getErrorMessage()).contains("after the start");
        assertThat(GridKt._size(grid)).isZero();
    }

    @Test
    void theAddressPreselectsJobAndStatus() {
        navigate("jobId=" + busy + "&status=failed");
        assertThat(_get(ComboBox.class, spec -> spec.withId("runs-filter-job")).getValue()).isEqualTo(new JobChoice(busy, busyName));
        assertThat(_get(Select.class, spec -> spec.withId("runs-filter-status")).getValue()).isEqualTo(RunStatus.FAILED);
        assertThat(scheduledHours(grid())).containsExactly(4, 3);

        navigate("jobId=" + quiet);
        assertThat(GridKt._size(grid())).isEqualTo(2);

        navigate("jobId=abc&status=SLEEPING");
        ComboBox<?> job = _get(ComboBox.class, spec -> spec.withId("runs-filter-job"));
        assertThat(job.isInvalid()).isTrue();
        assertThat(job.getErrorMessage()).contains("'abc'");
        Select<?> status = _get(Select.class, spec -> spec.withId("runs-filter-status"));
        assertThat(status.isInvalid()).isTrue();
        assertThat(status.getErrorMessage()).contains("'SLEEPING'");
    }

    @Test
    void clickingARunOpensItsPage() {
        navigate("jobId=" + quiet);
        Grid<RunPages.Line> grid = grid();
        long newest = GridKt._get(grid, 0).run().id();
        GridKt._clickItem(grid, 0);
        assertThat(UI.getCurrent().getInternals().getActiveViewLocation().getPath()).isEqualTo("runs/" + newest);
        assertThat(_get(Span.class, spec -> spec.withId("run-status")).getText()).isEqualTo("CANCELLED");
    }

    @Test
    void aNewRunAppearsWithoutAskingForIt() {
        navigate("jobId=" + quiet);
        Grid<RunPages.Line> grid = grid();
        assertThat(GridKt._size(grid)).isEqualTo(2);

        assertThat(runs.insertAll(List.of(fire(quiet, base, 2, RunStatus.SUCCEEDED)))).hasSize(1);

        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            MockVaadin.runUIQueue();
            assertThat(GridKt._size(grid)).isEqualTo(3);
        });
        assertThat(scheduledHours(grid)).containsExactly(2, 1, 0);
    }

    private static void navigate(String query) {
        UI.getCurrent().navigate("runs", QueryParameters.fromString(query));
    }

    @SuppressWarnings("unchecked")
    private static Grid<RunPages.Line> grid() {
        return _get(Grid.class, spec -> spec.withId("runs-grid"));
    }

    private List<Integer> scheduledHours(Grid<RunPages.Line> grid) {
        return IntStream.range(0, GridKt._size(grid))
                .mapToObj(row -> (int) Duration.between(base, GridKt._get(grid, row).run().scheduledAt()).toHours())
                .toList();
    }

    private LocalDateTime utc(int hour, int minute) {
        return LocalDateTime.ofInstant(base, ZoneOffset.UTC).withHour(hour).withMinute(minute);
    }

    private static RunStore.NewRun fire(long jobId, Instant base, int hour, RunStatus status) {
        Instant at = base.plusSeconds(hour * 3600L);
        // No shards: the grid shows runs only, and a shard never placed would be a state no real run ends in.
        return new RunStore.NewRun(new JobRun(null, jobId, TriggerKind.MANUAL, at, status, "", 0, 1, at, at,
                at.plusSeconds(42), status == RunStatus.FAILED ? "exit code 1" : ""), null);
    }
}
