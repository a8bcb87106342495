package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fairness figures reach every output: the page, report.md, summary.csv and a chart. */
class FairnessReportTest {

    @TempDir
    Path tmp;

    @Test
    void theStarvingStrategyIsNamedInEveryOutput() throws Exception {
        Path results = SyntheticResults.realistic(11).writeTo(tmp.resolve("results"));
        GeneratedReport report = ReportGenerator.generate(results, Optional.empty(), tmp.resolve("report"));

        String html = Files.readString(report.index());
        assertThat(html).contains("<section id=\"fairness\">").contains("Fairness between connections");
        assertThat(html.indexOf("id=\"fairness\"")).as("in the opening, after latency and CPU at equal rates")
                .isGreaterThan(html.indexOf("id=\"cpu-at-equal-rates\"")).isLessThan(html.indexOf("id=\"overview\""));

        String md = Files.readString(report.markdown());
        assertThat(md).contains("## Fairness between connections")
                .contains("**platform-threads** starves connections at ")
                .doesNotContain("**selector** starves");
        assertThat(report.charts()).anySatisfy(c -> assertThat(c.getFileName().toString()).contains("fairness"));

        List<String> csv = Files.readAllLines(report.csv());
        List<String> header = Arrays.asList(csv.get(0).split(","));
        int strategy = header.indexOf("strategy");
        int starves = header.indexOf("starves");
        int stalled = header.indexOf("connections_stalled_1s");
        int connections = header.indexOf("param_connections");
        assertThat(starves).isPositive();
        List<String[]> http256 = csv.stream().skip(1).map(l -> l.split(",", -1))
                .filter(f -> f[1].equals("io.asyncbench.bench.HttpBenchmark.requests") && f[connections].equals("256")
                        && f[header.indexOf("param_endpoint")].equals("plaintext"))
                .toList();
        assertThat(http256).hasSize(SyntheticResults.STRATEGIES.size());
        for (String[] row : http256) {
            boolean platform = row[strategy].equals("platform-threads");
            assertThat(row[starves]).as(row[strategy]).isEqualTo(String.valueOf(platform));
            assertThat(row[stalled]).as(row[strategy]).isEqualTo(platform ? "8" : "0"); // 4 per server, 2 servers
        }
    }
}
