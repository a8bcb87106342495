package io.asyncbench.reports;

import java.awt.BasicStroke;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The report's two opening charts for one benchmark setting: p99 latency and server CPU per
 * request against the request rate, one line per strategy, at the common rates (the same for every
 * strategy). A run that could not sustain its rate has no point: its line stops there.
 */
final class EqualRateCharts {

    private final Charts charts;

    EqualRateCharts(Charts charts) {
        this.charts = charts;
    }

    /** p99 against the rate, log y (the table beside it has p50 and p99.9). */
    Charts.Chart latency(EqualRates e) {
        YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
        List<String> order = new ArrayList<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (String strategy : e.strategies()) {
            YIntervalSeries s = new YIntervalSeries(strategy);
            for (double rate : e.rates()) {
                LatencyRun r = e.run(strategy, rate);
                if (r == null || r.figures().couldNotSustain()) {
                    continue;
                }
                LatencyRun.Histogram h = r.histogram();
                double p99 = Math.max(h.valueAt(0.99), 0.5);
                s.add(rate, p99, p99, p99);
                lo = Math.min(lo, p99);
                hi = Math.max(hi, p99);
            }
            if (s.getItemCount() > 0) {
                ds.addSeries(s);
                order.add(strategy);
            }
        }
        NumberAxis x = rateAxis();
        // A range wider than 20x would flatten all but the extreme line: then the y axis is logarithmic.
        org.jfree.chart.axis.ValueAxis y;
        if (hi > 0 && hi / lo > 20) {
            LogAxis log = new Charts.OneTwoFiveLogAxis("p99 latency (log scale, lower is better)", Fmt::microsShort);
            log.setSmallestValue(lo / 2);
            y = log;
        } else {
            NumberAxis linear = new NumberAxis("p99 latency (lower is better)");
            linear.setAutoRangeIncludesZero(true);
            linear.setNumberFormatOverride(new Charts.CompactFormat(Fmt::microsShort));
            y = linear;
        }
        XYErrorRenderer r = renderer(order);
        XYPlot plot = new XYPlot(ds, x, y, r);
        String title = KnownWorkload.title(e.workload()) + ": latency at equal rates";
        JFreeChart chart = Charts.chart(title, subtitle(e), plot);
        Charts.applyTheme(chart);
        style(r, order);
        String caption = "p99 latency from the intended send time against the request rate, every strategy at the"
                + " same rates (the table below has p50 and p99.9). A line that stops early: that strategy could not"
                + " sustain the next rate (the table says by how much). Lower is better.";
        return charts.render(chart, charts.name(e.workload(), "latency-equal-rates", Params.label(e.params())),
                title + " (" + e.label() + ")", caption, false);
    }

    /** Server CPU per request against the rate, with the sub-window confidence interval as whiskers. */
    Charts.Chart cpu(EqualRates e) {
        YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
        List<String> order = new ArrayList<>();
        Double confidence = null;
        for (String strategy : e.strategies()) {
            YIntervalSeries s = new YIntervalSeries(strategy);
            for (double rate : e.rates()) {
                LatencyRun r = e.run(strategy, rate);
                if (r == null || r.figures().couldNotSustain() || r.figures().serverCpuNanosPerOp() == null) {
                    continue;
                }
                double us = r.figures().serverCpuNanosPerOp() / 1000;
                Double err = r.figures().serverCpuNanosPerOpError();
                double e1 = err == null ? 0 : err / 1000;
                s.add(rate, us, Math.max(0, us - e1), us + e1);
                if (confidence == null) {
                    confidence = r.figures().serverCpuConfidencePercent();
                }
            }
            if (s.getItemCount() > 0) {
                ds.addSeries(s);
                order.add(strategy);
            }
        }
        if (order.isEmpty()) {
            return null;
        }
        String op = KnownWorkload.operation(e.workload());
        NumberAxis y = new NumberAxis("server CPU per " + op + ", µs (lower is better)");
        y.setAutoRangeIncludesZero(true);
        XYErrorRenderer r = renderer(order);
        XYPlot plot = new XYPlot(ds, rateAxis(), y, r);
        String title = KnownWorkload.title(e.workload()) + ": server CPU per " + op + " at equal rates";
        JFreeChart chart = Charts.chart(title, subtitle(e), plot);
        Charts.applyTheme(chart);
        style(r, order);
        String ci = confidence == null ? "a confidence interval" : Math.round(confidence) + " % confidence interval";
        String caption = "CPU time of the server process (JIT and GC included) per " + op + ", read from the server"
                + " at the start and end of each open-loop window, every strategy at the same rates, taking turns"
                + " with the others round by round. Whiskers: the " + ci + " of the mean over the windows"
                + " (Student's t). An event loop that is not"
                + " saturated handles fewer events per wake-up, so the cost per " + op + " changes with the rate:"
                + " compare the lines at one rate. Lower is better.";
        return charts.render(chart, charts.name(e.workload(), "cpu-equal-rates", Params.label(e.params())),
                title + " (" + e.label() + ")", caption, false);
    }

    private static NumberAxis rateAxis() {
        NumberAxis x = new NumberAxis("request rate (requests/s, the same for every strategy)");
        x.setAutoRangeIncludesZero(true);
        x.setNumberFormatOverride(new Charts.CompactFormat(Fmt::compact));
        return x;
    }

    private static String subtitle(EqualRates e) {
        String p = Params.label(e.params());
        return (p.isEmpty() ? "" : p + " · ") + "open loop"
                + (e.slowestStrategy() == null ? "" : " · rates are shares of " + e.slowestStrategy() + "'s peak (the slowest)");
    }

    private static XYErrorRenderer renderer(List<String> order) {
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDefaultLinesVisible(true);
        r.setDefaultShapesVisible(true);
        r.setDrawXError(false);
        r.setDrawYError(true);
        r.setCapLength(6);
        r.setErrorStroke(new BasicStroke(1.2f));
        return r;
    }

    private void style(XYErrorRenderer r, List<String> order) {
        for (int i = 0; i < order.size(); i++) {
            r.setSeriesPaint(i, charts.styles.color(order.get(i)));
            r.setSeriesStroke(i, charts.styles.stroke(order.get(i)));
            r.setSeriesShape(i, charts.styles.shape(order.get(i)));
        }
    }
}
