package io.tessera.admin.ui.dashboard;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.shared.ApplicationConstants;
import io.tessera.admin.overview.ClusterOverview;
import io.tessera.admin.overview.DeviceCount;
import io.tessera.admin.overview.MeasuredDevice;
import io.tessera.admin.ui.ViewRefresher;
import io.tessera.admin.ui.charts.EChart;
import io.tessera.admin.ui.executors.DeviceUse;
import io.tessera.core.zk.AdminCard;
import jakarta.annotation.security.RolesAllowed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The cluster at a glance: the leader and the admins, the live executors, devices in use, the quota
 * queues (where configured) with the devices each uses and borrows as the leader counts them, the
 * last day's runs by status, device utilisation over the last hour, each device's use as its agent last
 * measured it (busiest first; a device nothing was measured of is not listed), the runs waiting
 * longest and the latest failures. Refreshes itself through server push while open.
 */
@Route("")
@PageTitle("Dashboard · Tessera")
@RolesAllowed("VIEWER")
public class DashboardView extends VerticalLayout {

    private static final Logger log = LoggerFactory.getLogger(DashboardView.class);
    static final int DEVICE_USE_ROWS = 20;

    private final Span leader = figure("dash-leader");
    private final Span leaderNote = new Span();
    private final Span engine = new Span();
    private final Span adminCount = figure("dash-admin-count");
    private final Div admins = new Div();
    private final Span executors = figure("dash-executors");
    private final Span executorsNote = new Span();
    private final Grid<DeviceCount> devices = new Grid<>();
    private final Grid.Column<DeviceCount> unknownColumn;
    private final Grid<MeasuredDevice> deviceUse = new Grid<>();
    private final Span deviceUseNote = new Span();
    private final EChart runsChart = new EChart();
    private final EChart utilisationChart = new EChart();
    private final RunTable waiting = RunTable.waiting();
    private final RunTable failures = RunTable.failures();
    private final QuotaCard quotas = new QuotaCard();
    /** The quota queues' card, shown only where quota queues are configured. */
    private final Div quotaCard;
    private final Span error = new Span();

    public DashboardView(DashboardLoader loader, ViewRefresher refresher) {
        setWidthFull();
        leader.getStyle().set("font-size", "var(--lumo-font-size-l)").set("overflow-wrap", "anywhere");
        admins.setId("dash-admins");
        engine.setId("dash-engine");
        engine.getStyle().set("display", "block").set("font-size", "var(--lumo-font-size-s)").set("overflow-wrap", "anywhere");
        devices.setId("dash-devices");
        runsChart.setId("dash-runs-chart");
        utilisationChart.setId("dash-util-chart");
        error.setId("dash-error");
        error.getStyle().set("color", "var(--lumo-error-text-color)");
        error.setVisible(false);
        unknownColumn = deviceColumns();
        deviceUseColumns();

        quotaCard = card("Quota queues", quotas.grid(), note(quotas.note()));
        quotaCard.setId("dash-quota-card");
        quotaCard.setVisible(false);
        Anchor toExecutors = new Anchor("executors", "Executors and their devices");
        toExecutors.getElement().setAttribute(ApplicationConstants.ROUTER_LINK_ATTRIBUTE, "");
        add(new H2("Dashboard"), error,
                cells("12rem",
                        card("Leader", leader, note(leaderNote), engine),
                        card("Admins", adminCount, admins),
                        card("Live executors", executors, note(executorsNote), toExecutors)),
                cells("24rem",
                        card("Devices in use", devices),
                        quotaCard,
                        card("Runs of the last 24 h", runsChart),
                        card("Device utilisation, last hour", utilisationChart),
                        card("Device use, as measured", deviceUse, note(deviceUseNote)),
                        card("Waiting longest", waiting),
                        card("Latest failures", failures)));

        try {
            show(loader.load());
        } catch (RuntimeException e) {
            log.warn("Loading the dashboard failed", e);
            error.setText("Could not load everything: " + e.getMessage() + ". Trying again shortly.");
            error.setVisible(true);
        }
        refresher.whileAttached(this, loader::load, this::show);
    }

    /** The leader's engine, as the leader's card says: an overload or a pause shows its reason in the error colour. */
    private void showEngine(ClusterOverview.Admins cluster) {
        AdminCard leading = cluster.admins().stream().filter(admin -> admin.id().equals(cluster.leaderId())).findFirst()
                .orElse(null);
        if (leading == null || leading.engine() == null) {
            engine.setVisible(false);
            return;
        }
        boolean trouble = "OVERLOADED".equals(leading.engine()) || "PAUSED".equals(leading.engine());
        engine.setText("Engine " + leading.engine().toLowerCase(java.util.Locale.ROOT)
                + (trouble ? ": " + leading.engineReason() : ""));
        engine.getStyle().set("color", trouble ? "var(--lumo-error-text-color)" : "var(--lumo-success-text-color)");
        engine.setVisible(true);
    }

