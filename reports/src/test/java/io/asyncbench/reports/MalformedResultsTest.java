package io.asyncbench.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every broken results folder gives one line that names the file and the problem, a non-zero exit,
 * and no report (not even half of one).
 */
class MalformedResultsTest {

    @TempDir
    Path tmp;

    Path results;
    Path out;

    @BeforeEach
    void realisticFolder() throws IOException {
        results = SyntheticResults.realistic(11).writeTo(tmp.resolve("results"));
        out = tmp.resolve("out");
    }

    /** Generates, expects a failure, checks the message and that nothing was written; returns the message. */
    private String fails(Path dir, Path expectedFile, String... problem) {
        ReportException e = catchThrowableOfType(ReportException.class,
                () -> ReportGenerator.generate(dir, Optional.empty(), out));
        assertThat(e).as("a ReportException").isNotNull();
        String message = e.getMessage();
        assertThat(message).as("one line").doesNotContain("\n", "\r");
        assertThat(message).as("names the file").startsWith(expectedFile.toString() + ": ");
        assertThat(message).contains(problem);
        assertThat(e.file()).isEqualTo(expectedFile);
        assertThat(out.resolve("index.html")).as("no report is left behind").doesNotExist();
        if (Files.exists(out)) {
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files).as("no temporary files are left behind").isEmpty();
            } catch (IOException io) {
                throw new AssertionError(io);
            }
        }

        var err = new ByteArrayOutputStream();
        int code = ReportGenerator.run(new String[] {dir.toString(), "--out", out.toString()}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("exit code").isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("asyncbench report: " + message + System.lineSeparator());
        return message;
    }

    @Test
    void missingFolder() {
        Path missing = tmp.resolve("nope");
        fails(missing, missing, "results folder does not exist");
    }

    @Test
    void aFileInsteadOfAFolder() throws IOException {
        Path file = Files.writeString(tmp.resolve("file.json"), "[]");
        fails(file, file, "is not a folder");
    }

    @Test
    void emptyFolder() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        fails(empty, empty.resolve("jmh-result.json"), "missing", "does not look like a results folder");
    }

    @Test
    void connectionCountsThatDoNotPairUp() throws IOException {
        Path f = results.resolve("connections").resolve("HttpBenchmark.requests__selector__pid1.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, """
                {"benchmark": "io.asyncbench.bench.HttpBenchmark.requests", "mode": "thrpt",
                 "params": {"strategy": "selector", "connections": "2"},
                 "servers": [{"completed": [5, 6], "longestGapMillis": [1.5], "countedMillis": 900}]}
                """);
        fails(results, f, "servers[0]", "\"completed\" has 2 connections and \"longestGapMillis\" 1");
    }

    @Test
    void aNegativeConnectionCount() throws IOException {
        Path f = results.resolve("connections").resolve("HttpBenchmark.requests__selector__pid1.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, """
                {"benchmark": "io.asyncbench.bench.HttpBenchmark.requests", "mode": "thrpt",
                 "params": {"strategy": "selector"},
                 "servers": [{"completed": [5, -1], "longestGapMillis": [1.5, 2]}]}
                """);
        fails(results, f, "connection 1 has -1 completions");
    }

    @Test
    void emptyJmhFile() throws IOException {
        Files.writeString(results.resolve("jmh-result.json"), "");
        fails(results, results.resolve("jmh-result.json"), "empty file");
    }

    @Test
    void truncatedJmhFile() throws IOException {
        Path f = results.resolve("jmh-result.json");
        String json = Files.readString(f);
        Files.writeString(f, json.substring(0, json.length() / 2));
        fails(results, f, "truncated JSON", "line ");
    }

    @Test
    void notJson() throws IOException {
        Path f = results.resolve("jmh-result.json");
        Files.writeString(f, "# Run complete. Total time: 00:42:17\nBenchmark  Mode  Cnt  Score\n");
        fails(results, f, "not valid JSON at line 1, column 1");
    }

    @Test
    void anObjectInsteadOfAnArray() throws IOException {
        Path f = results.resolve("jmh-result.json");
        Files.writeString(f, "{\"benchmark\": \"x\"}");
        fails(results, f, "expected a JSON array of JMH results, found an object");
    }

    @Test
    void anEmptyArray() throws IOException {
        Path f = results.resolve("jmh-result.json");
        Files.writeString(f, "[]");
        fails(results, f, "no benchmark results");
    }

    @Test
    void aResultWithoutPrimaryMetric() throws IOException {
        Path f = results.resolve("jmh-result.json");
        Files.writeString(f, """
                [{"benchmark": "io.asyncbench.bench.EchoBenchmark.roundTrip", "mode": "thrpt",
                  "params": {"strategy": "selector"}}]""");
        fails(results, f, "result #1 (io.asyncbench.bench.EchoBenchmark.roundTrip): missing \"primaryMetric\"");
    }

    @Test
    void aScoreThatIsNotANumber() throws IOException {
        Path f = results.resolve("jmh-result.json");
        Files.writeString(f, """
                [{"benchmark": "io.asyncbench.bench.EchoBenchmark.roundTrip", "mode": "thrpt",
                  "params": {"strategy": "selector"},
                  "primaryMetric": {"score": "fast", "scoreError": 1, "scoreUnit": "ops/s"}}]""");
        fails(results, f, "primaryMetric.score is a string \"fast\", expected a number");
    }

    @Test
    void aResultWithoutStrategy() throws IOException {
        Path f = results.resolve("jmh-result.json");
        Files.writeString(f, """
                [{"benchmark": "io.asyncbench.bench.EchoBenchmark.roundTrip", "mode": "thrpt",
                  "params": {"connections": "64"},
                  "primaryMetric": {"score": 1, "scoreError": 1, "scoreUnit": "ops/s"}}]""");
        fails(results, f, "params has no \"strategy\"");
    }

    @Test
    void aSecondaryFigureJmhCouldNotMeasureIsLeftOutNotFatal() throws Exception {
        // JMH writes "NaN" for a figure it could not measure (server figures without a server process).
        Path f = results.resolve("jmh-result.json");
        Files.writeString(f, Files.readString(f).replaceFirst(
                "(\"serverCpuNanosPerOp\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*)[0-9.E+-]+", "$1\"NaN\""));

        GeneratedReport r = ReportGenerator.generate(results, Optional.empty(), out);

        // The first result is callbacks' echo at connections=1, size=64 (columns: strategy, connections, tasks, streams, size).
        var csv = Files.readAllLines(r.csv());
        int cpu = java.util.List.of(csv.get(0).split(",")).indexOf("server_cpu_ns_per_op");
        var rows = csv.stream().filter(l -> l.startsWith("echo,io.asyncbench.bench.EchoBenchmark.roundTrip,thrpt,")).toList();
        assertThat(rows).filteredOn(l -> l.contains(",callbacks,1,,,64,")).singleElement()
                .satisfies(l -> assertThat(l.split(",", -1)[cpu]).isEmpty());
        assertThat(rows).filteredOn(l -> l.contains(",callbacks,64,,,64,")).singleElement()
                .satisfies(l -> assertThat(l.split(",", -1)[cpu]).isNotEmpty());
    }

    @Test
    void aSecondaryFigureThatIsAWordIsNamed() throws IOException {
        Path f = results.resolve("jmh-result.json");
        Files.writeString(f, Files.readString(f).replaceFirst(
                "(\"serverCpuNanosPerOp\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*)[0-9.E+-]+", "$1\"fast\""));
        fails(results, f, "result #1 (io.asyncbench.bench.EchoBenchmark.roundTrip): secondaryMetrics.serverCpuNanosPerOp"
                + ".score is a string \"fast\", expected a number");
    }

    @Test
    void anUnknownMode() throws IOException {
        Path f = results.resolve("jmh-result.json");
        Files.writeString(f, """
                [{"benchmark": "io.asyncbench.bench.EchoBenchmark.roundTrip", "mode": "fastest",
                  "params": {"strategy": "selector"},
                  "primaryMetric": {"score": 1, "scoreError": 1, "scoreUnit": "ops/s"}}]""");
        fails(results, f, "unknown mode \"fastest\"");
    }

    @Test
    void malformedMetadata() throws IOException {
        Path f = results.resolve("metadata.json");
        Files.writeString(f, "[1, 2]");
        fails(results, f, "expected a JSON object, found an array");
    }

    @Test
    void truncatedMetadata() throws IOException {
        Path f = results.resolve("metadata.json");
        Files.writeString(f, "{\"tool\": \"asyncbench\", \"jdk\": {\"vendor\": ");
        fails(results, f, "truncated JSON");
    }

    @Test
    void aBadHgrmRow() throws IOException {
        Path f = firstHgrm();
        var lines = new java.util.ArrayList<>(Files.readAllLines(f));
        lines.set(5, "     812.000 0.50000000 twelve 2.00");
        Files.write(f, lines);
        fails(results, f, "line 6: not a number");
    }

    @Test
    void aTruncatedHgrm() throws IOException {
        Path f = firstHgrm();
        var lines = Files.readAllLines(f);
        Files.write(f, lines.subList(0, lines.size() / 2));
        fails(results, f, "footer", "truncated");
    }

    @Test
    void anHgrmThatIsNotOne() throws IOException {
        Path f = firstHgrm();
        Files.writeString(f, "<html>404 Not Found</html>\n");
        fails(results, f, "line 1: expected the header");
    }

    @Test
    void anEmptyHgrm() throws IOException {
        Path f = firstHgrm();
        Files.writeString(f, "");
        fails(results, f, "empty file");
    }

    @Test
    void aListedHgrmThatIsMissing() throws IOException {
        Path f = firstHgrm();
        Files.delete(f);
        fails(results, f, "listed in latency/index.json but missing");
    }

    @Test
    void aLatencyIndexThatPointsOutsideTheFolder() throws IOException {
        Path index = results.resolve("latency/index.json");
        Files.writeString(index, """
                [{"file": "../../../etc/passwd", "workload": "echo", "strategy": "selector",
                  "intendedRatePerSecond": 1000}]""");
        fails(results, index, "must name a file inside latency/");
    }

    @Test
    void hgrmFilesWithoutTheirIndex() throws IOException {
        Path index = results.resolve("latency/index.json");
        Files.delete(index);
        fails(results, index, "missing, but", ".hgrm files");
    }

    @Test
    void aBadBaselineIsNamedToo() throws IOException {
        Path baseline = Files.createDirectories(tmp.resolve("baseline"));
        Files.writeString(baseline.resolve("jmh-result.json"), "[{\"benchmark\": ");
        ReportException e = catchThrowableOfType(ReportException.class,
                () -> ReportGenerator.generate(results, Optional.of(baseline), out));
        assertThat(e.getMessage()).startsWith(baseline.resolve("jmh-result.json") + ": truncated JSON");
        assertThat(out.resolve("index.html")).doesNotExist();
    }

    @Test
    void aFailedRunKeepsTheEarlierReport() throws Exception {
        ReportGenerator.generate(results, Optional.empty(), out);
        String before = Files.readString(out.resolve("index.html"));
        Files.writeString(results.resolve("jmh-result.json"), "[");

        catchThrowableOfType(ReportException.class, () -> ReportGenerator.generate(results, Optional.empty(), out));

        assertThat(out.resolve("index.html")).hasContent(before);
    }

    private Path firstHgrm() throws IOException {
        try (Stream<Path> files = Files.list(results.resolve("latency"))) {
            return files.filter(p -> p.toString().endsWith(".hgrm")).sorted().findFirst().orElseThrow();
        }
    }
}
