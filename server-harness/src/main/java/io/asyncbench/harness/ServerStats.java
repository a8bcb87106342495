package io.asyncbench.harness;

import io.asyncbench.api.ServerCounters;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a server process reports about itself on its control channel ({@code serve --control-stdin},
 * a line {@code stats}): one flat JSON object of numbers, measured inside the server's own JVM, so
 * that server-side costs are never guessed from the client.
 *
 * @param cpuNanos        CPU time of the whole server process (all threads, JIT and GC included)
 * @param allocatedBytes  heap bytes allocated by all threads, live and ended, since the JVM started
 * @param rssBytes        resident set size (VmRSS), or -1 where /proc is missing
 * @param heapUsedBytes   heap in use now
 * @param threads         live platform threads
 * @param gcCount         garbage collections so far
 * @param gcMillis        time spent in them
 * @param compileMillis   time the JIT compilers have spent so far, or -1 where unknown: the bench
 *                        drives a new server until this stops growing (see ServerUnderTest)
 * @param connectionsOpened, connectionsClosed, bytesRead, bytesWritten, requests, errors
 *                        the {@link ServerCounters} of every server in the process, summed
 */
public record ServerStats(long cpuNanos, long allocatedBytes, long rssBytes, long heapUsedBytes,
                          long threads, long gcCount, long gcMillis, long compileMillis,
                          long connectionsOpened,
                          long connectionsClosed, long bytesRead, long bytesWritten, long requests,
                          long errors) {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?\\d+)");

    /** Measures this JVM now, with the counters of the servers it runs. */
    public static ServerStats sample(List<ServerCounters> servers) {
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        return new ServerStats(processCpuNanos(), processAllocatedBytes(), processRssBytes(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                ManagementFactory.getThreadMXBean().getThreadCount(), gcCount, gcMillis, jitCompileMillis(),
                servers.stream().mapToLong(ServerCounters::connectionsOpened).sum(),
                servers.stream().mapToLong(ServerCounters::connectionsClosed).sum(),
                servers.stream().mapToLong(ServerCounters::bytesRead).sum(),
                servers.stream().mapToLong(ServerCounters::bytesWritten).sum(),
                servers.stream().mapToLong(ServerCounters::requests).sum(),
                servers.stream().mapToLong(ServerCounters::errors).sum());
    }

    /** Total JIT compilation time of this JVM, or -1 where the JVM does not tell. */
    public static long jitCompileMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** CPU time of this process, all threads, to the nanosecond where the JDK can ask the kernel. */
    public static long processCpuNanos() {
        return ProcessCpuClock.nanos();
    }

    /** Heap bytes allocated by every thread of this JVM so far, ended threads included. */
    public static long processAllocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()) {
            return threads.getTotalThreadAllocatedBytes();
        }
        return -1;
    }

    /** VmRSS of this process from /proc/self/status, or -1. */
    public static long processRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // reported as unknown
        }
        return -1;
    }

    public String toJson() {
        Map<String, Long> fields = asMap();
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> json.append(json.length() > 1 ? "," : "")
                .append('"').append(name).append("\":").append(value));
        return json.append('}').toString();
    }

    public Map<String, Long> asMap() {
        Map<String, Long> fields = new LinkedHashMap<>();
        fields.put("cpuNanos", cpuNanos);
        fields.put("allocatedBytes", allocatedBytes);
        fields.put("rssBytes", rssBytes);
        fields.put("heapUsedBytes", heapUsedBytes);
        fields.put("threads", threads);
        fields.put("gcCount", gcCount);
        fields.put("gcMillis", gcMillis);
        fields.put("compileMillis", compileMillis);
        fields.put("connectionsOpened", connectionsOpened);
        fields.put("connectionsClosed", connectionsClosed);
        fields.put("bytesRead", bytesRead);
        fields.put("bytesWritten", bytesWritten);
        fields.put("requests", requests);
        fields.put("errors", errors);
        return fields;
    }

    private static final Pattern FACT = Pattern.compile("\"([^\"\\\\]*)\"\\s*:\\s*\"([^\"\\\\]*)\"");

    /**
     * {@code json} (a {@link #toJson()} object) with the strategy's engine facts added as
     * {@code "engine":{"netty.unsafe":"true",...}} (see {@code Strategy.engineFacts()}).
     * Quotes and backslashes in a fact become {@code '} and {@code /}: facts are for reading.
     */
    public static String withEngineFacts(String json, Map<String, String> facts) {
        return withFacts(json, "engine", facts);
    }

    /** {@code json} with {@code facts} added as an object named {@code block}, e.g. {@code "host":{...}}. */
    public static String withFacts(String json, String block, Map<String, String> facts) {
        StringBuilder object = new StringBuilder(",\"").append(block).append("\":{");
        int empty = object.length();
        facts.forEach((name, value) -> object.append(object.length() > empty ? "," : "")
                .append('"').append(plain(name)).append("\":\"").append(plain(value)).append('"'));
        object.append('}');
        return json.substring(0, json.length() - 1) + object + "}";
    }

    private static String plain(String text) {
        return text.replace('"', '\'').replace('\\', '/').replace('{', '(').replace('}', ')').replaceAll("\\p{Cntrl}", " ");
    }

    /** The engine facts of a stats line, empty when it has none. */
    public static Map<String, String> engineFacts(String json) {
        return facts(json, "engine");
    }

    /** The facts of the object named {@code block} of a stats line, empty when it has none. */
    public static Map<String, String> facts(String json, String block) {
        Map<String, String> facts = new LinkedHashMap<>();
        Matcher object = Pattern.compile("\"" + Pattern.quote(block) + "\"\\s*:\\s*\\{([^}]*)}").matcher(json);
        if (object.find()) {
            Matcher fact = FACT.matcher(object.group(1));
            while (fact.find()) {
                facts.put(fact.group(1), fact.group(2));
            }
        }
        return facts;
    }

    /** The facts of the object named {@code block} as one line, {@code name=value, ...}. */
    public static String describeFacts(String json, String block) {
        StringBuilder line = new StringBuilder();
        facts(json, block).forEach((name, value) -> line.append(line.isEmpty() ? "" : ", ")
                .append(name).append('=').append(value));
        return line.toString();
    }

    /** Parses {@link #toJson()}'s output; a missing field is an error. */
    public static ServerStats parse(String json) {
        Map<String, Long> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            fields.put(m.group(1), Long.parseLong(m.group(2)));
        }
        try {
            return new ServerStats(get(fields, "cpuNanos"), get(fields, "allocatedBytes"),
                    get(fields, "rssBytes"), get(fields, "heapUsedBytes"), get(fields, "threads"),
                    get(fields, "gcCount"), get(fields, "gcMillis"), get(fields, "compileMillis"),
                    get(fields, "connectionsOpened"),
                    get(fields, "connectionsClosed"), get(fields, "bytesRead"),
                    get(fields, "bytesWritten"), get(fields, "requests"), get(fields, "errors"));
        } catch (IllegalArgumentException missing) {
            throw new IllegalArgumentException(missing.getMessage() + " in server stats: " + json);
        }
    }

    private static long get(Map<String, Long> fields, String name) {
        Long value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no \"" + name + "\"");
        }
        return value;
    }
}
