package io.tessera.admin.ui.executors;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import io.tessera.admin.overview.ClusterOverview.DeviceState;
import io.tessera.admin.overview.ClusterOverview.ExecutorState;
import io.tessera.admin.overview.MeasuredDevice;
import io.tessera.admin.ui.Formats;
import io.tessera.admin.ui.RunLink;
import io.tessera.core.model.Device;
import io.tessera.core.model.ExecutorCard;
import io.tessera.core.wire.ExecutorStatus;

import java.util.Map;
import java.util.TreeMap;

/**
 * One live executor: its group, address, labels, whether it answers, and a table of its devices
 * with each one's state and the shard that holds it. Updated in place on every refresh.
 */
final class ExecutorPanel extends Div {

    private final Span group = badge("contrast");
    private final Span answering = new Span();
    private final Span details = new Span();
    private final Div labels = new Div();
    private final Span problem = new Span();
    private final Grid<DeviceState> devices = new Grid<>();
    private Grid.Column<DeviceState> use;

    ExecutorPanel(String executorId) {
        setId(domId("executor-", executorId));
        addClassName("tessera-card");
        H3 title = new H3(executorId);
        title.getStyle().set("overflow-wrap", "anywhere");
        Div badges = new Div(group, answering);
        badges.getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "var(--lumo-space-xs)");
        details.getStyle().set("display", "block").set("font-size", "var(--lumo-font-size-s)")
                .set("overflow-wrap", "anywhere").set("margin", "var(--lumo-space-xs) 0");
        labels.getStyle().set("display", "flex").set("flex-wrap", "wrap").set("gap", "var(--lumo-space-xs)");
        problem.getStyle().set("display", "block").set("color", "var(--lumo-error-text-color)")
                .set("font-size", "var(--lumo-font-size-s)");
        add(title, badges, details, labels, problem, deviceTable(executorId));
    }

    void show(ExecutorState executor) {
        ExecutorCard card = executor.card();
        group.setText("group " + card.group());
        answering.setText(executor.reachable() ? "answering" : "not answering");
        answering.getElement().getThemeList().clear();
        answering.getElement().getThemeList().add("badge");
        answering.getElement().getThemeList().add(executor.reachable() ? "success" : "error");
        details.setText(card.address() + " · version " + (card.version().isEmpty() ? "unknown" : card.version())
                + " · " + card.slots() + (card.slots() == 1 ? " slot" : " slots")
                + (executor.reachable() ? " · " + executor.running().size() + " shard(s) running" : ""));
        labels.removeAll();
        for (Map.Entry<String, String> label : new TreeMap<>(card.labels()).entrySet()) {
            labels.add(badge("normal", label.getKey() + "=" + label.getValue()));
        }
        problem.setText(executor.error() == null ? "" : executor.error());
        problem.setVisible(executor.error() != null);
        devices.setItems(executor.devices());
        use.setVisible(executor.devices().stream().anyMatch(device -> MeasuredDevice.measured(device.device())));
    }

    private Component deviceTable(String executorId) {
        devices.setId(domId("devices-", executorId));
        devices.setAllRowsVisible(true);
        devices.setEmptyStateText("No devices");
        devices.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_NO_BORDER, GridVariant.LUMO_ROW_STRIPES);
        devices.addColumn(device -> device.id().toString()).setHeader("Device").setKey("device").setAutoWidth(true)
                .setFlexGrow(0);
        devices.addColumn(device -> device.device().model()).setHeader("Model").setKey("model").setAutoWidth(true);
        devices.addColumn(device -> memory(device.device().memoryMb())).setHeader("Memory").setKey("memory")
                .setAutoWidth(true).setFlexGrow(0);
        devices.addComponentColumn(ExecutorPanel::state).setHeader("State").setKey("state").setAutoWidth(true)
                .setFlexGrow(0);
        devices.addComponentColumn(device -> holder(device.holder())).setHeader("Held by").setKey("holder")
                .setWidth("12rem").setFlexGrow(1);
        use = devices.addColumn(device -> use(device.device())).setHeader("Use").setKey("use").setAutoWidth(true)
                .setFlexGrow(0);
        return devices;
    }

    /** Busy, free or unknown; with an "unhealthy" badge that says why when the agent found the device unfit. */
    private static Span state(DeviceState device) {
        Span occupancy = switch (device.occupancy()) {
            case BUSY -> badge("primary", "busy");
            case FREE -> badge("success", "free");
            case UNKNOWN -> badge("contrast", "unknown");
        };
        Span state = device.device().healthy() ? occupancy : new Span(occupancy, unhealthy(device.device()));
        state.getStyle().set("display", "inline-flex").set("gap", "var(--lumo-space-xs)");
        state.getElement().setAttribute("data-state", device.occupancy().name());
        state.getElement().setAttribute("data-healthy", Boolean.toString(device.device().healthy()));
        return state;
    }

    private static Span unhealthy(Device device) {
        Span badge = badge("error", "unhealthy");
        badge.setTitle(device.health() + " (not placed on)");
        badge.getElement().setAttribute("data-health", device.health());
        return badge;
    }

    /** What the agent last measured, e.g. {@code 87 % · 39.2 GiB used}; empty when it measured nothing. */
    static String use(Device device) {
        return DeviceUse.use(device);
    }

    private static Component holder(ExecutorStatus.RunningShard shard) {
        if (shard == null) {
            return new Span();
        }
        Span holder = new Span(RunLink.to(shard.runId(), "run #" + shard.runId() + " shard " + shard.shardIndex()),
                new Span(" · " + shard.jobName()
                        + (shard.startedAt() == null ? "" : " · for " + Formats.between(shard.startedAt(), null))));
        holder.getStyle().set("white-space", "normal");
        return holder;
    }

    /** {@code 79.6 GiB}, or MiB below one GiB. */
    static String memory(long memoryMb) {
        return DeviceUse.memory(memoryMb);
    }

    /** An element id from an executor id: characters other than letters, digits, '.', '_', ':' and '-' become '_'. */
    static String domId(String prefix, String executorId) {
        return prefix + executorId.replaceAll("[^A-Za-z0-9._:\\-]", "_");
    }

    private static Span badge(String variant) {
        return badge(variant, "");
    }

    private static Span badge(String variant, String text) {
        Span badge = new Span(text);
        badge.getElement().getThemeList().add("badge");
        badge.getElement().getThemeList().add(variant);
        return badge;
    }
}
