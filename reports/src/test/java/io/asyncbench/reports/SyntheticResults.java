package io.asyncbench.reports;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/**
 * A realistic results folder, as the bench module writes it: JMH's JSON for five workloads, seven
 * strategies and several parameter sets (with JMH's percentiles, raw data and gc profiler secondary
 * metrics), metadata.json, and open-loop .hgrm files written by HdrHistogram itself. The numbers come
 * from a small model of each strategy plus seeded noise, so tests know who should win.
 */
final class SyntheticResults {

    static final List<String> STRATEGIES = List.of("callbacks", "futures", "virtual-threads", "platform-threads",
            "selector", "netty-nio", "netty-epoll");

    static final String EVIL = "<script>window.__pwned=1</script>";

    /**
     * JMH's gc.alloc.rate.norm in every server workload: the load generator's allocation (the JMH fork
     * is the client), a value no server figure has, so a test can tell it was not shown as the strategy's.
     */
    static final double LOAD_GENERATOR_ALLOC = 7777;

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Random random;
    private boolean malicious;
    private String profile = "quick";
    private double speedup = 1.0;
    private boolean latency = true;
    private boolean serverMetrics = true;
    private boolean facts = true;

    private SyntheticResults(long seed) {
        this.random = new Random(seed);
    }

    static SyntheticResults realistic(long seed) {
        return new SyntheticResults(seed);
    }

    /** Strings from the "results" carry HTML and script: a parameter value, metadata, a description. */
    SyntheticResults malicious() {
        this.malicious = true;
        return this;
    }

    SyntheticResults profile(String p) {
        this.profile = p;
        return this;
    }

    /** Every score of selector scaled by this factor: a later run, for baseline comparisons. */
    SyntheticResults selectorSpeedup(double factor) {
        this.speedup = factor;
        return this;
    }

    SyntheticResults withoutLatency() {
        this.latency = false;
        return this;
    }

    /** metadata.json without the strategies' facts, as run wrote it before it recorded them. */
    SyntheticResults withoutFacts() {
        this.facts = false;
        return this;
    }

    /** No server-side figures, as in older results or a run against an external --target server. */
    SyntheticResults withoutServerMetrics() {
        this.serverMetrics = false;
        return this;
    }

