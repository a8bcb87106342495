package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on a realistic results folder: what is written, and what it contains. */
class ReportGeneratorTest {

    @TempDir
    Path tmp;

    @Test
    void writesHtmlMarkdownCsvAndCharts() throws Exception {
        Path results = SyntheticResults.realistic(1).writeTo(tmp.resolve("results"));
        Path out = tmp.resolve("out");

        GeneratedReport report = ReportGenerator.generate(results, Optional.empty(), out);

        assertThat(report.index()).isRegularFile();
        assertThat(report.markdown()).isRegularFile();
        assertThat(report.csv()).isRegularFile();
        assertThat(report.charts()).isNotEmpty().allSatisfy(p -> assertThat(p).isRegularFile());
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("no temporary folder is left behind")
                    .containsExactlyInAnyOrder("index.html", "report.md", "summary.csv", "charts");
        }

        String html = Files.readString(report.index());
        assertThat(count(html, "<svg")).isEqualTo(report.charts().size());
        assertThat(html).contains("id=\"w-echo\"", "id=\"w-http\"", "id=\"w-timers\"", "id=\"w-gateway\"", "id=\"w-proxy\"")
                .contains("Environment", "AMD EPYC 7B13", "cpus 4-7", "756e731f0c2b")
                .contains("How to read this", "Verdict")
                .contains("netty-epoll")
                .contains("2026-11-25 19:00:00 UTC").doesNotContain("2026-11-25T19:00:00Z");
        assertThat(html).as("the one noisy result is counted at the top and marked in its cell")
                .contains("1 of 112 scores are noisier than ±10 %").contains("⚠ ±17.0 %");

        // Self-contained: nothing is fetched. The only URL is the SVG namespace.
        Matcher urls = Pattern.compile("(?:src|href)\\s*=\\s*\"(?!#)([^\"]*)\"").matcher(html);
        while (urls.find()) {
            throw new AssertionError("index.html refers to " + urls.group(1));
        }
        assertThat(html).doesNotContainPattern("(?i)<script|<link|<img|<iframe|@import|url\\((?!#)");

        String md = Files.readString(report.markdown());
        Matcher images = Pattern.compile("!\\[[^]]*]\\((charts/[^)]+)\\)").matcher(md);
        int n = 0;
        while (images.find()) {
            assertThat(out.resolve(images.group(1))).isRegularFile();
            n++;
        }
        assertThat(n).isEqualTo(report.charts().size());
        assertThat(md).as("closed-loop latency is not ranked at a glance")
                .contains("| echo | latency · closed-loop sampled time (coordinated omission) | "
                        + Verdicts.CLOSED_LOOP_NOT_RANKED + " |");
        assertThat(md).contains("## echo", "| connections | size | strategy | score ± error | server CPU/op (µs) |"
                + " server CPU | load gen CPU | × best | × netty-nio | no real difference from | server alloc/op |"
                + " RSS/conn | live heap/conn |");

        List<String> csv = Files.readAllLines(report.csv());
        assertThat(csv.get(0)).startsWith("workload,benchmark,mode,strategy,param_connections,")
                .contains("score,score_error,score_low,score_high,unit,relative_error,ratio_to_best,ratio_to_netty_nio")
                .contains(",noisy,server_cpu_ns_per_op,server_cpu_percent,server_cores,load_generator_cpu_percent,"
                        + "load_generator_cores,backend_cpu_percent,server_alloc_bytes_per_op,server_rss_bytes_per_connection,"
                        + "server_live_heap_bytes_per_connection,server_warmup_ms,server_warmup_jit_quiet,server_errors,"
                        + "other_cpu_percent_server_cpus,other_cpu_percent_load_cpus,overhead_ms,lateness_p50_ms,lateness_p99_ms,lateness_max_ms,heap_bytes_per_task,"
                        + "alloc_bytes_per_op");
        long results_ = 7 * 6 + 7 + 7 * 4 + 7 * 2 + 7 * 2 + 7;
        assertThat(csv).hasSize((int) results_ + 1);

