package io.tessera.admin.ui.runs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.grid.dataview.GridListDataView;
import com.vaadin.flow.component.icon.VaadinIcon;
import io.tessera.admin.ui.Formats;
import io.tessera.admin.ui.StatusBadge;
import io.tessera.core.model.DeviceId;
import io.tessera.core.model.ShardRun;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A run's shards: where each ran, on which devices, which attempt, how it went; a Log button per row
 * (and selecting a row) shows that shard's log. A run holds at most
 * {@link io.tessera.core.model.JobDefinition#MAX_SHARDS} shards, read in one query with the run,
 * so the grid keeps them in memory; the browser still receives only the rows it shows.
 */
final class ShardsGrid extends Grid<ShardRun> {

    static final int ALL_ROWS = 10;

    private final List<ShardRun> shards = new ArrayList<>();
    private final GridListDataView<ShardRun> view;

    ShardsGrid(Consumer<ShardRun> showLog) {
        setId("shards-grid");
        addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        setAllRowsVisible(true);
        addColumn(ShardRun::shardIndex).setKey("index").setHeader("Shard").setAutoWidth(true).setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        addColumn(shard -> shard.executorId() == null ? "" : shard.executorId()).setKey("executor").setHeader("Executor")
                .setAutoWidth(true);
        Column<ShardRun> devices = addColumn(shard -> shard.devices().stream().map(DeviceId::toString)
                .collect(Collectors.joining(", "))).setKey("devices").setHeader("Devices").setAutoWidth(true);
        Column<ShardRun> attempt = addColumn(ShardRun::attempt).setKey("attempt").setHeader("Attempt").setAutoWidth(true)
                .setFlexGrow(0);
        addComponentColumn(shard -> StatusBadge.of(shard.status())).setKey("status").setHeader("Status")
                .setWidth(RunsView.STATUS_WIDTH).setFlexGrow(0);
        Column<ShardRun> started = addColumn(shard -> Formats.time(shard.startedAt())).setKey("started")
                .setHeader("Started (UTC)").setWidth(RunsView.TIME_WIDTH).setFlexGrow(0);
        Column<ShardRun> finished = addColumn(shard -> Formats.time(shard.finishedAt())).setKey("finished")
                .setHeader("Finished").setWidth(RunsView.TIME_WIDTH).setFlexGrow(0);
        addColumn(shard -> shard.startedAt() == null ? "" : Formats.between(shard.startedAt(), shard.finishedAt()))
                .setKey("duration").setHeader("Duration").setWidth(RunsView.DURATION_WIDTH).setFlexGrow(0);
        Column<ShardRun> message = addColumn(shard -> shard.message() == null ? "" : shard.message()).setKey("message")
                .setHeader("Message").setFlexGrow(1).setTooltipGenerator(shard -> shard.message() == null ? "" : shard.message());
        addComponentColumn(shard -> logButton(shard, showLog)).setKey("log").setHeader("").setAutoWidth(true)
                .setFlexGrow(0).setFrozenToEnd(true);
        ResponsiveColumns.hideBelow(this, 800, List.of(devices, attempt, started, finished, message));

        view = setItems(shards);
        view.setIdentifierProvider(ShardRun::shardIndex);
        setSelectionMode(SelectionMode.SINGLE);
        asSingleSelect().addValueChangeListener(event -> {
            if (event.isFromClient() && event.getValue() != null) {
                showLog.accept(event.getValue());
            }
        });
    }

    /**
     * Shows these shards when they differ from those shown, or while one runs (its duration grows).
     * Up to {@value #ALL_ROWS} shards the grid is as tall as its rows; more scroll inside it.
     */
    void show(List<ShardRun> latest) {
        boolean running = latest.stream().anyMatch(shard -> shard.startedAt() != null && !shard.status().isTerminal());
        if (latest.equals(shards) && !running) {
            return;
        }
        shards.clear();
        shards.addAll(latest);
        if (latest.size() > ALL_ROWS) {
            setAllRowsVisible(false);
            setHeight("420px");
        }
        view.refreshAll();
    }

    private static Button logButton(ShardRun shard, Consumer<ShardRun> showLog) {
        Button button = new Button("Log", VaadinIcon.FILE_TEXT_O.create(), click -> showLog.accept(shard));
        button.setId("shard-log-" + shard.shardIndex());
        button.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        if (shard.executorId() == null) {
            button.setEnabled(false);
            button.setTooltipText("The shard has not been placed on an executor yet");
        }
        return button;
    }
}
