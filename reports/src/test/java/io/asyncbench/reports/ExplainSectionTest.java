package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** "Where the time goes": the figures per operation, the files it reads, and the section in both reports. */
@Timeout(120)
class ExplainSectionTest {

    @TempDir
    Path tmp;

    private static ExplainRun run(long operations, double window, ExplainRun.Kernel kernel, String recording) {
        return new ExplainRun("x.json", "io.asyncbench.bench.EchoBenchmark.throughput", "echo", "selector",
                Params.sorted(new TreeMap<>(java.util.Map.of("size", "1024"))), "jvm", operations, window,
                recording, recording == null ? "JFR did not start: boom" : null, kernel, kernel == null ? "no /proc" : null);
    }

    @Test
    void kernelCountsPerOperationAreTheCountsOverTheOperations() {
        ExplainRun one = run(1_000, 100, new ExplainRun.Kernel(2_000, 1_000, 500, 10, 5, 104), "a.jfr");
        ExplainSection.PerOperation p = ExplainSection.PerOperation.of(List.of(one), null, 0);
        assertThat(p.readSyscalls()).isCloseTo(2.0, within(1e-9));
        assertThat(p.writeSyscalls()).isCloseTo(1.0, within(1e-9));
        assertThat(p.voluntarySwitches()).isCloseTo(0.5, within(1e-9));
        assertThat(p.involuntarySwitches()).isCloseTo(0.01, within(1e-9));
        assertThat(p.allocatedBytes()).as("no recording read").isNaN();

        // two forks' windows add up: (2,000 + 3,000 reads) over (1,000 + 1,500 operations)
        ExplainRun two = run(1_500, 200, new ExplainRun.Kernel(3_000, 0, 0, 0, 5, 207), "b.jfr");
        Hotspots samples = new Hotspots.Builder().allocationSample("a.A.m", "byte[]", 250_000).build();
        ExplainSection.PerOperation both = ExplainSection.PerOperation.of(List.of(one, two), samples, 2_500);
        assertThat(both.readSyscalls()).isCloseTo(2.0, within(1e-9));
        assertThat(both.allocatedBytes()).isCloseTo(100.0, within(1e-9));

        assertThat(ExplainSection.PerOperation.of(List.of(run(1_000, 100, null, "a.jfr")), null, 0).readSyscalls())
                .as("no kernel counts: unknown, not zero").isNaN();
        assertThat(both.syscallsNotCounted()).isFalse();
        ExplainSection.PerOperation recv = ExplainSection.PerOperation.of(
                List.of(run(1_000, 100, new ExplainRun.Kernel(0, 40, 900, 3, 5, 100), "a.jfr")), null, 0);
        assertThat(recv.syscallsNotCounted()).as("answered 1,000 times without a read(2): it reads with recv(2)").isTrue();
        assertThat(ExplainText.syscalls(recv, recv.writeSyscalls())).isEqualTo(ExplainText.NOT_COUNTED);
        assertThat(ExplainText.count(recv.voluntarySwitches())).isEqualTo("0.90");
        assertThat(ExplainSection.PerOperation.of(List.of(run(10_000, 100, new ExplainRun.Kernel(5, 2, 0, 0, 5, 100), "a.jfr")),
                null, 0).syscallsNotCounted()).as("5 stray reads in 10,000 answers").isTrue();
        assertThat(ExplainSection.PerOperation.of(List.of(run(16_000, 100, new ExplainRun.Kernel(1_000, 1_000, 0, 0, 5, 100),
                "a.jfr")), null, 0).syscallsNotCounted()).as("16 pipelined requests per read").isFalse();
    }

    @Test
    void aFileThatIsNotAnExplainedWindowIsNamedWithWhatIsWrong() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThatThrownBy(() -> ExplainReader.parse("x.json", json.readTree("{\"benchmark\":\"b\",\"workload\":\"echo\","
                + "\"params\":{\"size\":\"1\"},\"operations\":1,\"windowMillis\":1}")))
                .hasMessage("params has no \"strategy\"");
        assertThatThrownBy(() -> ExplainReader.parse("x.json", json.readTree("{\"benchmark\":\"b\",\"workload\":\"echo\","
                + "\"params\":{\"strategy\":\"s\"},\"operations\":-3,\"windowMillis\":1}")))
                .hasMessage("\"operations\" is missing or not a whole number >= 0");
    }

    @Test
    void theReportShowsWhereTheTimeGoesAndNamesWhatItCouldNotRead() throws Exception {
        Path results = SyntheticResults.realistic(1).writeTo(tmp.resolve("results"));
        Path explain = Files.createDirectories(results.resolve("explain"));
        KnownRecording.write(explain.resolve("EchoBenchmark.throughput__selector.jfr"), 600);
        Files.writeString(explain.resolve("EchoBenchmark.throughput__selector.json"), sidecar("selector",
                "\"recording\": \"EchoBenchmark.throughput__selector.jfr\""));
        Files.writeString(explain.resolve("EchoBenchmark.throughput__netty-epoll.json"), sidecar("netty-epoll",
                "\"recording\": \"EchoBenchmark.throughput__netty-epoll.jfr\""));
        Files.writeString(explain.resolve("broken.json"), "{\"benchmark\": ");

        GeneratedReport report = ReportGenerator.generate(results, Optional.empty(), tmp.resolve("out"));

        String md = Files.readString(report.markdown());
        assertThat(md).contains("## Where the time goes", "### echo throughput · connections=64 size=1024")
                .contains("| selector | 20,000 | ").contains("| netty-epoll | 20,000 | — | 2.00 | 1.00 | 0.25 | 0.01 | — | — |")
                .contains("KnownRecording.spinInJava").contains("KnownRecording.allocateArrays")
                .contains("the recording EchoBenchmark.throughput\\_\\_netty-epoll.jfr is missing")
                .contains("**Not read:** explain/broken.json");
        String html = Files.readString(report.index());
        assertThat(html).contains("<section id=\"where-the-time-goes\"><h2>Where the time goes</h2>")
                .contains("href=\"#where-the-time-goes\"")
                .contains("<code title=\"" + KnownRecording.SPIN + "\">KnownRecording.spinInJava</code>")
                .contains("the recording EchoBenchmark.throughput__netty-epoll.jfr is missing")
                .contains("explain/broken.json");
    }

    @Test
    void aRunWithoutExplainHasNoSection() throws Exception {
        Path results = SyntheticResults.realistic(1).writeTo(tmp.resolve("results"));
        GeneratedReport report = ReportGenerator.generate(results, Optional.empty(), tmp.resolve("out"));
        assertThat(Files.readString(report.markdown())).doesNotContain("Where the time goes");
        assertThat(Files.readString(report.index())).doesNotContain("where-the-time-goes");
    }

    /** 20,000 operations; the kernel counted 40,000 reads, 20,000 writes. */
    private static String sidecar(String strategy, String recording) {
        return "{\"benchmark\": \"io.asyncbench.bench.EchoBenchmark.throughput\", \"mode\": \"thrpt\","
                + " \"params\": {\"strategy\": \"" + strategy + "\", \"size\": \"1024\", \"connections\": \"64\"},"
                + " \"workload\": \"echo\", \"serverPid\": 42, \"kind\": \"jvm\", \"iteration\": 6,"
                + " \"operations\": 20000, \"windowMillis\": 100.0, " + recording + ","
                + " \"kernel\": {\"readSyscalls\": 40000, \"writeSyscalls\": 20000, \"voluntaryContextSwitches\": 5000,"
                + " \"involuntaryContextSwitches\": 200, \"threads\": 12, \"windowMillis\": 110.0}}";
    }
}
