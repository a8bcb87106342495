package io.asyncbench.reports;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns one results folder (jmh-result.json, metadata.json, latency/*.hgrm: the format the bench
 * module writes) into a report: {@code index.html} (self-contained, opens offline), {@code report.md}
 * with its charts in {@code charts/*.svg}, and {@code summary.csv}.
 *
 * <p>Everything is read, checked and rendered in memory first; only then are the files written to a
 * temporary folder inside the output folder and moved into place, index.html last. A results folder
 * that cannot be read leaves no report behind, only a {@link ReportException} whose one-line message
 * names the file and the problem.
 *
 * <p>From the command line: {@code java -cp ... io.asyncbench.reports.ReportGenerator RESULTS_DIR
 * [--baseline OTHER_DIR] [--out DIR]}; the default output folder is {@code RESULTS_DIR/report}.
 */
public final class ReportGenerator {

    public static final String INDEX_HTML = "index.html";
    public static final String REPORT_MD = "report.md";
    public static final String SUMMARY_CSV = "summary.csv";
    public static final String DEFAULT_OUT = "report";

    private ReportGenerator() {
    }

    /**
     * Writes the report of {@code resultsDir} (compared with {@code baselineDir} if given) into
     * {@code outDir}, creating it if needed and replacing the files of an earlier report there.
     *
     * @throws ReportException if a results folder is missing, empty, truncated or malformed, or the
     *                         report cannot be written; its message is one line naming the file
     */
    public static GeneratedReport generate(Path resultsDir, Optional<Path> baselineDir, Path outDir)
            throws ReportException {
        return generate(resultsDir, baselineDir, outDir, List.of());
    }

    /**
     * The same, with the facts of the strategies the caller knows ({@code Strategy.facts()}; the
     * command line passes those on its class path): they stand in for a strategy that a results
     * folder written before {@code run} recorded facts lists without them. A strategy known to
     * neither still gets a colour and a place, after the others ({@link Lineup}).
     */
    public static GeneratedReport generate(Path resultsDir, Optional<Path> baselineDir, Path outDir,
                                           List<Lineup.Entry> known) throws ReportException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Results results = ResultsReader.read(resultsDir);
        Optional<Results> baseline = Optional.empty();
        if (baselineDir.isPresent()) {
            baseline = Optional.of(ResultsReader.read(baselineDir.get()));
        }
        Analysis analysis = Analysis.of(results, baseline, known);

        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, List<Charts.Chart>> charts = new LinkedHashMap<>();
        Charts.Chart heatMap;
        List<HtmlEqualRates.View> equalRates = new ArrayList<>();
        try {
            Charts drawer = new Charts(analysis.styles);
            EqualRateCharts equalDrawer = new EqualRateCharts(drawer);
            for (EqualRates e : analysis.equalRates) {
                equalRates.add(new HtmlEqualRates.View(e, equalDrawer.latency(e), equalDrawer.cpu(e)));
            }
            heatMap = drawer.heatMap(analysis.allComparisons()).orElse(null);
            for (Analysis.WorkloadReport w : analysis.workloads) {
                charts.put(w.workload(), drawer.forWorkload(w));
            }
            charts.put(FairnessSection.CHARTS, drawer.fairness(FairnessSection.of(results, analysis.styles.order())));
        } catch (RuntimeException | Error e) {
            // AWT without fonts fails here (for instance a JDK on a machine without fontconfig fonts).
            throw new ReportException(outDir, "cannot draw the charts: " + e, e);
        }
        SourceCatalog sources = SourceCatalog.load(analysis.styles.lineup());
        // explain/ (run --explain): a recording that cannot be read is named in the section, never fatal
        ExplainSection.Explained explained = ExplainSection.of(resultsDir, analysis.styles.order());
        String now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_INSTANT);

        List<Charts.Chart> all = new ArrayList<>();
        for (HtmlEqualRates.View v : equalRates) {
            if (v.latency() != null) {
                all.add(v.latency());
            }
            if (v.cpu() != null) {
                all.add(v.cpu());
            }
        }
        if (heatMap != null) {
            all.add(heatMap);
        }
        charts.values().forEach(all::addAll);
        for (Charts.Chart c : all) {
            files.put(MarkdownReport.CHART_DIR + "/" + c.file(), svgFile(c.svg()));
        }
        files.put(SUMMARY_CSV, CsvReport.render(analysis).getBytes(StandardCharsets.UTF_8));
        files.put(REPORT_MD, new MarkdownReport(analysis, charts, heatMap, sources, equalRates, explained).render().getBytes(StandardCharsets.UTF_8));
        files.put(INDEX_HTML, new HtmlReport(analysis, charts, heatMap, sources, now, equalRates, explained).render().getBytes(StandardCharsets.UTF_8));

        write(outDir, files);
        List<Path> chartPaths = all.stream().map(c -> outDir.resolve(MarkdownReport.CHART_DIR).resolve(c.file())).toList();
        return new GeneratedReport(outDir.resolve(INDEX_HTML), outDir.resolve(REPORT_MD), outDir.resolve(SUMMARY_CSV),
                chartPaths);
    }

    private static byte[] svgFile(String svgElement) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svgElement + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes every file into a fresh temporary folder inside {@code outDir}, then moves each into
     * place (index.html last, so a reader never opens a page whose charts are not there yet), and
     * removes the temporary folder whatever happens. Old charts of an earlier report are removed.
     */
    static void write(Path outDir, Map<String, byte[]> files) throws ReportException {
        Path staging;
        try {
            Files.createDirectories(outDir);
            staging = Files.createTempDirectory(outDir, ".report-");
        } catch (IOException e) {
            throw new ReportException(outDir, "cannot create the output folder: " + e, e);
        }
        try {
            for (var e : files.entrySet()) {
                Path p = staging.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.write(p, e.getValue());
            }
            Path chartDir = outDir.resolve(MarkdownReport.CHART_DIR);
            Files.createDirectories(chartDir);
            try (DirectoryStream<Path> old = Files.newDirectoryStream(chartDir, "*.svg")) {
                for (Path p : old) {
                    if (!files.containsKey(MarkdownReport.CHART_DIR + "/" + p.getFileName())) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            List<String> order = new ArrayList<>(files.keySet());
            order.remove(INDEX_HTML);
            order.add(INDEX_HTML);
            for (String name : order) {
                move(staging.resolve(name), outDir.resolve(name));
            }
        } catch (IOException e) {
            throw new ReportException(outDir, "cannot write the report: " + e, e);
        } finally {
            deleteRecursively(staging);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Best effort: a leftover hidden temporary folder is not a half-written report.
        }
    }

    /** {@code RESULTS_DIR [--baseline OTHER_DIR] [--out DIR]}; exit 0, 1 on a bad results folder, 2 on bad usage. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path results = null;
        Path baseline = null;
        Path outDir = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--baseline", "--out" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, arg + " needs a folder");
                    }
                    Path p = Path.of(args[++i]);
                    if (arg.equals("--baseline")) {
                        baseline = p;
                    } else {
                        outDir = p;
                    }
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (arg.startsWith("-") || results != null) {
                        return usage(err, "unexpected argument: " + arg);
                    }
                    results = Path.of(arg);
                }
            }
        }
        if (results == null) {
            return usage(err, "give the results folder");
        }
        try {
            GeneratedReport r = generate(results, Optional.ofNullable(baseline),
                    outDir != null ? outDir : results.resolve(DEFAULT_OUT));
            out.println("Report: " + r.index().toAbsolutePath().normalize().toUri());
            out.println("        " + r.markdown() + ", " + r.csv() + ", " + r.charts().size() + " charts");
            return 0;
        } catch (ReportException e) {
            err.println("asyncbench report: " + e.getMessage());
            return 1;
        }
    }

    private static final String USAGE = "usage: report RESULTS_DIR [--baseline OTHER_DIR] [--out DIR]";

    private static int usage(PrintStream err, String problem) {
        err.println("asyncbench report: " + problem);
        err.println(USAGE);
        return 2;
    }
}
