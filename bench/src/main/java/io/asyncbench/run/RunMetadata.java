package io.asyncbench.run;

import io.asyncbench.api.StrategyFacts;
import io.asyncbench.harness.Placement;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * metadata.json: where, when and how a run happened, and what it did not measure. Everything a
 * reader needs to judge the numbers, gathered by the run itself, never typed by hand.
 */
public final class RunMetadata {

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<Map<String, Object>> failures = new ArrayList<>();

    /**
     * @param cores CPUs the run could use before it pinned itself (the machine's, usually)
     */
    public RunMetadata(Profile profile, Instant startedAt, Placement placement, int cores,
                       Map<String, Object> parameters, List<Plan.StrategyInfo> strategies) {
        fields.put("tool", "asyncbench");
        fields.put("version", version());
        fields.put("profile", profile.id());
        fields.put("startedAt", startedAt.toString());
        fields.put("finishedAt", null);
        fields.put("gitCommit", gitCommit());
        Map<String, Object> jdk = new LinkedHashMap<>();
        jdk.put("vendor", System.getProperty("java.vendor"));
        jdk.put("version", System.getProperty("java.version"));
        jdk.put("vmName", System.getProperty("java.vm.name"));
        jdk.put("home", System.getProperty("java.home"));
        fields.put("jdk", jdk);
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("name", System.getProperty("os.name"));
        os.put("version", System.getProperty("os.version"));
        os.put("arch", System.getProperty("os.arch"));
        fields.put("os", os);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("model", cpuModel());
        cpu.put("cores", cores);
        fields.put("cpu", cpu);
        fields.put("memoryBytes", memoryBytes());
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("server", placement.describeServer());
        where.put("loadGenerator", placement.describeLoadGenerator());
        where.put("backends", placement.describeLoadGenerator());
        where.put("timers", placement.describeServer());
        where.put("serverThreads", placement.serverThreads());
        where.put("loadGeneratorThreads", placement.loadThreads());
        where.put("note", placement.pinned()
                ? "taskset: the server process (and the in-process timers) on the server CPUs, the JMH "
                  + "fork with the load generator, and the gateway/proxy backends, on the load "
                  + "generator CPUs"
                : "not pinned: server and load generator share every CPU");
        fields.put("placement", where);
        fields.put("parameters", parameters);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Plan.StrategyInfo s : strategies) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", s.id());
            entry.put("description", s.description());
            entry.put("available", s.available());
            entry.put("reason", s.reason());
            entry.put("kind", s.kind());
            entry.put("facts", facts(s.facts()));
            list.add(entry);
        }
        fields.put("strategies", list);
        fields.put("failures", failures);
    }

    /**
     * A strategy's facts as metadata.json carries them, for a report that has no strategy on its
     * class path: order, colour ({@code null}: the report picks one), module, line, role,
     * backendRank (0: never a backend) and the JVM options its server JVMs got (usually none).
     */
    static Map<String, Object> facts(StrategyFacts facts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("order", facts.order());
        out.put("colour", facts.colour());
        out.put("module", facts.module());
        out.put("line", facts.line().name().toLowerCase(java.util.Locale.ROOT));
        out.put("role", facts.role().name().toLowerCase(java.util.Locale.ROOT));
        out.put("backendRank", facts.backendRank());
        out.put("jvmOptions", facts.jvmOptions());
        return out;
    }

    /** asyncbench's version, from the jar's manifest; "development" outside a built jar. */
    static String version() {
        return Objects.requireNonNullElse(RunMetadata.class.getPackage().getImplementationVersion(), "development");
    }

    /** Records a benchmark that was not measured or failed, with its parameters and why. */
    public void failure(String benchmark, Map<String, String> params, String message) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("benchmark", benchmark);
        entry.put("params", new LinkedHashMap<>(params));
        entry.put("message", message);
        failures.add(entry);
    }

    /**
     * Records the processes a benchmark started (server, backends): each one's exact command line
     * and engine facts, as {@code ProcessLog} wrote them; metadata.json's {@code processes}.
     */
    public void processes(String benchmark, Map<String, String> params, List<Object> started) {
        if (started.isEmpty()) {
            return;
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("benchmark", benchmark);
        entry.put("params", new LinkedHashMap<>(params));
        entry.put("started", started);
        @SuppressWarnings("unchecked")
        List<Object> all = (List<Object>) fields.computeIfAbsent("processes", k -> new ArrayList<>());
        all.add(entry);
    }

    public int failureCount() {
        return failures.size();
    }

    public void put(String key, Object value) {
        fields.put(key, value);
    }

    public void finished(Instant at) {
        fields.put("finishedAt", at.toString());
    }

    public Map<String, Object> asMap() {
        return fields;
    }

    /** The commit of the checkout the jar was built from, "+modified" when it has local changes. */
    static String gitCommit() {
        Path root = repositoryRoot();
        if (root == null) {
            return "unknown";
        }
        String head = run(root, "git", "rev-parse", "HEAD");
        if (head == null || head.isBlank()) {
            return "unknown";
        }
        String status = run(root, "git", "status", "--porcelain", "--untracked-files=no");
        return head.trim() + (status != null && !status.isBlank() ? "+modified" : "");
    }

    /** The checkout holding bench/target/benchmarks.jar, or the working directory. */
    private static Path repositoryRoot() {
        try {
            Path jar = Path.of(RunMetadata.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve(".git"))) {
                    return p;
                }
            }
        } catch (Exception notAFile) {
            // fall through
        }
        Path cwd = Path.of("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve(".git")) ? cwd : null;
    }

    private static String run(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // below
        }
        return System.getProperty("os.arch");
    }

    static long memoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
