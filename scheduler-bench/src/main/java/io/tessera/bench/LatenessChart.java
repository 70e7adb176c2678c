package io.tessera.bench;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sweep's picture: achieved starts/s (left axis) and lateness p50/p99 (right axis, log scale)
 * against offered shard runs/s (log scale).
 */
final class LatenessChart {

    /** Lateness at or below this is drawn here: a log axis has no zero. */
    private static final double FLOOR_MS = 0.01;

    private LatenessChart() {
    }

    static void write(List<TrialResult> results, String title, String subtitle, Path png) throws IOException {
        XYSeries offered = new XYSeries("offered (all on time)");
        XYSeries achieved = new XYSeries("started/s in the window");
        XYSeries p50 = new XYSeries("lateness p50 of started fires (ms)");
        XYSeries p99 = new XYSeries("lateness p99 of started fires (ms)");
        for (TrialResult r : results) {
            LedgerVerdict v = r.verdict();
            double x = v.offeredPerSecond();
            offered.add(x, x);
            achieved.add(x, Math.max(v.achievedPerSecond(), 0.1));
            if (v.lateness().count() > 0) {
                p50.add(x, Math.max(FLOOR_MS, v.lateness().p50() / 1000.0));
                p99.add(x, Math.max(FLOOR_MS, v.lateness().p99() / 1000.0));
            }
        }
        LogarithmicAxis x = axis("offered shard runs per second");
        LogarithmicAxis rate = axis("handler starts per second");
        LogarithmicAxis late = axis("lateness after the fire time (ms)");

        XYSeriesCollection rates = new XYSeriesCollection();
        rates.addSeries(achieved);
        rates.addSeries(offered);
        XYLineAndShapeRenderer rateRenderer = new XYLineAndShapeRenderer(true, true);
        rateRenderer.setSeriesPaint(0, new Color(0x1f77b4));
        rateRenderer.setSeriesStroke(0, new BasicStroke(2.5f));
        rateRenderer.setSeriesPaint(1, Color.GRAY);
        rateRenderer.setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        rateRenderer.setSeriesShapesVisible(1, false);

        XYSeriesCollection lateness = new XYSeriesCollection();
        lateness.addSeries(p50);
        lateness.addSeries(p99);
        XYLineAndShapeRenderer lateRenderer = new XYLineAndShapeRenderer(true, true);
        lateRenderer.setSeriesPaint(0, new Color(0xff7f0e));
        lateRenderer.setSeriesPaint(1, new Color(0xd62728));
        lateRenderer.setSeriesStroke(0, new BasicStroke(2f));
        lateRenderer.setSeriesStroke(1, new BasicStroke(2f));

        XYPlot plot = new XYPlot(rates, x, rate, rateRenderer);
        plot.setRangeAxis(1, late);
        plot.setDataset(1, lateness);
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, lateRenderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));

        JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.addSubtitle(new TextTitle(subtitle, new Font("SansSerif", Font.PLAIN, 12)));
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    }

    /** A log axis labelled 1, 2, 5, 10, 20 … 1,000 rather than 10^2.3. */
    private static LogarithmicAxis axis(String label) {
        LogarithmicAxis axis = new LogarithmicAxis(label);
        axis.setStrictValuesFlag(false);
        axis.setExpTickLabelsFlag(false);
        axis.setLog10TickLabelsFlag(false);
        axis.setAutoRangeNextLogFlag(true);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.##"));
        return axis;
    }
}
