package io.asyncbench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.asyncbench.load.ConnectRoundTrip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** merge's arithmetic and its refusals, on load results made here. */
class LoadMergeTest {

    private static final Instant T0 = Instant.parse("2026-12-07T03:00:00Z");

    /** A server whose CPU counter grows by {@code cpuPerSecond} ns each second, as its stats port says. */
    private static String stats(long second, long cpuPerSecond, long allocPerSecond, String pid) {
        return "{\"cpuNanos\":" + (1_000_000_000L + second * cpuPerSecond) + ",\"allocatedBytes\":"
                + (second * allocPerSecond) + ",\"rssBytes\":1,\"heapUsedBytes\":1,\"threads\":9,\"gcCount\":0,"
                + "\"gcMillis\":0,\"compileMillis\":0,\"connectionsOpened\":0,\"connectionsClosed\":0,\"bytesRead\":0,"
                + "\"bytesWritten\":0,\"requests\":0,\"errors\":0,\"host\":{\"hostName\":\"srv\",\"cpus\":\"2\","
                + "\"jvm\":\"a JVM\"},\"server\":{\"strategy\":\"selector\",\"workload\":\"echo\",\"threads\":\"2\","
                + "\"pid\":\"" + pid + "\",\"startedAt\":\"1\"}}";
    }

    /** A host that measured {@code opsPerSecond} for {@code seconds} one-second sub-windows, starting {@code skew} late. */
    private static LoadHostResult host(String name, long opsPerSecond, int seconds, Duration skew, boolean withStats,
                                       String pid) {
        List<LoadHostResult.Boundary> marks = new ArrayList<>();
        for (int k = 0; k <= seconds; k++) {
            marks.add(new LoadHostResult.Boundary(T0.plus(skew).plusSeconds(k), k * opsPerSecond,
                    withStats ? stats(k, 500_000_000L, 1_000_000L, pid) : null));
        }
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount(100_000, opsPerSecond * seconds);
        return new LoadHostResult(name, "10.0.0.1:8080", "echo", "echo 1024 B messages",
                Map.of("loop", "closed", "connections", "8", "threads", "1", "size", "1024"),
                T0.plus(skew), T0.plus(skew).plusSeconds(seconds), opsPerSecond * seconds, 0, null, 30,
                latency, new ConnectRoundTrip(400, 520, 21), marks);
    }

