package io.tessera.bench.placement;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Bar charts of one measure per policy, grouped by queue discipline, one chart per trace. */
final class PlacementChart {

    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};

    private PlacementChart() {
    }

    static void write(List<SimOutcome> outcomes, ToDoubleFunction<SimOutcome> measure, String title, String axis, Path png)
            throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (SimOutcome outcome : outcomes) {
            data.addValue(measure.applyAsDouble(outcome), outcome.policy(), outcome.queueing().label());
        }
        JFreeChart chart = ChartFactory.createBarChart(title, "queue discipline", axis, data, PlotOrientation.VERTICAL,
                true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        for (int i = 0; i < COLOURS.length; i++) {
            renderer.setSeriesPaint(i, COLOURS[i]);
        }
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 500);
    }
}
