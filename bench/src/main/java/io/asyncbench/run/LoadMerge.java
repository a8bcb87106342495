package io.asyncbench.run;

import io.asyncbench.harness.ServerStats;
import io.asyncbench.harness.cli.HostPort;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.HdrHistogram.Histogram;

/**
 * What several load hosts measured of one server at the same time ({@code load --out} on each),
 * as one measurement: their operations added up sub-window by sub-window, the server's CPU and
 * allocation over those sub-windows (from its stats port, read by the hosts at every boundary)
 * divided by everyone's operations, and their latency histograms added by HdrHistogram.
 *
 * <p>It refuses what would not be one measurement: a host that saw a wrong reply, hosts that drove
 * different workloads or different server processes, and windows that did not line up (each
 * boundary of one host within a quarter of a sub-window of the first's; {@code load --start-at}
 * makes them).
 *
 * @param strategy        the server's strategy (from its stats line, or as given)
 * @param workload        the workload's id
 * @param params          the benchmark's parameters: the traffic's, the connections of all hosts, and
 *                        {@code network}: {@code loopback} or {@code network}, the path the loads took
 * @param openLoopRate    the hosts' rates added up, or null for closed loops
 * @param started         the first host's window start
 * @param ended           the last host's window end
 * @param operations      verified operations of all hosts in their windows
 * @param opsPerSecond    operations per second of each sub-window, all hosts added up
 * @param serverCpuNanosPerOp   server CPU per operation of each sub-window (empty without stats)
 * @param serverAllocBytesPerOp server allocation per operation of each sub-window (empty without stats)
 * @param serverCpuPercent      server CPU of each sub-window, percent of one core (empty without stats)
 * @param loadCpuPercent  every host's load generator CPU, added up (percent of one core)
 * @param latency         every host's latency histogram, added up (nanoseconds)
 * @param hosts           the hosts, in the order given
 * @param skew            the largest difference between hosts' matching boundaries
 */
