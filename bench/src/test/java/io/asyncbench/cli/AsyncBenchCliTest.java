package io.asyncbench.cli;

import io.asyncbench.api.Strategies;
import io.asyncbench.api.Workload;
import io.asyncbench.harness.cli.ExitStatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Parsing and user errors: one clear line, the right exit code, never a stack trace. */
@Timeout(30)
class AsyncBenchCliTest {

    @Test
    void helpNamesEverySubcommand() {
        Cli.Run run = Cli.execute("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("list", "serve", "demo", "Exit codes");
    }

    @Test
    void noSubcommandIsAUsageError() {
        Cli.Run run = Cli.execute();

        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE.code);
        assertThat(run.err()).contains("missing command", "Usage: asyncbench");
    }

    @Test
    void misspelledSubcommandSuggestsTheRightOne() {
        Cli.Run run = Cli.execute("sevre");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE.code);
        assertThat(run.err()).contains("'sevre'", "serve");
        assertNoStackTrace(run);
    }

    @Test
    void unknownStrategyNamesTheKnownIds() {
        Cli.Run run = Cli.execute("serve", "--strategy", "no-such-style");

        assertThat(run.exitCode()).isNotZero().isEqualTo(ExitStatus.USAGE.code);
        assertThat(run.err()).contains("unknown strategy 'no-such-style'")
                .contains(Strategies.ids(Strategies.all()))
                .contains("fake-echo");
        assertThat(run.err().lines()).hasSize(2); // the error, and where to get help
        assertNoStackTrace(run);
    }

    @Test
    void unavailableStrategyGivesTheReason() {
        Cli.Run run = Cli.execute("serve", "-s", "fake-unavailable");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.UNAVAILABLE.code);
        assertThat(run.err()).contains("fake-unavailable", FakeStrategies.UNAVAILABLE_REASON);
        assertNoStackTrace(run);
    }

    @Test
    void unknownWorkloadNamesTheKnownIds() {
        Cli.Run run = Cli.execute("serve", "-s", "fake-echo", "--workload", "ping");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE.code);
        assertThat(run.err()).contains("unknown workload 'ping'")
                .contains(Arrays.stream(Workload.values()).map(Workload::id).toList());
        assertNoStackTrace(run);
    }

    @Test
    void workloadTheStrategyDoesNotImplementIsUnavailable() {
        Cli.Run run = Cli.execute("serve", "-s", "fake-echo", "-w", "http");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.UNAVAILABLE.code);
        assertThat(run.err()).contains("does not implement the http workload", "it serves: echo");
    }

    @Test
    void inProcessWorkloadCannotBeServed() {
        Cli.Run run = Cli.execute("serve", "-s", "fake-echo", "-w", "timers");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE.code);
        assertThat(run.err()).contains("timers runs in process");
    }

    @Test
    void gatewayNeedsABackend() {
        Cli.Run run = Cli.execute("serve", "-s", "fake-echo", "-w", "gateway");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE.code);
        assertThat(run.err()).contains("gateway needs at least one backend");
    }

    @Test
    void malformedBackendIsAUsageError() {
        Cli.Run run = Cli.execute("serve", "-s", "fake-echo", "--backend", "localhost");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE.code);
        assertThat(run.err()).contains("'localhost' is not HOST:PORT");
        assertNoStackTrace(run);
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        Cli.Run run = Cli.execute("serve", "-s", "fake-echo", "--port", "70000");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE.code);
        assertThat(run.err()).contains("--port must be 0-65535");
    }

    @Test
    void portInUseIsOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String port = Integer.toString(taken.getLocalPort());

            Cli.Run run = Cli.execute("serve", "-s", "fake-echo", "--port", port);

            assertThat(run.exitCode()).isEqualTo(ExitStatus.FAILED.code);
            assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + port, "in use");
            assertThat(run.err().lines()).hasSize(1);
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void demoRejectsNonsenseValues() {
        assertThat(Cli.execute("demo", "--connections", "0").exitCode())
                .isEqualTo(ExitStatus.USAGE.code);
        assertThat(Cli.execute("demo", "--seconds", "-1").exitCode())
                .isEqualTo(ExitStatus.USAGE.code);
        assertThat(Cli.execute("demo", "--size", "0").exitCode())
                .isEqualTo(ExitStatus.USAGE.code);
    }

    @Test
    void versionNamesTheJdk() {
        Cli.Run run = Cli.execute("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("asyncbench", "JDK " + Runtime.version().feature());
    }

    private static void assertNoStackTrace(Cli.Run run) {
        assertThat(run.err()).doesNotContain("\tat ", "Exception");
    }
}
