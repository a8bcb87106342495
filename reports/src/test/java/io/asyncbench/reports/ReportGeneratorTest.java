package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

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
                .contains("netty-epoll");
        assertThat(html).as("one noisy result is flagged").contains("too noisy to trust");

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
        assertThat(md).contains("## echo", "| connections | size | strategy | score ± error | × best | × netty-nio |");

        List<String> csv = Files.readAllLines(report.csv());
        assertThat(csv.get(0)).startsWith("workload,benchmark,mode,strategy,param_connections,")
                .contains("score,score_error,score_low,score_high,unit,relative_error,ratio_to_best,ratio_to_netty_nio");
        long results_ = 7 * 6 + 7 + 7 * 4 + 7 * 2 + 7 * 2 + 7;
        assertThat(csv).hasSize((int) results_ + 1);

        for (Path svg : report.charts()) {
            assertThat(Files.readString(svg)).startsWith("<?xml").contains("<svg").contains("xmlns='http://www.w3.org/2000/svg'");
        }
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
        assertThat(Files.readString(report.markdown())).contains("🟢 **improved**");
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