    void show(DashboardSnapshot snapshot) {
        error.setVisible(false);
        ClusterOverview.Admins cluster = snapshot.admins();
        leader.setText(cluster.leaderId() == null ? "none" : cluster.leaderId());
        leaderNote.setText(cluster.leaderId() == null ? "No admin leads: nothing is scheduled"
                : cluster.selfId().equals(cluster.leaderId()) ? "this admin" : "this admin is " + cluster.selfId());
        showEngine(cluster);
        adminCount.setText(Integer.toString(cluster.admins().size()));
        admins.removeAll();
        for (AdminCard admin : cluster.admins()) {
            Span line = new Span(admin.id() + " · " + admin.url());
            line.getStyle().set("display", "block").set("font-size", "var(--lumo-font-size-s)").set("overflow-wrap", "anywhere");
            admins.add(line);
        }

        executors.setText(Integer.toString(snapshot.executors().size()));
        long unreachable = snapshot.executors().stream().filter(executor -> !executor.reachable()).count();
        executorsNote.setText(unreachable == 0 ? "all answering" : unreachable + " not answering");

        devices.setItems(snapshot.devices());
        unknownColumn.setVisible(snapshot.devices().stream().anyMatch(count -> count.unknown() > 0));
        showDeviceUse(MeasuredDevice.of(snapshot.executors()));
        runsChart.setOption(DashboardCharts.runsByStatus(snapshot.recentRuns()));
        utilisationChart.setOption(DashboardCharts.utilisation(snapshot.usage()));
        waiting.show(snapshot.waiting());
        failures.show(snapshot.failures());
        quotas.show(snapshot.quotas());
        quotaCard.setVisible(!snapshot.quotas().rows().isEmpty());
    }

    /** The device table's columns; returns the "unknown" one, shown only while some executor does not answer. */
    private Grid.Column<DeviceCount> deviceColumns() {
        devices.setAllRowsVisible(true);
        devices.setEmptyStateText("No executor has devices");
        devices.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_NO_BORDER);
        devices.addColumn(DeviceCount::kind).setHeader("Kind").setKey("kind").setAutoWidth(true).setFlexGrow(0);
        devices.addColumn(DeviceCount::model).setHeader("Model").setKey("model").setFlexGrow(1);
        devices.addColumn(count -> count.busy() + " / " + count.total()).setHeader("In use").setKey("inUse")
                .setAutoWidth(true).setFlexGrow(0);
        devices.addColumn(DeviceCount::free).setHeader("Free").setKey("free").setAutoWidth(true).setFlexGrow(0);
        return devices.addColumn(DeviceCount::unknown).setHeader("Unknown").setKey("unknown").setAutoWidth(true)
                .setFlexGrow(0);
    }

    /** The busiest {@link #DEVICE_USE_ROWS} measured devices, and how many there are. */
    private void showDeviceUse(List<MeasuredDevice> measured) {
        deviceUse.setItems(measured.subList(0, Math.min(DEVICE_USE_ROWS, measured.size())));
        deviceUseNote.setText(measured.size() > DEVICE_USE_ROWS ? "the busiest " + DEVICE_USE_ROWS + " of " + measured.size()
                + " measured devices" : "");
        deviceUseNote.setVisible(measured.size() > DEVICE_USE_ROWS);
    }

    private void deviceUseColumns() {
        deviceUse.setId("dash-device-use");
        deviceUseNote.setId("dash-device-use-note");
        deviceUse.setAllRowsVisible(true);
        deviceUse.setEmptyStateText("No agent measured its devices' use");
        deviceUse.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_NO_BORDER);
        deviceUse.addColumn(MeasuredDevice::executorId).setHeader("Executor").setKey("executor").setFlexGrow(1);
        deviceUse.addColumn(measured -> measured.id().toString()).setHeader("Device").setKey("device").setAutoWidth(true)
                .setFlexGrow(0);
        deviceUse.addColumn(measured -> measured.device().model()).setHeader("Model").setKey("model").setFlexGrow(1);
        deviceUse.addColumn(measured -> DeviceUse.use(measured.device())).setHeader("Use").setKey("use")
                .setAutoWidth(true).setFlexGrow(0);
    }

    private static Span figure(String id) {
        Span figure = new Span();
        figure.setId(id);
        figure.addClassName("tessera-figure");
        figure.getStyle().set("display", "block");
        return figure;
    }

    private static Span note(Span note) {
        note.getStyle().set("display", "block").set("color", "var(--lumo-secondary-text-color)")
                .set("font-size", "var(--lumo-font-size-s)");
        return note;
    }

    private static Div card(String title, Component... content) {
        Div card = new Div(new H3(title));
        card.add(content);
        card.addClassName("tessera-card");
        return card;
    }

    /** Cards side by side while each gets at least {@code minWidth}, one per row on a phone. */
    private static Div cells(String minWidth, Component... cards) {
        Div cells = new Div(cards);
        cells.setWidthFull();
        cells.getStyle().set("display", "grid").set("gap", "var(--lumo-space-m)")
                .set("grid-template-columns", "repeat(auto-fit, minmax(min(100%, " + minWidth + "), 1fr))");
        return cells;
    }
}
