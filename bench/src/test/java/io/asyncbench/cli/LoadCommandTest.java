package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import io.asyncbench.harness.ServerStats;
import io.asyncbench.harness.StatsPort;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.harness.cli.HostPort;
import io.asyncbench.run.LoadHostResult;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code load --out}: what one load host measured, as files another command can read back. */
@Timeout(60)
class LoadCommandTest {

    private static RunningServer start(Strategy strategy) throws IOException {
        return strategy.start(new ServerSpec(Workload.ECHO, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                1, SocketOptions.DEFAULTS, Limits.DEFAULTS, List.of()));
    }

    @Test
    void writesThroughputLatencyAndItsOwnCpu(@TempDir Path tmp) throws Exception {
        try (RunningServer server = start(new FakeStrategies.Echo())) {
            Path out = tmp.resolve("host-a");
            Cli.Run run = Cli.execute("load", "--target", HostPort.format(server.address()), "--workload", "echo",
                    "--size", "100", "--connections", "4", "--duration", "0.5", "--warmup", "0.1", "--out", out.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            LoadHostResult result = LoadHostResult.read(out);
            assertThat(result.operations()).isPositive();
            assertThat(result.errors()).isZero();
            assertThat(result.opsPerSecond()).isPositive();
            assertThat(result.latency().getTotalCount()).as("HdrHistogram's log read back").isPositive();
            assertThat(result.workload()).isEqualTo("echo");
            assertThat(result.target()).isEqualTo(HostPort.format(server.address()));
            assertThat(result.settings()).containsEntry("connections", "4").containsEntry("loop", "closed");
            assertThat(result.ended()).isAfter(result.started());
        }
    }

    @Test
    void aWrongReplyIsRecordedAndFailsTheLoad(@TempDir Path tmp) throws Exception {
        try (RunningServer server = start(new FakeStrategies.Corrupting())) {
            Path out = tmp.resolve("host-b");
            Cli.Run run = Cli.execute("load", "--target", HostPort.format(server.address()), "--workload", "echo",
                    "--size", "64", "--connections", "1", "--duration", "0.3", "--warmup", "0", "--out", out.toString());

            assertThat(run.exitCode()).isEqualTo(ExitStatus.FAILED.code);
            LoadHostResult result = LoadHostResult.read(out);
            assertThat(result.errors()).isOne();
            assertThat(result.error()).contains("wrong echo");
            assertThat(result.operations()).isZero();
        }
    }

    @Test
    void aMalformedResultsFileIsAClearError(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve(LoadHostResult.SUMMARY), "{\"format\": 1, \"host\": \"a\"");
        assertThatThrownBy(() -> LoadHostResult.read(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining(tmp.resolve(LoadHostResult.SUMMARY).toString());
        Files.writeString(tmp.resolve(LoadHostResult.SUMMARY), "{\"format\": 1, \"host\": \"a\"}");
        assertThatThrownBy(() -> LoadHostResult.read(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("no \"target\"");
    }

    /** A stats port for {@code server}, as {@code serve --stats-port} opens one, naming its process. */
    private static StatsPort statsPort(RunningServer server) throws IOException {
        return StatsPort.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "t0ken",
                gc -> ServerStats.withFacts(ServerStats.withFacts(ServerStats.sample(List.of(server.counters())).toJson(),
                        "host", Map.of("hostName", "srv")), "server", Map.of("strategy", "fake-echo", "pid", "1")));
    }

    @Test
    void twoHostsLoadingOneServerAtOnceMergeIntoOneResult(@TempDir Path tmp) throws Exception {
        try (RunningServer server = start(new FakeStrategies.Echo()); StatsPort stats = statsPort(server)) {
            String startAt = Instant.now().plusSeconds(2).toString();
            ExecutorService hosts = Executors.newFixedThreadPool(2);
            try {
                List<Future<Cli.Run>> loads = new ArrayList<>();
                for (String host : List.of("a", "b")) {
                    loads.add(hosts.submit(() -> Cli.execute("load", "--target", HostPort.format(server.address()),
                            "--workload", "echo", "--size", "100", "--connections", "2", "--duration", "2",
                            "--warmup", "0.5", "--stats", HostPort.format(stats.address()), "--token", "t0ken",
                            "--start-at", startAt, "--out", tmp.resolve(host).toString())));
                }
                for (Future<Cli.Run> load : loads) {
                    Cli.Run run = load.get();
                    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
                }
            } finally {
                hosts.shutdownNow();
            }
            LoadHostResult a = LoadHostResult.read(tmp.resolve("a"));
            LoadHostResult b = LoadHostResult.read(tmp.resolve("b"));
            assertThat(a.boundaries()).as("one boundary a second, both ends included").hasSize(3);
            assertThat(a.boundaries()).allSatisfy(mark -> assertThat(mark.serverStats()).contains("\"cpuNanos\""));
            // read while the loops run: a few replies apart from the run's own count
            assertThat((double) a.boundaries().get(2).operations()).isCloseTo(a.operations(), withinPercentage(10));
            assertThat(a.roundTrip().medianMicros()).isPositive();

            Cli.Run merged = Cli.execute("merge", "--out", tmp.resolve("merged").toString(),
                    tmp.resolve("a").toString(), tmp.resolve("b").toString());
            assertThat(merged.exitCode()).as(merged.out() + merged.err()).isZero();
            assertThat(merged.out()).contains(String.format("%,d operations", a.operations() + b.operations()))
                    .contains("server CPU");
            JsonNode row = new ObjectMapper().readTree(tmp.resolve("merged/jmh-result.json").toFile()).get(0);
            assertThat(row.path("params").path("strategy").asText()).isEqualTo("fake-echo");
            assertThat(row.path("params").path("connections").asText()).isEqualTo("4");
            assertThat(row.path("secondaryMetrics").path("serverCpuNanosPerOp").path("score").asDouble()).isPositive();
            assertThat(tmp.resolve("merged/report/report.md")).isNotEmptyFile();
        }
    }

    @Test
    void aWrongTokenIsRefusedBeforeAnyLoad(@TempDir Path tmp) throws Exception {
        try (RunningServer server = start(new FakeStrategies.Echo()); StatsPort stats = statsPort(server)) {
            Cli.Run run = Cli.execute("load", "--target", HostPort.format(server.address()), "--workload", "echo",
                    "--duration", "1", "--stats", HostPort.format(stats.address()), "--token", "guess",
                    "--out", tmp.resolve("a").toString());
            assertThat(run.exitCode()).isEqualTo(ExitStatus.FAILED.code);
            assertThat(run.err()).contains("refused: wrong token");
            assertThat(tmp.resolve("a")).doesNotExist();
        }
    }

    @Test
    void aStartTimeInThePastIsAnError() {
        Cli.Run run = Cli.execute("load", "--target", "127.0.0.1:1", "--start-at", "2020-01-01T00:00:00Z");
        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE.code);
        assertThat(run.err()).contains("in the past");
        assertThat(Cli.execute("load", "--target", "127.0.0.1:1", "--start-at", "soon").err())
                .contains("not an ISO-8601 instant");
    }
}
