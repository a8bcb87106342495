package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server the user brings: the README's "Bringing your own server", done by a test. It writes a
 * tiny asyncio echo server of its own, runs {@code run --external 'tiny:echo=python3 tiny.py {port}'}
 * at smoke size, and finds the server's row, its figures from /proc and the report naming it.
 */
@Timeout(300)
class ExternalRunTest {

    private static final String TINY_ECHO_SERVER = """
            import asyncio, sys

            class Echo(asyncio.Protocol):
                def connection_made(self, transport):
                    self.transport = transport
                def data_received(self, data):
                    self.transport.write(data)

            async def main(port):
                server = await asyncio.get_running_loop().create_server(Echo, "127.0.0.1", port)
                async with server:
                    await server.serve_forever()

            asyncio.run(main(int(sys.argv[1])))
            """;

    @Test
    void anExternalServerIsStartedMeasuredAndReported(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("python3"), "python3 is not on the PATH: the test's own server is a Python script");
        Path script = tmp.resolve("tiny.py");
        Files.writeString(script, TINY_ECHO_SERVER);
        Path out = tmp.resolve("results");

        Cli.Run run = Cli.execute("run", "--profile", "smoke", "--strategies", "fake-echo", "--workloads", "echo",
                "--external", "tiny:echo=python3 " + script + " {port}", "--out", out.toString(), "--no-pin");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("echo.throughput tiny size=1024 connections=16");
        ObjectMapper json = new ObjectMapper();
        JsonNode tiny = null;
        for (JsonNode row : json.readTree(out.resolve("jmh-result.json").toFile())) {
            if (row.path("params").path("strategy").asText().equals("tiny")) {
                tiny = row;
            }
        }
        assertThat(tiny).as("a result row for the external server").isNotNull();
        assertThat(tiny.path("primaryMetric").path("score").asDouble()).isPositive();
        assertThat(tiny.path("secondaryMetrics").path("serverCpuNanosPerOp").path("score").asDouble())
                .as("its CPU per operation, from /proc/<pid>").isPositive();
        assertThat(tiny.path("secondaryMetrics").has("serverAllocBytesPerOp"))
                .as("no allocation figure: a process outside the JVM has none to give").isFalse();

        // The open loop drives it at the common rates (set by fake-echo's peak, never by its own)
        // and at its own-peak fraction, with its CPU per request from /proc at each sub-window.
        List<JsonNode> openLoop = new java.util.ArrayList<>();
        json.readTree(out.resolve("latency/index.json").toFile()).forEach(entry -> {
            if (entry.path("strategy").asText().equals("tiny")) {
                openLoop.add(entry);
            }
        });
        assertThat(openLoop).extracting(e -> e.path("ladder").asText()).contains("common", "ownPeak");
        assertThat(openLoop).filteredOn(e -> e.path("ladder").asText().equals("common"))
                .allSatisfy(e -> assertThat(e.path("slowestStrategy").asText()).isEqualTo("fake-echo"));
        assertThat(openLoop).allSatisfy(e -> assertThat(e.path("serverCpuNanosPerOp").asDouble())
                .as("CPU per request from /proc over the open loop's own verified replies").isPositive());

        JsonNode metadata = json.readTree(out.resolve("metadata.json").toFile());
        assertThat(metadata.path("strategies").toString()).contains("\"id\":\"tiny\"").contains("\"kind\":\"external\"");
        assertThat(Files.readString(out.resolve("report/report.md"))).contains("tiny");
        assertThat(Files.readString(out.resolve("report/index.html"))).contains(">tiny<");
    }

    @Test
    void aCommandLineWithoutThePortPlaceholderIsRefused() {
        Cli.Run run = Cli.execute("run", "--profile", "smoke", "--strategies", "fake-echo", "--dry-run",
                "--external", "tiny:echo=python3 tiny.py 9000");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("{port}");
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