    /** Relative speed of each strategy at a concurrency level (1 = netty-epoll at its best). */
    private double speed(String strategy, double concurrency) {
        double log = Math.log10(Math.max(1, concurrency));
        double s = switch (strategy) {
            case "netty-epoll" -> 1.0;
            case "netty-nio" -> 0.93;
            case "selector" -> 0.90 * speedup;
            case "callbacks" -> 0.78;
            case "futures" -> 0.70;
            case "virtual-threads" -> concurrency <= 1 ? 1.02 : 0.86;
            case "platform-threads" -> 0.92 / (1 + 0.35 * log);
            default -> 0.5;
        };
        return s;
    }

    Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        ArrayNode results = F.arrayNode();
        for (String s : STRATEGIES) {
            for (int size : new int[] {64, 4096}) {
                for (int connections : new int[] {1, 64, 1000}) {
                    double base = 180_000 * Math.min(connections, 64) / (Math.min(connections, 64) + 2.0) * (size == 64 ? 1 : 0.7);
                    Map<String, String> p = new LinkedHashMap<>();
                    p.put("connections", String.valueOf(connections));
                    p.put("size", String.valueOf(size));
                    p.put("strategy", s);
                    double err = 0.025;
                    if (s.equals("futures") && connections == 1000 && size == 4096) {
                        err = 0.17; // one noisy result: the report must flag it
                    }
                    results.add(result("io.asyncbench.bench.EchoBenchmark.roundTrip", "thrpt", "ops/s",
                            base * speed(s, connections), err, p, alloc(s, 96, size), true));
                }
            }
        }
        for (String s : STRATEGIES) {
            // Closed-loop latency, JMH's sample mode: a distribution per strategy, percentiles included.
            Map<String, String> p = new LinkedHashMap<>();
            p.put("connections", "64");
            p.put("size", "1024");
            p.put("strategy", s);
            double us = 64 / speed(s, 64) * 2.9;
            results.add(result("io.asyncbench.bench.EchoBenchmark.latency", "sample", "us/op", us, 0.02, p,
                    alloc(s, 96, 1024), false));
        }
        for (String s : STRATEGIES) {
            for (String endpoint : new String[] {"plaintext", "json"}) {
                for (int connections : new int[] {16, 256}) {
                    Map<String, String> p = new LinkedHashMap<>();
                    p.put("connections", String.valueOf(connections));
                    p.put("endpoint", malicious && endpoint.equals("json") ? EVIL : endpoint);
                    p.put("pipeline", "1");
                    p.put("strategy", s);
                    double base = 240_000 * connections / (connections + 8.0) * (endpoint.equals("json") ? 0.8 : 1);
                    results.add(result("io.asyncbench.bench.HttpBenchmark.requests", "thrpt", "ops/s",
                            base * speed(s, connections), 0.03, p, alloc(s, 420, 0), false));
                }
            }
        }
        for (String s : STRATEGIES) {
            for (int tasks : new int[] {1_000, 100_000}) {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("delayMs", "10");
                p.put("tasks", String.valueOf(tasks));
                p.put("strategy", s);
                double overhead = switch (s) {
                    case "platform-threads" -> tasks / 800.0;
                    case "virtual-threads" -> tasks / 9_000.0;
                    case "futures" -> tasks / 14_000.0;
                    case "selector" -> tasks / 25_000.0;
                    default -> tasks / 20_000.0;
                };
                results.add(result("io.asyncbench.bench.TimersBenchmark.gather", "avgt", "ms/op",
                        10.2 + overhead, 0.02, p, alloc(s, 180, 0) * tasks, false));
            }
        }
        for (String s : STRATEGIES) {
            for (int connections : new int[] {64, 256}) {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("backends", "4");
                p.put("connections", String.valueOf(connections));
                p.put("strategy", s);
                results.add(result("io.asyncbench.bench.GatewayBenchmark.requests", "thrpt", "ops/s",
                        52_000 * speed(s, connections), 0.04, p, alloc(s, 1800, 0), false));
            }
        }
        for (String s : STRATEGIES) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("size", "65536");
            p.put("streams", "32");
            p.put("strategy", s);
            // Proxy: virtual-threads and netty-epoll within each other's error bars (a tie).
            double score = switch (s) {
                case "netty-epoll" -> 21_000;
                case "virtual-threads" -> 20_700;
                default -> 19_000 * speed(s, 32);
            };
            results.add(result("io.asyncbench.bench.ProxyBenchmark.relay", "thrpt", "ops/s", score, 0.035, p,
                    alloc(s, 64, 0), false));
        }
        Files.writeString(dir.resolve("jmh-result.json"), JSON.writeValueAsString(results));
        Files.writeString(dir.resolve("metadata.json"), JSON.writeValueAsString(metadata()));
        if (latency) {
            writeLatency(dir.resolve("latency"));
        }
        writeConnections(dir.resolve("connections"));
        return dir;
    }

    /**
     * Per-connection completions of http at 256 connections, two server JVMs per strategy: the
     * event loops even, the thread-per-connection baseline with a few connections left waiting
     * over a second (it starves them), as wrk measured against platform threads.
     */
    private void writeConnections(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String s : STRATEGIES) {
            var doc = JSON.createObjectNode();
            doc.put("benchmark", "io.asyncbench.bench.HttpBenchmark.requests");
            doc.put("mode", "thrpt");
            var params = doc.putObject("params");
            params.put("strategy", s);
            params.put("connections", "256");
            params.put("endpoint", "plaintext");
            params.put("pipeline", "1");
            var servers = doc.putArray("servers");
            for (int server = 0; server < 2; server++) {
                var node = servers.addObject();
                var completed = node.putArray("completed");
                var gaps = node.putArray("longestGapMillis");
                double spread = switch (s) {
                    case "platform-threads" -> 0.45;
                    case "virtual-threads", "futures" -> 0.12;
                    default -> 0.04;
                };
                for (int c = 0; c < 256; c++) {
                    boolean starved = s.equals("platform-threads") && c % 64 == 3;
                    double share = starved ? 0.02 : Math.max(0, 1 + spread * random.nextGaussian());
                    completed.add(Math.round(3000 * share));
                    gaps.add(starved ? 1100 + 10 * c : 2 + 30 * spread * random.nextDouble());
                }
                node.put("countedMillis", 900.0);
            }
            Files.writeString(dir.resolve("HttpBenchmark.requests__" + s + "__pid" + (1000 + STRATEGIES.indexOf(s))
                    + ".json"), JSON.writeValueAsString(doc));
        }
    }

    private double alloc(String s, double base, int size) {
        double f = switch (s) {
            case "netty-epoll", "netty-nio" -> 0.4;
            case "selector" -> 0.3;
            case "callbacks" -> 1.1;
            case "futures" -> 2.6;
            case "virtual-threads" -> 1.4;
            case "platform-threads" -> 1.2;
            default -> 1;
        };
        return base * f + size * (s.startsWith("netty") ? 0 : 0.02);
    }

    private ObjectNode result(String benchmark, String mode, String unit, double score, double relError,
                              Map<String, String> params, double allocPerOp, boolean rss) {
        ObjectNode r = F.objectNode();
        r.put("jmhVersion", "1.37");
        r.put("benchmark", benchmark);
        r.put("mode", mode);
        r.put("threads", 1);
        r.put("forks", 2);
        r.put("jvm", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        ArrayNode args = r.putArray("jvmArgs");
        args.add("-Xmx2g");
        args.add("--enable-native-access=ALL-UNNAMED");
        r.put("jdkVersion", "25.0.1");
        r.put("vmName", "OpenJDK 64-Bit Server VM");
        r.put("vmVersion", "25.0.1+8-LTS");
        r.put("warmupIterations", 3);
        r.put("warmupTime", "5 s");
        r.put("warmupBatchSize", 1);
        r.put("measurementIterations", 5);
        r.put("measurementTime", "10 s");
        r.put("measurementBatchSize", 1);
        ObjectNode p = r.putObject("params");
        params.forEach(p::put);
        double noisy = score * (1 + (random.nextDouble() - 0.5) * 0.02);
        r.set("primaryMetric", metric(noisy, relError, unit, true));
        ObjectNode sec = r.putObject("secondaryMetrics");
        double opsPerSec = unit.equals("ops/s") ? noisy : unit.equals("us/op") ? 1e6 / noisy : 1000 / noisy;
        String strategy = params.get("strategy");
        // The timers workload runs in the JMH fork: JMH's gc profiler measures the strategy itself. Every
        // other workload has a server process, and the fork's allocation is the load generator's.
        boolean inFork = benchmark.contains("TimersBenchmark");
        double forkAlloc = inFork ? allocPerOp : LOAD_GENERATOR_ALLOC;
        sec.set("·gc.alloc.rate", metric(forkAlloc * opsPerSec / 1e6, 0.03, "MB/sec", false));
        sec.set("·gc.alloc.rate.norm", metric(forkAlloc, 0.01, "B/op", false));
        sec.set("·gc.count", metric(Math.max(1, forkAlloc * opsPerSec * 20 / 64e6), Double.NaN, "counts", false));
        sec.set("·gc.time", metric(12 + random.nextInt(30), Double.NaN, "ms", false));
        if (inFork) {
            double overhead = noisy - Double.parseDouble(params.get("delayMs"));
            sec.set("overheadMillis", metric(overhead, 0.05, "ms", false));
            sec.set("latenessP50Millis", metric(overhead * 0.3, 0.05, "ms", false));
            sec.set("latenessP99Millis", metric(overhead * 0.9, 0.05, "ms", false));
            sec.set("latenessMaxMillis", metric(overhead, 0.05, "ms", false));
            sec.set("heapBytesPerTask", metric(heapPerTask(strategy), 0, "B/task", false));
            return r;
        }
        // A saturated client in the few fastest cases (one client thread, one core: percent of one core).
        double concurrency = Double.parseDouble(params.getOrDefault("connections", params.getOrDefault("streams", "1")));
        double load = Math.min(99, 100 * (0.25 + 0.72 * speed(strategy, concurrency)))
                + (EVIL.equals(params.get("endpoint")) || "json".equals(params.get("endpoint")) ? 1 : 0);
        sec.set("loadGeneratorCpuPercent", metric(load, 0.03, "%", false));
        if (!serverMetrics) {
            return r;
        }
        double cpuNanos = cpuMicros(strategy) * 1000 * workloadCost(benchmark);
        sec.set("serverCpuNanosPerOp", metric(cpuNanos, 0.05, "ns/op", false));
        // Four server CPUs (metadata: "cpus 4-7"); the bench writes percent of one core.
        sec.set("serverCpuPercent", metric(Math.min(390, cpuNanos * opsPerSec / 1e7), 0.04, "%", false));
        sec.set("serverAllocBytesPerOp", metric(allocPerOp, 0.01, "B/op", false));
        sec.set("serverErrors", metric(0, Double.NaN, "#", false));
        sec.set("serverWarmupMillis", metric(1000 + 150 * STRATEGIES.indexOf(strategy), Double.NaN, "ms", false));
        sec.set("serverWarmupJitQuiet", metric(1, Double.NaN, "1 = quiet", false));
        // A quiet machine, but for one result measured while something else ran beside it.
        boolean busy = "platform-threads".equals(strategy) && benchmark.contains("Echo");
        sec.set("otherCpuPercentServerCpus", metric(busy ? 23.5 : 0.4, Double.NaN, "% of a core", false));
        sec.set("otherCpuPercentLoadCpus", metric(1.2, Double.NaN, "% of a core", false));
        if (benchmark.contains("Gateway") || benchmark.contains("Proxy")) {
            // The backends' one thread: saturated behind the faster gateways, idle enough behind the proxy.
            double backend = benchmark.contains("Gateway") ? Math.min(99, 60 + 40 * speed(strategy, concurrency)) : 45;
            sec.set("backendCpuPercent", metric(backend, 0.03, "%", false));
        } else {
            sec.set("backendCpuPercent", metric(Double.NaN, Double.NaN, "%", false)); // as the bench writes it
        }
        if (rss) {
            int connections = Integer.parseInt(params.get("connections"));
            double perConn = switch (params.get("strategy")) {
                case "platform-threads" -> 1_100_000;
                case "virtual-threads" -> 14_000;
                case "futures", "callbacks" -> 9_500;
                default -> 6_000;
            };
            sec.set("serverRssBytesPerConnection", metric(perConn + 2_000_000.0 / connections, Double.NaN, "B/connection", false));
            sec.set("serverLiveHeapBytesPerConnection", metric(perConn / 4, Double.NaN, "B/connection", false));
        }
        return r;
    }

    /**
     * Server CPU per operation at echo's cost: selector is the cheapest, although netty-epoll leads
     * the throughput, so the report must say both.
     */
    static double cpuMicros(String strategy) {
        return switch (strategy) {
            case "selector" -> 6.0;
            case "netty-epoll" -> 7.5;
            case "netty-nio" -> 8.0;
            case "callbacks" -> 9.0;
            case "virtual-threads" -> 10.0;
            case "futures" -> 11.0;
            case "platform-threads" -> 14.0;
            default -> 12.0;
        };
    }

    private static double workloadCost(String benchmark) {
        return benchmark.contains("Http") ? 1.5 : benchmark.contains("Gateway") ? 8 : benchmark.contains("Proxy") ? 60 : 1;
    }

    private static double heapPerTask(String strategy) {
        return switch (strategy) {
            case "platform-threads" -> 350;
            case "virtual-threads" -> 930;
            case "futures" -> 290;
            case "callbacks" -> 140;
            case "selector" -> 80;
            default -> 97;
        };
    }

    private ObjectNode metric(double score, double relError, String unit, boolean raw) {
        ObjectNode m = F.objectNode();
        m.put("score", score);
        if (Double.isNaN(relError)) {
            m.put("scoreError", "NaN");
            ArrayNode conf = m.putArray("scoreConfidence");
            conf.add(score);
            conf.add(score);
        } else {
            double e = score * relError;
            m.put("scoreError", e);
            ArrayNode conf = m.putArray("scoreConfidence");
            conf.add(score - e);
            conf.add(score + e);
        }
        ObjectNode pc = m.putObject("scorePercentiles");
        double lo = score * (1 - 2 * (Double.isNaN(relError) ? 0 : relError));
        String[] keys = {"0.0", "50.0", "90.0", "95.0", "99.0", "99.9", "99.99", "99.999", "99.9999", "100.0"};
        // A latency distribution (sample mode) has a long tail; anything else a narrow spread.
        double[] tail = {0.45, 0.9, 1.6, 1.9, 3.1, 6.5, 14, 22, 25, 25};
        for (int i = 0; i < keys.length; i++) {
            pc.put(keys[i], unit.equals("us/op") ? score * tail[i] : lo + (score - lo) * 2 * i / (keys.length - 1.0));
        }
        m.put("scoreUnit", unit);
        if (raw) {
            ArrayNode rawData = m.putArray("rawData");
            for (int f = 0; f < 2; f++) {
                ArrayNode fork = rawData.addArray();
                for (int i = 0; i < 5; i++) {
                    fork.add(score * (1 + (random.nextDouble() - 0.5) * (Double.isNaN(relError) ? 0 : relError)));
                }
            }
        }
        return m;
    }

    private ObjectNode metadata() {
        ObjectNode m = F.objectNode();
        m.put("tool", "asyncbench");
        m.put("version", "0.1.0-SNAPSHOT");
        m.put("profile", profile);
        m.put("startedAt", "2026-11-25T19:00:00Z");
        m.put("finishedAt", "2026-11-25T19:42:17Z");
        m.put("gitCommit", "756e731f0c2b9a4d1e8f3a6b5c7d9e0f1a2b3c4d");
        ObjectNode jdk = m.putObject("jdk");
        jdk.put("vendor", "Eclipse Adoptium");
        jdk.put("version", "25.0.1");
        jdk.put("vmName", "OpenJDK 64-Bit Server VM");
        jdk.put("home", "/usr/lib/jvm/temurin-25-jdk-amd64");
        ObjectNode os = m.putObject("os");
        os.put("name", "Linux");
        os.put("version", "6.1.0-28-amd64");
        os.put("arch", "amd64");
        ObjectNode cpu = m.putObject("cpu");
        cpu.put("model", malicious ? "AMD EPYC <img src=x onerror=alert(1)>" : "AMD EPYC 7B13 64-Core Processor");
        cpu.put("cores", 8);
        m.put("memoryBytes", 33_554_432_000L);
        ObjectNode placement = m.putObject("placement");
        placement.put("server", "cpus 4-7");
        placement.put("loadGenerator", "cpus 0-3");
        ObjectNode params = m.putObject("parameters");
        params.put("threads", "4");
        params.put("latencyRates", "0.5,0.9 of peak");
        params.put("serverWarmup", "each new server driven with the benchmark's traffic until its JIT went quiet,"
                + " 1000 ms to 5000 ms");
        if (malicious) {
            params.put("note", "</dd><script>window.__pwned=2</script>");
        }
        ArrayNode strategies = m.putArray("strategies");
        for (String s : STRATEGIES) {
            ObjectNode o = strategies.addObject();
            o.put("id", s);
            o.put("description", malicious && s.equals("selector") ? "an <b>event</b> loop " + EVIL : "the " + s + " strategy");
            o.put("available", true);
            o.putNull("reason");
            if (facts) {
                // as run writes them: what each strategy declares about itself
                Lineup.Entry e = Lineups.SHIPPED.entry(s).orElseThrow();
                o.put("kind", e.reference() ? "reference" : "jvm");
                ObjectNode f = o.putObject("facts");
                f.put("order", e.order());
                f.put("colour", e.colour());
                f.put("module", e.module());
                f.put("line", e.dashed() ? "dashed" : "solid");
                f.put("role", e.role());
                f.put("backendRank", 0);
            }
        }
        m.putArray("failures");
        return m;
    }

    private void writeLatency(Path dir) throws IOException {
        Files.createDirectories(dir);
        ArrayNode index = F.arrayNode();
        // As the bench does: each strategy at a fraction of its own peak, so the rates differ by strategy.
        for (double fraction : new double[] {0.3, 0.9}) {
            for (String s : STRATEGIES) {
                int rate = (int) Math.round(fraction * 80_000 * speed(s, 64));
                double medianUs = switch (s) {
                    case "netty-epoll" -> 62;
                    case "netty-nio" -> 70;
                    case "selector" -> 74;
                    case "callbacks" -> 90;
                    case "futures" -> 105;
                    case "virtual-threads" -> 80;
                    default -> 130;
                } * (fraction > 0.5 ? 1.6 : 1);
                double tail = s.equals("platform-threads") ? 1.9 : s.equals("futures") ? 1.4 : 1.0;
                Histogram h = new Histogram(3_600_000_000L, 3);
                for (int i = 0; i < 50_000; i++) {
                    double v = medianUs * Math.exp(random.nextGaussian() * 0.35 * tail);
                    if (random.nextDouble() < 0.002) {
                        v *= 8 + random.nextDouble() * 20 * tail; // a GC pause or a stall
                    }
                    h.recordValue(Math.max(1, Math.round(v)));
                }
                String name = "echo__" + s + "__size=1024_connections=64__rate=" + rate + ".hgrm";
                var bytes = new ByteArrayOutputStream();
                try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                    h.outputPercentileDistribution(ps, 5, 1.0);
                }
                Files.write(dir.resolve(name), bytes.toByteArray());
                ObjectNode e = index.addObject();
                e.put("file", name);
                e.put("workload", "echo");
                e.put("strategy", s);
                ObjectNode p = e.putObject("params");
                p.put("size", "1024");
                p.put("connections", "64");
                e.put("intendedRatePerSecond", rate);
                e.put("fractionOfPeak", fraction);
                e.put("ladder", "ownPeak");
            }
        }
        writeCommonLadder(dir, index);
        Files.writeString(dir.resolve("index.json"), JSON.writeValueAsString(index));
    }

    /** The rates of the common ladder: 25/50/75/90 % of the slowest peak (40,000/s, platform-threads'). */
    static final int[] COMMON_RATES = {10_000, 20_000, 30_000, 36_000};

    /**
     * As the bench writes the common ladder: every strategy at the same rates. Known answers:
     * platform-threads could not sustain 36,000/s; at the others, p50 = 100 µs x the strategy's
     * {@link #cpuMicros} / 6 (selector lowest), and server CPU per request = cpuMicros(s) x (1 +
     * 0.1 x rung) µs with an error of 0.2 µs.
     */
    private void writeCommonLadder(Path dir, ArrayNode index) throws IOException {
        for (int rung = 0; rung < COMMON_RATES.length; rung++) {
            int rate = COMMON_RATES[rung];
            for (String s : STRATEGIES) {
                boolean behind = s.equals("platform-threads") && rate == 36_000;
                double medianUs = 100 * cpuMicros(s) / 6 * (behind ? 400 : 1);
                Histogram h = new Histogram(3_600_000_000L, 3);
                for (int i = 0; i < 20_000; i++) {
                    h.recordValue(Math.max(1, Math.round(medianUs * Math.exp(random.nextGaussian() * 0.2))));
                }
                String name = "echo__" + s + "__size=1024_connections=64__common__rate=" + rate + ".hgrm";
                var bytes = new ByteArrayOutputStream();
                try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
                    h.outputPercentileDistribution(ps, 5, 1.0);
                }
                Files.write(dir.resolve(name), bytes.toByteArray());
                ObjectNode e = index.addObject();
                e.put("file", name);
                e.put("workload", "echo");
                e.put("strategy", s);
                ObjectNode p = e.putObject("params");
                p.put("size", "1024");
                p.put("connections", "64");
                e.put("intendedRatePerSecond", rate);
                e.put("ladder", "common");
                e.put("fractionOfSlowestPeak", new double[] {0.25, 0.5, 0.75, 0.9}[rung]);
                e.put("slowestStrategy", "platform-threads");
                e.put("sentRatePerSecond", behind ? 21_300 : rate);
                e.put("completedRatePerSecond", behind ? 21_280 : rate);
                e.put("sustained", !behind);
                var reasons = e.putArray("fellBehind");
                if (behind) {
                    reasons.add("sent 21,300/s of 36,000/s").add("completed 21,280/s of 36,000/s");
                }
                ObjectNode lag = e.putObject("sendLag");
                lag.put("p50Micros", behind ? 4100 : 60);
                lag.put("p99Micros", behind ? 9000 : 300);
                e.put("overran", false);
                e.put("serverCpuNanosPerOp", cpuMicros(s) * (1 + 0.1 * rung) * 1000);
                e.put("serverCpuNanosPerOpError", 200.0);
                e.put("serverCpuConfidencePercent", 95);
                e.put("loadGeneratorCpuPercent", 10.0 + rung * 20);
            }
        }
    }
}
