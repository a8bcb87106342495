package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asyncbench.api.Limits;
import io.asyncbench.api.RunningServer;
import io.asyncbench.api.ServerSpec;
import io.asyncbench.api.SocketOptions;
import io.asyncbench.api.Strategy;
import io.asyncbench.api.Workload;
import io.asyncbench.harness.cli.ExitStatus;
import io.asyncbench.harness.cli.HostPort;
import io.asyncbench.run.LoadHostResult;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
}
