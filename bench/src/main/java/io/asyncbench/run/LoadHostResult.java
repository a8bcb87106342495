package io.asyncbench.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.asyncbench.load.ConnectRoundTrip;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * What one load generator measured against one server, written as files ({@code load --out DIR}),
 * so that the loads of several hosts that drove one server at the same time can be combined:
 * {@value #SUMMARY} (what ran, when, and what it counted) beside {@value #LATENCY}, HdrHistogram's
 * own interval log of the latency, which HdrHistogram reads back and adds up itself.
 *
 * @param host           the load host's name
 * @param target         the server, HOST:PORT
 * @param workload       the workload's id
 * @param traffic        the traffic in words ({@code Traffic.describe()})
 * @param settings       the load's settings (connections, threads, rate, ...), as the command line gave them
 * @param started        when the measured window began, on this host's clock
 * @param ended          when it ended
 * @param operations     verified operations in the window
 * @param errors         wrong or missing replies (a load stops at the first: 0 or 1)
 * @param error          the first error's text, or null
 * @param loadCpuPercent this load generator's CPU in the window, in percent of one core
 * @param latency        the window's latency histogram, in nanoseconds
 * @param roundTrip      the network round trip to the server, measured before the load, or null
 * @param boundaries     the measured window's sub-window boundaries (the first at its start, the
 *                       last at its end), each with the operations so far and, where the server's
 *                       stats port was given, its stats line then; empty when not recorded
 */
public record LoadHostResult(String host, String target, String workload, String traffic,
                             Map<String, String> settings, Instant started, Instant ended, long operations,
                             long errors, String error, double loadCpuPercent, Histogram latency,
                             ConnectRoundTrip roundTrip, List<Boundary> boundaries) {

    /**
     * One sub-window boundary of the measured window.
     *
     * @param at          when, on this host's clock
     * @param operations  verified operations since the window began
     * @param serverStats the server's stats line (its stats port's JSON object) read then, or null
     */
    public record Boundary(Instant at, long operations, String serverStats) {
    }

    public LoadHostResult {
        settings = Map.copyOf(settings);
        boundaries = List.copyOf(boundaries);
    }

    public static final String SUMMARY = "load.json";
    public static final String LATENCY = "latency.hlog";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Operations per second of the window. */
    public double opsPerSecond() {
        double seconds = (ended.toEpochMilli() - started.toEpochMilli()) / 1000.0;
        return seconds > 0 ? operations / seconds : 0;
    }

    /** Writes {@link #SUMMARY} and {@link #LATENCY} into {@code dir}, creating it. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode doc = JSON.createObjectNode();
        doc.put("format", FORMAT);
        doc.put("host", host);
        doc.put("target", target);
        doc.put("workload", workload);
        doc.put("traffic", traffic);
        doc.set("settings", JSON.valueToTree(settings));
        doc.put("started", started.toString());
        doc.put("ended", ended.toString());
        doc.put("operations", operations);
        doc.put("opsPerSecond", opsPerSecond());
        doc.put("errors", errors);
        doc.put("error", error);
        doc.put("loadGeneratorCpuPercent", loadCpuPercent);
        doc.put("latency", LATENCY);
        if (roundTrip != null) {
            ObjectNode rtt = doc.putObject("roundTrip");
            rtt.put("method", "TCP connect");
            rtt.put("minMicros", roundTrip.minMicros());
            rtt.put("medianMicros", roundTrip.medianMicros());
            rtt.put("samples", roundTrip.samples());
        }
        ArrayNode marks = doc.putArray("boundaries");
        for (Boundary b : boundaries) {
            ObjectNode mark = marks.addObject();
            mark.put("at", b.at().toString());
            mark.put("operations", b.operations());
            if (b.serverStats() != null) {
                mark.set("server", JSON.readTree(b.serverStats()));
            }
        }
        Files.writeString(dir.resolve(SUMMARY), JSON.writeValueAsString(doc));
        try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(LATENCY)), false, StandardCharsets.UTF_8)) {
            HistogramLogWriter log = new HistogramLogWriter(out);
            log.outputLogFormatVersion();
            log.outputStartTime(started.toEpochMilli());
            log.setBaseTime(started.toEpochMilli());
            log.outputLegend();
            Histogram interval = latency.copy();
            interval.setStartTimeStamp(started.toEpochMilli());
            interval.setEndTimeStamp(ended.toEpochMilli());
            log.outputIntervalHistogram(interval);
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static LoadHostResult read(Path dir) throws IOException {
        Path summary = dir.resolve(SUMMARY);
        if (!Files.isRegularFile(summary)) {
            throw new IOException(dir + ": no " + SUMMARY + " (not a folder that 'load --out' wrote)");
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(summary.toFile());
        } catch (JsonProcessingException bad) {
            throw new IOException(summary + ": not a load results file: " + bad.getOriginalMessage());
        }
        if (doc == null || doc.path("format").asInt() != FORMAT) {
            throw new IOException(summary + ": not a load results file of format " + FORMAT);
        }
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            doc.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            return new LoadHostResult(required(doc, "host", summary), required(doc, "target", summary),
                    required(doc, "workload", summary), doc.path("traffic").asText(""), settings,
                    Instant.parse(required(doc, "started", summary)), Instant.parse(required(doc, "ended", summary)),
                    doc.path("operations").asLong(), doc.path("errors").asLong(),
                    doc.path("error").isTextual() ? doc.path("error").asText() : null,
                    doc.path("loadGeneratorCpuPercent").asDouble(), latency(dir.resolve(LATENCY)),
                    roundTrip(doc.path("roundTrip")), boundaries(doc.path("boundaries"), summary));
        } catch (RuntimeException bad) {
            throw new IOException(summary + ": " + bad.getMessage());
        }
    }

    private static ConnectRoundTrip roundTrip(JsonNode rtt) {
        return rtt.isObject() ? new ConnectRoundTrip(rtt.path("minMicros").asDouble(),
                rtt.path("medianMicros").asDouble(), rtt.path("samples").asInt()) : null;
    }

    private static List<Boundary> boundaries(JsonNode marks, Path file) throws IOException {
        List<Boundary> boundaries = new ArrayList<>();
        Instant previous = Instant.MIN;
        for (JsonNode mark : marks) {
            Instant at = Instant.parse(required(mark, "at", file));
            if (at.isBefore(previous) || !mark.path("operations").canConvertToLong()) {
                throw new IOException(file + ": boundary " + boundaries.size() + " is out of order or has no operations");
            }
            previous = at;
            JsonNode server = mark.get("server");
            boundaries.add(new Boundary(at, mark.path("operations").asLong(),
                    server != null && server.isObject() ? JSON.writeValueAsString(server) : null));
        }
        return boundaries;
    }

    private static String required(JsonNode doc, String field, Path file) throws IOException {
        if (!doc.path(field).isTextual()) {
            throw new IOException(file + ": no \"" + field + "\"");
        }
        return doc.path(field).asText();
    }

    /** Every interval of the log, added up. */
    private static Histogram latency(Path log) throws IOException {
        if (!Files.exists(log)) {
            throw new IOException(log + ": missing");
        }
        Histogram sum = new Histogram(3);
        HistogramLogReader reader = new HistogramLogReader(log.toFile());
        EncodableHistogram next;
        while ((next = reader.nextIntervalHistogram()) != null) {
            if (!(next instanceof Histogram interval)) {
                throw new IOException(log + ": not an integer histogram log");
            }
            sum.add(interval);
        }
        return sum;
    }
}
