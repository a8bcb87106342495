package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server measured through its stats port, as on another host: {@code serve --stats-port} here,
 * {@code run --target --stats --token} against it, and the server's own figures arrive as for a
 * server the run starts itself; a wrong token is refused before anything runs.
 */
@Timeout(300)
class RemoteRunTest {

    private static final Pattern LISTENING = Pattern.compile("^fake-echo echo listening on (\\S+)$", Pattern.MULTILINE);
    private static final Pattern STATS = Pattern.compile("^stats on (\\S+) token (\\w+)$", Pattern.MULTILINE);

    @Test
    void aServerElsewhereIsMeasuredThroughItsStatsPort(@TempDir Path tmp) throws Exception {
        Cli server = new Cli();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> serving = runner.submit(() -> server.run("serve", "--strategy", "fake-echo",
                    "--threads", "1", "--stats-port", "0"));
            Matcher listening = await(server, LISTENING, serving);
            Matcher stats = await(server, STATS, serving);
            String target = listening.group(1);
            String statsPort = stats.group(1);

            Cli.Run refused = Cli.execute("run", "--profile", "smoke", "--strategies", "fake-echo",
                    "--workloads", "echo", "--target", target, "--stats", statsPort, "--token", "guess",
                    "--out", tmp.resolve("refused").toString(), "--no-pin");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.err()).contains("refused: wrong token");
            assertThat(tmp.resolve("refused")).doesNotExist();

            Path out = tmp.resolve("results");
            Cli.Run run = Cli.execute("run", "--profile", "smoke", "--strategies", "fake-echo",
                    "--workloads", "echo", "--target", target, "--stats", statsPort, "--token", stats.group(2),
                    "--out", out.toString(), "--no-pin");
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            assertThat(out.resolve("report/report.md")).as("the report reads a remote run's folder").isNotEmptyFile();

            ObjectMapper json = new ObjectMapper();
            JsonNode row = json.readTree(out.resolve("jmh-result.json").toFile()).get(0);
            assertThat(row.path("secondaryMetrics").path("serverCpuNanosPerOp").path("score").asDouble())
                    .as("the server's CPU per operation, from its own JVM through the stats port").isPositive();
            assertThat(row.path("secondaryMetrics").path("serverAllocBytesPerOp").path("score").asDouble())
                    .as("and its allocation, which no outside view could give").isPositive();
            JsonNode parameters = json.readTree(out.resolve("metadata.json").toFile()).path("parameters");
            assertThat(parameters.path("targetServer").asText()).contains("remote").endsWith(statsPort);
            assertThat(parameters.path("targetServerHost").asText())
                    .contains("cpus=" + Runtime.getRuntime().availableProcessors())
                    .contains(Runtime.version().toString());
            assertThat(Files.readString(out.resolve("metadata.json"))).doesNotContain(stats.group(2));
        } finally {
            runner.shutdownNow();
            assertThat(runner.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Matcher await(Cli cli, Pattern line, Future<Integer> serving) throws InterruptedException {
        return cli.awaitOut(line, serving::isDone).orElseThrow(
                () -> new AssertionError("serve ended with " + serving.resultNow() + ": " + cli.err()));
    }
}
