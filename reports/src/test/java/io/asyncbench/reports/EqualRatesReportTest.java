package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report opens with latency, then server CPU, at equal rates (SyntheticResults' common ladder). */
class EqualRatesReportTest {

    @TempDir
    Path tmp;

    @Test
    void htmlOpensWithLatencyThenCpuAtEqualRatesBeforeEverythingElse() throws Exception {
        GeneratedReport report = ReportGenerator.generate(SyntheticResults.realistic(3).writeTo(tmp.resolve("results")),
                Optional.empty(), tmp.resolve("out"));
        String html = Files.readString(report.index());
        int latency = html.indexOf("<section id=\"latency-at-equal-rates\">");
        int cpu = html.indexOf("<section id=\"cpu-at-equal-rates\">");
        int fairness = html.indexOf("<!-- fairness between connections");
        int overview = html.indexOf("<section id=\"overview\">");
        assertThat(latency).isPositive();
        assertThat(cpu).isGreaterThan(latency);
        assertThat(fairness).as("the place kept for the fairness chart").isGreaterThan(cpu);
        assertThat(overview).isGreaterThan(fairness);
        assertThat(html.indexOf("<section class=\"workload\"")).isGreaterThan(overview);

        String latencySection = html.substring(latency, cpu);
        // platform-threads fell behind at 36,000/s: the figures, never a latency there
        assertThat(latencySection).contains("could not sustain 36,000/s: sent 21,300/s, completed 21,280/s, send lag"
                + " p50 4.10 ms");
        assertThat(latencySection).contains(">36,000 req/s <span class=\"unit\">(90 %)</span>");
        // selector has the lowest p99 at every rate (p50 = 100 µs x 6/6)
        assertThat(latencySection).contains("lowest p99 ", "selector");
        assertThat(latencySection).contains("<svg").contains("latency at equal rates");

        String cpuSection = html.substring(cpu, fairness);
        // selector: 6 µs x (1 + 0.1 x rung); at 36,000/s (rung 3): 7.80 ± 0.20 µs, the least
        assertThat(cpuSection).contains(">7.80 <span class=\"err\">± 0.20</span> <span class=\"badge best\"");
        assertThat(cpuSection).contains("Server CPU per round trip at <b>36,000 requests/s</b> for every strategy");
        assertThat(cpuSection).contains("fell behind").contains("95 % confidence interval");

        assertThat(report.charts()).extracting(p -> p.getFileName().toString())
                .contains("echo-latency-equal-rates-connections-64-size-1024.svg",
                        "echo-cpu-equal-rates-connections-64-size-1024.svg");
    }

    @Test
    void markdownOpensTheSameWay() throws Exception {
        GeneratedReport report = ReportGenerator.generate(SyntheticResults.realistic(3).writeTo(tmp.resolve("results")),
                Optional.empty(), tmp.resolve("out"));
        String md = Files.readString(report.markdown());
        int latency = md.indexOf("## Latency at equal rates");
        int cpu = md.indexOf("## Server CPU at equal rates");
        assertThat(latency).isPositive();
        assertThat(cpu).isGreaterThan(latency);
        assertThat(md.indexOf("**How to read this.**")).isGreaterThan(cpu);
        assertThat(md).contains("| platform-threads |")
                .contains("could not sustain 36,000/s: sent 21,300/s")
                .contains("7.80 µs ± 0.20 ★")
                .contains("![TCP echo: latency at equal rates");
    }
}
