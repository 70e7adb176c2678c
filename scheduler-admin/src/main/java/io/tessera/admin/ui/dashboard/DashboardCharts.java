package io.tessera.admin.ui.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.admin.overview.DeviceCount;
import io.tessera.admin.overview.DeviceUsageSampler;
import io.tessera.core.model.RunStatus;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The dashboard's two ECharts options, built from its data. */
final class DashboardCharts {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private DashboardCharts() {
    }

    /** Horizontal bars, one per status (zeros included, so the chart keeps its shape), coloured as the badges. */
    static String runsByStatus(Map<RunStatus, Long> counts) {
        ObjectNode option = base();
        option.putObject("tooltip").put("trigger", "axis").putObject("axisPointer").put("type", "shadow");
        option.putObject("xAxis").put("type", "value").put("minInterval", 1);
        ObjectNode yAxis = option.putObject("yAxis").put("type", "category").put("inverse", true);
        ArrayNode categories = yAxis.putArray("data");
        ObjectNode series = option.putArray("series").addObject().put("type", "bar").put("name", "Runs");
        series.putObject("label").put("show", true).put("position", "right");
        ArrayNode data = series.putArray("data");
        for (RunStatus status : RunStatus.values()) {
            categories.add(status.name());
            ObjectNode bar = data.addObject().put("value", counts.getOrDefault(status, 0L));
            bar.putObject("itemStyle").put("color", colour(status));
        }
        return option.toString();
    }

    /**
     * One line per device kind: the share of its devices (of those whose state was known) busy at
     * each sample, in percent; a gap where none was known.
     */
    static String utilisation(List<DeviceUsageSampler.Sample> samples) {
        ObjectNode option = base();
        option.put("useUTC", true);
        option.putObject("tooltip").put("trigger", "axis");
        option.putObject("xAxis").put("type", "time").putObject("axisLabel").put("hideOverlap", true);
        option.putObject("yAxis").put("type", "value").put("min", 0).put("max", 100)
                .putObject("axisLabel").put("formatter", "{value} %");
        TreeSet<String> kinds = new TreeSet<>();
        samples.forEach(sample -> kinds.addAll(sample.byKind().keySet()));
        if (kinds.isEmpty()) {
            option.putObject("title").put("text", "No devices sampled yet").put("left", "center").put("top", "middle")
                    .putObject("textStyle").put("fontSize", 14).put("fontWeight", "normal").put("color", "#6e7079");
        } else {
            option.putObject("legend").put("top", 0);
            ((ObjectNode) option.get("grid")).put("top", 32);
        }
        ArrayNode series = option.putArray("series");
        for (String kind : kinds) {
            ObjectNode line = series.addObject().put("type", "line").put("name", kind).put("showSymbol", false);
            ArrayNode points = line.putArray("data");
            for (DeviceUsageSampler.Sample sample : samples) {
                DeviceCount count = sample.byKind().get(kind);
                ArrayNode point = points.addArray().add(sample.at().toEpochMilli());
                int known = count == null ? 0 : count.busy() + count.free();
                if (known == 0) {
                    point.addNull();
                } else {
                    point.add(Math.round(count.busy() * 1000.0 / known) / 10.0);
                }
            }
        }
        return option.toString();
    }

    private static ObjectNode base() {
        ObjectNode option = JSON.objectNode();
        option.putObject("grid").put("left", 8).put("right", 32).put("top", 8).put("bottom", 8).put("containLabel", true);
        option.put("animationDuration", 300);
        return option;
    }

    /** Close to the Lumo colours of {@link io.tessera.admin.ui.StatusBadge}'s variants (ECharts cannot read CSS variables). */
    static String colour(RunStatus status) {
        return switch (status) {
            case SUCCEEDED -> "#158443";
            case FAILED, TIMED_OUT -> "#e2231a";
            case CANCELLED -> "#5a6270";
            case RUNNING -> "#006af5";
            case PENDING -> "#a3acb9";
            case WAITING -> "#d98e04";
        };
    }
}