public record LoadMerge(String strategy, String workload, Map<String, String> params, Double openLoopRate,
                        Instant started, Instant ended, long operations, List<Double> opsPerSecond,
                        List<Double> serverCpuNanosPerOp, List<Double> serverAllocBytesPerOp,
                        List<Double> serverCpuPercent, double loadCpuPercent, Histogram latency,
                        List<LoadHostResult> hosts, Duration skew) {

    /**
     * How far apart two hosts' matching boundaries may be, as a share of a sub-window. Every host
     * loads the server through its warm-up too, so a skew only matters where one host has stopped
     * and another still counts: in the last sub-window, by the skew times that host's share.
     */
    static final double MAX_SKEW_SHARE = 0.25;

    /** Settings that describe a host's own load, not the benchmark's parameters. */
    private static final List<String> HOST_SETTINGS = List.of("threads", "loop", "rate", "connections");

    /**
     * Sorts load folders into measurements: the loads of one server process (as its stats name it)
     * of one benchmark over one kind of path (loopback or network) are one measurement, in the
     * order first given.
     */
    public static List<List<LoadHostResult>> measurements(List<LoadHostResult> loads) {
        Map<List<Object>, List<LoadHostResult>> groups = new LinkedHashMap<>();
        for (LoadHostResult load : loads) {
            String firstStats = load.boundaries().isEmpty() ? null : load.boundaries().get(0).serverStats();
            List<Object> key = List.of(firstStats == null ? Map.of() : serverIdentity(firstStats), load.workload(),
                    load.traffic(), String.valueOf(load.settings().get("loop")), network(load));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(load);
        }
        return List.copyOf(groups.values());
    }

    /** {@code loopback} when the load reached its server on a loopback address, else {@code network}. */
    static String network(LoadHostResult load) {
        try {
            return HostPort.parse(load.target()).getAddress().isLoopbackAddress() ? "loopback" : "network";
        } catch (RuntimeException unresolved) {
            return "network";
        }
    }

    /**
     * Merges {@code hosts}.
     *
     * @param strategy the strategy's name when no host read the server's stats; null to take it from them
     * @throws IllegalArgumentException saying which host, and why, when they are not one measurement
     */
    public static LoadMerge of(List<LoadHostResult> hosts, String strategy) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge: give the folders 'load --out' wrote");
        }
        LoadHostResult first = hosts.get(0);
        for (LoadHostResult host : hosts) {
            if (host.errors() > 0) {
                throw new IllegalArgumentException(name(host) + " saw a wrong or missing reply (" + host.error()
                        + "): a load that failed is not merged");
            }
            if (!network(host).equals(network(first))) {
                throw new IllegalArgumentException(name(host) + " reached the server over " + network(host) + ", "
                        + name(first) + " over " + network(first) + ": one measurement takes one kind of path");
            }
            if (!host.workload().equals(first.workload()) || !host.traffic().equals(first.traffic())
                    || !host.settings().get("loop").equals(first.settings().get("loop"))) {
                throw new IllegalArgumentException(name(host) + " ran " + host.traffic() + " (" + host.settings().get("loop")
                        + " loop), " + name(first) + " ran " + first.traffic() + " (" + first.settings().get("loop")
                        + " loop): merge combines loads of one benchmark");
            }
            if (host.boundaries().size() < 2) {
                throw new IllegalArgumentException(name(host) + " recorded no sub-windows (written by a 'load' "
                        + "older than merge?)");
            }
            if (host.boundaries().size() != first.boundaries().size()) {
                throw new IllegalArgumentException(name(host) + " has " + (host.boundaries().size() - 1)
                        + " sub-windows, " + name(first) + " " + (first.boundaries().size() - 1)
                        + ": give every load the same --duration");
            }
        }
        String server = sameServer(hosts, strategy);
        Duration skew = checkAligned(hosts);
        int windows = first.boundaries().size() - 1;
        LoadHostResult statsHost = hosts.stream().filter(LoadMerge::hasStats).findFirst().orElse(null);
        List<Double> rates = new ArrayList<>();
        List<Double> cpuPerOp = new ArrayList<>();
        List<Double> allocPerOp = new ArrayList<>();
        List<Double> cpuPercent = new ArrayList<>();
        for (int k = 0; k < windows; k++) {
            long ops = 0;
            double seconds = 0;
            for (LoadHostResult host : hosts) {
                LoadHostResult.Boundary from = host.boundaries().get(k);
                LoadHostResult.Boundary to = host.boundaries().get(k + 1);
                ops += to.operations() - from.operations();
                seconds += Duration.between(from.at(), to.at()).toNanos() / 1e9 / hosts.size();
            }
            rates.add(seconds > 0 ? ops / seconds : 0);
            if (statsHost != null && ops > 0) {
                ServerStats from = ServerStats.parse(statsHost.boundaries().get(k).serverStats());
                ServerStats to = ServerStats.parse(statsHost.boundaries().get(k + 1).serverStats());
                long cpu = to.cpuNanos() - from.cpuNanos();
                cpuPerOp.add((double) cpu / ops);
                allocPerOp.add((double) (to.allocatedBytes() - from.allocatedBytes()) / ops);
                cpuPercent.add(seconds > 0 ? 100.0 * cpu / (seconds * 1e9) : 0);
            }
        }
        Histogram latency = new Histogram(3);
        long operations = 0;
        double loadCpu = 0;
        int connections = 0;
        double rate = 0;
        Instant started = first.started();
        Instant ended = first.ended();
        for (LoadHostResult host : hosts) {
            latency.add(host.latency());
            operations += host.operations();
            loadCpu += host.loadCpuPercent();
            connections += Integer.parseInt(host.settings().getOrDefault("connections", "0"));
            rate += Double.parseDouble(host.settings().getOrDefault("rate", "0"));
            started = host.started().isBefore(started) ? host.started() : started;
            ended = host.ended().isAfter(ended) ? host.ended() : ended;
        }
        Map<String, String> params = new LinkedHashMap<>();
        first.settings().forEach((key, value) -> {
            if (!HOST_SETTINGS.contains(key)) {
                params.put(key, value);
            }
        });
        params.put(first.workload().equals("proxy") ? "streams" : "connections", Integer.toString(connections));
        params.put("network", network(first));
        return new LoadMerge(server, first.workload(), params,
                "open".equals(first.settings().get("loop")) ? rate : null, started, ended, operations, rates,
                cpuPerOp, allocPerOp, cpuPercent, loadCpu, latency, List.copyOf(hosts), skew);
    }

    /** The one server every host's stats name (strategy, process, host), or {@code strategy} when none read them. */
    private static String sameServer(List<LoadHostResult> hosts, String strategy) {
        Map<String, String> identity = null;
        LoadHostResult seenBy = null;
        for (LoadHostResult host : hosts) {
            if (hasAnyStats(host) && !hasStats(host)) {
                throw new IllegalArgumentException(name(host) + " lost the server's stats during its window");
            }
            if (!hasStats(host)) {
                continue;
            }
            Map<String, String> server = serverIdentity(host.boundaries().get(0).serverStats());
            if (identity == null) {
                identity = server;
                seenBy = host;
            } else if (!identity.equals(server)) {
                throw new IllegalArgumentException(name(host) + " drove " + server + ", " + name(seenBy) + " drove "
                        + identity + ": merge combines loads of one server process");
            }
        }
        if (identity == null) {
            if (strategy == null) {
                throw new IllegalArgumentException("no load read the server's stats (load --stats), so merge cannot "
                        + "tell the strategy: give --strategy NAME");
            }
            return strategy;
        }
        String named = identity.get("strategy");
        if (strategy != null && !strategy.equals(named)) {
            throw new IllegalArgumentException("--strategy " + strategy + ", but the server's stats say " + named);
        }
        return Objects.requireNonNull(named, "the server's stats line names no strategy");
    }

    private static Map<String, String> serverIdentity(String statsLine) {
        Map<String, String> server = new LinkedHashMap<>(ServerStats.facts(statsLine, "server"));
        server.put("host", ServerStats.facts(statsLine, "host").get("hostName"));
        server.remove("threads");
        return server;
    }

    /**
     * Every host's k-th boundary within {@link #MAX_SKEW_SHARE} of a sub-window of the first
     * host's (their clocks are taken as agreeing, as NTP keeps them; network namespaces share one).
     *
     * @return the largest difference seen
     */
    private static Duration checkAligned(List<LoadHostResult> hosts) {
        LoadHostResult first = hosts.get(0);
        List<LoadHostResult.Boundary> marks = first.boundaries();
        Duration subWindow = Duration.between(marks.get(0).at(), marks.get(marks.size() - 1).at())
                .dividedBy(marks.size() - 1);
        Duration allowed = Duration.ofNanos((long) (subWindow.toNanos() * MAX_SKEW_SHARE));
        Duration worst = Duration.ZERO;
        for (LoadHostResult host : hosts) {
            for (int k = 0; k < marks.size(); k++) {
                Duration apart = Duration.between(marks.get(k).at(), host.boundaries().get(k).at()).abs();
                if (apart.compareTo(allowed) > 0) {
                    throw new IllegalArgumentException(name(host) + "'s window is " + apart.toMillis() + " ms apart from "
                            + name(first) + "'s at boundary " + k + " (at most " + allowed.toMillis() + " ms, a quarter of "
                            + "a sub-window): the loads did not run at the same time; start them with the same "
                            + "'load --start-at'");
                }
                worst = apart.compareTo(worst) > 0 ? apart : worst;
            }
        }
        return worst;
    }

    private static boolean hasStats(LoadHostResult host) {
        return !host.boundaries().isEmpty() && host.boundaries().stream().allMatch(b -> b.serverStats() != null);
    }

    private static boolean hasAnyStats(LoadHostResult host) {
        return host.boundaries().stream().anyMatch(b -> b.serverStats() != null);
    }

    private static String name(LoadHostResult host) {
        return "load host " + host.host() + " (to " + host.target() + ")";
    }
}
