package io.tessera.admin.ui.charts;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.html.Div;

/**
 * A chart drawn in the browser by Apache ECharts, loaded at run time from the webjar on the admin's
 * classpath (the prebuilt frontend bundle cannot take npm packages). The server keeps the chart's
 * option, an ECharts option object as JSON, and draws it again whenever the element is attached
 * anew (navigation back, page reload), so a chart never comes back empty. The SVG renderer draws the
 * same in a headless browser as in a real one.
 */
public class EChart extends Div {

    /** Served under {@code /webjars/} without a login; {@code context://} keeps it right under any servlet path. */
    public static final String SCRIPT = "context://webjars/echarts/5.3.1/dist/echarts.min.js";

    /**
     * Waits for the script (dependencies load before this runs, but a slow network should not lose a
     * chart), then draws into this element, re-using its chart instance, and resizes with it.
     */
    private static final String DRAW = """
            const element = this;
            const option = JSON.parse($0);
            let tries = 0;
            const draw = () => {
              if (!window.echarts) {
                if (++tries < 200) {
                  setTimeout(draw, 50);
                } else {
                  element.textContent = 'The chart library did not load.';
                }
                return;
              }
              const chart = echarts.getInstanceByDom(element) || echarts.init(element, null, {renderer: 'svg'});
              chart.setOption(option, true);
              if (!element.__tesseraResize) {
                element.__tesseraResize = new ResizeObserver(() => {
                  const current = echarts.getInstanceByDom(element);
                  if (current) {
                    current.resize();
                  }
                });
                element.__tesseraResize.observe(element);
              }
            };
            draw();
            """;

    private String option = "{}";

    public EChart() {
        addClassName("tessera-chart");
        setWidthFull();
        setHeight("260px");
    }

    /** Replaces the chart's option; the browser redraws only when it differs from the one shown. */
    public void setOption(String json) {
        if (json.equals(option)) {
            return;
        }
        option = json;
        if (isAttached()) {
            draw();
        }
    }

    /** The option the chart shows, as JSON. */
    public String getOption() {
        return option;
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        attachEvent.getUI().getPage().addJavaScript(SCRIPT);
        draw();
    }

    private void draw() {
        getElement().executeJs(DRAW, option);
    }
}
