package io.asyncbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A strategy that exists only on the test class path ({@link FakeStrategies.Declared}: a class and
 * its line in META-INF/services) joins everything, with no other file naming it: {@code list} shows
 * it in the place it declares, a smoke plan measures it, and the report draws it in its colour.
 */
@Timeout(300)
class FakeStrategyTest {

    private static final String ID = FakeStrategies.Declared.ID;

    @Test
    void listShowsItWhereItsDeclaredOrderPutsIt() {
        Cli.Run run = Cli.execute("list");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows = run.out().lines().map(l -> l.split(" +")[0]).toList();
        int mine = rows.indexOf(ID);
        assertThat(mine).as(run.out()).isPositive();
        // order 55: after selector (50), before netty-nio (60), although its id sorts after both
        assertThat(rows.indexOf("selector")).isLessThan(mine);
        assertThat(rows.indexOf("netty-nio")).isGreaterThan(mine);
    }

    @Test
    void aSmokePlanMeasuresItAndSaysWhatItDoesNotImplement() {
        Cli.Run run = Cli.execute("run", "--profile", "smoke", "--dry-run", "--no-references");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("echo.throughput " + ID + " size=1024 connections=16")
                .contains("strategy " + ID + " does not implement the http workload");
    }

    @Test
    void aRunRecordsItsFactsAndTheReportDrawsItInItsColour(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("results");
        Cli.Run run = Cli.execute("run", "--profile", "smoke", "--strategies", ID, "--workloads", "echo",
                "--out", out.toString(), "--no-pin");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();

        JsonNode strategy = new ObjectMapper().readTree(out.resolve("metadata.json").toFile()).path("strategies").get(0);
        assertThat(strategy.path("id").asText()).isEqualTo(ID);
        assertThat(strategy.path("facts").path("colour").asText()).isEqualTo(FakeStrategies.Declared.COLOUR);
        assertThat(strategy.path("facts").path("module").asText()).isEqualTo("impl-fake");

        String html = Files.readString(out.resolve("report").resolve("index.html"));
        assertThat(html).contains("--c:" + FakeStrategies.Declared.COLOUR + "\">" + ID);
        assertThat(Files.readString(out.resolve("report").resolve("report.md"))).contains(ID);
    }
}