    @Test
    void addsTheHostsOperationsAndDividesTheServersCpuByThem() {
        LoadMerge merge = LoadMerge.of(List.of(host("a", 30_000, 4, Duration.ZERO, true, "7"),
                host("b", 20_000, 4, Duration.ofMillis(30), true, "7")), null);

        assertThat(merge.strategy()).as("named by the server's stats line").isEqualTo("selector");
        assertThat(merge.operations()).isEqualTo(4 * 50_000);
        assertThat(merge.opsPerSecond()).hasSize(4).allSatisfy(rate -> assertThat(rate).isCloseTo(50_000, within(1.0)));
        // 0.5 s of server CPU per second over 50,000 operations per second: 10 µs each
        assertThat(merge.serverCpuNanosPerOp()).allSatisfy(ns -> assertThat(ns).isCloseTo(10_000, within(0.1)));
        assertThat(merge.serverAllocBytesPerOp()).allSatisfy(b -> assertThat(b).isCloseTo(20, within(0.01)));
        assertThat(merge.serverCpuPercent()).allSatisfy(p -> assertThat(p).isCloseTo(50, within(0.01)));
        assertThat(merge.latency().getTotalCount()).as("HdrHistogram added the histograms").isEqualTo(4 * 50_000);
        assertThat(merge.params()).containsEntry("connections", "16").containsEntry("size", "1024")
                .doesNotContainKeys("threads", "loop");
        assertThat(merge.loadCpuPercent()).isEqualTo(60);
        assertThat(merge.skew()).isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void takesTheServersFiguresFromWhicheverHostReadThem() {
        LoadMerge merge = LoadMerge.of(List.of(host("a", 10_000, 3, Duration.ZERO, false, "7"),
                host("b", 40_000, 3, Duration.ZERO, true, "7")), null);
        assertThat(merge.serverCpuNanosPerOp()).allSatisfy(ns -> assertThat(ns).isCloseTo(10_000, within(0.1)));
    }

    @Test
    void refusesWindowsThatDidNotLineUp() {
        assertThatThrownBy(() -> LoadMerge.of(List.of(host("a", 1000, 4, Duration.ZERO, true, "7"),
                host("b", 1000, 4, Duration.ofMillis(400), true, "7")), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("load host b").hasMessageContaining("400 ms apart").hasMessageContaining("--start-at");
    }

    @Test
    void refusesLoadsOfDifferentServerProcesses() {
        assertThatThrownBy(() -> LoadMerge.of(List.of(host("a", 1000, 2, Duration.ZERO, true, "7"),
                host("b", 1000, 2, Duration.ZERO, true, "8")), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one server process");
    }

    @Test
    void refusesAHostThatSawAWrongReply() {
        LoadHostResult good = host("a", 1000, 2, Duration.ZERO, true, "7");
        LoadHostResult failed = new LoadHostResult("b", good.target(), "echo", good.traffic(), good.settings(),
                good.started(), good.ended(), 0, 1, "wrong echo: byte 5 of 64", Double.NaN, new Histogram(3), null,
                List.of());
        assertThatThrownBy(() -> LoadMerge.of(List.of(good, failed), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wrong echo: byte 5 of 64");
    }

    @Test
    void needsTheStrategyWhenNoHostReadTheServersStats() {
        List<LoadHostResult> blind = List.of(host("a", 1000, 2, Duration.ZERO, false, "7"));
        assertThatThrownBy(() -> LoadMerge.of(blind, null)).hasMessageContaining("--strategy");
        LoadMerge merge = LoadMerge.of(blind, "mine");
        assertThat(merge.strategy()).isEqualTo("mine");
        assertThat(merge.serverCpuNanosPerOp()).isEmpty();
    }

    @Test
    void writesAFolderTheReportReads(@TempDir Path tmp) throws Exception {
        LoadMerge merge = LoadMerge.of(List.of(host("a", 30_000, 4, Duration.ZERO, true, "7"),
                host("b", 20_000, 4, Duration.ZERO, true, "7")), null);
        MergedResults.write(List.of(merge), tmp.resolve("merged"), List.of(tmp.resolve("a"), tmp.resolve("b")));

        var report = io.asyncbench.reports.ReportGenerator.generate(tmp.resolve("merged"), java.util.Optional.empty(),
                tmp.resolve("merged/report"), List.of());
        String markdown = Files.readString(report.markdown());
        assertThat(markdown).contains("selector").contains("50,000").contains("median 520 µs");
        String metadata = Files.readString(tmp.resolve("merged/metadata.json"));
        assertThat(metadata).contains("\"profile\" : \"merged\"").contains("a to 10.0.0.1:8080: median 520 µs").contains("roundTrip of selector echo over network");
        assertThatThrownBy(() -> MergedResults.write(List.of(merge), tmp.resolve("merged"), List.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("already holds");
    }

    @Test
    void aLoadFolderThatIsNotOneIsNamed(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> LoadHostResult.read(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("no load.json");
        Files.writeString(tmp.resolve("load.json"), "{\"format\":1,\"host\":\"a\"");
        assertThatThrownBy(() -> LoadHostResult.read(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("load.json");
    }

    @Test
    void boundariesSurviveTheRoundTripThroughTheFiles(@TempDir Path tmp) throws IOException {
        LoadHostResult written = host("a", 1000, 2, Duration.ZERO, true, "7");
        written.write(tmp);
        LoadHostResult read = LoadHostResult.read(tmp);
        assertThat(read.boundaries()).hasSize(3);
        assertThat(read.boundaries().get(2).operations()).isEqualTo(2000);
        assertThat(read.boundaries().get(2).at()).isEqualTo(written.boundaries().get(2).at());
        assertThat(io.asyncbench.harness.ServerStats.parse(read.boundaries().get(1).serverStats()).cpuNanos())
                .isEqualTo(1_500_000_000L);
        assertThat(read.roundTrip()).isEqualTo(written.roundTrip());
    }

    private static LoadHostResult over(String target, LoadHostResult host) {
        return new LoadHostResult(host.host(), target, host.workload(), host.traffic(), host.settings(), host.started(),
                host.ended(), host.operations(), host.errors(), host.error(), host.loadCpuPercent(), host.latency(),
                host.roundTrip(), host.boundaries());
    }

    @Test
    void sortsLoadsIntoOneMeasurementPerServerProcessAndPath() {
        LoadHostResult a = host("a", 1000, 2, Duration.ZERO, true, "7");
        LoadHostResult b = host("b", 1000, 2, Duration.ZERO, true, "7");
        LoadHostResult otherServer = host("c", 1000, 2, Duration.ZERO, true, "8");
        LoadHostResult loopback = over("127.0.0.1:8080", host("d", 1000, 2, Duration.ZERO, true, "7"));

        List<List<LoadHostResult>> measurements = LoadMerge.measurements(List.of(a, otherServer, b, loopback));

        assertThat(measurements).containsExactly(List.of(a, b), List.of(otherServer), List.of(loopback));
        assertThat(LoadMerge.of(measurements.get(2), null).params()).containsEntry("network", "loopback");
        assertThat(LoadMerge.of(measurements.get(0), null).params()).containsEntry("network", "network");
        assertThatThrownBy(() -> LoadMerge.of(List.of(a, loopback), null)).hasMessageContaining("one kind of path");
    }
}
