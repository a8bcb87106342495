package io.asyncbench.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * Every chart of the report, drawn by JFreeChart and written as SVG by JFreeSVG. Each strategy keeps
 * its colour, marker and line style in every chart ({@link StrategyStyles}).
 */
final class Charts {

    /** A rendered chart: an SVG element (with a viewBox, so it scales), and the file name it gets beside report.md. */
    record Chart(String file, String title, String caption, String svg, boolean wide) {
    }

    static final int WIDTH = 680;
    static final int HEIGHT = 420;
    static final int WIDE = 1360;

    /** Percentiles marked on a latency chart's x axis, as HdrHistogram's plots mark them. */
    private static final double[] PERCENTILE_TICKS = {0.5, 0.9, 0.99, 0.999, 0.9999, 0.99999};

    /** At most this many charts of one kind per benchmark: the tables hold the rest. */
    private static final int MAX_PER_KIND = 4;

    private static final Color INK = new Color(0x1F2328);
    private static final Color MUTED = new Color(0x59636E);
    private static final Color GRID = new Color(0xE1E4E8);

    private static final StandardChartTheme THEME = theme();

    final StrategyStyles styles;
    private final Map<String, Integer> fileNames = new LinkedHashMap<>();
    private int counter;

    Charts(StrategyStyles styles) {
        this.styles = styles;
    }

    private static StandardChartTheme theme() {
        StandardChartTheme t = new StandardChartTheme("asyncbench", false);
        t.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        t.setLargeFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        t.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        t.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        t.setTitlePaint(INK);
        t.setSubtitlePaint(MUTED);
        t.setAxisLabelPaint(INK);
        t.setTickLabelPaint(MUTED);
        t.setLegendItemPaint(INK);
        t.setChartBackgroundPaint(Color.WHITE);
        t.setLegendBackgroundPaint(Color.WHITE);
        t.setPlotBackgroundPaint(Color.WHITE);
        t.setPlotOutlinePaint(GRID);
        t.setDomainGridlinePaint(GRID);
        t.setRangeGridlinePaint(GRID);
        t.setErrorIndicatorPaint(INK);
        t.setBarPainter(new StandardBarPainter());
        t.setXYBarPainter(new StandardXYBarPainter());
        t.setShadowVisible(false);
        t.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
        return t;
    }

    // ------------------------------------------------------------------------------- per workload

    /**
     * The score charts, then the server CPU per operation beside them (the headline cost), the
     * open-loop latency curves, and allocation and memory.
     */
    List<Chart> forWorkload(Analysis.WorkloadReport w) {
        List<Chart> out = new ArrayList<>();
        for (Analysis.Benchmark b : w.benchmarks()) {
            out.addAll(scoreCharts(b));
        }
        // CPU, allocation and memory once per workload: from its first (throughput) benchmark.
        Analysis.Benchmark first = w.benchmarks().isEmpty() ? null : w.benchmarks().get(0);
        String op = KnownWorkload.operation(w.workload());
        if (first != null) {
            bars(first, Secondary.SERVER_CPU_PER_OP, "cpu", "server CPU per " + op,
                    "server CPU time per " + op + " (%s, lower is better)",
                    "CPU time of the server process (JIT and GC included) per " + op + ": what each strategy costs,"
                            + " even where the load generator limits the throughput; error bars are JMH's 99.9 %"
                            + " confidence interval.")
                    .ifPresent(out::add);
        }
        w.latency().stream().filter(g -> !g.runs().isEmpty()).limit(MAX_PER_KIND).forEach(g -> out.add(latency(g)));
        if (first != null) {
            Secondary alloc = Secondary.allocation(w.workload());
            bars(first, alloc, "allocation", alloc == Secondary.SERVER_ALLOC ? "server allocation per " + op
                            : "allocated per " + op, "%s per " + op + " (lower is better)",
                    (alloc == Secondary.SERVER_ALLOC
                            ? "Heap bytes the server process allocated per " + op + " (all its threads)"
                            : "Bytes allocated per " + op + " (JMH's gc profiler; this workload runs in the JMH fork)")
                            + "; error bars are JMH's 99.9 % confidence interval.")
                    .ifPresent(out::add);
            bars(first, Secondary.SERVER_MEMORY, "memory", "server RSS per idle connection",
                    "%s of resident set per connection (lower is better)",
                    "Resident-set growth per idle keep-alive connection: the slope between two connection counts on"
                            + " a fresh, warmed-up server (native memory: thread stacks, direct buffers; the heap is"
                            + " pre-touched). One measurement per strategy, so no error bar.")
                    .ifPresent(out::add);
            bars(first, Secondary.SERVER_LIVE_HEAP, "live-heap", "server live heap per idle connection",
                    "%s of live heap per connection (lower is better)",
                    "Live-heap growth (after a full GC) per idle keep-alive connection, the same slope: the Java"
                            + " objects a connection keeps. One measurement per strategy, so no error bar.")
                    .ifPresent(out::add);
        }
        return out;
    }

