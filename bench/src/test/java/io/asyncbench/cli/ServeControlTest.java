package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.asyncbench.harness.ServerStats;

import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code serve --control-stdin}: how the benchmarks drive a server process. */
@Timeout(30)
class ServeControlTest {

    @Test
    void answersStatsAndStopsOnQuitWithSeveralServers() throws Exception {
        InputStream stdin = System.in;
        PipedOutputStream commands = new PipedOutputStream();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            System.setIn(new PipedInputStream(commands));
            Cli cli = new Cli();
            Future<Integer> exitCode = runner.submit(() -> cli.run("serve", "--strategy", "fake-echo",
                    "--control-stdin", "--count", "2"));
            cli.awaitOut(Pattern.compile("(?s)listening on .*listening on \\S+\\R"), exitCode::isDone)
                    .orElseThrow(() -> new AssertionError("serve ended: " + cli.err()));
            commands.write("stats\n".getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            Matcher json = cli.awaitOut(Pattern.compile("^(\\{.*})$", Pattern.MULTILINE), exitCode::isDone)
                    .orElseThrow(() -> new AssertionError("no stats: " + cli.err()));
            ServerStats stats = ServerStats.parse(json.group(1));
            assertThat(stats.cpuNanos()).isPositive();
            assertThat(stats.connectionsOpened()).isZero();
            commands.write("quit\n".getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            assertThat(exitCode.get(15, TimeUnit.SECONDS)).isZero();
            assertThat(cli.out().split("fake-echo echo stopped", -1)).hasSize(3);
        } finally {
            System.setIn(stdin);
            commands.close();
            runner.shutdownNow();
            assertThat(runner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