        for (Path svg : report.charts()) {
            assertThat(Files.readString(svg)).startsWith("<?xml").contains("<svg").contains("xmlns='http://www.w3.org/2000/svg'");
        }
    }

    @Test
    void serverWorkloadsShowTheServersAllocationAndTheTimersJmhs() throws Exception {
        GeneratedReport report = ReportGenerator.generate(SyntheticResults.realistic(1).writeTo(tmp.resolve("results")),
                Optional.empty(), tmp.resolve("out"));
        String html = Files.readString(report.index());
        String loadGeneratorAlloc = Fmt.bytes(SyntheticResults.LOAD_GENERATOR_ALLOC); // "7.59 KiB"
        for (String w : List.of("echo", "http", "gateway", "proxy")) {
            assertThat(section(html, w)).as(w)
                    .contains("server alloc/op</th>").doesNotContain(">alloc/op</th>").doesNotContain(loadGeneratorAlloc);
        }
        // echo selector at size=4096: serverAllocBytesPerOp = 96 × 0.3 + 4096 × 0.02 = 110.72 B.
        assertThat(row(section(html, "echo"), "selector", "4096")).contains(">111 B<");
        assertThat(section(html, "timers")).contains(">alloc/op</th>").doesNotContain("server alloc/op");

        List<String> csv = Files.readAllLines(report.csv());
        List<String> header = List.of(csv.get(0).split(","));
        int server = header.indexOf("server_alloc_bytes_per_op");
        int jmh = header.indexOf("alloc_bytes_per_op");
        for (String line : csv.subList(1, csv.size())) {
            List<String> f = List.of(line.split(",", -1));
            if (f.get(0).equals("timers")) {
                assertThat(f.get(jmh)).isNotEmpty();
                assertThat(f.get(server)).isEmpty();
            } else {
                assertThat(f.get(jmh)).as(line).isEmpty();
                assertThat(Double.parseDouble(f.get(server))).as(line).isNotEqualTo(SyntheticResults.LOAD_GENERATOR_ALLOC);
            }
        }
        assertThat(Files.readString(report.markdown())).doesNotContain(loadGeneratorAlloc);
    }

    @Test
    void serverCpuPerOperationStandsRightAfterTheScoreWithTheCpuUseOfBothSides() throws Exception {
        GeneratedReport report = ReportGenerator.generate(SyntheticResults.realistic(1).writeTo(tmp.resolve("results")),
                Optional.empty(), tmp.resolve("out"));
        String echo = section(Files.readString(report.index()), "echo");
        int score = echo.indexOf("score ± error</th>");
        int cpu = echo.indexOf(">server CPU/op <span class=\"unit\">µs</span></th>");
        int serverCpu = echo.indexOf(">server CPU</th>");
        int load = echo.indexOf(">load gen CPU</th>");
        assertThat(score).isPositive();
        assertThat(cpu).as("CPU/op right after the score").isGreaterThan(score).isLessThan(echo.indexOf("next to the best"));
        assertThat(serverCpu).isGreaterThan(cpu);
        assertThat(load).isGreaterThan(serverCpu).isLessThan(echo.indexOf("next to the best"));
        // selector: 6 µs of server CPU per round trip; netty-epoll's client thread saturated (97 % of its one core).
        assertThat(row(echo, "selector", "4096")).contains(">6.00 <span class=\"err\">± 0.30</span>");
        assertThat(row(echo, "netty-epoll", "4096")).contains("<span class=\"hot\"", ">97.0 % ⚑</span>");
        assertThat(echo).contains("Cheapest in server CPU: ", "Client-bound: the load CPUs (load generator plus backends)");
        assertThat(report.charts()).extracting(p -> p.getFileName().toString())
                .contains("echo-roundtrip-cpu.svg", "http-requests-cpu.svg", "gateway-requests-cpu.svg", "proxy-relay-cpu.svg")
                .noneMatch(n -> n.startsWith("timers-") && n.endsWith("-cpu.svg"));

        List<String> csv = Files.readAllLines(report.csv());
        List<String> header = List.of(csv.get(0).split(","));
        String selector = csv.stream().filter(l -> l.startsWith("echo,") && l.contains(",selector,")).findFirst().orElseThrow();
        List<String> f = List.of(selector.split(",", -1));
        assertThat(Double.parseDouble(f.get(header.indexOf("server_cpu_ns_per_op")))).isCloseTo(6_000, within(1e-6));
        assertThat(f.get(header.indexOf("server_cores"))).isEqualTo("4");
        assertThat(f.get(header.indexOf("load_generator_cores"))).isEqualTo("1");
        assertThat(Double.parseDouble(f.get(header.indexOf("load_generator_cpu_percent")))).isBetween(0.0, 100.0);
    }

    @Test
    void theTimersTableShowsOverheadLatenessAndBytesPerTask() throws Exception {
        GeneratedReport report = ReportGenerator.generate(SyntheticResults.realistic(1).writeTo(tmp.resolve("results")),
                Optional.empty(), tmp.resolve("out"));
        String timers = section(Files.readString(report.index()), "timers");
        assertThat(timers).contains(">overhead</th>", ">lateness p50</th>", ">lateness p99</th>", ">bytes/task</th>")
                .doesNotContain("server CPU", "load gen CPU");
        List<String> csv = Files.readAllLines(report.csv());
        int overhead = List.of(csv.get(0).split(",")).indexOf("overhead_ms");
        // strategy, an empty connections column, then tasks
        String selector = csv.stream().filter(l -> l.startsWith("timers,") && l.contains(",selector,,1000,"))
                .findFirst().orElseThrow();
        double ms = Double.parseDouble(selector.split(",", -1)[overhead]);
        assertThat(row(timers, "selector", "1000")).contains(">" + Fmt.micros(ms * 1000) + "<", ">80 B<");
        assertThat(Files.readString(report.markdown()))
                .contains("| overhead | lateness p50 | lateness p99 | bytes/task | alloc/op |");
    }

    @Test
    void withoutServerFiguresTheCellsShowADashAndNothingBreaks() throws Exception {
        Path results = SyntheticResults.realistic(6).withoutServerMetrics().writeTo(tmp.resolve("results"));
        GeneratedReport report = ReportGenerator.generate(results, Optional.empty(), tmp.resolve("out"));

        String echo = section(Files.readString(report.index()), "echo");
        assertThat(echo).as("the headline column stays, to say it was not measured").contains(">server CPU/op ")
                .doesNotContain("server alloc/op", ">alloc/op</th>", "Cheapest in server CPU", "also the cheapest");
        assertThat(row(echo, "selector", "4096")).contains("<td class=\"num muted\" title=\"not in the results\">—</td>");
        assertThat(report.charts()).extracting(p -> p.getFileName().toString()).noneMatch(n -> n.endsWith("-cpu.svg"));
        String md = Files.readString(report.markdown());
        assertThat(md).contains("| server CPU/op (µs) | load gen CPU |");
        List<String> csv = Files.readAllLines(report.csv());
        int cpu = List.of(csv.get(0).split(",")).indexOf("server_cpu_ns_per_op");
        assertThat(csv.subList(1, csv.size())).allSatisfy(l -> assertThat(l.split(",", -1)[cpu]).isEmpty());
    }

    @Test
    void openLoopChartsCompareStrategiesAtOneFractionOfTheirOwnPeak() throws Exception {
        GeneratedReport report = ReportGenerator.generate(SyntheticResults.realistic(1).writeTo(tmp.resolve("results")),
                Optional.empty(), tmp.resolve("out"));
        List<Path> latency = report.charts().stream()
                .filter(p -> p.getFileName().toString().startsWith("echo-latency-") && p.toString().contains("-of-own-peak-"))
                .toList();
        assertThat(latency).extracting(p -> p.getFileName().toString())
                .containsExactly("echo-latency-30-of-own-peak-connections-64-size-1024.svg",
                        "echo-latency-90-of-own-peak-connections-64-size-1024.svg");
        String svg = Files.readString(latency.get(1));
        assertThat(svg).as("the subtitle (it wraps before its last word)").contains("each strategy ran at 90 % of its own measured", "peak throughput");
        // netty-epoll's peak model is 80,000 req/s: 90 % of it is 72,000; selector's is 0.9 × 0.9 × 80,000.
        assertThat(svg).contains("netty-epoll · 72,000 req/s", "selector · 64,800 req/s");
        String echo = section(Files.readString(report.index()), "echo");
        assertThat(echo).contains(">90 % of own peak<", ">72,000 req/s</td>");
        assertThat(Files.readString(report.markdown())).contains("| 90 % of own peak · connections=64 size=1024 | netty-epoll | 72,000 req/s |");
    }

    @Test
    void gatewayAndProxyShowTheBackendsCpuAndSaturatedBackendsGetANote() throws Exception {
        GeneratedReport report = ReportGenerator.generate(SyntheticResults.realistic(1).writeTo(tmp.resolve("results")),
                Optional.empty(), tmp.resolve("out"));
        String html = Files.readString(report.index());
        String gateway = section(html, "gateway");
        assertThat(gateway).contains(">backend CPU</th>", "The backends used more than 90 % of their one core in ",
                "the backends set the pace; compare server CPU per request.");
        // netty-epoll's backends: min(99, 60 + 40 × 1.0) % of their one core, marked as the pace-setter.
        assertThat(row(gateway, "netty-epoll", "64")).contains("<span class=\"hot\"", ">99.0 %</span>");
        assertThat(section(html, "proxy")).contains(">backend CPU</th>").doesNotContain("The backends used more");
        assertThat(section(html, "echo")).doesNotContain("backend CPU</th>");
        assertThat(html).as("the warm-up from metadata.json's parameters").contains("Server warm-up before JMH&#39;s first"
                + " iteration").contains("1,000 ms to 1,900 ms per server, median 1,450 ms");

        Path old = SyntheticResults.realistic(6).withoutServerMetrics().writeTo(tmp.resolve("old"));
        String oldGateway = section(Files.readString(ReportGenerator.generate(old, Optional.empty(), tmp.resolve("o")).index()),
                "gateway");
        assertThat(oldGateway).as("older results: the column stays, with a dash").contains(">backend CPU</th>");
        assertThat(count(row(oldGateway, "selector", "64"), "title=\"not in the results\">—</td>"))
                .as("server CPU/op and backend CPU").isEqualTo(2);
    }

    @Test
    void parametersAreAKeyValueTableAcrossThePage() throws Exception {
        GeneratedReport report = ReportGenerator.generate(SyntheticResults.realistic(1).writeTo(tmp.resolve("results")),
                Optional.empty(), tmp.resolve("out"));
        String html = Files.readString(report.index());
        assertThat(html).contains("<table class=\"compact kv\"><tbody><tr><th scope=\"row\">latencyRates</th><td>0.5,0.9 of peak</td></tr>")
                .doesNotContain("<dt>Parameters</dt>");
        assertThat(Files.readString(report.markdown())).contains("| Parameter threads | 4 |");
    }

    @Test
    void markdownShowsTheSampledTimesPercentilesAsTheHtmlDoes() throws Exception {
        GeneratedReport report = ReportGenerator.generate(SyntheticResults.realistic(1).writeTo(tmp.resolve("results")),
                Optional.empty(), tmp.resolve("out"));
        String md = Files.readString(report.markdown());
        assertThat(md).contains("| × best | × netty-nio | no real difference from | p50 | p99 | p99.9 | server alloc/op |");
        String header = md.lines().filter(l -> l.contains("| p50 | p99 | p99.9 |")).findFirst().orElseThrow();
        String selector = md.lines().filter(l -> l.startsWith("| 64 | 1024 | ") && l.contains("selector")).findFirst().orElseThrow();
        assertThat(count(selector, "|")).as("a cell under each heading").isEqualTo(count(header, "|"));
        assertThat(selector).doesNotContain("—");
        assertThat(Files.readString(report.index())).contains("<th class=\"num\">p50</th><th class=\"num\">p99</th>");
    }

    /** The HTML of one workload's section. */
    static String section(String html, String workload) {
        int from = html.indexOf("id=\"" + HtmlReport.anchor(workload) + "\"");
        assertThat(from).as("section " + workload).isPositive();
        int to = html.indexOf("</section>", from);
        return html.substring(from, to);
    }

    /** The table row of {@code strategy} in the first group after the parameter value {@code after}. */
    static String row(String html, String strategy, String after) {
        int start = html.indexOf(">" + after + "</td>");
        assertThat(start).as(after).isPositive();
        Matcher chip = Pattern.compile("<td class=\"strat\"><span class=\"chip\" style=\"--c:#[0-9a-f]+\">"
                + Pattern.quote(strategy) + "</span>").matcher(html);
        assertThat(chip.find(start)).as(strategy + " after " + after).isTrue();
        int from = html.lastIndexOf("<tr", chip.start());
        return html.substring(from, html.indexOf("</tr>", chip.start()));
    }

    @Test
    void comparesWithABaseline() throws Exception {
        Path before = SyntheticResults.realistic(1).writeTo(tmp.resolve("before"));
        Path after = SyntheticResults.realistic(2).selectorSpeedup(1.3).writeTo(tmp.resolve("after"));

        GeneratedReport report = ReportGenerator.generate(after, Optional.of(before), tmp.resolve("out"));

        String html = Files.readString(report.index());
        assertThat(html).contains("id=\"baseline\"", "Against the baseline", "improved");
        String csv = Files.readString(report.csv());
        assertThat(csv.lines().filter(l -> l.contains("EchoBenchmark") && l.contains(",selector,")))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).endsWith(",improved"));
        assertThat(Files.readString(report.markdown())).contains("🟢 **improved**",
                "**Server CPU at equal load, as ratios between strategies:**");
        // both runs measured the common ladder: their strategy pairs are compared step by step
        Matcher agreement = Pattern.compile("<p id=\"cpu-agreement\">.*?</b> (\\d+) of (\\d+) pairs").matcher(html);
        assertThat(agreement.find()).isTrue();
        assertThat(Integer.parseInt(agreement.group(2))).isPositive();
    }

    @Test
    void commandLineWritesIntoResultsFolderByDefault() throws Exception {
        Path results = SyntheticResults.realistic(3).withoutLatency().writeTo(tmp.resolve("results"));
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();

        int code = ReportGenerator.run(new String[] {results.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("index.html");
        assertThat(results.resolve("report/index.html")).isRegularFile();
    }

    @Test
    void commandLineRejectsBadUsage() {
        var err = new ByteArrayOutputStream();
        int code = ReportGenerator.run(new String[] {"--out"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: report RESULTS_DIR");
    }

    @Test
    void aSecondReportReplacesTheFirst() throws IOException, ReportException {
        Path results = SyntheticResults.realistic(4).writeTo(tmp.resolve("results"));
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve("charts"));
        Files.writeString(out.resolve("charts/stale-chart.svg"), "<svg/>");
        Files.writeString(out.resolve("notes.txt"), "mine");

        ReportGenerator.generate(results, Optional.empty(), out);

        assertThat(out.resolve("charts/stale-chart.svg")).as("an old chart is removed").doesNotExist();
        assertThat(out.resolve("notes.txt")).as("other files are left alone").hasContent("mine");
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