    /** Score against the concurrency parameter (log x), one line per strategy; or bars if there is no such axis. */
    private List<Chart> scoreCharts(Analysis.Benchmark b) {
        String axis = Params.CONCURRENCY.stream()
                .filter(p -> b.comparisons().stream()
                        .map(c -> c.key().params().get(p)).filter(v -> v != null && Params.number(v) != null && Params.number(v) > 0)
                        .distinct().count() > 1)
                .findFirst().orElse(null);
        if (axis == null) {
            return bars(b, null, "score", b.method() + " · " + b.mode().label, "%s" + better(b.mode()),
                    "Each bar is the JMH score; error bars are JMH's 99.9 % confidence interval.").stream().toList();
        }
        Map<SortedMap<String, String>, List<Comparison>> series = new TreeMap<>(Params.MAP_ORDER);
        for (Comparison c : b.comparisons()) {
            series.computeIfAbsent(Params.without(c.key().params(), axis), k -> new ArrayList<>()).add(c);
        }
        List<Chart> out = new ArrayList<>();
        series.entrySet().stream().limit(MAX_PER_KIND)
                .forEach(e -> out.add(scoreVsConcurrency(b, axis, e.getKey(), e.getValue())));
        return out;
    }

    private Chart scoreVsConcurrency(Analysis.Benchmark b, String axis, SortedMap<String, String> fixed,
                                     List<Comparison> comparisons) {
        YIntervalSeriesCollection ds = new YIntervalSeriesCollection();
        TreeSet<Double> xs = new TreeSet<>();
        List<String> order = new ArrayList<>();
        for (String strategy : styles.strategies()) {
            YIntervalSeries s = new YIntervalSeries(styles.label(strategy));
            for (Comparison c : comparisons) {
                Comparison.Row r = c.row(strategy);
                Double x = Params.number(c.key().params().get(axis));
                if (r == null || x == null || x <= 0) {
                    continue;
                }
                Metric m = r.metric();
                s.add(x, m.score(), m.hasError() ? m.low() : m.score(), m.hasError() ? m.high() : m.score());
                xs.add(x);
            }
            if (s.getItemCount() > 0) {
                ds.addSeries(s);
                order.add(strategy);
            }
        }
        LogAxis x = new TicksAtLogAxis(axis + " (log scale)", xs.stream().mapToDouble(Double::doubleValue).toArray());
        // A range wider than 20x would flatten all but the extreme line: then the y axis is logarithmic.
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Comparison c : comparisons) {
            for (Comparison.Row row : c.allRows()) {
                lo = Math.min(lo, row.metric().score());
                hi = Math.max(hi, row.metric().score());
            }
        }
        org.jfree.chart.axis.ValueAxis y;
        if (lo > 0 && hi / lo > 20) {
            LogAxis log = new OneTwoFiveLogAxis(b.displayUnit() + ", log scale" + better(b.mode()), Fmt::compact);
            log.setSmallestValue(lo / 2);
            y = log;
        } else {
            NumberAxis linear = new NumberAxis(b.displayUnit() + better(b.mode()));
            linear.setAutoRangeIncludesZero(true);
            linear.setNumberFormatOverride(new CompactFormat(Fmt::compact));
            y = linear;
        }
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDefaultLinesVisible(true);
        r.setDefaultShapesVisible(true);
        r.setDrawXError(false);
        r.setDrawYError(true);
        r.setCapLength(7);
        r.setErrorStroke(new BasicStroke(1.4f));
        XYPlot plot = new XYPlot(ds, x, y, r);
        // A score is positive: a whisker wider than its score is clipped at 0, not drawn as a negative axis.
        if (y.getLowerBound() < 0) {
            y.setLowerBound(0);
        }
        String fixedLabel = Params.label(fixed);
        String title = KnownWorkload.title(b.workload()) + ": " + b.method() + " against " + axis;
        JFreeChart chart = chart(title, fixedLabel.isEmpty() ? b.mode().label : fixedLabel + " · " + b.mode().label, plot);
        applyTheme(chart);
        styleSeries(r, order);
        for (int i = 0; i < order.size(); i++) {
            r.setSeriesShape(i, styles.shape(order.get(i)));
        }
        String caption = "One line per strategy; whiskers are JMH's 99.9 % confidence interval. "
                + (b.mode().higherIsBetter ? "Higher is better." : "Lower is better.");
        return render(chart, name(b.workload(), b.method(), axis, fixedLabel), title + (fixedLabel.isEmpty() ? "" : " (" + fixedLabel + ")"),
                caption, false);
    }

    private Chart latency(Analysis.LatencyGroup g) {
        XYSeriesCollection ds = new XYSeriesCollection();
        double maxX = 0;
        List<String> order = new ArrayList<>();
        for (LatencyRun run : g.runs()) {
            if (run.figures().couldNotSustain()) {
                continue; // no latency "at R" for a run that fell behind (the tables say so)
            }
            // At a fraction of peak each strategy has its own rate: the legend says which.
            String key = g.fractionOfPeak() == null ? styles.label(run.strategy())
                    : styles.label(run.strategy()) + " · " + Fmt.num(run.intendedRatePerSecond()) + " req/s";
            XYSeries s = new XYSeries(key, true, true);
            for (LatencyRun.Point p : run.histogram().points()) {
                // beyond the percentiles its request count backs, a curve would draw a single request
                if (p.percentile() >= 1 || !run.histogram().backs(p.percentile())) {
                    continue;
                }
                double x = -Math.log10(1 - p.percentile());
                s.addOrUpdate(x, Math.max(p.value(), 0.5));
                maxX = Math.max(maxX, x);
            }
            if (s.getItemCount() > 0) {
                ds.addSeries(s);
                order.add(run.strategy());
            }
        }
        NumberAxis x = new PercentileAxis("percentile (%)", maxX);
        LogAxis y = new OneTwoFiveLogAxis("latency from intended send time (log scale)", Fmt::microsShort);
        y.setSmallestValue(0.5);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        XYPlot plot = new XYPlot(ds, x, y, r);
        String title = KnownWorkload.title(g.workload()) + ": latency by percentile, open loop";
        String sub = g.label() + (g.fractionOfPeak() == null ? "" : " · each strategy ran at "
                + Fmt.percent(g.fractionOfPeak()) + " of its own measured peak throughput");
        JFreeChart chart = chart(title, sub, plot);
        applyTheme(chart);
        styleSeries(r, order);
        String caption = "Each request is timed from when it should have been sent, so a stalled server cannot hide"
                + " its queue (no coordinated omission). Lower is better; the right-hand side is the tail. A curve stops at"
                + " the last percentile p its request count backs (at least 1 / (1 − p) requests: p99.9 needs 1,000).";
        return render(chart, name(g.workload(), "latency", g.load(), Params.label(g.params())),
                title + " at " + g.label(), caption, false);
    }

    // ------------------------------------------------------------------------------- fairness

    /** One chart per setting that counted its connections (at most {@link #MAX_PER_KIND}). */
    List<Chart> fairness(List<FairnessSection.Group> groups) {
        return groups.stream().limit(MAX_PER_KIND).map(this::fairness).toList();
    }

    /**
     * Each strategy's connections sorted from the least served to the most, each one's completions
     * over the mean of its server: a flat line at 1 is perfectly fair, a line that starts at 0 left
     * connections with nothing.
     */
    private Chart fairness(FairnessSection.Group g) {
        XYSeriesCollection ds = new XYSeriesCollection();
        List<String> order = new ArrayList<>();
        double top = 1;
        for (FairnessSection.Row row : g.rows()) {
            List<Double> shares = new ArrayList<>();
            for (ConnectionRun.Server s : row.run().servers()) {
                double mean = java.util.Arrays.stream(s.completed()).average().orElse(0);
                for (long c : s.completed()) {
                    shares.add(mean > 0 ? c / mean : 0);
                }
            }
            shares.sort(null);
            XYSeries series = new XYSeries(row.strategy() + (row.fairness().starves() ? " (starves)" : ""), false, true);
            int n = shares.size();
            for (int i = 0; i < n; i++) {
                // the midpoint of each connection's slice of the axis, so 1 and 1,000 connections span it alike
                series.add(100.0 * (i + 0.5) / n, (double) shares.get(i));
            }
            top = Math.max(top, shares.get(n - 1));
            ds.addSeries(series);
            order.add(row.strategy());
        }
        NumberAxis x = new NumberAxis("connections, least served first (%)");
        x.setRange(0, 100);
        NumberAxis y = new NumberAxis("completions ÷ mean of its server");
        y.setRange(0, Math.min(Math.max(1.5, top * 1.05), 4));
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        XYPlot plot = new XYPlot(ds, x, y, r);
        plot.addAnnotation(new org.jfree.chart.annotations.XYLineAnnotation(0, 1, 100, 1,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f), MUTED));
        String title = KnownWorkload.title(g.workload()) + ": completions per connection";
        JFreeChart chart = chart(title, g.label() + " · closed loop, measured iterations", plot);
        applyTheme(chart);
        styleSeries(r, order);
        String caption = "Each line is one strategy's connections, sorted from the one served least to the one served"
                + " most; height is what a connection completed over the mean of its server (1 = its fair share,"
                + " dashed). Flat at 1 is fair; a line starting near 0 left connections waiting. Pooled over every"
                + " server JVM behind the result.";
        return render(chart, name(g.workload(), "fairness", g.label()), title + " (" + g.label() + ")", caption, false);
    }

    /**
     * Bars with error bars: one group per setting, one bar per strategy. {@code metric} null = the
     * primary score. {@code yLabel} has a %s for the unit, which is scaled to the values (KiB, µs, ms).
     */
    private java.util.Optional<Chart> bars(Analysis.Benchmark b, Secondary metric, String kind, String what,
                                           String yLabel, String caption) {
        DefaultStatisticalCategoryDataset ds = new DefaultStatisticalCategoryDataset();
        double max = 0;
        for (Comparison c : b.comparisons()) {
            for (Comparison.Row r : c.allRows()) {
                Metric m = metric == null ? r.metric() : metric.of(r.result());
                if (m != null) {
                    max = Math.max(max, m.score());
                }
            }
        }
        AxisUnit unit = AxisUnit.of(metric, max, b.displayUnit());
        double divisor = unit.divisor();
        yLabel = String.format(Locale.ROOT, yLabel, unit.label());
        int columns = 0;
        for (Comparison c : b.comparisons()) {
            String column = Params.label(c.key().params());
            column = column.isEmpty() ? b.method() : column;
            boolean any = false;
            for (String strategy : styles.strategies()) {
                Comparison.Row r = c.row(strategy);
                Metric m = r == null ? null : metric == null ? r.metric() : metric.of(r.result());
                if (m == null || !Double.isFinite(m.score())) {
                    continue;
                }
                ds.add(m.score() / divisor, m.hasError() ? m.error() / divisor : 0, styles.label(strategy), column);
                any = true;
            }
            columns += any ? 1 : 0;
        }
        if (ds.getRowCount() == 0) {
            return java.util.Optional.empty();
        }
        CategoryAxis x = new CategoryAxis(b.comparisons().get(0).key().params().isEmpty() ? null : "setting");
        x.setMaximumCategoryLabelLines(3);
        x.setCategoryMargin(0.18);
        if (columns > 8) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setNumberFormatOverride(new CompactFormat(Fmt::compact));
        StatisticalBarRenderer r = new StatisticalBarRenderer();
        r.setItemMargin(0.04);
        r.setDrawBarOutline(false);
        r.setErrorIndicatorPaint(INK);
        CategoryPlot plot = new CategoryPlot(ds, x, y, r);
        // Every figure here is positive: an error bar wider than its bar is clipped at 0, not drawn as a negative axis.
        if (y.getLowerBound() < 0) {
            y.setLowerBound(0);
        }
        String title = KnownWorkload.title(b.workload()) + ": " + what;
        JFreeChart chart = chart(title, b.method() + " · " + b.mode().label, plot);
        applyTheme(chart);
        r.setShadowVisible(false);
        r.setBarPainter(new StandardBarPainter());
        for (int i = 0; i < ds.getRowCount(); i++) {
            r.setSeriesPaint(i, styles.color((String) ds.getRowKey(i)));
        }
        boolean wide = columns * ds.getRowCount() > 16;
        return java.util.Optional.of(render(chart, name(b.workload(), b.method(), kind), title, caption, wide));
    }

    // ------------------------------------------------------------------------------- overview

    /** Every comparison (rows) by every strategy (columns), coloured by the ratio to the row's best. */
    java.util.Optional<Chart> heatMap(List<Comparison> comparisons) {
        List<Comparison> rows = comparisons.stream().filter(c -> c.rows().size() > 1).toList();
        if (rows.isEmpty()) {
            return java.util.Optional.empty();
        }
        // The JVM styles only: the reference servers are never ranked with them (their own rows in the tables).
        List<String> columns = styles.strategies().stream().filter(s -> !styles.lineup().isReference(s))
                .filter(s -> rows.stream().anyMatch(c -> c.row(s) != null)).toList();
        List<double[]> cells = new ArrayList<>();
        DefaultXYZDataset ds = new DefaultXYZDataset();
        List<XYTextAnnotation> labels = new ArrayList<>();
        String[] rowLabels = new String[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Comparison c = rows.get(i);
            String p = Params.label(c.key().params());
            rowLabels[i] = clip(c.key().workload() + " " + c.key().method()
                    + (c.key().mode().higherIsBetter ? "" : " (" + c.key().mode().jmhName + ")")
                    + (p.isEmpty() ? "" : " · " + p), 72);
            for (int j = 0; j < columns.size(); j++) {
                Comparison.Row r = c.row(columns.get(j));
                if (r == null) {
                    XYTextAnnotation a = new XYTextAnnotation("not run", j, i);
                    a.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 10));
                    a.setPaint(MUTED);
                    labels.add(a);
                    continue;
                }
                cells.add(new double[] {j, i, r.relToBest()});
                String text = Fmt.ratio(r.relToBest()).replace("×", "") + (r.tiesBest(c) ? " ≈" : r.best() ? " ★" : "");
                XYTextAnnotation a = new XYTextAnnotation(text, j, i);
                a.setFont(new Font(Font.SANS_SERIF, r.best() ? Font.BOLD : Font.PLAIN, 11));
                a.setPaint(RatioScale.textOn(r.relToBest()));
                labels.add(a);
            }
        }
        double[][] data = new double[3][cells.size()];
        for (int k = 0; k < cells.size(); k++) {
            data[0][k] = cells.get(k)[0];
            data[1][k] = cells.get(k)[1];
            data[2][k] = cells.get(k)[2];
        }
        ds.addSeries("ratio to the best", data);
        SymbolAxis x = new SymbolAxis(null, columns.toArray(String[]::new));
        x.setGridBandsVisible(false);
        x.setTickLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        SymbolAxis y = new SymbolAxis(null, rowLabels);
        y.setGridBandsVisible(false);
        y.setInverted(true);
        y.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        XYBlockRenderer r = new XYBlockRenderer();
        RatioScale scale = new RatioScale();
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(ds, x, y, r);
        plot.setDomainAxisLocation(AxisLocation.TOP_OR_LEFT);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        String title = "Every strategy next to the best, in every benchmark";
        JFreeChart chart = chart(title, "1.00 ★ = the best of its row; ≈ = within the best's error bars (no real difference)", plot);
        applyTheme(chart);
        labels.forEach(plot::addAnnotation); // after the theme, which would reset their font and colour
        plot.setOutlinePaint(Color.WHITE);
        chart.removeLegend();
        LogAxis scaleAxis = new TicksAtLogAxis("ratio to the best (higher is better; log scale)",
                new double[] {0.25, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0});
        scaleAxis.setRange(RatioScale.LOWEST, 1);
        scaleAxis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        scaleAxis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setStripWidth(12);
        legend.setMargin(new RectangleInsets(6, 120, 6, 120));
        legend.setSubdivisionCount(100);
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        int height = 170 + 26 * rows.size();
        Chart c = render(chart, WIDE, height, name("overview", "heat map"), title,
                "Each cell is a strategy's score divided by the best score of its row (for time, the best divided by"
                        + " the strategy's): 1.00 is the best, 0.50 half as good. Colours run from dark (a quarter of the"
                        + " best or less) to bright yellow (the best).", true);
        return java.util.Optional.of(c);
    }

    // ------------------------------------------------------------------------------- plumbing

    private static String better(Mode mode) {
        return mode.higherIsBetter ? " (higher is better)" : " (lower is better)";
    }

    static JFreeChart chart(String title, String subtitle, org.jfree.chart.plot.Plot plot) {
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        if (subtitle != null && !subtitle.isEmpty()) {
            TextTitle sub = new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            chart.addSubtitle(sub);
        }
        return chart;
    }

    static void applyTheme(JFreeChart chart) {
        THEME.apply(chart);
        chart.setPadding(new RectangleInsets(8, 8, 8, 12));
        if (chart.getSubtitleCount() > 0 && chart.getSubtitle(0) instanceof TextTitle t) {
            t.setPaint(MUTED);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setFrame(BlockBorder.NONE);
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        }
    }

    Chart render(JFreeChart chart, String name, String title, String caption, boolean wide) {
        return render(chart, wide ? WIDE : WIDTH, HEIGHT, name, title, caption, wide);
    }

    private Chart render(JFreeChart chart, int width, int height, String name, String title, String caption, boolean wide) {
        String prefix = "chart" + (++counter) + "-";
        SVGGraphics2D g2 = new SVGGraphics2D(width, height);
        g2.setDefsKeyPrefix(prefix);
        chart.draw(g2, new Rectangle(0, 0, width, height));
        String svg = g2.getSVGElement(prefix + "svg", true, new ViewBox(0, 0, width, height), null, null);
        return new Chart(name, title, caption, svg, wide);
    }

    /** A unique, safe file name from any text: lower case letters, digits and dashes. */
    String name(String... parts) {
        String base = String.join("-", parts).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        base = base.isEmpty() ? "chart" : base.length() > 80 ? base.substring(0, 80) : base;
        int n = fileNames.merge(base, 1, Integer::sum);
        return (n == 1 ? base : base + "-" + n) + ".svg";
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** One unit for a whole axis, so that its ticks are round numbers of it: B, KiB, MiB for bytes; µs or ms for CPU time. */
    record AxisUnit(double divisor, String label) {

        static AxisUnit of(Secondary metric, double max, String primaryUnit) {
            if (metric == null) {
                return new AxisUnit(1, primaryUnit);
            }
            return switch (metric.kind) {
                case BYTES -> {
                    double divisor = 1;
                    String unit = "bytes";
                    for (String u : new String[] {"KiB", "MiB", "GiB"}) {
                        if (max >= divisor * 1024 * 2) {
                            divisor *= 1024;
                            unit = u;
                        }
                    }
                    yield new AxisUnit(divisor, unit);
                }
                case NANOS -> max >= 2e6 ? new AxisUnit(1e6, "ms") : new AxisUnit(1e3, "µs");
                case MILLIS -> new AxisUnit(1, "ms");
                default -> new AxisUnit(1, metric.label);
            };
        }
    }

    /** A log axis whose ticks sit exactly at the measured values (1, 64, 1000 connections). */
    private static final class TicksAtLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;
        private final double[] values;

        TicksAtLogAxis(String label, double[] values) {
            super(label);
            this.values = values;
            setLowerMargin(0.06);
            setUpperMargin(0.06);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            List ticks = new ArrayList();
            for (double v : values) {
                ticks.add(new NumberTick(v, Fmt.compact(v), TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0));
            }
            return ticks;
        }
    }

    /** A vertical log axis with ticks at 1, 2 and 5 of each decade, labelled by {@code label}. */
    static final class OneTwoFiveLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;
        private final transient Function<Double, String> label;

        OneTwoFiveLogAxis(String title, Function<Double, String> label) {
            super(title);
            this.label = label;
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            List ticks = new ArrayList();
            double lo = getLowerBound();
            double hi = getUpperBound();
            for (int e = (int) Math.floor(Math.log10(Math.max(lo, 1e-9))); e <= (int) Math.ceil(Math.log10(hi)); e++) {
                for (int m : new int[] {1, 2, 5}) {
                    double v = m * Math.pow(10, e);
                    if (v >= lo && v <= hi) {
                        ticks.add(new NumberTick(v, label.apply(v), TextAnchor.CENTER_RIGHT, TextAnchor.CENTER, 0));
                    }
                }
            }
            return ticks;
        }
    }

    /** HdrHistogram's percentile axis: x = log10(1 / (1 - p)), labelled 50, 90, 99, 99.9, ... */
    private static final class PercentileAxis extends NumberAxis {
        private static final long serialVersionUID = 1L;

        PercentileAxis(String label, double maxX) {
            super(label);
            setRange(0, Math.max(maxX, 2) + 0.15);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            List ticks = new ArrayList();
            for (double p : PERCENTILE_TICKS) {
                double x = -Math.log10(1 - p);
                if (x <= getUpperBound()) {
                    ticks.add(new NumberTick(x, Fmt.percentile(p), TextAnchor.TOP_CENTER, TextAnchor.CENTER, 0));
                }
            }
            return ticks;
        }
    }

    /** Axis labels through one of our formatters (compact numbers, bytes). */
    static final class CompactFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;
        private final transient Function<Double, String> format;

        CompactFormat(Function<Double, String> format) {
            this.format = format;
        }

        @Override
        public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
            return toAppendTo.append(format.apply(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
            return toAppendTo.append(format.apply((double) number));
        }

        @Override
        public Number parse(String source, ParsePosition parsePosition) {
            return null;
        }
    }

    /**
     * Ratio to the best on a logarithmic viridis ramp (perceptually even, readable in grey and with
     * colour-blindness): 1.0 is bright yellow, a quarter of the best and below dark violet.
     */
    static final class RatioScale implements PaintScale {
        static final double LOWEST = 0.25;
        private static final Color[] RAMP = {new Color(0x440154), new Color(0x3B528B), new Color(0x21918C),
                new Color(0x5EC962), new Color(0xFDE725)};

        @Override
        public double getLowerBound() {
            return LOWEST;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        static double position(double ratio) {
            if (!(ratio > 0)) {
                return 0;
            }
            return Math.max(0, Math.min(1, 1 - Math.log(ratio) / Math.log(LOWEST)));
        }

        @Override
        public Paint getPaint(double value) {
            double t = position(value) * (RAMP.length - 1);
            int i = (int) Math.floor(t);
            if (i >= RAMP.length - 1) {
                return RAMP[RAMP.length - 1];
            }
            double f = t - i;
            Color a = RAMP[i];
            Color b = RAMP[i + 1];
            return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                    (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                    (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
        }

        static Color textOn(double ratio) {
            return position(ratio) < 0.5 ? Color.WHITE : INK;
        }
    }

    /** Each strategy's line in its own colour and stroke, series in the order of {@code order}. */
    private void styleSeries(XYLineAndShapeRenderer r, List<String> order) {
        for (int i = 0; i < order.size(); i++) {
            r.setSeriesPaint(i, styles.color(order.get(i)));
            r.setSeriesStroke(i, styles.stroke(order.get(i)));
        }
    }
}
