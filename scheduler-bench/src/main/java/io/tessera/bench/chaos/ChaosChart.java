package io.tessera.bench.chaos;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chaos run's timeline: handler starts per second (left axis), the worst lateness of the fires
 * scheduled in each second (right axis: first start minus fire time), and a marker per fault.
 */
final class ChaosChart {

    private ChaosChart() {
    }

    static void write(Collection<ChaosRecord> records, List<ChaosFaults.Fault> faults, Instant origin, String title,
                      Path png) throws IOException {
        long zero = ChaosRecord.micros(origin);
        TreeMap<Long, Integer> startsPerSecond = new TreeMap<>();
        Map<ChaosRecord.ShardKey, ChaosRecord> first = new HashMap<>();
        for (ChaosRecord r : records) {
            if (r.kind() != 'S') {
                continue;
            }
            startsPerSecond.merge(Math.floorDiv(r.micros() - zero, 1_000_000L), 1, Integer::sum);
            first.merge(r.key(), r, (a, b) -> a.micros() <= b.micros() ? a : b);
        }
        TreeMap<Long, Long> worstLateness = new TreeMap<>();
        for (ChaosRecord r : first.values()) {
            worstLateness.merge(Math.floorDiv(r.scheduledAtMicros() - zero, 1_000_000L), r.micros() - r.scheduledAtMicros(),
                    Math::max);
        }
        XYSeries starts = new XYSeries("handler starts per second");
        if (!startsPerSecond.isEmpty()) {
            for (long s = startsPerSecond.firstKey(); s <= startsPerSecond.lastKey(); s++) {
                starts.add((double) s, (double) startsPerSecond.getOrDefault(s, 0));
            }
        }
        XYSeries late = new XYSeries("worst lateness of the fires of each second (s)");
        worstLateness.forEach((s, l) -> late.add((double) s, l / 1e6));

        NumberAxis x = new NumberAxis("seconds since the load began");
        NumberAxis rate = new NumberAxis("handler starts per second");
        NumberAxis lateness = new NumberAxis("lateness (s)");
        XYLineAndShapeRenderer rateRenderer = new XYLineAndShapeRenderer(true, false);
        rateRenderer.setSeriesPaint(0, new Color(0x1f77b4));
        rateRenderer.setSeriesStroke(0, new BasicStroke(1.2f));
        XYLineAndShapeRenderer lateRenderer = new XYLineAndShapeRenderer(true, false);
        lateRenderer.setSeriesPaint(0, new Color(0xd62728));
        lateRenderer.setSeriesStroke(0, new BasicStroke(1.2f));

        XYPlot plot = new XYPlot(new XYSeriesCollection(starts), x, rate, rateRenderer);
        plot.setRangeAxis(1, lateness);
        plot.setDataset(1, new XYSeriesCollection(late));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, lateRenderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        Font small = new Font("SansSerif", Font.PLAIN, 10);
        for (ChaosFaults.Fault f : faults) {
            ValueMarker marker = new ValueMarker((ChaosRecord.micros(f.at()) - zero) / 1e6, new Color(0x555555),
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
            marker.setLabel(f.kind().name().toLowerCase().replace('_', ' '));
            marker.setLabelFont(small);
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            marker.setLabelPaint(new Color(0x555555));
            plot.addDomainMarker(marker);
        }
        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1400, 600);
    }
}
